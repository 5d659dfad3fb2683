package dev.llama.api;

import io.vertx.ext.web.RoutingContext;
import java.util.LinkedHashSet;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;
import io.vertx.core.http.HttpServerResponse;

/**
 * {@code /api/v1/events}: Server-Sent Events, one {@code summary} event per summary set the node
 * receives, so pages refresh when there is something new instead of polling; a comment every 15 s keeps
 * idle streams (and their connections, under the idle timeout) open. At most {@code maxListeners}
 * streams at once; the next get 503. Used on the API verticle's event loop.
 */
final class EventFeed {
    static final long KEEP_ALIVE_MS = 15_000;

    private final int maxListeners;
    private final Set<HttpServerResponse> listeners = new LinkedHashSet<>();
    private final AtomicLong refused = new AtomicLong();

    EventFeed(int maxListeners) {
        this.maxListeners = maxListeners;
    }

    void handle(RoutingContext ctx) {
        if (!Params.check(ctx, Set.of(BearerAuth.QUERY_TOKEN))) {
            return;
        }
        if (listeners.size() >= maxListeners) {
            refused.incrementAndGet();
            ctx.response().putHeader("retry-after", "30");
            Responses.error(ctx, 503, "too many event streams open (" + maxListeners + ")");
            return;
        }
        var response = ctx.response();
        response.setChunked(true)
                .putHeader("content-type", "text/event-stream; charset=utf-8")
                .putHeader("cache-control", "no-store")
                .write("retry: 3000\n: llama summary events\n\n");
        listeners.add(response);
        response.closeHandler(v -> listeners.remove(response));
        response.exceptionHandler(err -> listeners.remove(response));
    }

    /** Sends to every listener; one that cannot keep up misses events rather than piling them up here. */
    void broadcast(String text) {
        for (var response : listeners) {
            if (!response.writeQueueFull()) {
                response.write(text);
            }
        }
    }

    void keepAlive() {
        broadcast(": keep-alive\n\n");
    }

    void close() {
        listeners.forEach(HttpServerResponse::end);
        listeners.clear();
    }

    int listeners() {
        return listeners.size();
    }

    long refused() {
        return refused.get();
    }
}
