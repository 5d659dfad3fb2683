package dev.llama.collector;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.List;
import java.util.Map;

/**
 * What each path index means: a path is one (local socket, target) combination; paths of the same
 * (source IP, destination IP) share a pair index, the unit of the original's summaries.
 */
final class PathTable {
    /** The unit of a summary: who probed whom, with the target's tags. */
    record Pair(InetAddress src, InetAddress dst, Map<String, String> tags) {
    }

    final InetSocketAddress[] dst;
    final int[] srcPort;
    final int[] pair;
    final List<Pair> pairs;
    /** The TOS each path's probes are sent with (-1: unknown). */
    final int[] tos;

    PathTable(InetSocketAddress[] dst, int[] srcPort, int[] pair, List<Pair> pairs) {
        this(dst, srcPort, pair, pairs, null);
    }

    PathTable(InetSocketAddress[] dst, int[] srcPort, int[] pair, List<Pair> pairs, int[] tos) {
        this.dst = dst;
        this.srcPort = srcPort;
        this.pair = pair;
        this.pairs = pairs;
        if (tos == null) {
            tos = new int[dst.length];
            java.util.Arrays.fill(tos, -1);
        }
        this.tos = tos;
    }

    int size() {
        return dst.length;
    }
}
