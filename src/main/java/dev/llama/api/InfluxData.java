package dev.llama.api;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

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
            var tags = pair.getJsonObject("tags").copy()
                    .put("src_ip", pair.getString("src_ip"))
                    .put("dst_ip", pair.getString("dst_ip"));
            var fields = new JsonObject()
                    .put("rtt", pair.getDouble("rtt"))
                    .put("loss", pair.getDouble("loss"))
                    .put("lost", pair.getLong("lost").doubleValue())
                    .put("sent", pair.getLong("sent").doubleValue());
            if (extended) {
                for (String name : EXTENDED_FIELDS) {
                    Number n = pair.getNumber(name);
                    if (n != null) {
                        fields.put(name, n.doubleValue());
                    }
                }
            }
            out.add(new JsonObject().put("measurement", MEASUREMENT).put("tags", tags).put("fields", fields).put("time", time));
        }
    }
}
