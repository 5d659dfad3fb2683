package dev.llama.api;

import dev.llama.config.ApiOptions;
import dev.llama.localize.Localizer;
import dev.llama.localize.Suspect;
import dev.llama.localize.Topology;
import dev.llama.metrics.LlamaMetrics;
import dev.llama.registry.NodeRegistry;
import dev.llama.summary.Addresses;
import dev.llama.summary.PairSummary;
import dev.llama.summary.SummaryCodec;
import dev.llama.summary.SummaryReceiver;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Meter;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.json.JsonObject;
import io.vertx.core.net.PemKeyCertOptions;
import io.vertx.ext.healthchecks.HealthChecks;
import io.vertx.ext.healthchecks.Status;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.handler.StaticHandler;
import io.vertx.ext.web.healthchecks.HealthCheckHandler;
import io.vertx.micrometer.PrometheusScrapingHandler;
import io.vertx.spi.cluster.hazelcast.ClusterHealthCheck;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.function.BooleanSupplier;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The HTTP API: the original's {@code /status} and {@code /influxdata}, the full summaries, and on a
 * cluster node the whole cluster's matrix, its nodes and each pair's recent history, plus
 * {@code /health} and {@code /readiness}, the web page at {@code /} with its live feed
 * {@code /api/v1/events} (Server-Sent Events), and {@code /metrics}. It serves what collectors publish on
 * {@link Addresses#SUMMARIES}, from this JVM or, clustered, from every node: nothing is asked
 * of collectors one by one. {@link ApiOptions} sets its protections: optional bearer tokens and TLS,
 * the {@code Host} names it answers, and its connection limits.
 */
public class ApiVerticle extends VerticleBase {
    private static final Logger log = LoggerFactory.getLogger(ApiVerticle.class);

    private final InetSocketAddress bind;
    private final NodeRegistry registry;
    private final BooleanSupplier rolesReady;
    private final ApiOptions options;
    private final Matrix matrix;
    private final SummaryReceiver receiver = new SummaryReceiver("api");
    private final EventFeed events;
    private final DataEndpoints data;
    private final List<Meter> meters = new ArrayList<>();
    private ConnectionGuard connections;
    private BearerAuth auth;
    private PairMetrics pairMetrics;
    private final FaultBoard faultBoard;
    private Function<List<PairSummary>, List<Suspect>> localizer;
    private FaultService faults;
    private long keepAlive = -1;
    private HttpServer server;

    /** The API of a single collector process. */
    public ApiVerticle(InetSocketAddress bind) {
        this(bind, ApiOptions.defaults());
    }

    /** The API of a single collector process, with its protections. */
    public ApiVerticle(InetSocketAddress bind, ApiOptions options) {
        this(bind, null, 60, () -> true, options);
    }

    /**
     * The API of a node.
     *
     * @param registry the cluster's nodes, for {@code /api/v1/nodes}; null when there is no registry
     * @param rolesReady whether every role of the node is deployed, for {@code /readiness}
     */
    public ApiVerticle(InetSocketAddress bind, NodeRegistry registry, int historyMinutes, BooleanSupplier rolesReady) {
        this(bind, registry, historyMinutes, rolesReady, ApiOptions.defaults());
    }

    /** The API of a node, with its protections. */
    public ApiVerticle(InetSocketAddress bind, NodeRegistry registry, int historyMinutes, BooleanSupplier rolesReady,
            ApiOptions options) {
        this.bind = bind;
        this.registry = registry;
        this.rolesReady = rolesReady;
        this.options = options;
        this.matrix = new Matrix(historyMinutes * 60_000L);
        this.events = new EventFeed(options.maxEventListeners());
        this.data = new DataEndpoints(matrix, registry);
        this.faultBoard = new FaultBoard(historyMinutes * 60_000L);
        this.localizer = new Localizer(new Topology(options.localizeLevels()))::localize;
    }

    /** Replaces the fault localizer (before deployment), so tests can name suspects of their choosing. */
    ApiVerticle localizer(Function<List<PairSummary>, List<Suspect>> replacement) {
        this.localizer = replacement;
        return this;
    }

    @Override
    public Future<?> start() {
        connections = new ConnectionGuard(vertx, options.maxConnections(), options.headerTimeoutSeconds() * 1000L);
        pairMetrics = new PairMetrics(LlamaMetrics.registry(), options.metricsPairs());
        faults = new FaultService(vertx, localizer, matrix, faultBoard, LlamaMetrics.registry(),
                () -> events.broadcast("event: faults\ndata: {}\n\n"));
        registerMeters();
        keepAlive = vertx.setPeriodic(EventFeed.KEEP_ALIVE_MS, id -> events.keepAlive());
        SummaryCodec.register(vertx.eventBus());
        return loadTokens()
                .compose(v -> vertx.eventBus().<Object>consumer(Addresses.SUMMARIES, msg -> accept(msg.body())).completion())
                .compose(v -> faults.start())
                .compose(v -> listen())
                .onSuccess(s -> {
                    String scheme = options.tlsCert() != null ? "https" : "http";
                    log.info("API listening on {}://{}:{}/ (the matrix page; also /influxdata, /api/v1/summaries, /metrics)",
                            scheme, bind.getAddress().getHostAddress(), s.actualPort());
                    var a = bind.getAddress();
                    if (auth == null && !a.isLoopbackAddress()) {
                        log.warn("API on {} is reachable from other hosts and has no bearer tokens (api.tokens_file):"
                                + " anyone who can connect reads the measurements", a.isAnyLocalAddress() ? "every address" : a.getHostAddress());
                    }
                });
    }

    private Future<Void> loadTokens() {
        if (!options.tokensOn()) {
            return Future.succeededFuture();
        }
        return vertx.fileSystem().readFile(options.tokensFile().toString())
                .map(file -> BearerAuth.parse(file, !options.metricsTokenRequired()))
                .onSuccess(a -> auth = a)
                .<Void>mapEmpty()
                .recover(err -> Future.failedFuture("API tokens file " + options.tokensFile() + ": " + err.getMessage()));
    }

    private void registerMeters() {
        var registry = LlamaMetrics.registry();
        meters.add(FunctionCounter.builder("llama.summaries.rejected", receiver, SummaryReceiver::rejected)
                .description("Summary sets received on the event bus that failed validation").register(registry));
        meters.add(FunctionCounter.builder("llama.api.connections.refused", connections, ConnectionGuard::refused)
                .description("API connections closed on arrival because api.max_connections were open").register(registry));
        meters.add(FunctionCounter.builder("llama.api.header.timeouts", connections, ConnectionGuard::timedOut)
                .description("API connections closed for not sending a request head in time").register(registry));
        meters.add(Gauge.builder("llama.api.connections", connections, ConnectionGuard::open)
                .description("API connections open").register(registry));
        meters.add(FunctionCounter.builder("llama.api.auth.failures", this, v -> v.auth == null ? 0 : v.auth.failures())
                .description("API requests refused for a missing or wrong bearer token").register(registry));
        meters.add(FunctionCounter.builder("llama.api.events.refused", events, EventFeed::refused)
                .description("Event streams refused because api.max_event_listeners were open").register(registry));
    }

    /**
     * Idle timeout and connection cap from the options; request head limits are Vert.x's defaults
     * (request line 4,096 bytes, headers 8,192 bytes: over them, 414 or 431 and the connection closed);
     * HTTP/1.1 only (no h2c), so one connection has at most one response in progress.
     */
    HttpServerOptions serverOptions() {
        var http = new HttpServerOptions()
                .setIdleTimeout(options.idleTimeoutSeconds())
                .setHttp2ClearTextEnabled(false)
                .setMaxInitialLineLength(HttpServerOptions.DEFAULT_MAX_INITIAL_LINE_LENGTH)
                .setMaxHeaderSize(HttpServerOptions.DEFAULT_MAX_HEADER_SIZE);
        if (options.tlsCert() != null) {
            http.setSsl(true).setKeyCertOptions(new PemKeyCertOptions()
                    .setCertPath(options.tlsCert().toString()).setKeyPath(options.tlsKey().toString()));
        }
        return http;
    }

    private Future<HttpServer> listen() {
        return vertx.createHttpServer(serverOptions())
                .connectionHandler(connections.connectionHandler())
                .requestHandler(router())
                .listen(bind.getPort(), bind.getAddress().getHostAddress())
                .onSuccess(s -> server = s)
                .recover(err -> Future.failedFuture("API cannot listen on " + bind + ": " + err.getMessage()));
    }

    /** The port the API listens on (useful when it was asked for port 0). */
    public int port() {
        return server.actualPort();
    }

    @Override
    public Future<?> stop() {
        vertx.cancelTimer(keepAlive);
        events.close();
        if (pairMetrics != null) {
            pairMetrics.close();
        }
        if (faults != null) {
            faults.close();
        }
        meters.forEach(LlamaMetrics.registry()::remove);
        return Future.succeededFuture();
    }

    private void accept(Object body) {
        long now = System.currentTimeMillis();
        var set = receiver.receive(body, now);
        if (set == null) {
            return;
        }
        matrix.accept(set);
        data.cache().clear();
        pairMetrics.accept(set, now);
        faults.setArrived();
        var event = new JsonObject().put("collector", set.collector()).put("interval_end", set.intervalEnd().toString())
                .put("pairs", set.pairs().size());
        events.broadcast("event: summary\ndata: " + event.encode() + "\n\n");
    }

    /** Summary sets this node received and accepted, and those it rejected as invalid. */
    public SummaryReceiver receiver() {
        return receiver;
    }

    Router router() {
        var router = Router.router(vertx);
        router.route().handler(RequestGuard::securityHeaders);
        router.route().handler(connections::requestBegins);
        router.route().handler(connections::refuseBodies);
        router.route().handler(new HostCheck(bind.getAddress(), options.allowedHosts())::handle);
        if (auth != null) {
            router.route().handler(auth::handle);
        }
        router.route().handler(RequestGuard::backpressure);
        router.get("/status").handler(data::status);
        router.get("/influxdata").handler(data::influxdata);
        router.get("/api/v1/summaries").handler(data::summaries);
        router.get("/api/v1/matrix").handler(data::matrix);
        router.get("/api/v1/nodes").handler(data::nodes);
        router.get("/api/v1/pairs/:src/:dst").handler(data::pairs);
        router.get("/api/v1/faults").handler(new FaultEndpoints(faultBoard)::faults);
        router.get("/health").handler(ctx -> Responses.json(ctx, 200, new JsonObject().put("status", "UP").encode()));
        router.get("/readiness").handler(HealthCheckHandler.createWithHealthChecks(readinessChecks()));
        router.get("/api/v1/events").handler(events::handle);
        router.get("/metrics").handler(PrometheusScrapingHandler.create(LlamaMetrics.registry()));
        router.get("/*").handler(StaticHandler.create("webroot").setCachingEnabled(false));
        return router;
    }

    private HealthChecks readinessChecks() {
        var checks = HealthChecks.create(vertx);
        checks.register("roles", promise -> promise.complete(rolesReady.getAsBoolean() ? Status.OK()
                : Status.KO(new JsonObject().put("reason", "roles still deploying"))));
        if (vertx.isClustered()) {
            checks.register("cluster", ClusterHealthCheck.createProcedure(vertx));
        }
        return checks;
    }

    /** Connections open now, and those closed on arrival or for a slow request head so far, for tests. */
    long[] connectionCounts() {
        return new long[] {connections.open(), connections.refused(), connections.timedOut()};
    }

    /** The bodies built for the large answers so far (cache misses), for tests. */
    long bodiesBuilt() {
        return data.cache().builds();
    }
}
