package dev.llama.summary;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The original's {@code /influxdata} points: measurement {@code raw_stats}, tags {@code src_ip},
 * {@code dst_ip} and the target's, the four original fields ({@code rtt}, {@code loss}, {@code lost},
 * {@code sent}) as floats, and the summary's end as time. As in the original, an interval with no answer
 * has {@code rtt} 0 here; the extended fields of such an interval are left out, since InfluxDB has no null
 * (so are {@code dwell} and {@code rtt_net*} without reflector times, and a TOS not known).
 */
public final class InfluxPoints {
    public static final String MEASUREMENT = "raw_stats";

    private InfluxPoints() {
    }

    /**
     * Appends one point per pair of {@code set} to {@code out}; {@code extended} adds the fields beyond
     * the original four ({@code rtt_min}, {@code rtt_p50}, {@code jitter}, {@code late}, …).
     */
    public static void points(SummarySet set, JsonArray out, boolean extended) {
        String time = set.intervalEnd().toString();
        for (var pair : set.pairs()) {
            out.add(point(pair, time, extended));
        }
    }

    /** One pair's point, labelled {@code time} (its set's interval end). */
    public static JsonObject point(PairSummary pair, String time, boolean extended) {
        return new JsonObject().put("measurement", MEASUREMENT).put("tags", new JsonObject(new LinkedHashMap<>(tags(pair))))
                .put("fields", new JsonObject(fields(pair, extended))).put("time", time);
    }

    /** A pair's tags as a point carries them: the target's, then {@code src_ip} and {@code dst_ip}. */
    public static Map<String, String> tags(PairSummary pair) {
        var tags = new LinkedHashMap<>(pair.tags());
        tags.put("src_ip", pair.srcIp());
        tags.put("dst_ip", pair.dstIp());
        return tags;
    }

    /** A pair's fields as floats. */
    public static Map<String, Object> fields(PairSummary pair, boolean extended) {
        var fields = new LinkedHashMap<String, Object>();
        fields.put("rtt", Double.isNaN(pair.rtt()) ? 0.0 : pair.rtt());
        fields.put("loss", pair.loss());
        fields.put("lost", (double) pair.lost());
        fields.put("sent", (double) pair.sent());
        if (extended) {
            put(fields, "rtt_min", pair.rttMin());
            put(fields, "rtt_max", pair.rttMax());
            put(fields, "rtt_p50", pair.rttP50());
            put(fields, "rtt_p90", pair.rttP90());
            put(fields, "rtt_p99", pair.rttP99());
            put(fields, "rtt_stddev", pair.rttStddev());
            put(fields, "jitter", pair.jitter());
            fields.put("late", (double) pair.late());
            fields.put("duplicates", (double) pair.duplicates());
            put(fields, "dwell", pair.dwell());
            put(fields, "rtt_net", pair.rttNet());
            put(fields, "rtt_net_p50", pair.rttNetP50());
            put(fields, "rtt_net_p90", pair.rttNetP90());
            put(fields, "rtt_net_p99", pair.rttNetP99());
            fields.put("dwell_invalid", (double) pair.dwellInvalid());
            if (pair.tosSent() >= 0) {
                fields.put("tos_sent", (double) pair.tosSent());
            }
            if (pair.tosReceived() >= 0) {
                fields.put("tos_received", (double) pair.tosReceived());
            }
            fields.put("remarked", (double) pair.remarked());
        }
        return fields;
    }

    private static void put(Map<String, Object> fields, String name, double value) {
        if (!Double.isNaN(value)) {
            fields.put(name, value);
        }
    }
}
