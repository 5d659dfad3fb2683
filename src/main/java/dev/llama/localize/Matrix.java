package dev.llama.localize;

import dev.llama.summary.Endpoint;
import dev.llama.summary.PairSummary;
import dev.llama.summary.PortSummary;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;

/**
 * One interval's pairs as arrays: each end's host and, per level, its group as small integers (-1 when
 * that end's level is unknown). A host is its IP; an end without a level's tag takes it from another
 * pair where the same IP carries it (a plain collector's own end has no tags, but it is some other
 * collector's target). Invalid pairs (negative counts, more lost than sent, nothing sent, a host
 * probing itself) and repeated keys are left out, so the input is read in one deterministic order.
 */
final class Matrix {
    final int size;
    final String[] keys;
    final int[] src;
    final int[] dst;
    /** [level][pair]: the group of each end at that level, -1 when unknown. */
    final int[][] srcGroup;
    final int[][] dstGroup;
    final long[] sent;
    final long[] lost;
    final List<PortSummary>[] ports;
    final List<String> hostNames = new ArrayList<>();
    final List<List<String>> groupNames = new ArrayList<>();
    final int skipped;

    @SuppressWarnings("unchecked")
    Matrix(Topology topology, List<PairSummary> input) {
        var valid = new ArrayList<PairSummary>();
        var seen = new HashSet<String>();
        int bad = 0;
        var sorted = new ArrayList<>(input);
        sorted.sort(Comparator.comparing(PairSummary::key));
        for (var pair : sorted) {
            if (pair.sent() <= 0 || pair.lost() < 0 || pair.lost() > pair.sent() || pair.srcIp().equals(pair.dstIp())
                    || !seen.add(pair.key())) {
                bad++;
            } else {
                valid.add(pair);
            }
        }
        skipped = bad;
        size = valid.size();
        int levels = topology.levels().size();
        keys = new String[size];
        src = new int[size];
        dst = new int[size];
        srcGroup = new int[levels][size];
        dstGroup = new int[levels][size];
        sent = new long[size];
        lost = new long[size];
        ports = new List[size];
        var known = knownEnds(topology, valid);
        var hostIds = new HashMap<String, Integer>();
        var groupIds = new ArrayList<Map<String, Integer>>();
        for (int l = 0; l < levels; l++) {
            groupIds.add(new HashMap<>());
            groupNames.add(new ArrayList<>());
        }
        for (int i = 0; i < size; i++) {
            var pair = valid.get(i);
            keys[i] = pair.key();
            sent[i] = pair.sent();
            lost[i] = pair.lost();
            ports[i] = pair.ports();
            src[i] = id(hostIds, hostNames, pair.srcIp(), known.names);
            dst[i] = id(hostIds, hostNames, pair.dstIp(), known.names);
            for (int l = 0; l < levels; l++) {
                srcGroup[l][i] = group(groupIds.get(l), groupNames.get(l), known.levels.get(l).get(pair.srcIp()));
                dstGroup[l][i] = group(groupIds.get(l), groupNames.get(l), known.levels.get(l).get(pair.dstIp()));
            }
        }
    }

    int hosts() {
        return hostNames.size();
    }

    int groups(int level) {
        return groupNames.get(level).size();
    }

    private static int id(Map<String, Integer> ids, List<String> names, String ip, Map<String, String> display) {
        return ids.computeIfAbsent(ip, k -> {
            names.add(display.getOrDefault(ip, ip));
            return names.size() - 1;
        });
    }

    private static int group(Map<String, Integer> ids, List<String> names, String value) {
        if (value == null) {
            return -1;
        }
        return ids.computeIfAbsent(value, k -> {
            names.add(value);
            return names.size() - 1;
        });
    }

    private record Known(Map<String, String> names, List<Map<String, String>> levels) {
    }

    /** Per IP, its name and level values from whichever end carries them first (pairs in key order). */
    private static Known knownEnds(Topology topology, List<PairSummary> pairs) {
        var names = new HashMap<String, String>();
        var levels = new ArrayList<Map<String, String>>();
        for (int l = 0; l < topology.levels().size(); l++) {
            levels.add(new HashMap<>());
        }
        for (var pair : pairs) {
            learn(topology, pair.src(), null, names, levels);
            learn(topology, pair.dst(), pair.tags(), names, levels);
        }
        return new Known(names, levels);
    }

    private static void learn(Topology topology, Endpoint end, Map<String, String> plain, Map<String, String> names,
            List<Map<String, String>> levels) {
        if (!end.name().equals(end.ip()) && !end.name().isBlank()) {
            names.putIfAbsent(end.ip(), end.name());
        }
        for (int l = 0; l < topology.levels().size(); l++) {
            String level = topology.levels().get(l);
            String value = end.tags().get(level);
            if (value == null && plain != null) {
                value = plain.get(level); // a plain collector's target tags, unprefixed
            }
            if (value != null && !value.isBlank()) {
                levels.get(l).putIfAbsent(end.ip(), value);
            }
        }
    }
}
