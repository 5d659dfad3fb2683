package dev.llama.probe;

/**
 * The decoded fields of one probe, as offsets into the datagram it came from.
 *
 * <p>One instance is reused for every datagram a handler reads, so decoding allocates nothing.
 */
public final class ProbeView {
    /** {@link #tos} when the probe carries no TOS byte (field absent or empty). */
    public static final int NO_TOS = -1;
    /** {@link #dwell} of a reply that carries no reflector times (the original's, or an original reflector's echo). */
    public static final long NO_DWELL = Long.MIN_VALUE;

    int signatureOffset;
    int signatureLength;
    int tos;
    long sent;
    long rcvd;
    long rtt;
    boolean lost;
    int paddingLength;
    int reflectorRcvdOffset;
    int reflectorSentOffset;
    long reflectorRcvd;
    long reflectorSent;

    void reset() {
        signatureOffset = 0;
        signatureLength = 0;
        tos = NO_TOS;
        sent = 0;
        rcvd = 0;
        rtt = 0;
        lost = false;
        paddingLength = 0;
        reflectorRcvdOffset = -1;
        reflectorSentOffset = -1;
        reflectorRcvd = 0;
        reflectorSent = 0;
    }

    /** Absolute index of the signature's first byte in the buffer that was decoded. */
    public int signatureOffset() {
        return signatureOffset;
    }

    public int signatureLength() {
        return signatureLength;
    }

    /** The TOS byte (0-255), or {@link #NO_TOS}. */
    public int tos() {
        return tos;
    }

    public long sent() {
        return sent;
    }

    public long rcvd() {
        return rcvd;
    }

    public long rtt() {
        return rtt;
    }

    public boolean lost() {
        return lost;
    }

    public int paddingLength() {
        return paddingLength;
    }

    /** Whether the datagram carries both reflector time fields (8 and 9, fixed64), so a reflector may fill them. */
    public boolean hasReflectorTimes() {
        return reflectorRcvdOffset >= 0 && reflectorSentOffset >= 0;
    }

    /** Field 8: when the reflector received the probe, ns in the reflector's clock; 0 when absent or not filled. */
    public long reflectorRcvd() {
        return reflectorRcvd;
    }

    /** Field 9: when the reflector sent the reply, ns in the same clock as {@link #reflectorRcvd}. */
    public long reflectorSent() {
        return reflectorSent;
    }

    /**
     * The reflector's dwell, send time minus receive time in its own clock (no clock sync needed), in ns;
     * {@link #NO_DWELL} when the fields are absent or both still zero (a reflector that echoes them as they
     * came). May be negative or absurd: a reply is input from the network, the caller judges it.
     */
    public long dwell() {
        if (!hasReflectorTimes() || reflectorRcvd == 0 && reflectorSent == 0) {
            return NO_DWELL;
        }
        return reflectorSent - reflectorRcvd;
    }
}
