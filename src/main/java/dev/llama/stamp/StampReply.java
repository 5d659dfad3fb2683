package dev.llama.stamp;

/**
 * A reflected test packet that {@link StampSend#parseReply} accepted. Mutable and reused on one event
 * loop. RTT is {@code (T4 − T1) − (T3 − T2)}: {@link #senderTimestamp} is T1, {@link #receiveTimestamp}
 * T2, {@link #timestamp} T3.
 */
public final class StampReply extends StampTlv.TlvScan {
    long sequence;
    long timestamp;
    int errorEstimate;
    int ssid;
    long receiveTimestamp;
    long senderSequence;
    long senderTimestamp;
    int senderErrorEstimate;
    int senderTtl;
    int cosDscp1 = -1;
    int cosDscp2 = -1;
    int cosEcn;
    int cosRp;
    int cosFlags;
    int unrecognizedTlvs;

    public long sequence() {
        return sequence;
    }

    /** T3, the reflector's transmit time. */
    public long timestamp() {
        return timestamp;
    }

    public int errorEstimate() {
        return errorEstimate;
    }

    public int ssid() {
        return ssid;
    }

    /** T2, the reflector's receive time. */
    public long receiveTimestamp() {
        return receiveTimestamp;
    }

    public long senderSequence() {
        return senderSequence;
    }

    /** T1, copied from the request. */
    public long senderTimestamp() {
        return senderTimestamp;
    }

    public int senderErrorEstimate() {
        return senderErrorEstimate;
    }

    public int senderTtl() {
        return senderTtl;
    }

    /** The reflector's dwell {@code T3 − T2} in nanoseconds. */
    public long dwellNanos() {
        return Ntp.diffNanos(timestamp, receiveTimestamp);
    }

    /** The round trip {@code (T4 − T1) − (T3 − T2)} in nanoseconds, for the arrival time {@code t4} (NTP). */
    public long rttNanos(long t4) {
        return Ntp.diffNanos(t4, senderTimestamp) - dwellNanos();
    }

    /** DSCP1 of the reply's Class of Service TLV, or -1 without one. */
    public int cosRequestedDscp() {
        return cosDscp1;
    }

    /** DSCP2: the DSCP the reflector received, or -1 without a CoS TLV. */
    public int cosReceivedDscp() {
        return cosDscp2;
    }

    public int cosEcn() {
        return cosEcn;
    }

    /** RP: 0 when the reflector used DSCP1 on the reply. */
    public int cosRp() {
        return cosRp;
    }

    /** The CoS TLV's flags as reflected. */
    public int cosFlags() {
        return cosFlags;
    }

    /** TLVs the reflector flagged U (did not recognize). */
    public int unrecognizedTlvs() {
        return unrecognizedTlvs;
    }

    public int tlvCount() {
        return count;
    }
}
