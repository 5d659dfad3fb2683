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

    /** Appends one point per pair of a summary set to {@code out}. */
    public static void points(JsonObject set, JsonArray out) {
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
            out.add(new JsonObject().put("measurement", MEASUREMENT).put("tags", tags).put("fields", fields).put("time", time));
        }
    }
}
