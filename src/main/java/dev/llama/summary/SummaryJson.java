package dev.llama.summary;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

/**
 * The one JSON encoding of a {@link SummarySet}, as {@code /api/v1/summaries} serves it and as it
 * crosses the event bus between JVMs. An RTT with no answer behind it is {@code null}, never 0; so are a
 * dwell or {@code rtt_net*} with no reflector times behind them and a TOS not known.
 * {@link SummaryDecoder} reads it back.
 */
public final class SummaryJson {
    static final String VERSION = "version";
    static final String COLLECTOR = "collector";
    static final String INTERVAL = "interval";
    static final String INTERVAL_START = "interval_start";
    static final String INTERVAL_END = "interval_end";
    static final String COUNTERS = "counters";
    public static final String PAIRS = "pairs";
    static final String SRC_IP = "src_ip";
    static final String DST_IP = "dst_ip";
    static final String TAGS = "tags";
    static final String PORTS = "ports";
    static final String SRC_PORT = "src_port";
    static final String DST_PORT = "dst_port";

    private SummaryJson() {
    }

    public static JsonObject encode(SummarySet set) {
        var pairs = new JsonArray();
        set.pairs().forEach(p -> pairs.add(encode(p)));
        return encodeHead(set).put(PAIRS, pairs);
    }

    /** {@link #encode(SummarySet)} without its last field, {@value #PAIRS}: for writing the pairs one at a time. */
    public static JsonObject encodeHead(SummarySet set) {
        return new JsonObject()
                .put(VERSION, set.version())
                .put(COLLECTOR, set.collector())
                .put(INTERVAL, set.interval())
                .put(INTERVAL_START, set.intervalStart().toString())
                .put(INTERVAL_END, set.intervalEnd().toString())
                .put(COUNTERS, new JsonObject(new java.util.LinkedHashMap<>(set.counters())));
    }

    public static JsonObject encode(PairSummary pair) {
        var o = new JsonObject()
                .put(SRC_IP, pair.srcIp())
                .put(DST_IP, pair.dstIp())
                .put(TAGS, new JsonObject(new java.util.LinkedHashMap<>(pair.tags())));
        putMetrics(pair, o);
        var ports = new JsonArray();
        pair.ports().forEach(p -> ports.add(encode(p)));
        return o.put(PORTS, ports);
    }

    public static JsonObject encode(PortSummary port) {
        return new JsonObject()
                .put(SRC_PORT, port.srcPort())
                .put(DST_PORT, port.dstPort())
                .put("sent", port.sent())
                .put("lost", port.lost())
                .put("loss", port.loss())
                .put("rtt", ms(port.rtt()))
                .put("rtt_min", ms(port.rttMin()))
                .put("rtt_max", ms(port.rttMax()))
                .put("dwell", ms(port.dwell()))
                .put("rtt_net", ms(port.rttNet()))
                .put("tos_sent", tos(port.tosSent()))
                .put("tos_received", tos(port.tosReceived()))
                .put("remarked", port.remarked());
    }

    /** Puts a pair's measured values (everything but its ends, tags and ports) into {@code o}. */
    public static JsonObject putMetrics(PairSummary pair, JsonObject o) {
        return o.put("sent", pair.sent())
                .put("lost", pair.lost())
                .put("loss", pair.loss())
                .put("rtt", ms(pair.rtt()))
                .put("rtt_min", ms(pair.rttMin()))
                .put("rtt_max", ms(pair.rttMax()))
                .put("rtt_p50", ms(pair.rttP50()))
                .put("rtt_p90", ms(pair.rttP90()))
                .put("rtt_p99", ms(pair.rttP99()))
                .put("rtt_stddev", ms(pair.rttStddev()))
                .put("jitter", ms(pair.jitter()))
                .put("late", pair.late())
                .put("duplicates", pair.duplicates())
                .put("dwell", ms(pair.dwell()))
                .put("rtt_net", ms(pair.rttNet()))
                .put("rtt_net_p50", ms(pair.rttNetP50()))
                .put("rtt_net_p90", ms(pair.rttNetP90()))
                .put("rtt_net_p99", ms(pair.rttNetP99()))
                .put("dwell_invalid", pair.dwellInvalid())
                .put("tos_sent", tos(pair.tosSent()))
                .put("tos_received", tos(pair.tosReceived()))
                .put("remarked", pair.remarked());
    }

    /** One end of a pair: name, IP and tags. */
    public static JsonObject encode(Endpoint end) {
        return new JsonObject().put("name", end.name()).put("ip", end.ip())
                .put(TAGS, new JsonObject(new java.util.LinkedHashMap<>(end.tags())));
    }

    private static Integer tos(int value) {
        return value < 0 ? null : value;
    }

    private static Double ms(double value) {
        return Double.isNaN(value) ? null : value;
    }
}
