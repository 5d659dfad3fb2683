package dev.llama.scraper;

import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * InfluxDB line protocol, written by hand because no Vert.x InfluxDB client exists.
 *
 * <p>Escaping as InfluxDB defines it: in a measurement, {@code ,} and space; in tag keys, tag values
 * and field keys, {@code ,}, {@code =} and space; string field values are quoted with {@code "} and
 * {@code \} escaped. Newlines cannot be escaped at all, so they are refused. Floats always carry a
 * decimal point so a field's type never flips to integer; tags are sorted by key, as InfluxDB
 * recommends for write performance.
 */
public final class LineProtocol {
    private LineProtocol() {
    }

    /**
     * Appends one point and a trailing newline; a point that cannot be written leaves {@code out} as it was.
     *
     * @param fields values of type Double, Float, Long, Integer, Boolean or String
     * @param epochSeconds the point's time, second precision
     */
    public static StringBuilder point(StringBuilder out, String measurement, Map<String, String> tags,
                                      Map<String, Object> fields, long epochSeconds) {
        if (fields.isEmpty()) {
            throw new IllegalArgumentException("a point needs at least one field");
        }
        int start = out.length();
        try {
            return write(out, measurement, tags, fields, epochSeconds);
        } catch (IllegalArgumentException e) {
            out.setLength(start);
            throw e;
        }
    }

    private static StringBuilder write(StringBuilder out, String measurement, Map<String, String> tags,
                                       Map<String, Object> fields, long epochSeconds) {
        escape(out, measurement, false, "measurement");
        for (var tag : (tags instanceof SortedMap<String, String> sorted && sorted.comparator() == null ? sorted : new TreeMap<>(tags)).entrySet()) {
            if (tag.getValue() == null || tag.getValue().isEmpty()) {
                continue;
            }
            out.append(',');
            escape(out, tag.getKey(), true, "tag key");
            out.append('=');
            escape(out, tag.getValue(), true, "tag value");
        }
        char sep = ' ';
        for (var field : fields.entrySet()) {
            out.append(sep);
            sep = ',';
            escape(out, field.getKey(), true, "field key");
            out.append('=');
            value(out, field.getKey(), field.getValue());
        }
        return out.append(' ').append(epochSeconds).append('\n');
    }

    private static void value(StringBuilder out, String key, Object v) {
        if (v instanceof Double || v instanceof Float) {
            double d = ((Number) v).doubleValue();
            if (Double.isNaN(d) || Double.isInfinite(d)) {
                throw new IllegalArgumentException("field " + key + " is " + d + ", which InfluxDB cannot store");
            }
            // Double.toString always writes a decimal point ("3.0", "1.0E21"), as InfluxDB needs for floats.
            out.append(d);
        } else if (v instanceof Long || v instanceof Integer) {
            out.append(((Number) v).longValue()).append('i');
        } else if (v instanceof Boolean b) {
            out.append(b);
        } else if (v instanceof String s) {
            refuseNewline(s, "field " + key);
            out.append('"');
            for (int i = 0; i < s.length(); i++) {
                char c = s.charAt(i);
                if (c == '"' || c == '\\') {
                    out.append('\\');
                }
                out.append(c);
            }
            out.append('"');
        } else {
            throw new IllegalArgumentException("field " + key + " has an unsupported type: " + v);
        }
    }

    private static void escape(StringBuilder out, String s, boolean equalsToo, String what) {
        if (s == null || s.isEmpty()) {
            throw new IllegalArgumentException("empty " + what);
        }
        refuseNewline(s, what + " " + s.strip());
        if (s.charAt(s.length() - 1) == '\\') {
            // A trailing backslash would escape the separator that follows it.
            throw new IllegalArgumentException(what + " ends in a backslash: " + s);
        }
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == ',' || c == ' ' || (equalsToo && c == '=')) {
                out.append('\\');
            }
            out.append(c);
        }
    }

    private static void refuseNewline(String s, String what) {
        if (s.indexOf('\n') >= 0 || s.indexOf('\r') >= 0) {
            throw new IllegalArgumentException(what + " contains a newline, which line protocol cannot carry");
        }
    }
}
