package dev.llama.stamp;

import io.netty.buffer.ByteBuf;

/**
 * RFC 8972 §4 TLVs after the base packet: {@code Flags(8) Type(8) Length(16) Value}, with the flags
 * U (unrecognized, 0x80), M (malformed, 0x40) and I (integrity check failed, 0x20).
 *
 * <p>Bounds are strict: a TLV whose length runs past the end of the datagram, a Class of Service TLV of
 * the wrong length, or more than {@value #MAX_TLVS} TLVs make the whole packet malformed (never answered,
 * where RFC 8972 would answer with the M flag: a reflector must not be a lever for odd traffic). Zeros
 * from a TLV boundary to the end are padding, as TWAMP-Light senders add it, and are reflected as they
 * came.
 */
public final class StampTlv {
    public static final int FLAG_U = 0x80;
    public static final int FLAG_M = 0x40;
    public static final int FLAG_I = 0x20;
    /** Extra Padding TLV (IANA STAMP TLV Types, RFC 8972). */
    public static final int TYPE_EXTRA_PADDING = 1;
    /** Class of Service TLV (IANA STAMP TLV Types, RFC 8972 §4.4). */
    public static final int TYPE_COS = 4;
    /** Value octets of a Class of Service TLV. */
    public static final int COS_LENGTH = 4;
    public static final int HEADER = 4;
    /** Most TLVs accepted in one packet. */
    public static final int MAX_TLVS = 64;

    private StampTlv() {
    }

    /**
     * Walks the TLVs from {@code start} to {@code end}; sets {@link TlvScan#tlvEnd} (where zero padding
     * begins, or {@code end}), {@link TlvScan#cosAt} (the first CoS TLV, or -1) and the count.
     *
     * @return false when the TLVs are malformed
     */
    static boolean scan(ByteBuf buf, int start, int end, TlvScan out) {
        out.cosAt = -1;
        out.count = 0;
        int at = start;
        while (at < end) {
            if (end - at < HEADER) {
                if (!zeros(buf, at, end)) {
                    return false;
                }
                break;
            }
            int type = buf.getUnsignedByte(at + 1);
            int length = buf.getUnsignedShort(at + 2);
            if (type == 0 && length == 0 && buf.getByte(at) == 0 && zeros(buf, at + HEADER, end)) {
                break;
            }
            if (length > end - at - HEADER || ++out.count > MAX_TLVS) {
                return false;
            }
            if (type == TYPE_COS) {
                if (length != COS_LENGTH) {
                    return false;
                }
                if (out.cosAt < 0) {
                    out.cosAt = at;
                }
            }
            at += HEADER + length;
        }
        out.tlvEnd = at;
        return true;
    }

    private static boolean zeros(ByteBuf buf, int from, int to) {
        for (int i = from; i < to; i++) {
            if (buf.getByte(i) != 0) {
                return false;
            }
        }
        return true;
    }

    /** The result of {@link #scan}; reused, never shared between threads. */
    static class TlvScan {
        int tlvEnd;
        int cosAt;
        int count;
    }
}
