package dev.llama.stamp;

import io.netty.buffer.ByteBuf;
import java.security.GeneralSecurityException;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * STAMP's authenticated-mode integrity check (RFC 8762 §4.4): HMAC-SHA-256 truncated to its first 128
 * bits, over the first 96 octets of the test packet, in the 16-octet HMAC field that follows them. How
 * the key is shared is outside the RFC (llama reads it from a hex key file).
 *
 * <p>Not thread-safe (one {@link Mac} and scratch buffers, reused so a check allocates nothing): one
 * instance per event loop.
 */
public final class StampHmac {
    /** Octets covered by the HMAC. */
    public static final int COVERED = 96;
    /** Octets of the HMAC field. */
    public static final int LENGTH = 16;
    /** Shortest key accepted, bytes. */
    public static final int MIN_KEY = 16;

    private final Mac mac;
    private final byte[] text = new byte[COVERED];
    private final byte[] digest = new byte[32];
    private final byte[] received = new byte[LENGTH];

    public StampHmac(byte[] key) {
        if (key.length < MIN_KEY) {
            throw new IllegalArgumentException("STAMP key must be at least " + MIN_KEY + " bytes, got " + key.length);
        }
        try {
            mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(key, "HmacSHA256"));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 unavailable", e);
        }
    }

    /** Whether the HMAC field at {@code start + 96} matches the 96 octets from {@code start}; constant time. */
    public boolean verify(ByteBuf buf, int start) {
        compute(buf, start);
        buf.getBytes(start + COVERED, received);
        int diff = 0;
        for (int i = 0; i < LENGTH; i++) {
            diff |= received[i] ^ digest[i];
        }
        return diff == 0;
    }

    /** Writes the HMAC of the 96 octets from {@code start} into the field that follows them. */
    public void sign(ByteBuf buf, int start) {
        compute(buf, start);
        buf.setBytes(start + COVERED, digest, 0, LENGTH);
    }

    private void compute(ByteBuf buf, int start) {
        buf.getBytes(start, text);
        mac.update(text);
        try {
            mac.doFinal(digest, 0);
        } catch (javax.crypto.ShortBufferException e) {
            throw new IllegalStateException(e);
        }
    }
}
