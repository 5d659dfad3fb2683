package dev.llama.summary;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * One (source IP, destination IP) pair in one interval. RTTs are milliseconds and {@code NaN} when no
 * probe was answered (no answer is not 0 ms); {@code loss} is a percentage of {@code sent}. Addresses
 * are in RFC 5952 / dotted-quad text form. {@code tags} are the target's; on cluster nodes they carry
 * both ends' names and tags as {@code src_*} and {@code dst_*}.
 */
public record PairSummary(String srcIp, String dstIp, Map<String, String> tags, long sent, long lost, double loss,
        double rtt, double rttMin, double rttMax, double rttP50, double rttP90, double rttP99, double rttStddev,
        double jitter, long late, long duplicates, List<PortSummary> ports) {

    public PairSummary {
        tags = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(tags));
        ports = List.copyOf(ports);
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
                rttP99, rttStddev, jitter, late, duplicates, List.of());
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
