package dev.llama.scraper;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.util.List;

/**
 * The file where points InfluxDB refused go, so they are out of the way of the points behind them but
 * not lost. It is line protocol with {@code #} comment lines saying when, from where and why; after
 * fixing the cause, the points can be written again as they are.
 */
public final class DeadLetter {
    private final Path file;

    public DeadLetter(Path file) {
        this.file = file;
    }

    public Path file() {
        return file;
    }

    /** Appends refused lines under a comment with the server's reason; blocks on file I/O. */
    public void append(String source, String reason, List<String> lines) throws IOException {
        var text = new StringBuilder()
                .append("# ").append(Instant.now()).append(" from ").append(oneLine(source))
                .append(": ").append(oneLine(reason)).append('\n');
        for (String line : lines) {
            text.append(line).append('\n');
        }
        Files.writeString(file, text, StandardCharsets.UTF_8, StandardOpenOption.CREATE, StandardOpenOption.APPEND,
                StandardOpenOption.SYNC);
    }

    private static String oneLine(String s) {
        return s.replace('\n', ' ').replace('\r', ' ');
    }
}
