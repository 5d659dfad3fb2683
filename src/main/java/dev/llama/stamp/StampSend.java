package dev.llama.stamp;

import io.netty.buffer.ByteBuf;

/**
 * The Session-Sender's codec: writes test packets (RFC 8762 §4.2.1/§4.2.2, optionally with a Class of
 * Service TLV of RFC 8972 §4.4) and parses reflected ones (§4.3.1/§4.3.2). Offsets are those in
 * {@link StampReflect}.
 */
public final class StampSend {
    private StampSend() {
    }

    /**
     * Appends a test packet to {@code out} at its writer index.
     *
     * @param cosDscp the DSCP to ask for on the reply in a CoS TLV, or -1 for none
     * @param hmac    the key's signer, required when {@code authenticated}
     * @return octets written
     */
    public static int writeRequest(ByteBuf out, boolean authenticated, long sequence, long timestamp, int errorEstimate,
                                   int ssid, int cosDscp, StampHmac hmac) {
        int start = out.writerIndex();
        int base = authenticated ? StampReflect.AUTH_LENGTH : StampReflect.UNAUTH_LENGTH;
        int length = base + (cosDscp >= 0 ? StampTlv.HEADER + StampTlv.COS_LENGTH : 0);
        out.ensureWritable(length);
        out.setZero(start, length);
        int o = authenticated ? 12 : 0;
        out.setInt(start, (int) sequence);
        out.setLong(start + 4 + o, timestamp);
        out.setShort(start + 12 + o, errorEstimate);
        out.setShort(start + 14 + o, ssid);
        if (cosDscp >= 0) {
            int at = start + base;
            out.setByte(at + 1, StampTlv.TYPE_COS);
            out.setShort(at + 2, StampTlv.COS_LENGTH);
            out.setByte(at + 4, (cosDscp & 0x3f) << 2);
        }
        if (authenticated) {
            hmac.sign(out, start);
        }
        out.writerIndex(start + length);
        return length;
    }

    /** Parses the readable bytes of {@code buf} as a reflected packet; false when it is not a valid one. */
    public static boolean parseReply(ByteBuf buf, boolean authenticated, StampHmac hmac, StampReply out) {
        int s = buf.readerIndex();
        int length = buf.readableBytes();
        int base = authenticated ? StampReflect.AUTH_LENGTH : StampReflect.UNAUTH_LENGTH;
        if (length < base || authenticated && !hmac.verify(buf, s) || !StampTlv.scan(buf, s + base, s + length, out)) {
            return false;
        }
        boolean a = authenticated;
        out.sequence = buf.getUnsignedInt(s);
        out.timestamp = buf.getLong(s + (a ? 16 : 4));
        out.errorEstimate = buf.getUnsignedShort(s + (a ? 24 : 12));
        out.ssid = buf.getUnsignedShort(s + (a ? 26 : 14));
        out.receiveTimestamp = buf.getLong(s + (a ? 32 : 16));
        out.senderSequence = buf.getUnsignedInt(s + (a ? 48 : 24));
        out.senderTimestamp = buf.getLong(s + (a ? 64 : 28));
        out.senderErrorEstimate = buf.getUnsignedShort(s + (a ? 72 : 36));
        out.senderTtl = buf.getUnsignedByte(s + (a ? 80 : 40));
        out.cosDscp1 = -1;
        out.cosDscp2 = -1;
        out.cosEcn = 0;
        out.cosRp = 0;
        out.cosFlags = 0;
        if (out.cosAt >= 0) {
            int v = buf.getUnsignedShort(out.cosAt + StampTlv.HEADER);
            out.cosFlags = buf.getUnsignedByte(out.cosAt);
            out.cosDscp1 = v >>> 10;
            out.cosDscp2 = v >>> 4 & 0x3f;
            out.cosEcn = v >>> 2 & 3;
            out.cosRp = v & 3;
        }
        int unrecognized = 0;
        for (int at = s + base; at < out.tlvEnd; at += StampTlv.HEADER + buf.getUnsignedShort(at + 2)) {
            if ((buf.getUnsignedByte(at) & StampTlv.FLAG_U) != 0) {
                unrecognized++;
            }
        }
        out.unrecognizedTlvs = unrecognized;
        return true;
    }
}
