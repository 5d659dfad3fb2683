package dev.llama.scraper;

import dev.llama.scraper.ScraperConfig.Endpoint;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClientAgent;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpClientResponse;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.RequestOptions;
import java.io.IOException;
import java.time.Instant;
import java.util.HashSet;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Pulls {@code /influxdata?fields=all} from every collector, in parallel, at each multiple of the
 * interval (plus the configured offset), and hands each answer to a {@link Sink}. Once points from a
 * collector are queued it asks {@code since} their time ({@link PullState}), so intervals missed while
 * this scraper was down or the collector unreachable come with the next answer; the original collector
 * ignores the parameter and answers its newest set. An answer must come whole within the collector
 * timeout and be at most {@link #MAX_SCRAPE_BYTES}; a collector that fails is logged once, and once more
 * when it answers again.
 */
final class Puller {
    /** A collector's answer larger than this is refused (10,000 pairs take about 5 MB). */
    static final int MAX_SCRAPE_BYTES = 64 << 20;
    private static final Logger log = LoggerFactory.getLogger(Puller.class);

    /** Where answers go. */
    interface Sink {
        /** Takes a collector's answer and says what became of it. */
        Future<Taken> pulled(Endpoint collector, Buffer body);
    }

    /**
     * What became of an answer.
     *
     * @param readable false when it is not the JSON array of points it must be
     * @param resumeAfter where the next pull resumes ({@link PullState#resumeAfter}) once the points are
     *                    queued; null when they are not, or none has a real time
     */
    record Taken(boolean readable, Instant resumeAfter) {
    }

    /** An answer over {@link #MAX_SCRAPE_BYTES}. */
    private static final class TooLarge extends IOException {
        TooLarge() {
            super("answer larger than " + (MAX_SCRAPE_BYTES >> 20) + " MB");
        }
    }

    private final Vertx vertx;
    private final ScraperConfig config;
    private final ScraperStats stats;
    private final Sink sink;
    private final HttpClientAgent http;
    private final Set<Endpoint> failing = new HashSet<>();
    private PullState state;
    private boolean saveFailing;
    private long timer = -1;
    private boolean stopped;

    Puller(Vertx vertx, ScraperConfig config, ScraperStats stats, Sink sink) {
        this.vertx = vertx;
        this.config = config;
        this.stats = stats;
        this.sink = sink;
        this.http = vertx.createHttpClient(new HttpClientOptions().setKeepAlive(true));
    }

    /** Reads where each collector's pulls resume, then schedules the first pull; called on the verticle's context. */
    void start() {
        if (config.collectors().isEmpty()) {
            return;
        }
        vertx.executeBlocking(() -> PullState.load(config.queueDir(), config.collectors())).onComplete(ar -> {
            state = ar.succeeded() ? ar.result() : PullState.empty(config.queueDir());
            schedule();
        });
    }

    private void schedule() {
        if (stopped) {
            return;
        }
        long period = config.interval() * 1000L;
        long now = System.currentTimeMillis();
        long next = (now / period + 1) * period + config.scrapeOffsetMs();
        if (next - period > now) {
            next -= period;
        }
        timer = vertx.setTimer(next - now, id -> {
            config.collectors().forEach(this::pull);
            schedule();
        });
    }

    /** A cursor in the future (a clock that went back, a collector's clock ahead) is not asked for. */
    private void pull(Endpoint collector) {
        Instant since = state.cursor(collector);
        boolean resume = since != null && since.toEpochMilli() < System.currentTimeMillis();
        fetch(collector, "/influxdata?fields=all" + (resume ? "&since=" + since : ""))
                .compose(body -> sink.pulled(collector, body))
                .onSuccess(taken -> {
                    if (!taken.readable()) {
                        failed(collector, "its answer is not a JSON array");
                        return;
                    }
                    if (failing.remove(collector)) {
                        log.info("collector {} answers again", collector);
                    }
                    if (taken.resumeAfter() != null) {
                        save(state.put(collector, taken.resumeAfter()));
                    }
                })
                .onFailure(err -> {
                    if (err instanceof TooLarge && resume) {
                        log.warn("collector {} has more summaries since {} than one answer may hold; pulling its newest only", collector, since);
                        save(state.put(collector, null));
                    }
                    failed(collector, String.valueOf(err.getMessage()));
                });
    }

    /** Ordered: the file's last version is the newest state. */
    private void save(String content) {
        var current = state;
        vertx.executeBlocking(() -> {
            current.save(content);
            return null;
        }, true).onComplete(ar -> {
            if (ar.failed() && !saveFailing) {
                log.warn("cannot save where pulls resume in {}: {} (pulls after a restart start from the newest summary)",
                        config.queueDir().resolve(PullState.FILE), ar.cause().toString());
            } else if (ar.succeeded() && saveFailing) {
                log.info("saving where pulls resume works again");
            }
            saveFailing = ar.failed();
        });
    }

    private void failed(Endpoint collector, String why) {
        stats.scrapesFailed.incrementAndGet();
        if (failing.add(collector)) {
            log.warn("skipped collector {}: {} (logged again when it answers)", collector, why);
        } else {
            log.debug("skipped collector {} again: {}", collector, why);
        }
    }

    /**
     * GETs the points. The client's request timeout bounds connecting and each silence; the whole answer
     * must also come within the same time, or the request is reset.
     */
    private Future<Buffer> fetch(Endpoint collector, String path) {
        long timeout = config.collectorTimeoutMs();
        var options = new RequestOptions().setMethod(HttpMethod.GET)
                .setAbsoluteURI(collector.url(path))
                .setTimeout(timeout);
        return http.request(options).compose(request -> request.send()
                .compose(Puller::body)
                .timeout(timeout, TimeUnit.MILLISECONDS)
                .recover(err -> {
                    request.reset();
                    return Future.failedFuture(err instanceof TimeoutException
                            ? new IOException("no complete answer within " + timeout + " ms") : err);
                }));
    }

    private static Future<Buffer> body(HttpClientResponse response) {
        if (response.statusCode() != 200) {
            return Future.failedFuture("HTTP " + response.statusCode() + " " + response.statusMessage());
        }
        Promise<Buffer> promise = Promise.promise();
        Buffer body = Buffer.buffer();
        response.handler(chunk -> {
            if (body.length() + chunk.length() > MAX_SCRAPE_BYTES) {
                promise.tryFail(new TooLarge());
            } else if (!promise.future().isComplete()) {
                body.appendBuffer(chunk);
            }
        });
        response.exceptionHandler(promise::tryFail);
        response.endHandler(v -> promise.tryComplete(body));
        return promise.future();
    }

    void stop() {
        stopped = true;
        vertx.cancelTimer(timer);
        http.close();
    }
}
