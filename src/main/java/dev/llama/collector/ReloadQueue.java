package dev.llama.collector;

import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import java.util.function.Function;

/**
 * Runs one reload at a time. Requests that arrive while one runs coalesce into a single later run with
 * the newest request, so a burst of SIGHUPs or file events never builds engines side by side. Used from
 * the collector's context only.
 */
final class ReloadQueue {
    /** Why a reload was asked for, and the configuration it brings (null: re-read the file). */
    record Request(String why, JsonObject json) {
    }

    private final Function<Request, Future<?>> reload;
    private boolean running;
    private Request pending;
    private long coalesced;

    ReloadQueue(Function<Request, Future<?>> reload) {
        this.reload = reload;
    }

    void request(Request request) {
        if (running) {
            if (pending != null) {
                coalesced++;
            }
            pending = request;
            return;
        }
        running = true;
        Future<?> done;
        try {
            done = reload.apply(request);
        } catch (RuntimeException e) {
            done = Future.failedFuture(e);
        }
        done.onComplete(ar -> {
            running = false;
            var next = pending;
            pending = null;
            if (next != null) {
                request(next);
            }
        });
    }

    /** Requests merged into a later one because a reload was running. */
    long coalesced() {
        return coalesced;
    }
}
