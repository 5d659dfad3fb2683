package dev.llama.collector;

import dev.llama.config.ApiOptions;
import dev.llama.config.CollectorConfig;
import dev.llama.config.ConfigException;
import dev.llama.config.ConfigParser;
import dev.llama.metrics.LlamaMetrics;
import dev.llama.net.UdpTransport;
import dev.llama.summary.Addresses;
import dev.llama.summary.SummaryCodec;
import dev.llama.summary.SummarySet;
import io.netty.channel.EventLoopGroup;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.json.JsonObject;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The collector role, compatible with the original's collector: probes the configured targets and, at every wall-clock
 * multiple of the summary interval, publishes a {@link SummarySet} on {@link Addresses#SUMMARIES}.
 *
 * <p>The configuration is re-read on {@link Addresses#RELOAD} (sent on SIGHUP) and when the file changes; a
 * valid one replaces the tests without losing results, an invalid one is logged once and ignored. Reloads
 * run one at a time; requests during one coalesce into a single re-read after it, so exactly one engine,
 * the newest configuration's, keeps probing.
 */
public class CollectorVerticle extends VerticleBase {
    private static final Logger log = LoggerFactory.getLogger(CollectorVerticle.class);

    private final CollectorOptions options;
    private final CollectorStats stats = new CollectorStats();
    private final List<Summarizer.Part> leftovers = new ArrayList<>();
    private EventLoopGroup group;
    private final ReloadQueue reloads = new ReloadQueue(this::reload);
    private ConfigFile file;
    private long scanTimer = -1;
    private ProbeEngine engine;
    private long intervalStart;
    private long timerId = -1;
    private long reloadsRejected;
    private SummaryOutbox outbox;

    public CollectorVerticle(CollectorOptions options) {
        this.options = options;
    }

    @Override
    public Future<?> start() {
        dev.llama.net.NativeUdp.logChoice();
        group = UdpTransport.newGroup(1, "llama-collector");
        intervalStart = System.currentTimeMillis();
        SummaryCodec.register(vertx.eventBus());
        return readConfig()
                .compose(this::startEngine)
                .compose(this::listenForReloads)
                .onSuccess(v -> {
                    LlamaMetrics.registry(vertx).ifPresent(stats.named(options.collectorId())::bindTo);
                    scheduleSummary(intervalStart);
                })
                .recover(err -> shutdown().transform(ignored -> Future.failedFuture(err)));
    }

    @Override
    public Future<?> stop() {
        return shutdown();
    }

    private Future<Void> shutdown() {
        stats.close();
        vertx.cancelTimer(timerId);
        if (outbox != null) {
            outbox.close();
        }
        vertx.cancelTimer(scanTimer);
        Future<Void> closed = engine == null ? Future.succeededFuture() : engine.close(context);
        return closed.eventually(() -> UdpTransport.toFuture(group.shutdownGracefully(0, 1, TimeUnit.SECONDS), context)).mapEmpty();
    }

    private Future<CollectorConfig> readConfig() {
        if (options.configPath() == null) {
            var json = options.inlineConfig() != null ? options.inlineConfig() : ConfigParser.defaultJson();
            return parse(json);
        }
        file = new ConfigFile(vertx, options.configPath());
        return file.read().compose(this::parse);
    }

    private Future<CollectorConfig> parse(JsonObject json) {
        try {
            var config = ConfigParser.parse(json, options.dstPort());
            // a collector file must probe something; a node's discovered targets may be none yet
            return Future.succeededFuture(options.configPath() != null ? ConfigParser.requireTargets(config) : config);
        } catch (ConfigException e) {
            return Future.failedFuture(e);
        }
    }

    private Future<Void> startEngine(CollectorConfig config) {
        return new ProbeEngine(config, group.next(), stats, options.padding()).start(context)
                .onSuccess(started -> {
                    engine = started;
                    int tests = config.tests().size();
                    log.info("collector {} probing: {} {}, {}, summaries every {} s", options.collectorId(),
                            tests, tests == 1 ? "test" : "tests", started.describe(), config.interval());
                })
                .mapEmpty();
    }

    private Future<Void> listenForReloads(Void unused) {
        if (file != null) {
            scanTimer = vertx.setPeriodic(options.scanPeriodMs(), id -> file.changed()
                    .onSuccess(changed -> {
                        if (changed) {
                            reloads.request(new ReloadQueue.Request("file changed", null));
                        }
                    }));
        }
        if (options.deliver()) {
            outbox = new SummaryOutbox(vertx, Addresses.SCRAPE, options.collectorId());
        }
        return vertx.eventBus().<Object>localConsumer(Addresses.RELOAD, msg -> reloadRequested()).completion()
                .compose(v -> vertx.eventBus().<JsonObject>localConsumer(Addresses.TARGETS,
                        msg -> reloads.request(new ReloadQueue.Request("targets changed", msg.body()))).completion());
    }

    private void reloadRequested() {
        if (file == null) {
            log.info("reload requested, but this collector runs a built-in configuration");
            return;
        }
        reloads.request(new ReloadQueue.Request("reload requested", null));
    }

    /** One reload, run by {@link #reloads}: done once the new engine probes (the old one retires on its own). */
    private Future<Void> reload(ReloadQueue.Request request) {
        String why = request.why();
        Future<JsonObject> json = request.json() != null ? Future.succeededFuture(request.json()) : file.read();
        return json.compose(this::parse)
                .compose(config -> {
                    // with auth_keys, a reload re-reads the key file: how keys rotate without a restart
                    if (config.equals(engine.config) && config.authKeys() == null) {
                        log.info("{}: configuration unchanged", why);
                        return Future.<Void>succeededFuture();
                    }
                    if (!config.apiBind().equals(engine.config.apiBind())) {
                        log.warn("{}: api.bind changed to {}; the API keeps its address until restart", why, config.apiBind());
                    }
                    var old = engine;
                    return startEngine(config).onSuccess(v -> {
                        log.info("{}: new configuration running; retiring the old one", why);
                        retire(old);
                    });
                })
                .recover(err -> {
                    rejectReload(ConfigFile.firstLine(err));
                    return Future.succeededFuture();
                });
    }

    private void rejectReload(String reason) {
        reloadsRejected++;
        log.error("configuration rejected, the running one stays: {}", reason);
    }

    /** Lets the old engine's probes in flight resolve, then keeps its results for the next summary. */
    private void retire(ProbeEngine old) {
        old.stopSending(context)
                .compose(v -> vertx.timer(old.drainMillis()))
                .compose(v -> old.snapshot(context))
                .onSuccess(acc -> leftovers.add(new Summarizer.Part(old.paths(), acc)))
                .eventually(() -> old.close(context))
                .onFailure(err -> log.error("retiring the old configuration failed", err));
    }

    /** Schedules the summary at the next wall-clock multiple of the interval after {@code notBefore}. */
    private void scheduleSummary(long notBefore) {
        long intervalMs = engine.config.interval() * 1000L;
        long now = System.currentTimeMillis();
        long boundary = (Math.max(now, notBefore) / intervalMs + 1) * intervalMs;
        timerId = vertx.setTimer(Math.max(1, boundary - now), id -> summarize(boundary));
    }

    private void summarize(long boundary) {
        var current = engine;
        var parts = new ArrayList<>(leftovers);
        leftovers.clear();
        long start = intervalStart;
        intervalStart = boundary;
        scheduleSummary(boundary);
        current.snapshot(context)
                .compose(acc -> {
                    parts.add(new Summarizer.Part(current.paths(), acc));
                    return vertx.executeBlocking(() -> {
                        var pairs = Summarizer.summarize(parts);
                        current.recycle(acc);
                        return pairs;
                    });
                })
                .onSuccess(pairs -> publish(new SummarySet(SummarySet.VERSION, options.collectorId(), current.config.interval(),
                        Instant.ofEpochMilli(start), Instant.ofEpochMilli(boundary), counterMap(), pairs)))
                .onFailure(err -> log.error("summary for the interval ending {} failed", Instant.ofEpochMilli(boundary), err));
    }

    private void publish(SummarySet set) {
        SummaryLog.log(set);
        vertx.eventBus().publish(Addresses.SUMMARIES, set);
        if (outbox != null) {
            outbox.offer(set);
        }
    }

    /** Where the running configuration's API listens ({@code api.bind}); valid once deployed. */
    public java.net.InetSocketAddress apiBind() {
        return engine.config.apiBind();
    }

    /** The protections of the running configuration's API ({@code api.*}); valid once deployed. */
    public ApiOptions apiOptions() {
        return engine.config.api();
    }

    /** Local UDP ports of the running configuration's sockets. */
    /** The event loop that sends the probes and matches the replies (one thread). */
    io.netty.channel.EventLoop probeLoop() {
        return group.next();
    }

    public List<Integer> localPorts() {
        return engine.localPorts();
    }

    /** Lifetime counters (probes sent and resolved, replies invalid, unmatched, late, duplicate). */
    public JsonObject counters() {
        return new JsonObject(new java.util.LinkedHashMap<>(counterMap()));
    }

    private java.util.Map<String, Long> counterMap() {
        var map = stats.toMap();
        map.put("reloads_rejected", reloadsRejected);
        map.put("reloads_coalesced", reloads.coalesced());
        return map;
    }
}
