package dev.llama.scraper;

import dev.llama.metrics.LlamaMetrics;
import dev.llama.scraper.ScraperConfig.Api;
import dev.llama.scraper.ScraperConfig.Endpoint;
import dev.llama.summary.Addresses;
import dev.llama.summary.SummaryCodec;
import dev.llama.summary.SummaryReceiver;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.WorkerExecutor;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.eventbus.Message;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.atomic.AtomicReference;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Moves summaries into InfluxDB without losing them. A {@link Puller} fetches {@code /influxdata} from
 * each collector every interval and, when configured, summary sets come straight off the event bus;
 * each source's points become one batch in a {@link BatchQueue} (on disk, in memory while the disk
 * refuses writes) before any write is tried, and a {@link Sender} writes the queue to InfluxDB. Points
 * carry their summary's time, so a batch written twice overwrites itself. This class only wires them.
 */
public class ScraperVerticle extends VerticleBase {
    private static final Logger log = LoggerFactory.getLogger(ScraperVerticle.class);

    private final SummaryReceiver receiver = new SummaryReceiver("scraper");
    private final ScraperConfig config;
    private final Points points = new Points();
    private final Set<String> sendingInvalid = new HashSet<>();
    /** Volatile: metrics read its size from the API's event loop. */
    private volatile BatchQueue queue;
    private final ScraperStats stats;
    private WorkerExecutor io;
    private Sender sender;
    private Puller puller;

    public ScraperVerticle(ScraperConfig config) {
        this.config = config;
        this.stats = new ScraperStats(config.influx().toString(), this::queuePoints, this::memoryPoints);
    }

    @Override
    public Future<?> start() {
        io = vertx.createSharedWorkerExecutor("llama-scraper-io-" + System.identityHashCode(this), 1);
        return io.executeBlocking(() -> DiskQueue.open(config.queueDir(), config.queueMaxBytes()))
                .recover(err -> Future.failedFuture("scraper queue " + config.queueDir() + ": " + err.getMessage()))
                .compose(disk -> {
                    if (disk.batches() > 0) {
                        log.info("resuming: {} points in {} batches are waiting in {}", disk.points(), disk.batches(), config.queueDir());
                    }
                    queue = new BatchQueue(disk, config.queueDir(), BatchQueue.DEFAULT_MEMORY_CAP);
                    sender = new Sender(vertx, config, io, queue, new DeadLetter(config.queueDir().resolve("dead-letter.lp")), stats);
                    puller = new Puller(vertx, config, stats, this::pulled);
                    return consumeBus();
                })
                .onSuccess(v -> {
                    LlamaMetrics.registry(vertx).ifPresent(stats::bindTo);
                    log.info("scraper writing to InfluxDB {} ({}); queue in {}; {}", config.influx(),
                            config.influx().api() == Api.V1 ? "/write" : "/api/v2/write", config.queueDir(), sources());
                    puller.start();
                    sender.drain();
                });
    }

    private String sources() {
        var parts = new ArrayList<String>();
        if (!config.collectors().isEmpty()) {
            parts.add("pulling /influxdata from " + config.collectors() + " every " + config.interval() + " s");
        }
        if (config.bus()) {
            parts.add("taking summaries from collectors on the event bus (" + Addresses.SCRAPE + ")");
        }
        return String.join(" and ", parts);
    }

    /** This scraper's counters, with the queue's current size. */
    public JsonObject stats() {
        var json = stats.toJson();
        var q = queue;
        if (q != null) {
            var disk = q.disk();
            json.put("queue_batches", disk.batches()).put("queue_points", disk.points()).put("queue_bytes", disk.bytes())
                    .put("queue_memory_points", q.memoryPoints());
        }
        return json;
    }

    /** Points waiting in the disk queue; 0 before it is open. Cheap: never waits for the queue's file I/O. */
    public long queuePoints() {
        var q = queue;
        return q == null ? 0 : q.diskPoints();
    }

    private long memoryPoints() {
        var q = queue;
        return q == null ? 0 : q.memoryPoints();
    }

    private Future<Void> consumeBus() {
        if (!config.bus()) {
            return Future.succeededFuture();
        }
        SummaryCodec.register(vertx.eventBus());
        return vertx.eventBus().<Object>consumer(Addresses.SCRAPE, this::summary).completion();
    }

    public ScraperStats counters() {
        return stats;
    }

    private void summary(Message<Object> message) {
        var set = receiver.receive(message.body(), System.currentTimeMillis());
        if (set == null) {
            message.fail(400, "not a valid summary set");
            return;
        }
        convertAndQueue("bus:" + set.collector(), () -> points.convertSummary(set)).onComplete(ar -> {
            if (ar.succeeded()) {
                message.reply("queued");
            } else {
                message.fail(500, "scraper could not queue the summary: " + ar.cause().getMessage());
            }
        });
    }

    private Future<Puller.Taken> pulled(Endpoint collector, Buffer body) {
        String source = collector.toString();
        var resumeAfter = new AtomicReference<Instant>();
        return convertAndQueue(source, () -> {
            var array = new JsonArray(body);
            resumeAfter.set(PullState.resumeAfter(array));
            return points.convert(source, array, System.currentTimeMillis() / 1000, true);
        }).map(v -> new Puller.Taken(true, resumeAfter.get()))
                .recover(err -> Future.succeededFuture(new Puller.Taken(
                        !(err instanceof DecodeException || err instanceof ClassCastException), null)));
    }

    /**
     * Converts points to line protocol on a worker, in arrival order, so the event loop stays free for
     * InfluxDB's answers; then queues them as one batch.
     */
    private Future<Void> convertAndQueue(String source, Callable<Points.Converted> conversion) {
        return vertx.executeBlocking(conversion, true).onFailure(err -> {
            if (!(err instanceof DecodeException || err instanceof ClassCastException)) {
                log.error("cannot convert points from {}", source, err);
            }
        }).compose(converted -> {
            stats.pointsUnchanged.addAndGet(converted.unchanged());
            if (converted.invalid() > 0) {
                stats.pointsInvalid.addAndGet(converted.invalid());
                if (sendingInvalid.add(source)) {
                    log.warn("left out {} of {} points from {}: {} (logged again after a clean answer)", converted.invalid(),
                            converted.invalid() + converted.unchanged() + converted.batch().points(), source, converted.problem());
                }
            } else {
                sendingInvalid.remove(source);
            }
            return converted.batch().points() > 0 ? enqueue(converted.batch()) : Future.succeededFuture();
        });
    }

    private Future<Void> enqueue(Batch batch) {
        return io.executeBlocking(() -> queue.add(batch)).recover(err -> {
            stats.pointsUnqueued.addAndGet(batch.points());
            log.error("cannot queue {} points from {} in {}: {}", batch.points(), batch.source(), config.queueDir(), err.toString());
            return Future.failedFuture(err);
        }).map(dropped -> {
            if (dropped.points() > 0 || dropped.batches() > 0) {
                stats.pointsDropped.addAndGet(dropped.points());
                log.warn("queue full: dropped the oldest {} points ({} batches)", dropped.points(), dropped.batches());
            }
            sender.drain();
            return null;
        });
    }

    @Override
    public Future<?> stop() {
        stats.close();
        if (puller != null) {
            puller.stop();
        }
        if (sender != null) {
            sender.stop();
        }
        var q = queue;
        return (q == null ? Future.succeededFuture() : io.executeBlocking(() -> {
            q.close();
            return null;
        })).eventually(() -> io.close());
    }
}
