package dev.llama.scraper;

import dev.llama.metrics.LlamaMetrics;
import dev.llama.summary.Addresses;
import dev.llama.summary.SummaryCodec;
import dev.llama.summary.SummaryReceiver;
import dev.llama.scraper.ScraperConfig.Api;
import dev.llama.scraper.ScraperConfig.Endpoint;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.VerticleBase;
import io.vertx.core.WorkerExecutor;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.eventbus.Message;
import io.vertx.core.http.HttpClientAgent;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpClientResponse;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.RequestOptions;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Moves summaries into InfluxDB without losing them. Every interval it pulls {@code /influxdata} from
 * each collector in parallel (and, when configured, takes summary sets straight off the event bus);
 * each source's points become one batch that goes into a {@link DiskQueue} before any write is tried,
 * and leaves it only once InfluxDB answered 2xx.
 *
 * <p>One sender writes the queue in order. When InfluxDB is away (no answer, 5xx, 429, an unknown
 * database or bad credentials) it retries with exponential backoff while scraping goes on; when
 * InfluxDB refuses points (400, 413, 422) it halves the batch until the refused points are found,
 * writes the rest, and appends the refused ones with the server's reason to {@code dead-letter.lp}
 * next to the queue. Points carry their summary's time, so a batch written twice overwrites itself.
 */
public class ScraperVerticle extends VerticleBase {
    /** A collector's answer larger than this is refused (10,000 pairs take about 5 MB). */
    static final int MAX_SCRAPE_BYTES = 64 << 20;
    private static final Logger log = LoggerFactory.getLogger(ScraperVerticle.class);
    private static final long STILL_DOWN_LOG_MS = 60_000;

    private final SummaryReceiver receiver = new SummaryReceiver("scraper");
    private final ScraperConfig config;
    private final ScraperStats stats = new ScraperStats();
    private LlamaMetrics.Binding metrics;
    private final Points points = new Points();
    private final Set<Endpoint> failing = new HashSet<>();
    private final Set<String> sendingInvalid = new HashSet<>();
    private WorkerExecutor io;
    /** Volatile: metrics read its size from the API's event loop. */
    private volatile DiskQueue queue;
    private DeadLetter deadLetter;
    private InfluxWriter writer;
    private HttpClientAgent http;
    private boolean sending;
    private long retryTimer = -1;
    private long scrapeTimer = -1;
    private int failures;
    private long lastDownLog;
    private boolean createTried;
    private boolean stopped;

    public ScraperVerticle(ScraperConfig config) {
        this.config = config;
    }

    @Override
    public Future<?> start() {
        io = vertx.createSharedWorkerExecutor("llama-scraper-io-" + System.identityHashCode(this), 1);
        writer = new InfluxWriter(vertx, config.influx());
        http = vertx.createHttpClient(new HttpClientOptions()
                .setConnectTimeout((int) Math.min(config.collectorTimeoutMs(), 10_000))
                .setKeepAlive(true));
        deadLetter = new DeadLetter(config.queueDir().resolve("dead-letter.lp"));
        return openQueue()
                .compose(v -> consumeBus())
                .onSuccess(v -> {
                    if (vertx.isMetricsEnabled()) {
                        metrics = LlamaMetrics.scraper(this, config.influx().toString());
                    }
                    log.info("scraper writing to InfluxDB {} ({}); queue in {}; {}", config.influx(),
                            config.influx().api() == Api.V1 ? "/write" : "/api/v2/write", config.queueDir(), sources());
                    scheduleScrape();
                    drain();
                });
    }

    private Future<Void> openQueue() {
        return io.executeBlocking(() -> DiskQueue.open(config.queueDir(), config.queueMaxBytes()))
                .recover(err -> Future.failedFuture("scraper queue " + config.queueDir() + ": " + err.getMessage()))
                .onSuccess(q -> {
                    queue = q;
                    if (q.batches() > 0) {
                        log.info("resuming: {} points in {} batches are waiting in {}", q.points(), q.batches(), config.queueDir());
                    }
                })
                .mapEmpty();
    }

    private Future<Void> consumeBus() {
        if (!config.bus()) {
            return Future.succeededFuture();
        }
        SummaryCodec.register(vertx.eventBus());
        return vertx.eventBus().<Object>consumer(Addresses.SCRAPE, this::summary).completion();
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
            json.put("queue_batches", q.batches()).put("queue_points", q.points()).put("queue_bytes", q.bytes());
        }
        return json;
    }

    /** Points waiting in the disk queue; 0 before it is open. Cheap: never waits for the queue's file I/O. */
    public long queuePoints() {
        var q = queue;
        return q == null ? 0 : q.points();
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
        convertAndQueue("bus:" + set.collector(), () -> points.convertSummary(set), readable -> {
        }).onComplete(ar -> {
            if (ar.succeeded()) {
                message.reply("queued");
            } else {
                message.fail(500, "scraper could not queue the summary: " + ar.cause().getMessage());
            }
        });
    }

    private void scheduleScrape() {
        if (config.collectors().isEmpty() || stopped) {
            return;
        }
        long period = config.interval() * 1000L;
        long now = System.currentTimeMillis();
        long next = (now / period + 1) * period + config.scrapeOffsetMs();
        if (next - period > now) {
            next -= period;
        }
        scrapeTimer = vertx.setTimer(next - now, id -> {
            config.collectors().forEach(this::scrape);
            scheduleScrape();
        });
    }

    private void scrape(Endpoint collector) {
        fetch(collector)
                .onSuccess(body -> {
                    String source = collector.toString();
                    convertAndQueue(source, () -> points.convert(source, new JsonArray(body), System.currentTimeMillis() / 1000, true),
                            readable -> {
                                if (!readable) {
                                    scrapeFailed(collector, "its answer is not a JSON array");
                                } else {
                                    stats.scrapesOk.incrementAndGet();
                                    if (failing.remove(collector)) {
                                        log.info("collector {} answers again", collector);
                                    }
                                }
                            });
                })
                .onFailure(err -> scrapeFailed(collector, String.valueOf(err.getMessage())));
    }

    private void scrapeFailed(Endpoint collector, String why) {
        stats.scrapesFailed.incrementAndGet();
        if (failing.add(collector)) {
            log.warn("skipped collector {}: {} (logged again when it answers)", collector, why);
        } else {
            log.debug("skipped collector {} again: {}", collector, why);
        }
    }

    /** GETs /influxdata, refusing answers that are not 200 or larger than {@link #MAX_SCRAPE_BYTES}. */
    private Future<Buffer> fetch(Endpoint collector) {
        var options = new RequestOptions().setMethod(HttpMethod.GET)
                .setAbsoluteURI(collector.url("/influxdata?fields=all"))
                .setIdleTimeout(config.collectorTimeoutMs());
        return http.request(options).compose(request -> {
            var timedOut = new AtomicBoolean();
            long deadline = vertx.setTimer(config.collectorTimeoutMs(), id -> {
                timedOut.set(true);
                request.reset();
            });
            return request.send()
                    .compose(this::body)
                    .onComplete(ar -> vertx.cancelTimer(deadline))
                    .recover(err -> Future.failedFuture(timedOut.get()
                            ? new IOException("no complete answer within " + config.collectorTimeoutMs() + " ms") : err));
        });
    }

    private Future<Buffer> body(HttpClientResponse response) {
        if (response.statusCode() != 200) {
            response.request().reset();
            return Future.failedFuture("HTTP " + response.statusCode() + " " + response.statusMessage());
        }
        Promise<Buffer> promise = Promise.promise();
        Buffer body = Buffer.buffer();
        response.handler(chunk -> {
            if (body.length() + chunk.length() > MAX_SCRAPE_BYTES) {
                promise.tryFail("answer larger than " + (MAX_SCRAPE_BYTES >> 20) + " MB");
                response.request().reset();
            } else {
                body.appendBuffer(chunk);
            }
        });
        response.exceptionHandler(promise::tryFail);
        response.endHandler(v -> promise.tryComplete(body));
        return promise.future();
    }

    /**
     * Converts points to line protocol on a worker, in arrival order, so the event loop stays free for
     * InfluxDB's answers; then queues them as one batch.
     */
    private Future<Void> convertAndQueue(String source, Callable<Points.Converted> conversion, Consumer<Boolean> readable) {
        return vertx.executeBlocking(conversion, true).recover(err -> {
            if (err instanceof DecodeException || err instanceof ClassCastException) {
                readable.accept(false);
            } else {
                log.error("cannot convert points from {}", source, err);
            }
            return Future.failedFuture(err);
        }).compose(converted -> {
            readable.accept(true);
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
            stats.pointsQueued.addAndGet(batch.points());
            if (dropped.points() > 0 || dropped.batches() > 0) {
                stats.pointsDropped.addAndGet(dropped.points());
                log.warn("queue full ({} MB): dropped the oldest {} points ({} batches)", config.queueMaxBytes() >> 20,
                        dropped.points(), dropped.batches());
            }
            drain();
            return null;
        });
    }

    /** Starts the sender unless it is busy or waiting to retry. */
    private void drain() {
        if (sending || retryTimer >= 0 || stopped) {
            return;
        }
        sending = true;
        io.executeBlocking(() -> queue.peek(config.influx().batchPoints()))
                .compose(peeked -> peeked.batches().isEmpty() ? Future.succeededFuture(false) : send(peeked))
                .onComplete(ar -> {
                    sending = false;
                    if (ar.failed()) {
                        if (!stopped) {
                            log.error("scraper queue {}: {}", config.queueDir(), ar.cause().toString());
                            retryLater(new WriteResult(WriteResult.Outcome.RETRY, 0, "queue: " + ar.cause().getMessage()));
                        }
                    } else if (ar.result()) {
                        drain();
                    }
                });
    }

    /** Writes what was peeked; true when it left the queue, false when a retry is scheduled. */
    private Future<Boolean> send(DiskQueue.Peeked peeked) {
        var body = Buffer.buffer();
        var unreadable = new ArrayList<Batch>();
        for (var batch : peeked.batches()) {
            if (batch.points() == 0) {
                unreadable.add(batch);
            } else {
                body.appendBytes(batch.lines());
            }
        }
        int total = peeked.points();
        Future<List<Rejected>> outcome = total == 0 ? Future.succeededFuture(List.of())
                : writer.write(body).compose(result -> switch (result.outcome()) {
                    case WRITTEN -> {
                        stats.writesOk.incrementAndGet();
                        yield Future.succeededFuture(List.<Rejected>of());
                    }
                    case REJECTED -> isolate(lines(peeked), result);
                    case RETRY -> {
                        retryLater(result);
                        yield Future.succeededFuture(null);
                    }
                });
        return outcome.compose(rejected -> {
            if (rejected == null) {
                return Future.succeededFuture(false);
            }
            int rejectedCount = rejected.size();
            return io.executeBlocking(() -> {
                for (var batch : unreadable) {
                    deadLetter.append(batch.source(), "unreadable queue entry of " + batch.lines().length + " bytes",
                            List.of(new String(batch.lines(), StandardCharsets.ISO_8859_1).replace('\n', ' ')));
                }
                for (var group : bySourceAndReason(rejected).entrySet()) {
                    deadLetter.append(group.getKey().get(0), "refused by InfluxDB: " + group.getKey().get(1), group.getValue());
                }
                queue.remove(peeked.first(), peeked.batches().size());
                return null;
            }).map(v -> {
                stats.pointsWritten.addAndGet(total - rejectedCount);
                stats.pointsRejected.addAndGet(rejectedCount);
                if (rejectedCount > 0) {
                    log.warn("InfluxDB refused {} of {} points ({}); they are in {}", rejectedCount, total,
                            rejected.get(0).result(), deadLetter.file());
                }
                recovered();
                return true;
            });
        });
    }

    /** Writes lines; completes with the refused ones (empty when all were written), or null when a retry is scheduled. */
    private Future<List<Rejected>> write(List<Line> lines) {
        return writer.write(join(lines)).compose(result -> switch (result.outcome()) {
            case WRITTEN -> {
                stats.writesOk.incrementAndGet();
                yield Future.succeededFuture(List.<Rejected>of());
            }
            case REJECTED -> isolate(lines, result);
            case RETRY -> {
                retryLater(result);
                yield Future.succeededFuture(null);
            }
        });
    }

    /** Halves refused lines until each refused one is alone; the others get written on the way. */
    private Future<List<Rejected>> isolate(List<Line> lines, WriteResult result) {
        if (lines.size() == 1) {
            return Future.succeededFuture(List.of(new Rejected(lines.get(0), result)));
        }
        var left = lines.subList(0, lines.size() / 2);
        var right = lines.subList(lines.size() / 2, lines.size());
        return write(left).compose(l -> l == null ? Future.succeededFuture(null) : write(right).map(r -> {
            if (r == null) {
                return null;
            }
            var all = new ArrayList<>(l);
            all.addAll(r);
            return all;
        }));
    }

    private void retryLater(WriteResult result) {
        stats.writesFailed.incrementAndGet();
        failures++;
        if (result.status() == 404 && config.influx().api() == Api.V1 && config.influx().createDatabase() && !createTried) {
            createTried = true;
            writer.createDatabase().onComplete(ar -> {
                if (ar.result().written() && !stopped) {
                    log.info("created database {} on {}", config.influx().database(), config.influx().url());
                    failures = 0;
                    retryTimer = vertx.setTimer(1, id -> {
                        retryTimer = -1;
                        drain();
                    });
                } else {
                    log.warn("cannot create database {} on {}: {}", config.influx().database(), config.influx().url(), ar.result());
                    scheduleRetry(result);
                }
            });
            return;
        }
        scheduleRetry(result);
    }

    private void scheduleRetry(WriteResult result) {
        long base = Math.min(config.retryMaxMs(), config.retryMinMs() << Math.min(failures - 1, 20));
        long delay = Math.max(config.retryMinMs(), (long) (base * ThreadLocalRandom.current().nextDouble(0.8, 1.0)));
        long now = System.currentTimeMillis();
        if (failures == 1) {
            lastDownLog = now;
            log.warn("cannot write to InfluxDB {}: {}; holding {} points in {} and retrying (every {} s at most)",
                    config.influx(), result, queue.points(), config.queueDir(), config.retryMaxMs() / 1000.0);
        } else if (now - lastDownLog >= STILL_DOWN_LOG_MS) {
            lastDownLog = now;
            log.warn("InfluxDB {} still unavailable after {} attempts: {}; {} points waiting in {}", config.influx(),
                    failures, result, queue.points(), config.queueDir());
        } else {
            log.debug("write failed ({}), retry {} in {} ms", result, failures, delay);
        }
        if (stopped) {
            return;
        }
        retryTimer = vertx.setTimer(delay, id -> {
            retryTimer = -1;
            drain();
        });
    }

    private void recovered() {
        createTried = false;
        if (failures > 0) {
            log.info("InfluxDB {} takes writes again after {} failed attempts; {} points still queued", config.influx(),
                    failures, queue.points());
            failures = 0;
        }
    }

    private static List<Line> lines(DiskQueue.Peeked peeked) {
        var lines = new ArrayList<Line>(peeked.points());
        for (var batch : peeked.batches()) {
            if (batch.points() > 0) {
                for (String text : new String(batch.lines(), StandardCharsets.UTF_8).split("\n")) {
                    lines.add(new Line(batch.source(), text));
                }
            }
        }
        return lines;
    }

    private static Buffer join(List<Line> lines) {
        var text = new StringBuilder(lines.size() * 200);
        for (var line : lines) {
            text.append(line.text()).append('\n');
        }
        return Buffer.buffer(text.toString());
    }

    private static Map<List<String>, List<String>> bySourceAndReason(List<Rejected> rejected) {
        var groups = new LinkedHashMap<List<String>, List<String>>();
        for (var r : rejected) {
            groups.computeIfAbsent(List.of(r.line().source(), r.result().toString()), k -> new ArrayList<>()).add(r.line().text());
        }
        return groups;
    }

    @Override
    public Future<?> stop() {
        stopped = true;
        if (metrics != null) {
            metrics.close();
        }
        vertx.cancelTimer(scrapeTimer);
        vertx.cancelTimer(retryTimer);
        writer.close();
        http.close();
        var q = queue;
        return (q == null ? Future.succeededFuture() : io.executeBlocking(() -> {
            q.close();
            return null;
        })).eventually(() -> io.close());
    }

    private record Line(String source, String text) {
    }

    private record Rejected(Line line, WriteResult result) {
    }
}
