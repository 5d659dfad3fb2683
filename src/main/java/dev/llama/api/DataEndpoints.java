package dev.llama.api;

import dev.llama.config.IpLiteral;
import dev.llama.net.InetText;
import dev.llama.registry.NodeRegistry;
import dev.llama.summary.InfluxPoints;
import dev.llama.summary.PairSummary;
import dev.llama.summary.SummaryJson;
import dev.llama.summary.SummarySet;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import java.net.InetAddress;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.List;
import java.util.Set;
import java.util.function.Predicate;
import java.util.regex.Pattern;

/**
 * The API's data: {@code /status}, {@code /influxdata}, {@code /api/v1/summaries}, {@code /api/v1/matrix},
 * {@code /api/v1/pairs/:src/:dst} and {@code /api/v1/nodes}. Unfiltered large answers come from the
 * {@link BodyCache}; with {@code since}, {@code /influxdata} and {@code /api/v1/summaries} show every set
 * the {@link Matrix} keeps that ended after it (several per collector), built per request. Used on the API verticle's event loop.
 */
final class DataEndpoints {
    private static final Pattern FILTER = Pattern.compile("(src|dst)\\.([A-Za-z0-9_]{1,64})");
    private static final List<String> SIDES = List.of("src", "dst");

    private final Matrix matrix;
    private final NodeRegistry registry;
    private final BodyCache cache = new BodyCache();

    DataEndpoints(Matrix matrix, NodeRegistry registry) {
        this.matrix = matrix;
        this.registry = registry;
    }

    BodyCache cache() {
        return cache;
    }

    private Buffer cached(String key, java.util.function.Supplier<Buffer> build) {
        long now = System.currentTimeMillis();
        return cache.get(key, now, matrix.freshSetsChangeAt(now), () -> BodyCache.direct(build.get()));
    }

    void status(RoutingContext ctx) {
        ctx.response().putHeader("content-type", "text/plain; charset=utf-8").end("ok");
    }

    /**
     * The sets an answer shows: with {@code since}, every kept set that ended after it (not cached: few
     * clients ask, each with its own time); otherwise each collector's newest fresh set. Null when
     * {@code since} is not a time, and a 400 has been sent.
     */
    private List<SummarySet> sets(RoutingContext ctx) {
        String since = ctx.queryParams().get("since");
        if (since == null) {
            return matrix.freshSets(System.currentTimeMillis());
        }
        try {
            if (since.length() > 64) {
                throw new DateTimeParseException("too long", since, 64);
            }
            return matrix.since(OffsetDateTime.parse(since).toInstant());
        } catch (DateTimeParseException e) {
            Responses.error(ctx, 400, "parameter \"since\" must be an RFC 3339 time such as 2024-05-01T12:00:00Z, got "
                    + (since.length() > 64 ? since.substring(0, 64) + "…" : since));
            return null;
        }
    }

    void influxdata(RoutingContext ctx) {
        if (!Params.check(ctx, Set.of("fields", "since"))) {
            return;
        }
        String fields = ctx.queryParams().get("fields");
        if (fields != null && !fields.equals("all") && !fields.equals("original")) {
            Responses.error(ctx, 400, "parameter \"fields\" must be \"original\" (rtt, loss, lost, sent) or \"all\", got " + fields);
            return;
        }
        boolean extended = "all".equals(fields);
        if (ctx.queryParams().contains("since")) {
            var sets = sets(ctx);
            if (sets != null) {
                Responses.json(ctx, 200, points(sets, extended));
            }
            return;
        }
        Responses.json(ctx, cached("influxdata:" + extended, () -> points(matrix.freshSets(System.currentTimeMillis()), extended)));
    }

    private static Buffer points(List<SummarySet> sets, boolean extended) {
        var body = new JsonBody(sizeHint(sets, extended ? 700 : 250)).openArray();
        for (var set : sets) {
            String time = set.intervalEnd().toString();
            set.pairs().forEach(pair -> body.add(InfluxPoints.point(pair, time, extended)));
        }
        return body.close().buffer();
    }

    void summaries(RoutingContext ctx) {
        if (!Params.check(ctx, Set.of("src", "dst", "since"))) {
            return;
        }
        Predicate<PairSummary> keep = null;
        for (String side : SIDES) {
            String value = ctx.queryParams().get(side);
            if (value == null) {
                continue;
            }
            InetAddress ip = IpLiteral.parse(value);
            if (ip == null) {
                Responses.error(ctx, 400, "parameter \"" + side + "\" is not an IP address: " + value);
                return;
            }
            String text = InetText.format(ip);
            Predicate<PairSummary> match = pair -> text.equals(side.equals("src") ? pair.srcIp() : pair.dstIp());
            keep = keep == null ? match : keep.and(match);
        }
        if (keep == null && !ctx.queryParams().contains("since")) {
            Responses.json(ctx, cached("summaries", () -> summaries(matrix.freshSets(System.currentTimeMillis()), pair -> true, false)));
            return;
        }
        var sets = sets(ctx);
        if (sets != null) {
            Responses.json(ctx, 200, summaries(sets, keep == null ? pair -> true : keep, keep != null));
        }
    }

    private static Buffer summaries(List<SummarySet> sets, Predicate<PairSummary> keep, boolean filtered) {
        var body = new JsonBody(filtered ? 4_096 : sizeHint(sets, 2_000)).open(new JsonObject().put("version", 1), "collectors");
        for (var set : sets) {
            body.open(SummaryJson.encodeHead(set), SummaryJson.PAIRS);
            for (var pair : set.pairs()) {
                if (keep.test(pair)) {
                    body.add(SummaryJson.encode(pair));
                }
            }
            body.close();
        }
        return body.close().buffer();
    }

    /** A first buffer size for an answer about {@code sets} of about {@code perPair} bytes a pair, at most 16 MB. */
    private static int sizeHint(List<SummarySet> sets, int perPair) {
        long pairs = sets.stream().mapToLong(set -> set.pairs().size()).sum();
        return (int) Math.min(16 << 20, 1_024 + pairs * perPair);
    }

    /** Filters {@code src.<tag>=v} and {@code dst.<tag>=v}; a filter given more than once matches any of its values. */
    void matrix(RoutingContext ctx) {
        Predicate<Matrix.Row> keep = row -> true;
        for (String name : ctx.queryParams().names()) {
            var m = FILTER.matcher(name);
            if (!m.matches()) {
                Responses.error(ctx, 400, "unknown filter \"" + name + "\": filters are src.<tag>=value or dst.<tag>=value"
                        + " (tags: name, ip, or a node tag such as region)");
                return;
            }
            String side = m.group(1);
            String tag = m.group(2);
            var values = ctx.queryParams().getAll(name);
            keep = keep.and(row -> values.contains(row.attribute(side, tag)));
        }
        if (ctx.queryParams().isEmpty()) {
            Responses.json(ctx, cached("matrix", () -> matrix(row -> true)));
        } else {
            Responses.json(ctx, 200, matrix(keep));
        }
    }

    private Buffer matrix(Predicate<Matrix.Row> keep) {
        var rows = matrix.rows(keep, System.currentTimeMillis());
        var body = new JsonBody(1_024 + rows.size() * 900).open(new JsonObject().put("version", 1)
                .put("generated", Instant.now().toString()).put("count", rows.size()), "pairs");
        rows.forEach(row -> body.add(Matrix.json(row)));
        return body.close().buffer();
    }

    void pairs(RoutingContext ctx) {
        String src = ctx.pathParam("src");
        String dst = ctx.pathParam("dst");
        var found = matrix.history(src, dst);
        if (found.isEmpty()) {
            Responses.error(ctx, 404, "no pair from \"" + src + "\" to \"" + dst + "\" in the last summaries (use node names or IPs)");
            return;
        }
        Responses.json(ctx, 200, new JsonObject().put("version", 1).put("pairs", found).encode());
    }

    void nodes(RoutingContext ctx) {
        if (registry == null) {
            Responses.json(ctx, 200, new JsonObject().put("version", 1).put("nodes", new JsonArray()).encode());
            return;
        }
        registry.nodes().onSuccess(list -> {
            var nodes = new JsonArray();
            for (var node : list) {
                nodes.add(node.toJson()
                        .put("started", Instant.ofEpochMilli(node.started()).toString())
                        .put("last_seen", Instant.ofEpochMilli(node.lastSeen()).toString())
                        .put("member", registry.isMember(node.nodeId())));
            }
            Responses.json(ctx, 200, new JsonObject().put("version", 1).put("nodes", nodes).encode());
        }).onFailure(err -> Responses.error(ctx, 503, "registry unavailable: " + err.getMessage()));
    }
}
