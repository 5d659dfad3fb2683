package dev.llama.scraper;

import dev.llama.scraper.ScraperConfig.Endpoint;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Per collector, the time of the newest points queued from it: the next pull asks
 * {@code /influxdata?since=} that time, so a scraper that was stopped for some intervals gets what it
 * missed from the collector's kept sets. Kept in {@value #FILE} in the queue directory, replaced whole
 * (temporary file, then rename) after each queueing, so a restarted scraper resumes where it stopped.
 * The map is used on the puller's event loop; the file is read and written on workers.
 */
final class PullState {
    static final String FILE = "pull-state.json";
    private static final Logger log = LoggerFactory.getLogger(PullState.class);
    private static final int MAX_FILE_BYTES = 1 << 20;
    private static final int MAX_TIME_CHARS = 64;

    private final Path file;
    private final Map<String, Instant> cursors;

    private PullState(Path file, Map<String, Instant> cursors) {
        this.file = file;
        this.cursors = cursors;
    }

    /** No cursor yet, saved in {@code queueDir}. */
    static PullState empty(Path queueDir) {
        return new PullState(queueDir.resolve(FILE), new HashMap<>());
    }

    /**
     * Reads the state in {@code queueDir}, for the {@code collectors} pulled now; blocking. A missing,
     * oversized or unreadable file is an empty state.
     */
    static PullState load(Path queueDir, List<Endpoint> collectors) {
        var names = new HashSet<String>();
        collectors.forEach(c -> names.add(c.toString()));
        Path file = queueDir.resolve(FILE);
        var cursors = new HashMap<String, Instant>();
        try {
            if (Files.size(file) > MAX_FILE_BYTES) {
                throw new IOException("larger than " + MAX_FILE_BYTES + " bytes");
            }
            var json = new JsonObject(Files.readString(file)).getJsonObject("collectors", new JsonObject());
            for (var e : json) {
                Instant t = names.contains(e.getKey()) && e.getValue() instanceof String s ? parse(s) : null;
                if (t != null) {
                    cursors.put(e.getKey(), t);
                }
            }
        } catch (NoSuchFileException e) {
            return new PullState(file, cursors);
        } catch (IOException | RuntimeException e) {
            log.warn("ignoring {} ({}): pulls start from each collector's newest summary", file, e.toString());
        }
        return new PullState(file, cursors);
    }

    /** The time of the newest points queued from {@code collector}, or null. */
    Instant cursor(Endpoint collector) {
        return cursors.get(collector.toString());
    }

    /** Moves (or, with null, clears) {@code collector}'s cursor; returns the file's new content. */
    String put(Endpoint collector, Instant cursor) {
        if (cursor == null) {
            cursors.remove(collector.toString());
        } else {
            cursors.put(collector.toString(), cursor);
        }
        var json = new JsonObject();
        new TreeMap<>(cursors).forEach((k, v) -> json.put(k, v.toString()));
        return new JsonObject().put("version", 1).put("collectors", json).encode();
    }

    /** Replaces the file with {@code content}, durably; blocking. */
    void save(String content) throws IOException {
        Path tmp = file.resolveSibling(FILE + ".tmp");
        try (var channel = FileChannel.open(tmp, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                StandardOpenOption.TRUNCATE_EXISTING)) {
            var bytes = ByteBuffer.wrap(content.getBytes(StandardCharsets.UTF_8));
            while (bytes.hasRemaining()) {
                channel.write(bytes);
            }
            channel.force(true);
        }
        Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    }

    /**
     * Where a pull that got {@code points} should resume: per source ({@code src_ip} tag, one per
     * collector) the newest point time, then the oldest of those, so a collector whose set reached an
     * aggregating API later than another's is not skipped. Null when no point has a real time (the
     * original collector sends the zero time).
     */
    static Instant resumeAfter(JsonArray points) {
        var newest = new HashMap<String, Instant>();
        String lastText = null;
        Instant last = null;
        for (Object o : points) {
            if (!(o instanceof JsonObject point) || !(point.getValue("time") instanceof String text)) {
                continue;
            }
            if (!text.equals(lastText)) {
                lastText = text;
                last = parse(text);
            }
            if (last != null) {
                String src = point.getValue("tags") instanceof JsonObject tags && tags.getValue("src_ip") instanceof String ip ? ip : "";
                newest.merge(src, last, (a, b) -> a.isAfter(b) ? a : b);
            }
        }
        return newest.values().stream().min(Comparator.naturalOrder()).orElse(null);
    }

    /** An RFC 3339 time after 1970, or null. */
    private static Instant parse(String text) {
        if (text.length() > MAX_TIME_CHARS) {
            return null;
        }
        try {
            var t = OffsetDateTime.parse(text).toInstant();
            return t.getEpochSecond() > 0 ? t : null;
        } catch (DateTimeParseException e) {
            return null;
        }
    }
}
