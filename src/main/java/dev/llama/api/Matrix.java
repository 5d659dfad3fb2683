package dev.llama.api;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;

/**
 * The loss and latency matrix of every collector whose summary sets reach this node: the newest
 * result of each (source, destination) pair, and each pair's recent history. Used on one thread (the
 * API verticle's event loop).
 *
 * <p>A pair's ends are described from its tags: {@code src_name} and {@code src_<tag>} become the
 * source's name and tags, {@code dst_*} the destination's; these are what cluster nodes put there.
 */
public final class Matrix {
    static final List<String> FIELDS = List.of("sent", "lost", "loss", "rtt", "rtt_min", "rtt_max", "rtt_p50", "rtt_p90",
            "rtt_p99", "rtt_stddev", "jitter", "late", "duplicates");
    private static final List<String> HISTORY_FIELDS = List.of("sent", "lost", "loss", "rtt", "rtt_p50", "rtt_p90", "rtt_p99",
            "rtt_max", "jitter");

    private final long historyMillis;
    private final Map<String, JsonObject> latestByCollector = new HashMap<>();
    private final Map<String, ArrayDeque<JsonObject>> history = new HashMap<>();
    private final Map<String, JsonObject[]> ends = new HashMap<>();
    private final Map<String, JsonArray> latestPorts = new HashMap<>();

    public Matrix(long historyMillis) {
        this.historyMillis = historyMillis;
    }

    /** Takes a summary set as collectors publish it. */
    public void accept(JsonObject set) {
        String collector = set.getString("collector", "");
        long end = Instant.parse(set.getString("interval_end")).toEpochMilli();
        for (Object o : set.getJsonArray("pairs")) {
            var pair = (JsonObject) o;
            String key = key(pair);
            var entry = new JsonObject().put("interval_end", set.getString("interval_end")).put("collector", collector);
            HISTORY_FIELDS.forEach(f -> entry.put(f, pair.getValue(f)));
            var deque = history.computeIfAbsent(key, k -> new ArrayDeque<>());
            deque.addLast(entry.put("at", end));
            while (!deque.isEmpty() && deque.peekFirst().getLong("at") < end - historyMillis) {
                deque.removeFirst();
            }
            ends.put(key, new JsonObject[] {end("src", pair), end("dst", pair)});
            latestPorts.put(key, pair.getJsonArray("ports", new JsonArray()));
        }
        history.values().removeIf(d -> d.isEmpty() || d.peekLast().getLong("at") < end - historyMillis);
        ends.keySet().retainAll(history.keySet());
        latestPorts.keySet().retainAll(history.keySet());
        latestByCollector.put(collector, set);
    }

    /**
     * The newest result of every pair, from collectors whose newest set is not older than three of
     * their intervals (a collector that died stops counting), filtered.
     */
    public JsonArray pairs(Predicate<JsonObject> keep, long nowMillis) {
        var newest = new LinkedHashMap<String, JsonObject>();
        for (var set : freshSets(nowMillis)) {
            for (Object o : set.getJsonArray("pairs")) {
                var pair = (JsonObject) o;
                var row = new JsonObject()
                        .put("src", end("src", pair))
                        .put("dst", end("dst", pair))
                        .put("collector", set.getString("collector"))
                        .put("interval_end", set.getString("interval_end"));
                FIELDS.forEach(f -> row.put(f, pair.getValue(f)));
                String key = key(pair);
                var previous = newest.get(key);
                if (keep.test(row) && (previous == null || previous.getString("interval_end").compareTo(row.getString("interval_end")) < 0)) {
                    newest.put(key, row);
                }
            }
        }
        var out = new JsonArray();
        newest.values().stream()
                .sorted((a, b) -> (a.getJsonObject("src").getString("name") + a.getJsonObject("dst").getString("name"))
                        .compareTo(b.getJsonObject("src").getString("name") + b.getJsonObject("dst").getString("name")))
                .forEach(out::add);
        return out;
    }

    /** Each collector's newest set that is still {@link #fresh}, for the per-collector views. */
    public List<JsonObject> freshSets(long nowMillis) {
        return latestByCollector.values().stream().filter(set -> fresh(set, nowMillis)).toList();
    }

    /** Whether a collector's newest set is recent enough to show: at most three of its intervals old. */
    public static boolean fresh(JsonObject set, long nowMillis) {
        return nowMillis <= freshUntil(set);
    }

    /** When a set stops counting if its collector sends no newer one: three of its intervals (+5 s) after its end. */
    static long freshUntil(JsonObject set) {
        long end = Instant.parse(set.getString("interval_end")).toEpochMilli();
        return end + 3_000L * set.getInteger("interval", 30) + 5_000;
    }

    /** A pair's identity across collectors and intervals: source and destination IP. */
    static String key(JsonObject pair) {
        return pair.getString("src_ip") + ">" + pair.getString("dst_ip");
    }

    /**
     * The history of the pairs whose ends match {@code src} and {@code dst} (a name or an IP), with
     * the newest interval's per-path detail ({@code ports}: which source port, which ECMP path,
     * lost what); empty when none.
     */
    public JsonArray history(String src, String dst) {
        var out = new JsonArray();
        var keys = new ArrayList<>(history.keySet());
        keys.sort(null);
        for (String key : keys) {
            var e = ends.get(key);
            if (matches(e[0], src) && matches(e[1], dst)) {
                var entries = new JsonArray();
                for (var h : history.get(key)) {
                    var copy = h.copy();
                    copy.remove("at");
                    entries.add(copy);
                }
                out.add(new JsonObject().put("src", e[0]).put("dst", e[1]).put("history", entries)
                        .put("ports", latestPorts.get(key)));
            }
        }
        return out;
    }

    private static boolean matches(JsonObject end, String wanted) {
        return wanted.equals(end.getString("ip")) || wanted.equals(end.getString("name"));
    }

    /** One end of a pair: name, IP and tags, from the {@code side_*} tags. */
    static JsonObject end(String side, JsonObject pair) {
        var tags = new JsonObject();
        String name = null;
        for (var e : pair.getJsonObject("tags", new JsonObject())) {
            if (e.getKey().startsWith(side + "_")) {
                String tag = e.getKey().substring(side.length() + 1);
                if (tag.equals("name")) {
                    name = String.valueOf(e.getValue());
                } else {
                    tags.put(tag, e.getValue());
                }
            }
        }
        String ip = pair.getString(side + "_ip");
        return new JsonObject().put("name", name != null ? name : ip).put("ip", ip).put("tags", tags);
    }
}
