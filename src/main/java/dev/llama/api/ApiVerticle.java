package dev.llama.api;

import dev.llama.collector.CollectorVerticle;
import dev.llama.config.IpLiteral;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.http.HttpServer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Predicate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The collector's HTTP API: the original's {@code /status} and {@code /influxdata}, and the full
 * summaries under {@code /api/v1}. It serves the newest summary set each collector published on
 * {@link CollectorVerticle#SUMMARIES}.
 */
public class ApiVerticle extends VerticleBase {
    private static final Logger log = LoggerFactory.getLogger(ApiVerticle.class);
    private static final Set<String> SUMMARY_PARAMS = Set.of("src", "dst");

    private final InetSocketAddress bind;
    private final Map<String, JsonObject> latest = new ConcurrentHashMap<>();
    private HttpServer server;

    public ApiVerticle(InetSocketAddress bind) {
        this.bind = bind;
    }

    @Override
    public Future<?> start() {
        return vertx.eventBus().<JsonObject>localConsumer(CollectorVerticle.SUMMARIES,
                        msg -> latest.put(msg.body().getString("collector", ""), msg.body()))
                .completion()
                .compose(v -> listen())
                .onSuccess(s -> log.info("API listening on http://{}:{}/ (try /influxdata, /api/v1/summaries)",
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

    Router router() {
        var router = Router.router(vertx);
        router.get("/status").handler(this::status);
        router.get("/influxdata").handler(this::influxdata);
        router.get("/api/v1/summaries").handler(this::summaries);
        return router;
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
        latest.values().forEach(set -> InfluxData.points(set, points, extended));
        json(ctx, 200, points.encode());
    }

    private void summaries(RoutingContext ctx) {
        for (String name : ctx.queryParams().names()) {
            if (!SUMMARY_PARAMS.contains(name)) {
                badRequest(ctx, "unknown parameter \"" + name + "\" (known: dst, src)");
                return;
            }
        }
        Predicate<JsonObject> keep = pair -> true;
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
            String field = side + "_ip";
            keep = keep.and(pair -> ip.equals(IpLiteral.parse(pair.getString(field))));
        }
        var collectors = new JsonArray();
        for (var set : latest.values()) {
            var filtered = set.copy();
            var pairs = new JsonArray();
            for (Object p : set.getJsonArray("pairs")) {
                if (keep.test((JsonObject) p)) {
                    pairs.add(p);
                }
            }
            collectors.add(filtered.put("pairs", pairs));
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
