package dev.llama.scraper;

import dev.llama.summary.InfluxPoints;
import dev.llama.summary.SummarySet;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.nio.charset.StandardCharsets;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.TreeMap;

/**
 * Turns {@code /influxdata} points (the original collector's format; docs/design.md, "Compatibility with the original") into a {@link Batch} of line protocol, the way
 * the original scraper passes them through: numbers become floats, tags stay strings, and the point's
 * time is kept so that writing it twice overwrites instead of duplicating.
 *
 * <p>A point that cannot be written (no measurement, no fields, a tag that is not a string, a newline,
 * a NaN) is counted and left out; the others are kept. The original collector sends the zero time
 * ({@code 0001-01-01T00:00:00Z}); such points get the scrape's time, as InfluxDB would give them.
 */
public final class Points {
    /**
     * The outcome of one conversion.
     *
     * @param batch the points to queue; {@code batch.points()} is 0 when nothing was new
     * @param unchanged points skipped because the same series was already queued with that time
     * @param invalid points that cannot be written
     * @param problem why the first invalid point was left out, or null
     */
    public record Converted(Batch batch, int unchanged, int invalid, String problem) {
    }

    /** Per source, the newest time queued for each series, so a scrape that finds no new summary queues nothing. */
    private final Map<String, Map<String, Long>> queuedTimes = new HashMap<>();
    private String lastTimeText;
    private long lastTime;

    /**
     * Converts points from {@code source}; with {@code dedupe}, points whose series already went into
     * the queue at the same or a later time are skipped.
     */
    public synchronized Converted convert(String source, JsonArray points, long nowSeconds, boolean dedupe) {
        var out = new StringBuilder(points.size() * 200);
        var previous = dedupe ? queuedTimes.getOrDefault(source, Map.of()) : Map.<String, Long>of();
        var seen = new HashMap<String, Long>();
        int written = 0;
        int unchanged = 0;
        int invalid = 0;
        String problem = null;
        for (Object o : points) {
            try {
                if (!(o instanceof JsonObject point)) {
                    throw new IllegalArgumentException("a point is not a JSON object");
                }
                String measurement = point.getValue("measurement") instanceof String m ? m : null;
                if (measurement == null || measurement.isEmpty()) {
                    throw new IllegalArgumentException("a point has no measurement");
                }
                var tags = tags(point.getValue("tags"));
                var fields = fields(point.getValue("fields"));
                long time = time(point.getValue("time"), nowSeconds);
                if (dedupe) {
                    String series = measurement + '\0' + tags;
                    Long last = previous.get(series);
                    if (last != null && time <= last) {
                        unchanged++;
                        seen.merge(series, last, Math::max);
                        continue;
                    }
                    seen.merge(series, time, Math::max);
                }
                LineProtocol.point(out, measurement, tags, fields, time);
                written++;
            } catch (IllegalArgumentException | ClassCastException e) {
                invalid++;
                if (problem == null) {
                    problem = e.getMessage();
                }
            }
        }
        if (dedupe) {
            queuedTimes.put(source, seen);
        }
        return new Converted(new Batch(source, written, out.toString().getBytes(StandardCharsets.UTF_8)),
                unchanged, invalid, problem);
    }

    /** Converts a summary set as collectors publish it on the bus, with every field. */
    public synchronized Converted convertSummary(SummarySet set) {
        var out = new StringBuilder(set.pairs().size() * 300);
        String source = "bus:" + set.collector();
        long time = set.intervalEnd().getEpochSecond();
        int written = 0;
        int invalid = 0;
        String problem = null;
        for (var pair : set.pairs()) {
            try {
                LineProtocol.point(out, InfluxPoints.MEASUREMENT, InfluxPoints.tags(pair), InfluxPoints.fields(pair, true), time);
                written++;
            } catch (IllegalArgumentException e) {
                invalid++;
                if (problem == null) {
                    problem = "pair " + pair.key() + ": " + e.getMessage();
                }
            }
        }
        return new Converted(new Batch(source, written, out.toString().getBytes(StandardCharsets.UTF_8)), 0, invalid, problem);
    }

    private static Map<String, String> tags(Object value) {
        var tags = new TreeMap<String, String>();
        if (value == null) {
            return tags;
        }
        if (!(value instanceof JsonObject json)) {
            throw new IllegalArgumentException("tags are not a JSON object");
        }
        for (var e : json) {
            if (!(e.getValue() instanceof String s)) {
                throw new IllegalArgumentException("tag " + e.getKey() + " is not a string");
            }
            tags.put(e.getKey(), s);
        }
        return tags;
    }

    private static Map<String, Object> fields(Object value) {
        if (!(value instanceof JsonObject json) || json.isEmpty()) {
            throw new IllegalArgumentException("a point has no fields");
        }
        var fields = new LinkedHashMap<String, Object>();
        for (var e : json) {
            Object v = e.getValue();
            if (v instanceof Number n) {
                fields.put(e.getKey(), n.doubleValue());
            } else if (v instanceof String || v instanceof Boolean) {
                fields.put(e.getKey(), v);
            } else {
                throw new IllegalArgumentException("field " + e.getKey() + " is neither a number, a string nor a boolean");
            }
        }
        return fields;
    }

    /** Points of one set share their time: parse it once. */
    private long time(Object value, long nowSeconds) {
        if (value == null) {
            return nowSeconds;
        }
        if (!(value instanceof String s)) {
            throw new IllegalArgumentException("time is not an RFC 3339 string");
        }
        try {
            long seconds;
            if (s.equals(lastTimeText)) {
                seconds = lastTime;
            } else {
                seconds = OffsetDateTime.parse(s).toEpochSecond();
                lastTimeText = s;
                lastTime = seconds;
            }
            return seconds <= 0 ? nowSeconds : seconds;
        } catch (DateTimeParseException e) {
            throw new IllegalArgumentException("time \"" + s + "\" is not RFC 3339");
        }
    }
}
