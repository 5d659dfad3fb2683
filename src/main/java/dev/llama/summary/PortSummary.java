package dev.llama.summary;

/**
 * One path of a pair in one interval: the probes from one source port to one destination port. RTTs
 * are milliseconds, {@code NaN} when nothing was answered; {@code loss} is a percentage.
 *
 * @param dwell       mean time the reflector held a probe (its send minus receive time, in its own clock), ms;
 *                    NaN when no reply carried reflector times
 * @param rttNet      mean RTT minus dwell over the replies that carried a dwell, ms; NaN when none did
 * @param tosSent     the TOS byte the probes were sent with, -1 when unknown
 * @param tosReceived the TOS byte replies most often arrived with, -1 when unknown
 * @param remarked    replies whose DSCP ({@code tos >> 2}) differs from the one sent
 */
public record PortSummary(int srcPort, int dstPort, long sent, long lost, double loss, double rtt, double rttMin,
        double rttMax, double dwell, double rttNet, int tosSent, int tosReceived, long remarked) {

    /** Without reflector times and TOS accounting (unknown, none remarked). */
    public PortSummary(int srcPort, int dstPort, long sent, long lost, double loss, double rtt, double rttMin, double rttMax) {
        this(srcPort, dstPort, sent, lost, loss, rtt, rttMin, rttMax, Double.NaN, Double.NaN, -1, -1, 0);
    }
}
