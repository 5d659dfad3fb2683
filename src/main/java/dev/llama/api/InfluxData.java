package dev.llama.api;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The original's {@code /influxdata} points (COMPAT.md section 4): measurement {@code raw_stats}, tags
 * {@code src_ip}, {@code dst_ip} and the target's, the four original fields as floats, and the summary's
 * time.
 */
public final class InfluxData {
    public static final String MEASUREMENT = "raw_stats";

    private InfluxData() {
    }

    /** Fields beyond the original four, from the full summary, also written as floats. */
    public static final java.util.List<String> EXTENDED_FIELDS = java.util.List.of("rtt_min", "rtt_max", "rtt_p50",
            "rtt_p90", "rtt_p99", "rtt_stddev", "jitter", "late", "duplicates");

    /** Appends one point per pair of a summary set to {@code out}, with the original four fields. */
    public static void points(JsonObject set, JsonArray out) {
        points(set, out, false);
    }

    /**
     * Appends one point per pair of a summary set to {@code out}; {@code extended} adds
     * {@link #EXTENDED_FIELDS} to each point.
     */
    public static void points(JsonObject set, JsonArray out, boolean extended) {
        String time = set.getString("interval_end");
        for (Object o : set.getJsonArray("pairs")) {
            var pair = (JsonObject) o;
            out.add(new JsonObject().put("measurement", MEASUREMENT).put("tags", new JsonObject(new LinkedHashMap<>(tags(pair))))
                    .put("fields", new JsonObject(fields(pair, extended))).put("time", time));
        }
    }

    /** A pair's tags as a point carries them: the target's, then {@code src_ip} and {@code dst_ip}. */
    public static Map<String, String> tags(JsonObject pair) {
        var tags = new LinkedHashMap<String, String>();
        for (var tag : pair.getJsonObject("tags")) {
            tags.put(tag.getKey(), (String) tag.getValue());
        }
        tags.put("src_ip", pair.getString("src_ip"));
        tags.put("dst_ip", pair.getString("dst_ip"));
        return tags;
    }

    /** A pair's fields as floats: the original four, and with {@code extended} the others. */
    public static Map<String, Object> fields(JsonObject pair, boolean extended) {
        var fields = new LinkedHashMap<String, Object>();
        fields.put("rtt", pair.getNumber("rtt").doubleValue());
        fields.put("loss", pair.getNumber("loss").doubleValue());
        fields.put("lost", pair.getNumber("lost").doubleValue());
        fields.put("sent", pair.getNumber("sent").doubleValue());
        if (extended) {
            for (String name : EXTENDED_FIELDS) {
                Number n = pair.getNumber(name);
                if (n != null) {
                    fields.put(name, n.doubleValue());
                }
            }
        }
        return fields;
    }
}
