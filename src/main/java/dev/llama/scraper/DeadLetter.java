package dev.llama.scraper;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.util.List;

/**
 * The file where points InfluxDB refused go, so they are out of the way of the points behind them but
 * not lost. It is line protocol with {@code #} comment lines saying when, from where and why; after
 * fixing the cause, the points can be written again as they are. When an append would take it past
 * its size cap, it becomes {@code NAME.1} (replacing the one before) and a new file starts, so a
 * source that keeps sending refused points fills at most twice the cap.
 */
public final class DeadLetter {
    /** The default cap: 16 MB, about 80,000 points. */
    public static final long DEFAULT_MAX_BYTES = 16L << 20;

    private final Path file;
    private final long maxBytes;

    public DeadLetter(Path file) {
        this(file, DEFAULT_MAX_BYTES);
    }

    public DeadLetter(Path file, long maxBytes) {
        this.file = file;
        this.maxBytes = maxBytes;
    }

    public Path file() {
        return file;
    }

    /** The file the current one becomes when it is full. */
    public Path previous() {
        return file.resolveSibling(file.getFileName() + ".1");
    }

    /** Appends refused lines under a comment with the server's reason; blocks on file I/O. */
    public void append(String source, String reason, List<String> lines) throws IOException {
        var text = new StringBuilder()
                .append("# ").append(Instant.now()).append(" from ").append(oneLine(source))
                .append(": ").append(oneLine(reason)).append('\n');
        for (String line : lines) {
            text.append(line).append('\n');
        }
        byte[] bytes = text.toString().getBytes(StandardCharsets.UTF_8);
        if (Files.exists(file) && Files.size(file) > 0 && Files.size(file) + bytes.length > maxBytes) {
            Files.move(file, previous(), StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        }
        Files.write(file, bytes, StandardOpenOption.CREATE, StandardOpenOption.APPEND, StandardOpenOption.SYNC);
    }

    private static String oneLine(String s) {
        return s.replace('\n', ' ').replace('\r', ' ');
    }
}
