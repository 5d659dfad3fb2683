package dev.llama.summary;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * One (source IP, destination IP) pair in one interval. RTTs are milliseconds and {@code NaN} when no
 * probe was answered (no answer is not 0 ms); {@code loss} is a percentage of {@code sent}. Addresses
 * are in RFC 5952 / dotted-quad text form. {@code tags} are the target's; on cluster nodes they carry
 * both ends' names and tags as {@code src_*} and {@code dst_*}.
 *
 * <p>Reflector time: {@code dwell} is the mean time the reflector held a probe (send minus receive time,
 * both in its own clock), {@code rttNet*} the RTT minus dwell of the replies that carried one: NaN when
 * none did (an original reflector). {@code dwellInvalid} counts replies whose dwell was negative or longer
 * than their RTT, left out. DSCP: {@code tosSent} the TOS byte sent (-1 when unknown or when the pair's
 * ports differ), {@code tosReceived} the one replies most often arrived with (-1 when unknown),
 * {@code remarked} the replies whose DSCP ({@code tos >> 2}) differs from the one sent.
 */
public record PairSummary(String srcIp, String dstIp, Map<String, String> tags, long sent, long lost, double loss,
        double rtt, double rttMin, double rttMax, double rttP50, double rttP90, double rttP99, double rttStddev,
        double jitter, long late, long duplicates, List<PortSummary> ports, double dwell, double rttNet, double rttNetP50,
        double rttNetP90, double rttNetP99, long dwellInvalid, int tosSent, int tosReceived, long remarked) {

    public PairSummary {
        tags = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(tags));
        ports = List.copyOf(ports);
    }

    /** Without reflector times and TOS accounting (unknown, none remarked). */
    public PairSummary(String srcIp, String dstIp, Map<String, String> tags, long sent, long lost, double loss,
            double rtt, double rttMin, double rttMax, double rttP50, double rttP90, double rttP99, double rttStddev,
            double jitter, long late, long duplicates, List<PortSummary> ports) {
        this(srcIp, dstIp, tags, sent, lost, loss, rtt, rttMin, rttMax, rttP50, rttP90, rttP99, rttStddev, jitter, late,
                duplicates, ports, Double.NaN, Double.NaN, Double.NaN, Double.NaN, Double.NaN, 0, -1, -1, 0);
    }

    /** Whether any probe of the interval was answered, so the RTT fields mean something. */
    public boolean answered() {
        return sent > lost;
    }

    /** A pair's identity across collectors and intervals: source and destination IP. */
    public String key() {
        return srcIp + ">" + dstIp;
    }

    /** This pair without its per-port detail, for keeping a history. */
    public PairSummary withoutPorts() {
        return ports.isEmpty() ? this : new PairSummary(srcIp, dstIp, tags, sent, lost, loss, rtt, rttMin, rttMax, rttP50, rttP90,
                rttP99, rttStddev, jitter, late, duplicates, List.of(), dwell, rttNet, rttNetP50, rttNetP90, rttNetP99, dwellInvalid,
                tosSent, tosReceived, remarked);
    }

    /** The source end, from the {@code src_*} tags. */
    public Endpoint src() {
        return Endpoint.of("src", srcIp, tags);
    }

    /** The destination end, from the {@code dst_*} tags. */
    public Endpoint dst() {
        return Endpoint.of("dst", dstIp, tags);
    }
}
