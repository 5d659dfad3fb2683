package dev.llama.probe;

import io.netty.buffer.ByteBuf;

/**
 * Encodes and decodes {@code llama.Probe} (src/main/proto/llama.proto) directly in Netty buffers.
 *
 * <p>Decoding is stricter than a general protobuf parser, on purpose: a datagram is a probe only if it
 * is a well-formed encoding whose known fields have their declared wire types, with no field number 0,
 * no groups, no varint longer than 10 bytes (a tenth byte must be 0x01), no length past the end, a non-empty signature of at most
 * {@value #MAX_SIGNATURE} bytes and a TOS field of at most one byte. Unknown fields of the other wire
 * types are skipped, as protobuf requires. Anything else is dropped by the caller, never answered.
 *
 * <p>Reflector times: our collector's probes end with fields 8 and 9 ({@code fixed64}, zero), taken out
 * of the padding so the probe keeps the original's size; every protobuf reader that does not know them
 * skips them. Our reflector overwrites them in place with its receive and send times
 * ({@link #writeReflectorTimes}), so the reply never grows; probes without them are echoed unchanged. A
 * field 8 or 9 of another wire type is skipped as unknown, as protobuf-java does.
 */
public final class ProbeCodec {
    /** Longest signature accepted; the original sends 10 bytes. */
    public static final int MAX_SIGNATURE = 64;
    /** Padding the original sends, giving a 1,028-byte probe with a 10-byte signature. */
    public static final int DEFAULT_PADDING = 1000;

    static final int WT_VARINT = 0;
    static final int WT_FIXED64 = 1;
    static final int WT_LEN = 2;
    static final int WT_FIXED32 = 5;

    private static final int TAG_SIGNATURE = 1 << 3 | WT_LEN;
    private static final int TAG_TOS = 2 << 3 | WT_LEN;
    private static final int TAG_SENT = 3 << 3 | WT_VARINT;
    private static final int TAG_PADDING = 7 << 3 | WT_LEN;
    private static final int TAG_REFLECTOR_RCVD = 8 << 3 | WT_FIXED64;
    private static final int TAG_REFLECTOR_SENT = 9 << 3 | WT_FIXED64;
    /** Bytes the two reflector time placeholders take (tag and 8 bytes each). */
    public static final int REFLECTOR_TIMES_SIZE = 18;

    private ProbeCodec() {
    }

    /**
     * Decodes the readable bytes of {@code buf} into {@code view} without moving the buffer's indexes.
     *
     * @return true when the bytes are a probe
     */
    public static boolean decode(ByteBuf buf, ProbeView view) {
        view.reset();
        int pos = buf.readerIndex();
        final int end = buf.writerIndex();
        boolean hasSignature = false;
        while (pos < end) {
            long tag = 0;
            int shift = 0;
            int b;
            do {
                if (pos >= end || shift > 28) {
                    return false;
                }
                b = buf.getByte(pos++);
                tag |= (long) (b & 0x7f) << shift;
                shift += 7;
            } while (b < 0);
            if (tag > 0xffffffffL) {
                return false;
            }
            int field = (int) (tag >>> 3);
            int wireType = (int) (tag & 7);
            if (field == 0) {
                return false;
            }
            switch (wireType) {
                case WT_VARINT -> {
                    long value = 0;
                    shift = 0;
                    do {
                        if (pos >= end || shift > 63) {
                            return false;
                        }
                        b = buf.getByte(pos++);
                        if (shift == 63 && b != 1) {
                            // A tenth byte other than 0x01 overflows 64 bits or pads a shorter value;
                            // decoders disagree on the latter (protobuf-java's fast path misreads it).
                            return false;
                        }
                        value |= (long) (b & 0x7f) << shift;
                        shift += 7;
                    } while (b < 0);
                    switch (field) {
                        case 3 -> view.sent = value;
                        case 4 -> view.rcvd = value;
                        case 5 -> view.rtt = value;
                        case 6 -> view.lost = value != 0;
                        case 1, 2, 7 -> {
                            return false;
                        }
                        default -> {
                        }
                    }
                }
                case WT_LEN -> {
                    long len = 0;
                    shift = 0;
                    do {
                        if (pos >= end || shift > 28) {
                            return false;
                        }
                        b = buf.getByte(pos++);
                        len |= (long) (b & 0x7f) << shift;
                        shift += 7;
                    } while (b < 0);
                    if (len > end - pos) {
                        return false;
                    }
                    int n = (int) len;
                    switch (field) {
                        case 1 -> {
                            view.signatureOffset = pos;
                            view.signatureLength = n;
                            hasSignature = n > 0;
                        }
                        case 2 -> {
                            if (n > 1) {
                                return false;
                            }
                            view.tos = n == 0 ? ProbeView.NO_TOS : buf.getUnsignedByte(pos);
                        }
                        case 7 -> view.paddingLength = n;
                        case 3, 4, 5, 6 -> {
                            return false;
                        }
                        default -> {
                        }
                    }
                    pos += n;
                }
                case WT_FIXED64, WT_FIXED32 -> {
                    if (field <= 7) {
                        return false;
                    }
                    int n = wireType == WT_FIXED64 ? 8 : 4;
                    if (n > end - pos) {
                        return false;
                    }
                    if (wireType == WT_FIXED64 && field == 8) {
                        view.reflectorRcvdOffset = pos;
                        view.reflectorRcvd = buf.getLongLE(pos);
                    } else if (wireType == WT_FIXED64 && field == 9) {
                        view.reflectorSentOffset = pos;
                        view.reflectorSent = buf.getLongLE(pos);
                    }
                    pos += n;
                }
                default -> {
                    return false;
                }
            }
        }
        return hasSignature && view.signatureLength <= MAX_SIGNATURE;
    }

    /** Size in bytes of a probe written by {@link #encode}. */
    public static int encodedSize(int signatureLength, long sent, int paddingLength) {
        return encodedSize(signatureLength, sent, paddingLength, false);
    }

    /** Size in bytes of a probe written by {@link #encode}, with or without the reflector time placeholders. */
    public static int encodedSize(int signatureLength, long sent, int paddingLength, boolean reflectorTimes) {
        int size = reflectorTimes ? REFLECTOR_TIMES_SIZE : 0;
        size += 1 + varintSize(signatureLength) + signatureLength + 3;
        if (sent != 0) {
            size += 1 + varintSize(sent);
        }
        if (paddingLength > 0) {
            size += 1 + varintSize(paddingLength) + paddingLength;
        }
        return size;
    }

    /**
     * Writes a probe the way the original collector does: signature, tos, sent, then zero padding, in
     * field order, with proto3's rule that zero scalars are left out.
     */
    public static void encode(ByteBuf out, byte[] signature, int tos, long sent, int paddingLength) {
        out.writeByte(TAG_SIGNATURE);
        writeVarint(out, signature.length);
        out.writeBytes(signature);
        writeHeadTail(out, tos, sent, paddingLength);
    }

    /** {@link #encode}, then, when {@code reflectorTimes}, the zero placeholders of fields 8 and 9. */
    public static void encode(ByteBuf out, byte[] signature, int tos, long sent, int paddingLength, boolean reflectorTimes) {
        encode(out, signature, tos, sent, paddingLength);
        if (reflectorTimes) {
            out.writeByte(TAG_REFLECTOR_RCVD);
            out.writeLongLE(0);
            out.writeByte(TAG_REFLECTOR_SENT);
            out.writeLongLE(0);
        }
    }

    /**
     * Fills the reflector time fields of the probe decoded into {@code view} in place (the datagram keeps
     * its size) and in {@code view}; does nothing when the probe has none. With probe keys, the reply MAC
     * must be computed after this, so that it covers the times.
     *
     * @param rcvdNanos when the probe arrived, ns
     * @param sentNanos when the reply leaves, ns in the same clock
     */
    public static void writeReflectorTimes(ByteBuf buf, ProbeView view, long rcvdNanos, long sentNanos) {
        if (!view.hasReflectorTimes()) {
            return;
        }
        buf.setLongLE(view.reflectorRcvdOffset, rcvdNanos);
        buf.setLongLE(view.reflectorSentOffset, sentNanos);
        view.reflectorRcvd = rcvdNanos;
        view.reflectorSent = sentNanos;
    }

    /**
     * Writes a probe whose signature is a 64-bit sequence number followed by a 16-bit salt: the form the
     * collector uses so that a reply finds its slot in the in-flight table without a map lookup.
     */
    public static void encodeSequenced(ByteBuf out, long sequence, short salt, int tos, long sent, int paddingLength) {
        out.writeByte(TAG_SIGNATURE);
        out.writeByte(SEQUENCED_SIGNATURE);
        out.writeLong(sequence);
        out.writeShort(salt);
        writeHeadTail(out, tos, sent, paddingLength);
    }

    /** Length of the signature written by {@link #encodeSequenced}, the same as the original's. */
    public static final int SEQUENCED_SIGNATURE = 10;

    private static void writeHeadTail(ByteBuf out, int tos, long sent, int paddingLength) {
        out.writeByte(TAG_TOS);
        out.writeByte(1);
        out.writeByte(tos);
        if (sent != 0) {
            out.writeByte(TAG_SENT);
            writeVarint(out, sent);
        }
        if (paddingLength > 0) {
            out.writeByte(TAG_PADDING);
            writeVarint(out, paddingLength);
            out.writeZero(paddingLength);
        }
    }

    static void writeVarint(ByteBuf out, long value) {
        while ((value & ~0x7fL) != 0) {
            out.writeByte((int) (value & 0x7f) | 0x80);
            value >>>= 7;
        }
        out.writeByte((int) value);
    }

    static int varintSize(long value) {
        return value == 0 ? 1 : (63 - Long.numberOfLeadingZeros(value)) / 7 + 1;
    }
}
