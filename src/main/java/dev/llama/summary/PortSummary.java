package dev.llama.summary;

/**
 * One path of a pair in one interval: the probes from one source port to one destination port. RTTs
 * are milliseconds, {@code NaN} when nothing was answered; {@code loss} is a percentage.
 */
public record PortSummary(int srcPort, int dstPort, long sent, long lost, double loss, double rtt, double rttMin,
        double rttMax) {
}
