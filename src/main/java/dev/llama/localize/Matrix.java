package dev.llama.localize;

import dev.llama.summary.PairSummary;
import dev.llama.summary.PortSummary;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * One interval's pairs as arrays: each end's host and, per level, its group as small integers (-1 when
 * unknown). A host is its IP, and its name and level values come from the first pair where that IP
 * carries them: a plain collector's own end has no tags, but it is some other collector's target.
 * (Two pairs that disagree on one IP's tags are a misconfiguration; the first one read wins.) Invalid pairs
 * (negative counts, more lost than sent, nothing sent, a host probing itself) are left out, and of a
 * key given twice only the one with the most probes is kept.
 */
final class Matrix {
    final int size;
    final int[] src;
    final int[] dst;
    /** [level][pair]: the group of each end at that level, -1 when unknown. */
    final int[][] srcGroup;
    final int[][] dstGroup;
    final long[] sent;
    final long[] lost;
    final List<PortSummary>[] ports;
    final List<String> hostNames = new ArrayList<>();
    /** Each host's IP, by host id. */
    private final List<String> hostIps;
    final List<List<String>> groupNames = new ArrayList<>();
    private final PairSummary[] pairs;

    @SuppressWarnings("unchecked")
    Matrix(Topology topology, List<PairSummary> input) {
        var hosts = new Hosts(topology);
        var valid = new ArrayList<PairSummary>(input.size());
        int[] srcIds = new int[input.size()];
        int[] dstIds = new int[input.size()];
        for (var pair : input) {
            if (pair.sent() > 0 && pair.lost() >= 0 && pair.lost() <= pair.sent()) {
                int s = hosts.learn(pair, true);
                int d = hosts.learn(pair, false);
                if (s != d) {
                    srcIds[valid.size()] = s;
                    dstIds[valid.size()] = d;
                    valid.add(pair);
                }
            }
        }
        boolean[] keep = unique(valid, srcIds, dstIds);
        int n = 0;
        for (boolean k : keep) {
            n += k ? 1 : 0;
        }
        size = n;
        int levels = topology.levels().size();
        pairs = new PairSummary[size];
        src = new int[size];
        dst = new int[size];
        srcGroup = new int[levels][size];
        dstGroup = new int[levels][size];
        sent = new long[size];
        lost = new long[size];
        ports = new List[size];
        for (int i = 0, p = 0; i < valid.size(); i++) {
            if (keep[i]) {
                var pair = valid.get(i);
                pairs[p] = pair;
                sent[p] = pair.sent();
                lost[p] = pair.lost();
                ports[p] = pair.ports();
                src[p] = srcIds[i];
                dst[p] = dstIds[i];
                p++;
            }
        }
        hostNames.addAll(hosts.names());
        hostIps = hosts.ips;
        int[][] hostGroup = hosts.groups(groupNames);
        for (int l = 0; l < levels; l++) {
            for (int p = 0; p < size; p++) {
                srcGroup[l][p] = hostGroup[l][src[p]];
                dstGroup[l][p] = hostGroup[l][dst[p]];
            }
        }
    }

    private int[] hostRanks;

    /** Each host's place among all hosts in IP text order: an order that does not depend on the input's. */
    int[] hostRanks() {
        if (hostRanks == null) {
            var ips = hostIps;
            Integer[] order = new Integer[ips.size()];
            for (int h = 0; h < order.length; h++) {
                order[h] = h;
            }
            Arrays.sort(order, (a, b) -> ips.get(a).compareTo(ips.get(b)));
            hostRanks = new int[ips.size()];
            for (int i = 0; i < order.length; i++) {
                hostRanks[order[i]] = i;
            }
        }
        return hostRanks;
    }

    /** Pair {@code p}'s key, {@code src>dst}. */
    String key(int p) {
        return pairs[p].key();
    }

    /** Pair {@code p}'s summary as given. */
    PairSummary pair(int p) {
        return pairs[p];
    }

    int hosts() {
        return hostNames.size();
    }

    int groups(int level) {
        return groupNames.get(level).size();
    }

    /** Which pairs to keep: all, unless a (src, dst) repeats; then the one with the most probes (then losses). */
    private static boolean[] unique(List<PairSummary> valid, int[] srcIds, int[] dstIds) {
        boolean[] keep = new boolean[valid.size()];
        Arrays.fill(keep, true);
        long[] codes = new long[valid.size()];
        for (int i = 0; i < codes.length; i++) {
            codes[i] = (long) srcIds[i] << 32 | dstIds[i];
        }
        // an open-addressing set of (src, dst) codes: one pass, no boxing, for the usual case of no repeats
        long[] table = new long[Integer.highestOneBit(Math.max(4, codes.length * 2)) * 2];
        Arrays.fill(table, -1);
        boolean repeats = false;
        for (int i = 0; i < codes.length && !repeats; i++) {
            int slot = (int) (mix(codes[i]) & (table.length - 1));
            while (table[slot] != -1 && table[slot] != codes[i]) {
                slot = (slot + 1) & (table.length - 1);
            }
            repeats = table[slot] == codes[i];
            table[slot] = codes[i];
        }
        if (repeats) {
            var best = new HashMap<Long, Integer>();
            for (int i = 0; i < codes.length; i++) {
                Integer prior = best.putIfAbsent(codes[i], i);
                if (prior != null) {
                    var a = valid.get(prior);
                    var b = valid.get(i);
                    boolean bWins = b.sent() != a.sent() ? b.sent() > a.sent() : b.lost() > a.lost();
                    keep[bWins ? prior : i] = false;
                    if (bWins) {
                        best.put(codes[i], i);
                    }
                }
            }
        }
        return keep;
    }

    private static long mix(long x) {
        x = (x ^ x >>> 33) * 0xFF51AFD7ED558CCDL;
        return x ^ x >>> 33;
    }

    /** Hosts by IP, with the name and level values their ends carry. */
    private static final class Hosts {
        private final Topology topology;
        private final String[] srcKeys;
        private final String[] dstKeys;
        private final Map<String, Integer> ids = new HashMap<>();
        private final List<String> names = new ArrayList<>();
        private final List<String> ips = new ArrayList<>();
        private final List<String[]> levels = new ArrayList<>();
        private final java.util.BitSet complete = new java.util.BitSet();

        Hosts(Topology topology) {
            this.topology = topology;
            srcKeys = topology.levels().stream().map(l -> "src_" + l).toArray(String[]::new);
            dstKeys = topology.levels().stream().map(l -> "dst_" + l).toArray(String[]::new);
        }

        int learn(PairSummary pair, boolean source) {
            String ip = source ? pair.srcIp() : pair.dstIp();
            Integer id = ids.get(ip);
            if (id == null) {
                id = names.size();
                ids.put(ip, id);
                names.add(null);
                ips.add(ip);
                levels.add(new String[srcKeys.length]);
            }
            if (complete.get(id)) {
                return id;
            }
            var tags = pair.tags();
            if (names.get(id) == null) {
                String name = tags.get(source ? "src_name" : "dst_name");
                names.set(id, name != null && !name.isBlank() ? name : null);
            }
            String[] values = levels.get(id);
            boolean all = names.get(id) != null;
            for (int l = 0; l < values.length; l++) {
                if (values[l] == null) {
                    String value = tags.get(source ? srcKeys[l] : dstKeys[l]);
                    if (value == null && !source) {
                        value = tags.get(topology.levels().get(l)); // a plain collector's target tags, unprefixed
                    }
                    values[l] = value != null && !value.isBlank() ? value : null;
                }
                all &= values[l] != null;
            }
            complete.set(id, all);
            return id;
        }

        List<String> names() {
            var list = new ArrayList<String>(names.size());
            for (int h = 0; h < names.size(); h++) {
                list.add(names.get(h) != null ? names.get(h) : ips.get(h));
            }
            return list;
        }

        /** Per level, each host's group (-1 when unknown), naming the groups into {@code groupNames}. */
        int[][] groups(List<List<String>> groupNames) {
            int[][] groups = new int[srcKeys.length][names.size()];
            for (int l = 0; l < srcKeys.length; l++) {
                var groupIds = new HashMap<String, Integer>();
                var list = new ArrayList<String>();
                for (int h = 0; h < names.size(); h++) {
                    String value = levels.get(h)[l];
                    groups[l][h] = value == null ? -1 : groupIds.computeIfAbsent(value, v -> {
                        list.add(v);
                        return list.size() - 1;
                    });
                }
                groupNames.add(list);
            }
            return groups;
        }
    }
}
