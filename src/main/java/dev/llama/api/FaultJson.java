package dev.llama.api;

import dev.llama.localize.Evidence;
import dev.llama.localize.Suspect;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;

/**
 * {@link FaultReport}s as JSON: {@link #encode} for {@code /api/v1/faults} and the event bus, and
 * {@link #decode}, which refuses anything but a well-formed report of bounded size (what another node
 * sends is untrusted).
 */
final class FaultJson {
    static final int MAX_SUSPECTS = 100;
    static final int MAX_PAIRS = 100_000;
    static final int MAX_PORTS = 4_096;
    private static final int MAX_TEXT = 256;
    /** A report dated further ahead of this node's clock than this is refused. */
    static final long MAX_AHEAD_MS = 60_000;

    private FaultJson() {
    }

    /** The report as the API answers it; {@code publisher} only when {@code withPublisher} (the bus form). */
    static JsonObject encode(FaultReport report, boolean withPublisher) {
        var suspects = new JsonArray();
        for (var s : report.suspects()) {
            var e = s.evidence();
            suspects.add(new JsonObject().put("kind", s.kind()).put("scope", s.scope()).put("side", s.side())
                    .put("score", finite(s.score())).put("explained_lost", s.explainedLost())
                    .put("evidence", new JsonObject().put("pairs", new JsonArray(new ArrayList<Object>(e.pairs())))
                            .put("src_ports", new JsonArray(new ArrayList<Object>(e.srcPorts())))
                            .put("sent", e.sent()).put("lost", e.lost()).put("loss", finite(e.loss()))
                            .put("rest_sent", e.restSent()).put("rest_lost", e.restLost()).put("rest_loss", finite(e.restLoss()))));
        }
        var json = new JsonObject();
        if (withPublisher) {
            json.put("publisher", report.publisher());
        }
        return json.put("interval_end", report.intervalEnd().toString()).put("suspects", suspects);
    }

    private static double finite(double d) {
        return Double.isFinite(d) ? d : 0;
    }

    /**
     * A report from the bus form.
     *
     * @throws IllegalArgumentException naming the first bad field
     */
    static FaultReport decode(JsonObject json, long nowMillis) {
        String publisher = text(json.getValue("publisher"), "publisher", 64, false);
        Instant end;
        try {
            end = Instant.parse(text(json.getValue("interval_end"), "interval_end", 64, false));
        } catch (DateTimeParseException e) {
            throw new IllegalArgumentException("interval_end: not a time");
        }
        if (end.toEpochMilli() > nowMillis + MAX_AHEAD_MS) {
            throw new IllegalArgumentException("interval_end: ahead of this node's clock");
        }
        var list = array(json.getValue("suspects"), "suspects", MAX_SUSPECTS);
        var suspects = new ArrayList<Suspect>();
        for (int i = 0; i < list.size(); i++) {
            suspects.add(suspect(list.getValue(i), "suspects[" + i + "]"));
        }
        return new FaultReport(publisher, end, suspects);
    }

    private static Suspect suspect(Object o, String at) {
        if (!(o instanceof JsonObject s)) {
            throw new IllegalArgumentException(at + ": not an object");
        }
        if (!(s.getValue("evidence") instanceof JsonObject e)) {
            throw new IllegalArgumentException(at + ".evidence: not an object");
        }
        var pairs = new ArrayList<String>();
        for (Object p : array(e.getValue("pairs"), at + ".evidence.pairs", MAX_PAIRS)) {
            pairs.add(text(p, at + ".evidence.pairs", 128, false));
        }
        var ports = new ArrayList<Integer>();
        for (Object p : array(e.getValue("src_ports"), at + ".evidence.src_ports", MAX_PORTS)) {
            ports.add((int) count(p, at + ".evidence.src_ports", 65_535));
        }
        long sent = count(e.getValue("sent"), at + ".evidence.sent", Long.MAX_VALUE);
        long lost = count(e.getValue("lost"), at + ".evidence.lost", sent);
        long restSent = count(e.getValue("rest_sent"), at + ".evidence.rest_sent", Long.MAX_VALUE);
        long restLost = count(e.getValue("rest_lost"), at + ".evidence.rest_lost", restSent);
        if (!(s.getValue("score") instanceof Number score) || !Double.isFinite(score.doubleValue()) || score.doubleValue() < 0) {
            throw new IllegalArgumentException(at + ".score: not a finite number ≥ 0");
        }
        return new Suspect(text(s.getValue("kind"), at + ".kind", 64, false), text(s.getValue("scope"), at + ".scope", MAX_TEXT, false),
                text(s.getValue("side"), at + ".side", 16, true), score.doubleValue(),
                count(s.getValue("explained_lost"), at + ".explained_lost", Long.MAX_VALUE),
                new Evidence(pairs, ports, sent, lost, restSent, restLost));
    }

    private static String text(Object o, String at, int max, boolean nullable) {
        if (o == null && nullable) {
            return null;
        }
        if (!(o instanceof String s) || s.isEmpty() || s.length() > max || s.chars().anyMatch(c -> c < 0x20 || c == 0x7f)) {
            throw new IllegalArgumentException(at + ": not 1 to " + max + " printable characters");
        }
        return s;
    }

    private static JsonArray array(Object o, String at, int max) {
        if (!(o instanceof JsonArray a) || a.size() > max) {
            throw new IllegalArgumentException(at + ": not a list of at most " + max);
        }
        return a;
    }

    private static long count(Object o, String at, long max) {
        if (!(o instanceof Integer || o instanceof Long) || ((Number) o).longValue() < 0 || ((Number) o).longValue() > max) {
            throw new IllegalArgumentException(at + ": not an integer from 0 to " + max);
        }
        return ((Number) o).longValue();
    }

    /** The reports' suspects as a short list for log lines and tests: {@code kind scope}. */
    static List<String> names(FaultReport report) {
        return report.suspects().stream().map(s -> s.kind() + " " + s.scope()).toList();
    }
}
