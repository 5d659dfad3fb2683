package dev.llama.stamp;

/**
 * A Session-Sender test packet that {@link StampReflect#parse} accepted: its fields, and where its TLVs
 * are. Mutable and reused for every packet on one event loop.
 */
public final class StampRequest extends StampTlv.TlvScan {
    boolean authenticated;
    int start;
    int length;
    long sequence;
    long timestamp;
    int errorEstimate;
    int ssid;
    int requestedDscp;

    /** The sender's sequence number (unsigned 32 bits). */
    public long sequence() {
        return sequence;
    }

    /** The sender's timestamp (T1), 64-bit NTP or PTP as its error estimate says. */
    public long timestamp() {
        return timestamp;
    }

    public int errorEstimate() {
        return errorEstimate;
    }

    /** The Session-Sender Identifier (RFC 8972 §3). */
    public int ssid() {
        return ssid;
    }

    public boolean authenticated() {
        return authenticated;
    }

    /** Octets of the packet; the reply has as many. */
    public int length() {
        return length;
    }

    /** The number of TLVs. */
    public int tlvCount() {
        return count;
    }

    /** The DSCP a Class of Service TLV asks for on the reply (its DSCP1), or -1 without one. */
    public int requestedDscp() {
        return requestedDscp;
    }
}
