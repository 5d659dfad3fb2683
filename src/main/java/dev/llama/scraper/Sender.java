package dev.llama.scraper;

import dev.llama.scraper.ScraperConfig.Api;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.WorkerExecutor;
import io.vertx.core.buffer.Buffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Writes the queue to InfluxDB in order, one request at a time; entries leave the queue only once
 * InfluxDB took them or they are in the dead-letter file. When InfluxDB is away (no answer, 5xx, 429,
 * an unknown database or bad credentials) it retries with jittered exponential backoff; when InfluxDB
 * refuses points it moves the ones the refusal names ({@link RefusedLines}) to the dead-letter file and
 * sends the rest again in one request, or, when the refusal names none, halves the batch until each
 * refused point is alone. Runs on the verticle's context; the queue's file I/O runs on {@code io}.
 */
final class Sender {
    private static final Logger log = LoggerFactory.getLogger(Sender.class);
    private static final long STILL_DOWN_LOG_MS = 60_000;

    /** IDLE: ready to send; SENDING: a write is in flight; WAITING: a retry is due later; STOPPED: never again. */
    enum State { IDLE, SENDING, WAITING, STOPPED }

    /** What became of lines: all settled (written, or refused as listed), or deferred by a result to retry on. */
    private sealed interface Sent permits Delivered, Deferred {
    }

    private record Delivered(List<Rejected> rejected) implements Sent {
    }

    private record Deferred(WriteResult result) implements Sent {
    }

    private record Line(String source, String text) {
    }

    private record Rejected(Line line, WriteResult result) {
    }

    private final Vertx vertx;
    private final ScraperConfig config;
    private final WorkerExecutor io;
    private final BatchQueue queue;
    private final InfluxWriter writer;
    private final DeadLetter deadLetter;
    private final ScraperStats stats;
    private State state = State.IDLE;
    private long retryTimer = -1;
    private int failures;
    private long lastDownLog;
    private boolean createTried;

    Sender(Vertx vertx, ScraperConfig config, WorkerExecutor io, BatchQueue queue, DeadLetter deadLetter, ScraperStats stats) {
        this.vertx = vertx;
        this.config = config;
        this.io = io;
        this.queue = queue;
        this.deadLetter = deadLetter;
        this.stats = stats;
        this.writer = new InfluxWriter(vertx, config.influx());
    }

    /** Sends what is queued, unless a send is in flight or a retry is due later. */
    void drain() {
        if (state != State.IDLE) {
            return;
        }
        state = State.SENDING;
        io.executeBlocking(() -> queue.peek(config.influx().batchPoints()))
                .compose(taken -> taken.batches().isEmpty() ? Future.<Sent>succeededFuture(null) : send(taken))
                .onComplete(ar -> {
                    if (state == State.STOPPED) {
                        return;
                    }
                    state = State.IDLE;
                    if (ar.failed()) {
                        log.error("scraper queue {}: {}", config.queueDir(), ar.cause().toString());
                        retryLater(new WriteResult(WriteResult.Outcome.RETRY, 0, "queue: " + ar.cause().getMessage()));
                    } else if (ar.result() instanceof Deferred deferred) {
                        retryLater(deferred.result());
                    } else if (ar.result() != null) {
                        drain();
                    }
                });
    }

    private Future<Sent> send(BatchQueue.Taken taken) {
        var unreadable = new ArrayList<Batch>();
        var lines = new ArrayList<Line>(taken.points());
        for (var batch : taken.batches()) {
            if (batch.points() == 0) {
                unreadable.add(batch);
            } else {
                for (String text : new String(batch.lines(), StandardCharsets.UTF_8).split("\n")) {
                    lines.add(new Line(batch.source(), text));
                }
            }
        }
        Future<Sent> sent = lines.isEmpty() ? Future.succeededFuture(new Delivered(List.of())) : write(lines);
        return sent.compose(outcome -> {
            if (outcome instanceof Delivered delivered) {
                return settle(taken, unreadable, lines.size(), delivered.rejected()).map(outcome);
            }
            return io.executeBlocking(() -> {
                queue.release(taken);
                return outcome;
            });
        });
    }

    /** One request; a refusal is narrowed down by further requests. */
    private Future<Sent> write(List<Line> lines) {
        stats.writeRequests.incrementAndGet();
        return writer.write(join(lines)).compose(result -> switch (result.outcome()) {
            case WRITTEN -> {
                stats.writesOk.incrementAndGet();
                yield Future.succeededFuture(new Delivered(List.of()));
            }
            case REJECTED -> refused(lines, result);
            case RETRY -> Future.succeededFuture(new Deferred(result));
        });
    }

    private Future<Sent> refused(List<Line> lines, WriteResult result) {
        if (lines.size() == 1) {
            return Future.succeededFuture(new Delivered(List.of(new Rejected(lines.get(0), result))));
        }
        var named = RefusedLines.find(result.error(), lines.stream().map(Line::text).toList());
        if (!named.isEmpty()) {
            var rejected = new ArrayList<Rejected>();
            var rest = new ArrayList<Line>();
            for (int i = 0; i < lines.size(); i++) {
                if (named.get(i)) {
                    rejected.add(new Rejected(lines.get(i), result));
                } else {
                    rest.add(lines.get(i));
                }
            }
            Sent these = new Delivered(rejected);
            return rest.isEmpty() ? Future.succeededFuture(these) : write(rest).map(others -> merge(these, others));
        }
        var left = lines.subList(0, lines.size() / 2);
        var right = lines.subList(lines.size() / 2, lines.size());
        return write(left).compose(l -> l instanceof Deferred ? Future.succeededFuture(l) : write(right).map(r -> merge(l, r)));
    }

    private static Sent merge(Sent first, Sent second) {
        if (!(first instanceof Delivered a) || !(second instanceof Delivered b)) {
            return first instanceof Deferred ? first : second;
        }
        var all = new ArrayList<>(a.rejected());
        all.addAll(b.rejected());
        return new Delivered(all);
    }

    /** Files the refused and unreadable entries in the dead-letter file, then takes what was sent off the queue. */
    private Future<Void> settle(BatchQueue.Taken taken, List<Batch> unreadable, int total, List<Rejected> rejected) {
        return io.executeBlocking(() -> {
            for (var batch : unreadable) {
                deadLetter.append(batch.source(), "unreadable queue entry of " + batch.lines().length + " bytes",
                        List.of(new String(batch.lines(), StandardCharsets.ISO_8859_1).replace('\n', ' ')));
            }
            var groups = new LinkedHashMap<List<String>, List<String>>();
            for (var r : rejected) {
                groups.computeIfAbsent(List.of(r.line().source(), r.result().toString()), k -> new ArrayList<>()).add(r.line().text());
            }
            for (var group : groups.entrySet()) {
                deadLetter.append(group.getKey().get(0), "refused by InfluxDB: " + group.getKey().get(1), group.getValue());
            }
            queue.remove(taken);
            return null;
        }).map(v -> {
            stats.pointsWritten.addAndGet(total - rejected.size());
            stats.pointsRejected.addAndGet(rejected.size());
            if (!rejected.isEmpty()) {
                log.warn("InfluxDB refused {} of {} points ({}); they are in {}", rejected.size(), total,
                        rejected.get(0).result(), deadLetter.file());
            }
            recovered();
            return null;
        });
    }

    private void retryLater(WriteResult result) {
        stats.writesFailed.incrementAndGet();
        failures++;
        state = State.WAITING;
        if (result.status() == 404 && config.influx().api() == Api.V1 && config.influx().createDatabase() && !createTried) {
            createTried = true;
            writer.createDatabase().onComplete(ar -> {
                if (state == State.STOPPED) {
                    return;
                }
                if (ar.result().written()) {
                    log.info("created database {} on {}", config.influx().database(), config.influx().url());
                    failures = 0;
                    state = State.IDLE;
                    drain();
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
        long held = queue.diskPoints() + queue.memoryPoints();
        if (failures == 1) {
            lastDownLog = now;
            log.warn("cannot write to InfluxDB {}: {}; holding {} points in {} and retrying (every {} s at most)",
                    config.influx(), result, held, config.queueDir(), config.retryMaxMs() / 1000.0);
        } else if (now - lastDownLog >= STILL_DOWN_LOG_MS) {
            lastDownLog = now;
            log.warn("InfluxDB {} still unavailable after {} attempts: {}; {} points waiting in {}", config.influx(),
                    failures, result, held, config.queueDir());
        } else {
            log.debug("write failed ({}), retry {} in {} ms", result, failures, delay);
        }
        retryTimer = vertx.setTimer(delay, id -> {
            retryTimer = -1;
            if (state == State.WAITING) {
                state = State.IDLE;
                drain();
            }
        });
    }

    private void recovered() {
        createTried = false;
        if (failures > 0) {
            log.info("InfluxDB {} takes writes again after {} failed attempts; {} points still queued", config.influx(),
                    failures, queue.diskPoints() + queue.memoryPoints());
            failures = 0;
        }
    }

    private static Buffer join(List<Line> lines) {
        var text = new StringBuilder(lines.size() * 200);
        for (var line : lines) {
            text.append(line.text()).append('\n');
        }
        return Buffer.buffer(text.toString());
    }

    /** Stops for good: no further sends or retries. */
    void stop() {
        state = State.STOPPED;
        vertx.cancelTimer(retryTimer);
        writer.close();
    }
}
