package dev.llama.api;

import dev.llama.localize.Evidence;
import dev.llama.localize.Suspect;
import dev.llama.summary.Addresses;
import dev.llama.summary.PairSummary;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs the fault localizer on the matrix once the sets of a new interval have arrived (they come one per
 * collector: it waits {@link #SETTLE_MS} after the last), off the event loop since at 1,000 hosts it
 * takes up to ~100 ms, and publishes the result on {@link Addresses#FAULTS}. Every API node computes from
 * its own matrix; reports other nodes publish are validated and, for the same interval, the one whose
 * publisher sorts first is served everywhere (see {@link FaultBoard}), so a standalone API serves its own
 * and a cluster's API nodes agree. Used on the API verticle's event loop.
 */
final class FaultService {
    static final long SETTLE_MS = 500;
    private static final Logger log = LoggerFactory.getLogger(FaultService.class);

    private final Vertx vertx;
    private final Function<List<PairSummary>, List<Suspect>> localizer;
    private final Matrix matrix;
    private final FaultBoard board;
    private final FaultMetrics metrics;
    private final Runnable changed;
    private final String publisher = UUID.randomUUID().toString();
    private final AtomicLong rejected = new AtomicLong();
    private final AtomicLong failures = new AtomicLong();
    private final List<Meter> meters = new ArrayList<>();
    private final MeterRegistry registry;
    private long timer = -1;
    private boolean running;
    private boolean again;

    FaultService(Vertx vertx, Function<List<PairSummary>, List<Suspect>> localizer, Matrix matrix, FaultBoard board,
            MeterRegistry registry, Runnable changed) {
        this.vertx = vertx;
        this.registry = registry;
        this.localizer = localizer;
        this.matrix = matrix;
        this.board = board;
        this.metrics = new FaultMetrics(registry);
        this.changed = changed;
    }

    /** Registers the codec, the counters and the consumer of {@link Addresses#FAULTS}. */
    Future<Void> start() {
        FaultCodec.register(vertx.eventBus());
        meters.add(FunctionCounter.builder("llama.faults.rejected", rejected, AtomicLong::get)
                .description("Fault reports received on the event bus that failed validation or authentication").register(registry));
        meters.add(FunctionCounter.builder("llama.faults.failures", failures, AtomicLong::get)
                .description("Fault localizer runs that failed").register(registry));
        return vertx.eventBus().<Object>consumer(Addresses.FAULTS, msg -> fromBus(msg.body())).completion();
    }

    /** A summary set joined the matrix: localize once the interval's sets have settled. */
    void setArrived() {
        if (running) {
            again = true;
        } else if (timer == -1) {
            timer = vertx.setTimer(SETTLE_MS, id -> {
                timer = -1;
                compute();
            });
        }
    }

    private void compute() {
        long now = System.currentTimeMillis();
        var rows = matrix.rows(row -> true, now);
        if (rows.isEmpty()) {
            return;
        }
        Instant end = rows.stream().map(r -> r.set().intervalEnd()).max(Instant::compareTo).orElseThrow();
        List<PairSummary> pairs = rows.stream().map(Matrix.Row::pair).toList();
        running = true;
        vertx.executeBlocking(() -> localizer.apply(pairs), false).onComplete(result -> {
            running = false;
            if (result.succeeded()) {
                var report = new FaultReport(publisher, end, bounded(result.result()));
                take(report, System.currentTimeMillis());
                vertx.eventBus().publish(Addresses.FAULTS, report);
            } else if (failures.incrementAndGet() == 1 || failures.get() % 100 == 0) {
                log.warn("fault localization failed ({} so far)", failures.get(), result.cause());
            }
            if (again) {
                again = false;
                setArrived();
            }
        });
    }

    /** The localizer's answer cut to what the bus accepts (the list is ranked, so the strongest stay). */
    private static List<Suspect> bounded(List<Suspect> suspects) {
        return suspects.stream().limit(FaultJson.MAX_SUSPECTS).map(s -> {
            var e = s.evidence();
            if (e.pairs().size() <= FaultJson.MAX_PAIRS && e.srcPorts().size() <= FaultJson.MAX_PORTS) {
                return s;
            }
            return new Suspect(s.kind(), s.scope(), s.side(), s.score(), s.explainedLost(),
                    new Evidence(e.pairs().stream().limit(FaultJson.MAX_PAIRS).toList(),
                            e.srcPorts().stream().limit(FaultJson.MAX_PORTS).toList(), e.sent(), e.lost(), e.restSent(), e.restLost()));
        }).toList();
    }

    private void take(FaultReport report, long now) {
        if (board.offer(report, now)) {
            metrics.show(board.newest());
            changed.run();
        }
    }

    /** A report from {@link Addresses#FAULTS}: this node's own is skipped, a bad one counted. */
    void fromBus(Object body) {
        long now = System.currentTimeMillis();
        FaultReport report = null;
        if (body instanceof FaultReport r) {
            report = r;
        } else if (body instanceof JsonObject json && !FaultCodec.keyed()) {
            try {
                report = FaultJson.decode(json, now);
            } catch (IllegalArgumentException | ClassCastException e) {
                log.debug("fault report rejected: {}", e.getMessage());
            }
        }
        if (report == null) {
            long n = rejected.incrementAndGet();
            if (n == 1 || n % 1000 == 0) {
                log.warn("rejected a fault report from the event bus ({} so far)", n);
            }
            return;
        }
        if (!report.publisher().equals(publisher)) {
            take(report, now);
        }
    }

    void close() {
        vertx.cancelTimer(timer);
        metrics.close();
        meters.forEach(registry::remove);
    }
}
