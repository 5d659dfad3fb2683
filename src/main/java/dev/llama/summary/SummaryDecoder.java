package dev.llama.summary;

import static dev.llama.summary.SummaryJson.COLLECTOR;
import static dev.llama.summary.SummaryJson.COUNTERS;
import static dev.llama.summary.SummaryJson.DST_IP;
import static dev.llama.summary.SummaryJson.DST_PORT;
import static dev.llama.summary.SummaryJson.INTERVAL;
import static dev.llama.summary.SummaryJson.INTERVAL_END;
import static dev.llama.summary.SummaryJson.INTERVAL_START;
import static dev.llama.summary.SummaryJson.PAIRS;
import static dev.llama.summary.SummaryJson.PORTS;
import static dev.llama.summary.SummaryJson.SRC_IP;
import static dev.llama.summary.SummaryJson.SRC_PORT;
import static dev.llama.summary.SummaryJson.TAGS;
import static dev.llama.summary.SummaryJson.VERSION;

import dev.llama.config.IpLiteral;
import dev.llama.net.InetText;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * Reads a {@link SummarySet} from its JSON encoding, checking every field: a set from another JVM or
 * another collector is input from the network. Anything out of shape or out of range fails with an
 * {@link InvalidSummaryException} naming the field; nothing half-read comes out.
 */
public final class SummaryDecoder {
    /** Bounds that no real collector comes near and that keep one bad set from costing much. */
    static final int MAX_PAIRS = 100_000;
    static final int MAX_PORTS = 1_024;
    static final int MAX_TAGS = 64;
    static final int MAX_COUNTERS = 64;
    static final int MAX_TEXT = 256;
    static final int MAX_INTERVAL_S = 86_400;
    /** How far a set's end may lie in the future of the receiver's clock: clock skew, not a forged date. */
    static final long MAX_FUTURE_MS = 120_000;
    private static final double MAX_RTT_MS = 3_600_000;
    private static final Pattern COUNTER = Pattern.compile("[a-z0-9_]{1,64}");

    private SummaryDecoder() {
    }

    /** Decodes {@code json}, received at {@code nowMillis} (a set dated further ahead is refused). */
    public static SummarySet decode(JsonObject json, long nowMillis) {
        Object version = json.getValue(VERSION);
        if (!(version instanceof Number n) || n.doubleValue() != SummarySet.VERSION) {
            throw new InvalidSummaryException(VERSION, "must be " + SummarySet.VERSION + ", got " + version);
        }
        String collector = text(json, COLLECTOR, COLLECTOR);
        int interval = (int) integer(json, INTERVAL, INTERVAL, 1, MAX_INTERVAL_S);
        Instant start = instant(json, INTERVAL_START);
        Instant end = instant(json, INTERVAL_END);
        if (start.isAfter(end)) {
            throw new InvalidSummaryException(INTERVAL_START, "after interval_end");
        }
        checkNotAhead(end, nowMillis);
        var counters = counters(json.getValue(COUNTERS));
        var pairs = array(json.getValue(PAIRS), PAIRS, MAX_PAIRS);
        var list = new ArrayList<PairSummary>(pairs.size());
        for (int i = 0; i < pairs.size(); i++) {
            list.add(pair(pairs.getValue(i), PAIRS + "[" + i + "]"));
        }
        return new SummarySet(SummarySet.VERSION, collector, interval, start, end, counters, list);
    }

    /** Refuses a set that ends further ahead of {@code nowMillis} than clock skew explains (a forged date). */
    static void checkNotAhead(Instant end, long nowMillis) {
        if (end.toEpochMilli() > nowMillis + MAX_FUTURE_MS) {
            throw new InvalidSummaryException(INTERVAL_END, end + " lies in the future");
        }
    }

    private static PairSummary pair(Object value, String at) {
        var o = object(value, at);
        long sent = integer(o, "sent", at, 0, Long.MAX_VALUE);
        long lost = integer(o, "lost", at, 0, sent);
        var portsJson = o.getValue(PORTS) == null ? new JsonArray() : array(o.getValue(PORTS), at + "." + PORTS, MAX_PORTS);
        var ports = new ArrayList<PortSummary>(portsJson.size());
        for (int i = 0; i < portsJson.size(); i++) {
            ports.add(port(portsJson.getValue(i), at + "." + PORTS + "[" + i + "]"));
        }
        return new PairSummary(ip(o, SRC_IP, at), ip(o, DST_IP, at), tags(o.getValue(TAGS), at + "." + TAGS), sent, lost,
                percent(o, at), rtt(o, "rtt", at), rtt(o, "rtt_min", at), rtt(o, "rtt_max", at), rtt(o, "rtt_p50", at),
                rtt(o, "rtt_p90", at), rtt(o, "rtt_p99", at), rtt(o, "rtt_stddev", at), rtt(o, "jitter", at),
                integer(o, "late", at, 0, Long.MAX_VALUE), integer(o, "duplicates", at, 0, Long.MAX_VALUE), ports,
                rtt(o, "dwell", at), rtt(o, "rtt_net", at), rtt(o, "rtt_net_p50", at), rtt(o, "rtt_net_p90", at),
                rtt(o, "rtt_net_p99", at), optional(o, "dwell_invalid", at, sent - lost), tos(o, "tos_sent", at),
                tos(o, "tos_received", at), optional(o, "remarked", at, sent - lost));
    }

    private static PortSummary port(Object value, String at) {
        var o = object(value, at);
        long sent = integer(o, "sent", at, 0, Long.MAX_VALUE);
        long lost = integer(o, "lost", at, 0, sent);
        return new PortSummary((int) integer(o, SRC_PORT, at, 0, 65_535), (int) integer(o, DST_PORT, at, 0, 65_535),
                sent, lost, percent(o, at), rtt(o, "rtt", at), rtt(o, "rtt_min", at), rtt(o, "rtt_max", at),
                rtt(o, "dwell", at), rtt(o, "rtt_net", at), tos(o, "tos_sent", at), tos(o, "tos_received", at),
                optional(o, "remarked", at, sent - lost));
    }

    /**
     * A count added after the first version (sets from older collectors lack it: 0), at most {@code max},
     * the replies it counts among.
     */
    private static long optional(JsonObject o, String key, String at, long max) {
        return o.getValue(key) == null ? 0 : integer(o, key, at, 0, max);
    }

    /** A TOS byte, or -1 where the encoding says null or has none (unknown, or from an older collector). */
    private static int tos(JsonObject o, String key, String at) {
        return o.getValue(key) == null ? -1 : (int) integer(o, key, at, 0, 255);
    }

    private static Map<String, String> tags(Object value, String at) {
        if (value == null) {
            return Map.of();
        }
        var o = object(value, at);
        if (o.size() > MAX_TAGS) {
            throw new InvalidSummaryException(at, "more than " + MAX_TAGS + " tags");
        }
        var tags = new LinkedHashMap<String, String>();
        for (var e : o) {
            checkText(e.getKey(), at, "a tag name");
            if (!(e.getValue() instanceof String s)) {
                throw new InvalidSummaryException(at + "." + e.getKey(), "not a string");
            }
            tags.put(e.getKey(), checkText(s, at + "." + e.getKey(), "the value"));
        }
        return tags;
    }

    private static Map<String, Long> counters(Object value) {
        if (value == null) {
            return Map.of();
        }
        var o = object(value, COUNTERS);
        if (o.size() > MAX_COUNTERS) {
            throw new InvalidSummaryException(COUNTERS, "more than " + MAX_COUNTERS + " counters");
        }
        var counters = new LinkedHashMap<String, Long>();
        for (var e : o) {
            if (!COUNTER.matcher(e.getKey()).matches()) {
                throw new InvalidSummaryException(COUNTERS, "bad counter name");
            }
            counters.put(e.getKey(), integer(o, e.getKey(), COUNTERS, 0, Long.MAX_VALUE));
        }
        return counters;
    }

    private static String ip(JsonObject o, String key, String at) {
        var addr = o.getValue(key) instanceof String s && s.length() <= 64 ? IpLiteral.parse(s) : null;
        if (addr == null) {
            throw new InvalidSummaryException(at + "." + key, "not an IP address");
        }
        return InetText.format(addr);
    }

    private static Instant instant(JsonObject o, String key) {
        if (o.getValue(key) instanceof String s && s.length() <= 64) {
            try {
                return Instant.parse(s);
            } catch (DateTimeParseException e) {
                // reported below
            }
        }
        throw new InvalidSummaryException(key, "not an ISO-8601 instant");
    }

    private static String text(JsonObject o, String key, String at) {
        if (!(o.getValue(key) instanceof String s) || s.isEmpty()) {
            throw new InvalidSummaryException(at, "missing or not a string");
        }
        return checkText(s, at, "the value");
    }

    private static String checkText(String s, String at, String what) {
        if (s.length() > MAX_TEXT) {
            throw new InvalidSummaryException(at, what + " is longer than " + MAX_TEXT + " characters");
        }
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c < 0x20 || c == 0x7f) {
                throw new InvalidSummaryException(at, what + " holds a control character");
            }
        }
        return s;
    }

    private static long integer(JsonObject o, String key, String at, long min, long max) {
        Object v = o.getValue(key);
        if (!(v instanceof Number n)) {
            throw new InvalidSummaryException(field(at, key), "missing or not a number");
        }
        double d = n.doubleValue();
        long l = n.longValue();
        if (d != Math.rint(d) || l < min || l > max || Math.abs(d - l) > 1) {
            throw new InvalidSummaryException(field(at, key), "must be a whole number from " + min + " to " + max + ", got " + v);
        }
        return l;
    }

    private static double percent(JsonObject o, String at) {
        Object v = o.getValue("loss");
        if (!(v instanceof Number n) || !(n.doubleValue() >= 0 && n.doubleValue() <= 100)) {
            throw new InvalidSummaryException(at + ".loss", "must be a percentage, got " + v);
        }
        return n.doubleValue();
    }

    /** An RTT in milliseconds, or NaN where the encoding says null (nothing answered). */
    private static double rtt(JsonObject o, String key, String at) {
        Object v = o.getValue(key);
        if (v == null) {
            return Double.NaN;
        }
        if (!(v instanceof Number n) || !(n.doubleValue() >= 0 && n.doubleValue() <= MAX_RTT_MS)) {
            throw new InvalidSummaryException(at + "." + key, "must be null or milliseconds from 0 to " + (long) MAX_RTT_MS + ", got " + v);
        }
        return n.doubleValue();
    }

    private static JsonObject object(Object value, String at) {
        if (!(value instanceof JsonObject o)) {
            throw new InvalidSummaryException(at, "not an object");
        }
        return o;
    }

    private static JsonArray array(Object value, String at, int max) {
        if (!(value instanceof JsonArray a)) {
            throw new InvalidSummaryException(at, "not an array");
        }
        if (a.size() > max) {
            throw new InvalidSummaryException(at, "more than " + max + " entries");
        }
        return a;
    }

    private static String field(String at, String key) {
        return at.equals(key) ? key : at + "." + key;
    }
}
