package dev.llama.localize;

import dev.llama.summary.PairSummary;
import dev.llama.summary.PortSummary;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.ToLongFunction;

/**
 * Hand-built matrices: hosts h0..h(n-1) at 10.0.0.x, {@code perRack} to a rack (r0, r1, …), racks
 * {@code perPod} to a pod (p0, …), each pair probed from four source ports (40000..40003).
 */
final class Pairs {
    static final Topology TOPOLOGY = new Topology(List.of("pod", "rack"));
    final int hosts;
    final int perRack;
    final int perPod;

    Pairs(int hosts, int perRack, int perPod) {
        this.hosts = hosts;
        this.perRack = perRack;
        this.perPod = perPod;
    }

    static String ip(int h) {
        return "10.0.0." + h;
    }

    String rack(int h) {
        return "r" + h / perRack;
    }

    String pod(int h) {
        return "p" + h / (perRack * perPod);
    }

    Map<String, String> tags(int src, int dst) {
        var tags = new LinkedHashMap<String, String>();
        tags.put("src_name", "h" + src);
        tags.put("src_pod", pod(src));
        tags.put("src_rack", rack(src));
        tags.put("dst_name", "h" + dst);
        tags.put("dst_pod", pod(dst));
        tags.put("dst_rack", rack(dst));
        return tags;
    }

    /** Loss per port, as lost of {@code perPort} probes, from {@code lost.apply(src, dst, port)}. */
    interface PortLoss {
        long lost(int src, int dst, int port);
    }

    static PairSummary pair(String srcIp, String dstIp, Map<String, String> tags, long perPort, ToLongFunction<Integer> lostOf) {
        var ports = new ArrayList<PortSummary>();
        long lost = 0;
        for (int port = 0; port < 4; port++) {
            long l = lostOf.applyAsLong(port);
            lost += l;
            ports.add(new PortSummary(40000 + port, 8100, perPort, l, 100.0 * l / perPort, 0.3, 0.2, 0.4));
        }
        long sent = 4 * perPort;
        return new PairSummary(srcIp, dstIp, tags, sent, lost, 100.0 * lost / sent, 0.3, 0.2, 0.4, 0.3, 0.3, 0.4, 0.01, 0.01, 0, 0,
                ports);
    }

    /** The full mesh with {@code perPort} probes per port and the given loss. */
    List<PairSummary> mesh(long perPort, PortLoss loss) {
        var pairs = new ArrayList<PairSummary>();
        for (int s = 0; s < hosts; s++) {
            for (int d = 0; d < hosts; d++) {
                if (s != d) {
                    int src = s, dst = d;
                    pairs.add(pair(ip(s), ip(d), tags(s, d), perPort, port -> loss.lost(src, dst, port)));
                }
            }
        }
        return pairs;
    }
}
