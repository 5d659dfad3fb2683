package dev.llama.localize;

import java.util.ArrayList;
import java.util.List;

/**
 * Which source ports of each pair lose on their own: a port is bad when its loss is significant by
 * itself against the reference rate (with the test's bound over every port of the interval), and a
 * pair is split when some of its ports are bad, some are not, and the good ones lose at most a
 * quarter as often — the signature of one ECMP member, not of a lossy host (whose every port loses
 * alike). Testing each port on its own first keeps the choice of ports from manufacturing the excess
 * the path test then measures.
 */
final class PortSplit {
    private static final double GOOD_OVER_BAD = 0.25;
    private static final int MIN_PORT_LOST = 3;

    final boolean[] split;
    /** Every port of the pair is bad: all its paths lose, as when each of them hashes onto a dead member. */
    final boolean[] allBad;
    final long[] badSent;
    final long[] badLost;
    final int[][] badPorts;

    PortSplit(Matrix m, Settings settings, double ref) {
        split = new boolean[m.size];
        allBad = new boolean[m.size];
        badSent = new long[m.size];
        badLost = new long[m.size];
        badPorts = new int[m.size][];
        // the bound counts every pair as having as many ports as the most any lossy pair has: reading
        // each quiet pair's port list only to count it would cost more than the rest of the split
        int perPair = 1;
        for (int p = 0; p < m.size; p++) {
            if (m.lost[p] >= MIN_PORT_LOST) {
                perPair = Math.max(perPair, m.ports[p].size());
            }
        }
        double threshold = Math.log((double) m.size * perPair / settings.alpha());
        for (int p = 0; p < m.size; p++) {
            if (m.lost[p] < MIN_PORT_LOST) {
                continue; // no port of it can be bad
            }
            List<Integer> bad = null;
            long bs = 0, bl = 0, gs = 0, gl = 0;
            for (var port : m.ports[p]) {
                if (port.sent() <= 0 || port.lost() < 0 || port.lost() > port.sent()) {
                    continue;
                }
                if (port.lost() >= MIN_PORT_LOST && Binomial.llr(port.lost(), port.sent(), ref) >= threshold) {
                    if (bad == null) {
                        bad = new ArrayList<>(4);
                    }
                    bad.add(port.srcPort());
                    bs += port.sent();
                    bl += port.lost();
                } else {
                    gs += port.sent();
                    gl += port.lost();
                }
            }
            allBad[p] = bad != null && gs == 0;
            if (bad != null && gs > 0 && Binomial.rate(gl, gs) <= GOOD_OVER_BAD * Binomial.rate(bl, bs)) {
                split[p] = true;
                badSent[p] = Math.min(bs, m.sent[p]);
                badLost[p] = Math.min(bl, m.lost[p]);
                badPorts[p] = sortedDistinct(bad);
            }
        }
    }

    private static int[] sortedDistinct(List<Integer> ports) {
        return ports.stream().mapToInt(Integer::intValue).sorted().distinct().toArray();
    }
}
