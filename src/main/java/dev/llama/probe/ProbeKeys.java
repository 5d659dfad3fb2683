package dev.llama.probe;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * The shared keys of authenticated probes, read from a key file: one key per line, {@code ID SECRET},
 * where ID is a decimal 1 to 4294967295 and SECRET at least {@value #MIN_SECRET} printable ASCII
 * characters (hex or not, its characters are the key). Blank lines and lines starting with {@code #} are
 * skipped. The first key signs what this process sends; every key verifies, so keys rotate without a
 * flag day: add the new key below on every reflector, then move it first on the collectors, then drop
 * the old one.
 */
public final class ProbeKeys {
    /** Shortest secret accepted, characters. */
    public static final int MIN_SECRET = 16;
    private static final long MAX_ID = 0xffff_ffffL;

    private final long[] ids;
    private final byte[][] secrets;

    private ProbeKeys(long[] ids, byte[][] secrets) {
        this.ids = ids;
        this.secrets = secrets;
    }

    /**
     * Reads {@code file}.
     *
     * @throws IllegalArgumentException naming the file and line of the first problem
     */
    public static ProbeKeys read(Path file) throws IOException {
        return parse(Files.readString(file, StandardCharsets.UTF_8), file.toString());
    }

    /**
     * Parses a key file's text; {@code source} names it in errors.
     *
     * @throws IllegalArgumentException naming {@code source} and the line of the first problem
     */
    public static ProbeKeys parse(String text, String source) {
        var ids = new ArrayList<Long>();
        var secrets = new ArrayList<byte[]>();
        String[] lines = text.split("\n", -1);
        for (int i = 0; i < lines.length; i++) {
            String line = lines[i].strip();
            if (line.isEmpty() || line.startsWith("#")) {
                continue;
            }
            String where = source + ":" + (i + 1) + ": ";
            String[] parts = line.split("[ \t]+");
            if (parts.length != 2) {
                throw new IllegalArgumentException(where + "expected \"ID SECRET\"");
            }
            long id = parseId(parts[0], where);
            if (ids.contains(id)) {
                throw new IllegalArgumentException(where + "key id " + id + " appears twice");
            }
            String secret = parts[1];
            if (secret.length() < MIN_SECRET || secret.chars().anyMatch(c -> c < 0x21 || c > 0x7e)) {
                throw new IllegalArgumentException(where + "a secret is at least " + MIN_SECRET + " printable ASCII characters");
            }
            ids.add(id);
            secrets.add(secret.getBytes(StandardCharsets.US_ASCII));
        }
        if (ids.isEmpty()) {
            throw new IllegalArgumentException(source + ": no keys (one \"ID SECRET\" per line)");
        }
        return new ProbeKeys(ids.stream().mapToLong(Long::longValue).toArray(), secrets.toArray(byte[][]::new));
    }

    private static long parseId(String s, String where) {
        if (s.isEmpty() || s.length() > 10 || !s.chars().allMatch(c -> c >= '0' && c <= '9')) {
            throw new IllegalArgumentException(where + "key id \"" + s + "\" is not a decimal 1-" + MAX_ID);
        }
        long id = Long.parseLong(s);
        if (id < 1 || id > MAX_ID) {
            throw new IllegalArgumentException(where + "key id " + id + " is not 1-" + MAX_ID);
        }
        return id;
    }

    /** How many keys. */
    public int size() {
        return ids.length;
    }

    /** The id of the {@code i}-th key; the 0th signs. */
    public long id(int i) {
        return ids[i];
    }

    /** The index of the key with {@code id}, or -1. */
    public int indexOf(long id) {
        for (int i = 0; i < ids.length; i++) {
            if (ids[i] == id) {
                return i;
            }
        }
        return -1;
    }

    byte[] secret(int i) {
        return secrets[i];
    }

    /** The key ids, for logs (never the secrets). */
    @Override
    public String toString() {
        return "key ids " + Arrays.toString(ids) + " (signing with " + ids[0] + ")";
    }
}
