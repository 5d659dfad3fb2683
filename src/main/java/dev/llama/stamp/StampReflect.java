package dev.llama.stamp;

import io.netty.buffer.ByteBuf;

/**
 * The Session-Reflector's codec (RFC 8762 §4.3, stateless mode): validates a Session-Sender test packet
 * and turns it into the reflected packet in place, so the reply is exactly as long as the request and
 * nothing is allocated.
 *
 * <p>Layouts, octet offsets (RFC 8762 §4.2.1/§4.2.2 sender, §4.3.1/§4.3.2 reflector, with the SSID of
 * RFC 8972 §3):
 * <pre>
 *                      unauthenticated  authenticated
 *  Sequence Number            0               0
 *  Timestamp                  4              16
 *  Error Estimate            12              24
 *  SSID                      14              26
 *  Receive Timestamp (T2)    16              32     reflector only
 *  Sender Sequence Number    24              48     reflector only
 *  Sender Timestamp (T1)     28              64     reflector only
 *  Sender Error Estimate     36              72     reflector only
 *  Sender TTL                40              80     reflector only
 *  HMAC                       -              96
 *  TLVs                      44             112
 * </pre>
 */
public final class StampReflect {
    /** Base packet octets without authentication, both directions. */
    public static final int UNAUTH_LENGTH = 44;
    /** Base packet octets with authentication, both directions. */
    public static final int AUTH_LENGTH = 112;

    public static final int OK = 0;
    public static final int SHORT = 1;
    public static final int BAD_TLV = 2;
    public static final int BAD_HMAC = 3;
    /** {@code receivedTos} when the transport cannot tell the received TOS byte. */
    public static final int TOS_UNKNOWN = -1;

    private StampReflect() {
    }

    /**
     * Parses the datagram in {@code buf}'s readable bytes as a test packet of the given mode.
     *
     * @param hmac the key's check, required when {@code authenticated}
     * @return {@link #OK}, or why the packet must get no reply
     */
    public static int parse(ByteBuf buf, boolean authenticated, StampHmac hmac, StampRequest out) {
        int start = buf.readerIndex();
        int length = buf.readableBytes();
        int base = authenticated ? AUTH_LENGTH : UNAUTH_LENGTH;
        if (length < base) {
            return SHORT;
        }
        if (authenticated && !hmac.verify(buf, start)) {
            return BAD_HMAC;
        }
        if (!StampTlv.scan(buf, start + base, start + length, out)) {
            return BAD_TLV;
        }
        int o = authenticated ? 12 : 0;
        out.authenticated = authenticated;
        out.start = start;
        out.length = length;
        out.sequence = buf.getUnsignedInt(start);
        out.timestamp = buf.getLong(start + 4 + o);
        out.errorEstimate = buf.getUnsignedShort(start + 12 + o);
        out.ssid = buf.getUnsignedShort(start + 14 + o);
        out.requestedDscp = out.cosAt < 0 ? -1 : buf.getUnsignedByte(out.cosAt + StampTlv.HEADER) >>> 2;
        return OK;
    }

    /**
     * Rewrites the request {@link #parse} accepted into the reflected packet.
     *
     * @param t2          receive timestamp, NTP
     * @param t3          transmit timestamp, NTP: take it as late as possible
     * @param errorEstimate this reflector's clock error estimate
     * @param ttl         the TTL / hop limit the request arrived with (0 when unknown)
     * @param receivedTos the request's IP TOS / traffic class byte, or {@link #TOS_UNKNOWN}
     */
    public static void reflect(ByteBuf buf, StampRequest req, long t2, long t3, int errorEstimate, int ttl, int receivedTos,
                               StampHmac hmac) {
        int s = req.start;
        if (req.authenticated) {
            buf.setZero(s + 4, 12);
            buf.setLong(s + 16, t3);
            buf.setShort(s + 24, errorEstimate);
            buf.setZero(s + 28, 4);
            buf.setLong(s + 32, t2);
            buf.setZero(s + 40, 8);
            buf.setInt(s + 48, (int) req.sequence);
            buf.setZero(s + 52, 12);
            buf.setLong(s + 64, req.timestamp);
            buf.setShort(s + 72, req.errorEstimate);
            buf.setZero(s + 74, 6);
            buf.setByte(s + 80, ttl);
            buf.setZero(s + 81, 15);
        } else {
            buf.setLong(s + 4, t3);
            buf.setShort(s + 12, errorEstimate);
            buf.setLong(s + 16, t2);
            buf.setInt(s + 24, (int) req.sequence);
            buf.setLong(s + 28, req.timestamp);
            buf.setShort(s + 36, req.errorEstimate);
            buf.setZero(s + 38, 2);
            buf.setByte(s + 40, ttl);
            buf.setZero(s + 41, 3);
        }
        markTlvs(buf, req, receivedTos);
        if (req.authenticated) {
            hmac.sign(buf, s);
        }
    }

    /**
     * Sets each TLV's flags as RFC 8972 §4 asks and reports the received DSCP and ECN in a CoS TLV; without
     * the received TOS byte, the CoS TLV comes back with U set (its reply DSCP is still DSCP1).
     */
    private static void markTlvs(ByteBuf buf, StampRequest req, int receivedTos) {
        int at = req.start + (req.authenticated ? AUTH_LENGTH : UNAUTH_LENGTH);
        while (at < req.tlvEnd) {
            int flags = buf.getUnsignedByte(at) & ~(StampTlv.FLAG_U | StampTlv.FLAG_M | StampTlv.FLAG_I);
            int type = buf.getUnsignedByte(at + 1);
            if (type == StampTlv.TYPE_COS) {
                if (receivedTos == TOS_UNKNOWN) {
                    // DSCP2 cannot be filled in: U tells the sender not to read it as the received DSCP.
                    flags |= StampTlv.FLAG_U;
                } else {
                    // DSCP1(6) DSCP2(6) ECN(2) RP(2) Reserved(16); RP 0: DSCP1 was used for the reply.
                    int dscp1 = buf.getUnsignedByte(at + 4) >>> 2;
                    int dscp2 = receivedTos >>> 2 & 0x3f;
                    int ecn = receivedTos & 3;
                    buf.setShort(at + 4, dscp1 << 10 | dscp2 << 4 | ecn << 2);
                }
            } else if (type != StampTlv.TYPE_EXTRA_PADDING) {
                flags |= StampTlv.FLAG_U;
            }
            buf.setByte(at, flags);
            at += StampTlv.HEADER + buf.getUnsignedShort(at + 2);
        }
    }
}
