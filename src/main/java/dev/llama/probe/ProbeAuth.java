package dev.llama.probe;

import dev.llama.net.UdpTransport;
import io.netty.buffer.ByteBuf;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.util.Arrays;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Authenticated probes: the MAC travels in the signature field, so the wire format stays a valid
 * {@code llama.Probe} for any protobuf reader. An authenticated signature is {@value #SIGNATURE} bytes:
 * sequence (8), token (8), key id (4, unsigned big-endian), then HMAC-SHA256 (32) of a context string
 * and the whole datagram with those 32 bytes zeroed, so the {@code sent} time, TOS and padding are
 * covered too. A probe uses the context {@code llama-probe-v1}; the reflector replaces the MAC with the
 * reply's, under {@code llama-reply-v1} and the same key, so that an echo of a probe is never a valid
 * reply and the reply keeps the probe's size.
 *
 * <p>Not thread-safe: one instance per event loop. It allocates nothing per datagram (one reusable
 * {@link Mac} per key, the datagram copied into a scratch array).
 */
public final class ProbeAuth {
    /** Length of an authenticated signature. */
    public static final int SIGNATURE = 52;
    /** Offset of the key id in the signature. */
    public static final int KEY_ID = 16;
    /** Offset of the MAC in the signature. */
    public static final int MAC = 20;
    /** HMAC-SHA256 output, bytes. */
    public static final int MAC_LENGTH = 32;
    private static final byte[] PROBE_CONTEXT = "llama-probe-v1".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] REPLY_CONTEXT = "llama-reply-v1".getBytes(StandardCharsets.US_ASCII);

    private final ProbeKeys keys;
    private final Mac[] macs;
    private final byte[] scratch = new byte[UdpTransport.MAX_DATAGRAM];
    private final byte[] computed = new byte[MAC_LENGTH];
    private final byte[] received = new byte[MAC_LENGTH];

    public ProbeAuth(ProbeKeys keys) {
        this.keys = keys;
        this.macs = new Mac[keys.size()];
        try {
            for (int i = 0; i < macs.length; i++) {
                macs[i] = Mac.getInstance("HmacSHA256");
                macs[i].init(new SecretKeySpec(keys.secret(i), "HmacSHA256"));
            }
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 is part of every JRE", e);
        }
    }

    public ProbeKeys keys() {
        return keys;
    }

    /** The id of the key that signs probes, to write at {@link #KEY_ID}. */
    public long signingKeyId() {
        return keys.id(0);
    }

    /** The index of the known key that signed this probe, or -1 when it is not authenticated by one. */
    public int verifyProbe(ByteBuf buf, ProbeView view) {
        return verify(buf, view, PROBE_CONTEXT);
    }

    /** The index of the known key that signed this reply, or -1 when it is not authenticated by one. */
    public int verifyReply(ByteBuf buf, ProbeView view) {
        return verify(buf, view, REPLY_CONTEXT);
    }

    /** Signs a probe written with an authenticated signature (MAC bytes zero) at {@code signatureOffset}, with the first key. */
    public void signProbe(ByteBuf buf, int signatureOffset) {
        sign(buf, signatureOffset, 0, PROBE_CONTEXT);
    }

    /** Replaces the MAC of a verified probe with the reply's, signed by key {@code key} ({@link #verifyProbe}'s answer). */
    public void signReply(ByteBuf buf, ProbeView view, int key) {
        sign(buf, view.signatureOffset(), key, REPLY_CONTEXT);
    }

    /**
     * Signs the reply to a probe that {@link #verifyProbe} accepted, with the key named by its key id (for
     * a probe that waited in a queue after verification); false, signing nothing, when that key is unknown.
     */
    public boolean signReply(ByteBuf buf, ProbeView view) {
        int key = view.signatureLength() == SIGNATURE ? keys.indexOf(buf.getUnsignedInt(view.signatureOffset() + KEY_ID)) : -1;
        if (key < 0) {
            return false;
        }
        signReply(buf, view, key);
        return true;
    }

    private int verify(ByteBuf buf, ProbeView view, byte[] context) {
        if (view.signatureLength() != SIGNATURE || buf.readableBytes() > scratch.length) {
            return -1;
        }
        int off = view.signatureOffset();
        int key = keys.indexOf(buf.getUnsignedInt(off + KEY_ID));
        if (key < 0) {
            return -1;
        }
        buf.getBytes(off + MAC, received);
        compute(buf, off, key, context);
        return MessageDigest.isEqual(computed, received) ? key : -1;
    }

    private void sign(ByteBuf buf, int signatureOffset, int key, byte[] context) {
        compute(buf, signatureOffset, key, context);
        buf.setBytes(signatureOffset + MAC, computed);
    }

    private void compute(ByteBuf buf, int signatureOffset, int key, byte[] context) {
        int start = buf.readerIndex();
        int length = buf.readableBytes();
        buf.getBytes(start, scratch, 0, length);
        int mac = signatureOffset + MAC - start;
        Arrays.fill(scratch, mac, mac + MAC_LENGTH, (byte) 0);
        Mac m = macs[key];
        m.update(context);
        m.update(scratch, 0, length);
        try {
            m.doFinal(computed, 0);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("a 32-byte array holds an HMAC-SHA256", e);
        }
    }
}
