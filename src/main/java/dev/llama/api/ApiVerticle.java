package dev.llama.api;

import dev.llama.config.IpLiteral;
import dev.llama.metrics.LlamaMetrics;
import dev.llama.net.InetText;
import dev.llama.registry.NodeRegistry;
import dev.llama.summary.Addresses;
import dev.llama.summary.InfluxPoints;
import dev.llama.summary.PairSummary;
import dev.llama.summary.SummaryCodec;
import dev.llama.summary.SummaryJson;
import dev.llama.summary.SummaryReceiver;
import dev.llama.summary.SummarySet;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Meter;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.healthchecks.HealthChecks;
import io.vertx.ext.healthchecks.Status;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.StaticHandler;
import io.vertx.ext.web.healthchecks.HealthCheckHandler;
import io.vertx.micrometer.PrometheusScrapingHandler;
import io.vertx.spi.cluster.hazelcast.ClusterHealthCheck;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.Instant;
import java.util.LinkedHashSet;
import java.util.Set;
import java.util.function.BooleanSupplier;
import java.util.function.Predicate;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The HTTP API: the original's {@code /status} and {@code /influxdata}, the full summaries, and on a
 * cluster node the whole cluster's matrix, its nodes and each pair's recent history, plus
 * {@code /health} and {@code /readiness}, the web page at {@code /} with its live feed
 * {@code /api/v1/events} (Server-Sent Events), and {@code /metrics}. It serves what collectors publish on
 * {@link Addresses#SUMMARIES}, from this JVM or, clustered, from every node: nothing is asked
 * of collectors one by one.
 */
public class ApiVerticle extends VerticleBase {
    private static final Logger log = LoggerFactory.getLogger(ApiVerticle.class);
    private static final Set<String> SUMMARY_PARAMS = Set.of("src", "dst");

    private static final Pattern FILTER = Pattern.compile("(src|dst)\\.([A-Za-z0-9_]{1,64})");

    private final InetSocketAddress bind;
    private final NodeRegistry registry;
    private final BooleanSupplier rolesReady;
    private final Matrix matrix;
    private final SummaryReceiver receiver = new SummaryReceiver("api");
    private final Set<HttpServerResponse> listeners = new LinkedHashSet<>();
    private PairMetrics pairMetrics;
    private Meter rejectedMeter;
    private long keepAlive = -1;
    private HttpServer server;

    /** The API of a single collector process. */
    public ApiVerticle(InetSocketAddress bind) {
        this(bind, null, 60, () -> true);
    }

    /**
     * The API of a node.
     *
     * @param registry the cluster's nodes, for {@code /api/v1/nodes}; null when there is no registry
     * @param rolesReady whether every role of the node is deployed, for {@code /readiness}
     */
    public ApiVerticle(InetSocketAddress bind, NodeRegistry registry, int historyMinutes, BooleanSupplier rolesReady) {
        this.bind = bind;
        this.registry = registry;
        this.rolesReady = rolesReady;
        this.matrix = new Matrix(historyMinutes * 60_000L);
    }

    @Override
    public Future<?> start() {
        pairMetrics = new PairMetrics(LlamaMetrics.registry(), PairMetrics.DEFAULT_MAX_PAIRS);
        rejectedMeter = FunctionCounter.builder("llama.summaries.rejected", receiver, SummaryReceiver::rejected)
                .description("Summary sets received on the event bus that failed validation").register(LlamaMetrics.registry());
        keepAlive = vertx.setPeriodic(15_000, id -> broadcast(": keep-alive\n\n"));
        SummaryCodec.register(vertx.eventBus());
        return vertx.eventBus().<Object>consumer(Addresses.SUMMARIES, msg -> accept(msg.body()))
                .completion()
                .compose(v -> listen())
                .onSuccess(s -> log.info("API listening on http://{}:{}/ (the matrix page; also /influxdata, /api/v1/summaries, /metrics)",
                        bind.getAddress().getHostAddress(), s.actualPort()));
    }

    private Future<HttpServer> listen() {
        return vertx.createHttpServer()
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
        listeners.forEach(HttpServerResponse::end);
        listeners.clear();
        if (pairMetrics != null) {
            pairMetrics.close();
            LlamaMetrics.registry().remove(rejectedMeter);
        }
        return Future.succeededFuture();
    }

    private void accept(Object body) {
        long now = System.currentTimeMillis();
        var set = receiver.receive(body, now);
        if (set == null) {
            return;
        }
        matrix.accept(set);
        pairMetrics.accept(set, now);
        var event = new JsonObject().put("collector", set.collector()).put("interval_end", set.intervalEnd().toString())
                .put("pairs", set.pairs().size());
        broadcast("event: summary\ndata: " + event.encode() + "\n\n");
    }

    /** Summary sets this node received and accepted, and those it rejected as invalid. */
    public SummaryReceiver receiver() {
        return receiver;
    }

    /** Sends to every page listening; a page that cannot keep up misses events rather than piling them up here. */
    private void broadcast(String text) {
        for (var response : listeners) {
            if (!response.writeQueueFull()) {
                response.write(text);
            }
        }
    }

    /**
     * {@code /api/v1/events}: Server-Sent Events, one {@code summary} event per summary set this node
     * receives, so pages refresh when there is something new instead of polling.
     */
    private void events(RoutingContext ctx) {
        var response = ctx.response();
        response.setChunked(true)
                .putHeader("content-type", "text/event-stream; charset=utf-8")
                .putHeader("cache-control", "no-cache")
                .write("retry: 3000\n: llama summary events\n\n");
        listeners.add(response);
        response.closeHandler(v -> listeners.remove(response));
        response.exceptionHandler(err -> listeners.remove(response));
    }

    Router router() {
        var router = Router.router(vertx);
        router.get("/status").handler(this::status);
        router.get("/influxdata").handler(this::influxdata);
        router.get("/api/v1/summaries").handler(this::summaries);
        router.get("/api/v1/matrix").handler(this::matrix);
        router.get("/api/v1/nodes").handler(this::nodes);
        router.get("/api/v1/pairs/:src/:dst").handler(this::pairs);
        router.get("/health").handler(this::health);
        router.get("/readiness").handler(HealthCheckHandler.createWithHealthChecks(readinessChecks()));
        router.get("/api/v1/events").handler(this::events);
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

    private void health(RoutingContext ctx) {
        json(ctx, 200, new JsonObject().put("status", "UP").encode());
    }

    private void matrix(RoutingContext ctx) {
        Predicate<Matrix.Row> keep = row -> true;
        for (String name : ctx.queryParams().names()) {
            var m = FILTER.matcher(name);
            if (!m.matches()) {
                badRequest(ctx, "unknown filter \"" + name + "\": filters are src.<tag>=value or dst.<tag>=value"
                        + " (tags: name, ip, or a node tag such as region)");
                return;
            }
            String side = m.group(1);
            String tag = m.group(2);
            var values = ctx.queryParams().getAll(name);
            keep = keep.and(row -> values.contains(row.attribute(side, tag)));
        }
        var pairs = matrix.pairs(keep, System.currentTimeMillis());
        json(ctx, 200, new JsonObject().put("version", 1).put("generated", Instant.now().toString())
                .put("count", pairs.size()).put("pairs", pairs).encode());
    }

    private void pairs(RoutingContext ctx) {
        String src = ctx.pathParam("src");
        String dst = ctx.pathParam("dst");
        var found = matrix.history(src, dst);
        if (found.isEmpty()) {
            json(ctx, 404, new JsonObject().put("error", "no pair from \"" + src + "\" to \"" + dst
                    + "\" in the last summaries (use node names or IPs)").encode());
            return;
        }
        json(ctx, 200, new JsonObject().put("version", 1).put("pairs", found).encode());
    }

    private void nodes(RoutingContext ctx) {
        if (registry == null) {
            json(ctx, 200, new JsonObject().put("version", 1).put("nodes", new JsonArray()).encode());
            return;
        }
        registry.nodes().onSuccess(list -> {
            var nodes = new JsonArray();
            for (var node : list) {
                var json = node.toJson();
                json.put("started", Instant.ofEpochMilli(node.started()).toString())
                        .put("last_seen", Instant.ofEpochMilli(node.lastSeen()).toString())
                        .put("member", registry.isMember(node.nodeId()));
                nodes.add(json);
            }
            json(ctx, 200, new JsonObject().put("version", 1).put("nodes", nodes).encode());
        }).onFailure(err -> json(ctx, 503, new JsonObject().put("error", "registry unavailable: " + err.getMessage()).encode()));
    }

    private void status(RoutingContext ctx) {
        ctx.response().putHeader("content-type", "text/plain; charset=utf-8").end("ok");
    }

    private void influxdata(RoutingContext ctx) {
        String fields = ctx.queryParams().get("fields");
        if (fields != null && !fields.equals("all") && !fields.equals("original")) {
            badRequest(ctx, "parameter \"fields\" must be \"original\" (rtt, loss, lost, sent) or \"all\", got " + fields);
            return;
        }
        boolean extended = "all".equals(fields);
        var points = new JsonArray();
        long now = System.currentTimeMillis();
        matrix.freshSets(now).forEach(set -> InfluxPoints.points(set, points, extended));
        json(ctx, 200, points.encode());
    }

    private void summaries(RoutingContext ctx) {
        for (String name : ctx.queryParams().names()) {
            if (!SUMMARY_PARAMS.contains(name)) {
                badRequest(ctx, "unknown parameter \"" + name + "\" (known: dst, src)");
                return;
            }
        }
        Predicate<PairSummary> keep = pair -> true;
        for (String side : SUMMARY_PARAMS) {
            String value = ctx.queryParams().get(side);
            if (value == null) {
                continue;
            }
            InetAddress ip = IpLiteral.parse(value);
            if (ip == null) {
                badRequest(ctx, "parameter \"" + side + "\" is not an IP address: " + value);
                return;
            }
            String text = InetText.format(ip);
            keep = keep.and(pair -> text.equals(side.equals("src") ? pair.srcIp() : pair.dstIp()));
        }
        var collectors = new JsonArray();
        long now = System.currentTimeMillis();
        for (var set : matrix.freshSets(now)) {
            collectors.add(SummaryJson.encode(set.withPairs(set.pairs().stream().filter(keep).toList())));
        }
        json(ctx, 200, new JsonObject().put("version", 1).put("collectors", collectors).encode());
    }

    private static void badRequest(RoutingContext ctx, String message) {
        json(ctx, 400, new JsonObject().put("error", message).encode());
    }

    private static void json(RoutingContext ctx, int status, String body) {
        ctx.response().setStatusCode(status).putHeader("content-type", "application/json").end(body);
    }
}
