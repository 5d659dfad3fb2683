package dev.llama.config;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.util.HexFormat;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * The key every node of one cluster shares ({@code cluster.secret_file}): HMAC-SHA256 over what a node
 * writes where any cluster member could write, so that a process that joins Hazelcast without the
 * secret cannot forge it. Comparisons are constant-time.
 */
public final class ClusterSecret {
    /** HMAC-SHA256 output, bytes. */
    public static final int MAC_LENGTH = 32;
    /** A shorter secret is refused: {@code llama certs} writes 64 hex digits. */
    public static final int MIN_LENGTH = 32;
    private static final String ALGORITHM = "HmacSHA256";

    private final SecretKeySpec key;

    private ClusterSecret(byte[] key) {
        this.key = new SecretKeySpec(key, ALGORITHM);
    }

    /** A secret from its bytes; at least {@link #MIN_LENGTH} of them. */
    public static ClusterSecret of(byte[] key) {
        if (key.length < MIN_LENGTH) {
            throw new IllegalArgumentException("a cluster secret has at least " + MIN_LENGTH + " bytes, got " + key.length);
        }
        return new ClusterSecret(key.clone());
    }

    /** The secret in {@code file}: its text without surrounding white space, at least 32 printable characters. */
    public static ClusterSecret read(Path file) throws IOException {
        String text = Files.readString(file, StandardCharsets.UTF_8).strip();
        if (text.chars().anyMatch(c -> c < 0x21 || c > 0x7e)) {
            throw new IllegalArgumentException(file + ": a cluster secret is printable ASCII on one line");
        }
        return of(text.getBytes(StandardCharsets.US_ASCII));
    }

    /** HMAC-SHA256 of {@code data}. */
    public byte[] mac(byte[] data) {
        try {
            Mac mac = Mac.getInstance(ALGORITHM);
            mac.init(key);
            return mac.doFinal(data);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 is part of every JRE", e);
        }
    }

    /** Whether {@code mac} is the MAC of {@code data}, compared in constant time. */
    public boolean verify(byte[] data, byte[] mac) {
        return mac != null && MessageDigest.isEqual(mac(data), mac);
    }

    /** The MAC of {@code text} (UTF-8) in lower-case hex. */
    public String sign(String text) {
        return HexFormat.of().formatHex(mac(text.getBytes(StandardCharsets.UTF_8)));
    }

    /** Whether {@code hex} is {@link #sign}'s answer for {@code text}; malformed hex is simply no. */
    public boolean verify(String text, Object hex) {
        if (!(hex instanceof String s) || s.length() != 2 * MAC_LENGTH) {
            return false;
        }
        try {
            return verify(text.getBytes(StandardCharsets.UTF_8), HexFormat.of().parseHex(s));
        } catch (IllegalArgumentException e) {
            return false;
        }
    }

    /** The key bytes, for the summary codec (which lives below this package). */
    public byte[] keyBytes() {
        return key.getEncoded();
    }
}
