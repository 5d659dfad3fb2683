package dev.llama.collector;

import io.vertx.core.Vertx;
import io.vertx.core.eventbus.DeliveryOptions;
import dev.llama.summary.SummarySet;
import java.util.ArrayDeque;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Hands each summary set to exactly one scraper and keeps it until a scraper confirms it is queued on
 * disk. Sets go one at a time, in order; a failure (no scraper, a scraper that died, a timeout) is
 * retried with backoff on whichever scraper the event bus picks next. A set whose confirmation was lost
 * may be written twice, which InfluxDB absorbs: the points have the same series and time.
 */
final class SummaryOutbox {
    static final int MAX_SETS = 1000;
    /** A scraper answers once the points are on its disk: seconds are plenty, and a set lost with a dead scraper waits this long. */
    static final long SEND_TIMEOUT_MS = 10_000;
    private static final Logger log = LoggerFactory.getLogger(SummaryOutbox.class);
    private static final long MIN_RETRY_MS = 500;
    private static final long MAX_RETRY_MS = 30_000;

    private final Vertx vertx;
    private final String address;
    private final String collector;
    private final ArrayDeque<SummarySet> pending = new ArrayDeque<>();
    private boolean inFlight;
    private long retryTimer = -1;
    private int failures;
    private long dropped;
    private boolean closed;

    SummaryOutbox(Vertx vertx, String address, String collector) {
        this.vertx = vertx;
        this.address = address;
        this.collector = collector;
    }

    void offer(SummarySet set) {
        if (pending.size() >= MAX_SETS) {
            pending.removeFirst();
            dropped++;
            if (dropped == 1 || dropped % 100 == 0) {
                log.warn("collector {}: {} summary sets waiting for a scraper; dropped the oldest ({} dropped so far)",
                        collector, MAX_SETS, dropped);
            }
        }
        pending.addLast(set);
        pump();
    }

    private void pump() {
        if (inFlight || retryTimer >= 0 || closed || pending.isEmpty()) {
            return;
        }
        inFlight = true;
        var set = pending.peekFirst();
        vertx.eventBus().request(address, set, new DeliveryOptions().setSendTimeout(SEND_TIMEOUT_MS)).onComplete(ar -> {
            inFlight = false;
            if (ar.succeeded()) {
                pending.remove(set);
                if (failures > 0) {
                    log.info("collector {}: a scraper takes summaries again; {} sets waiting", collector, pending.size());
                    failures = 0;
                }
                pump();
                return;
            }
            failures++;
            long delay = Math.min(MAX_RETRY_MS, MIN_RETRY_MS << Math.min(failures - 1, 16));
            if (failures == 1) {
                log.warn("collector {}: no scraper took the summary of {} ({}); holding {} sets and retrying", collector,
                        set.intervalEnd(), ar.cause().getMessage(), pending.size());
            }
            if (!closed) {
                retryTimer = vertx.setTimer(delay, id -> {
                    retryTimer = -1;
                    pump();
                });
            }
        });
    }

    void close() {
        closed = true;
        vertx.cancelTimer(retryTimer);
        if (!pending.isEmpty()) {
            log.warn("collector {} stopping with {} summary sets no scraper took", collector, pending.size());
        }
    }
}
