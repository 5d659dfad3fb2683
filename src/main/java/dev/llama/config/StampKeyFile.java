package dev.llama.config;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * A STAMP authenticated-mode key file (RFC 8762 leaves key sharing out): the key in hex, at least
 * {@value #MIN_KEY} bytes, on the first line that is neither blank nor a {@code #} comment. Read by the
 * reflector's flags, the node config and the collector's targets, so each names its own key in errors.
 */
public final class StampKeyFile {
    /** Shortest key accepted, bytes. */
    public static final int MIN_KEY = 16;

    private StampKeyFile() {
    }

    /** Reads the key from {@code file}; an {@link IllegalArgumentException} names the file and the problem. */
    public static byte[] read(Path file) throws IOException {
        return parse(Files.readString(file, StandardCharsets.UTF_8), file.toString());
    }

    /** Parses a key file's text; {@code source} names it in errors. */
    public static byte[] parse(String text, String source) {
        for (String raw : text.split("\n", -1)) {
            String line = raw.strip();
            if (line.isEmpty() || line.startsWith("#")) {
                continue;
            }
            if (line.length() % 2 != 0 || !line.chars().allMatch(c -> Character.digit(c, 16) >= 0)) {
                throw new IllegalArgumentException(source + ": the STAMP key must be hex digits");
            }
            byte[] key = new byte[line.length() / 2];
            for (int i = 0; i < key.length; i++) {
                key[i] = (byte) Integer.parseInt(line, 2 * i, 2 * i + 2, 16);
            }
            if (key.length < MIN_KEY) {
                throw new IllegalArgumentException(source + ": the STAMP key must be at least " + MIN_KEY + " bytes");
            }
            return key;
        }
        throw new IllegalArgumentException(source + ": no STAMP key in the file");
    }
}
