package dev.llama.probe;

/**
 * The decoded fields of one probe, as offsets into the datagram it came from.
 *
 * <p>One instance is reused for every datagram a handler reads, so decoding allocates nothing.
 */
public final class ProbeView {
    /** {@link #tos} when the probe carries no TOS byte (field absent or empty). */
    public static final int NO_TOS = -1;

    int signatureOffset;
    int signatureLength;
    int tos;
    long sent;
    long rcvd;
    long rtt;
    boolean lost;
    int paddingLength;

    void reset() {
        signatureOffset = 0;
        signatureLength = 0;
        tos = NO_TOS;
        sent = 0;
        rcvd = 0;
        rtt = 0;
        lost = false;
        paddingLength = 0;
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
}
