package dev.llama.localize;

/**
 * The probes not yet explained. Accepting a suspect removes what it covers: a host or a group takes its
 * pairs' whole traffic, a path only the bad ports of its split pairs (the pairs' other ports stay, so a
 * second fault on them can still show).
 */
final class Pool {
    final Matrix m;
    final PortSplit split;
    private final boolean[] wholeGone;
    private final boolean[] badGone;

    Pool(Matrix m, PortSplit split) {
        this.m = m;
        this.split = split;
        wholeGone = new boolean[m.size];
        badGone = new boolean[m.size];
    }

    long wholeSent(int p) {
        return wholeGone[p] ? 0 : m.sent[p] - (badGone[p] ? split.badSent[p] : 0);
    }

    long wholeLost(int p) {
        return wholeGone[p] ? 0 : m.lost[p] - (badGone[p] ? split.badLost[p] : 0);
    }

    long pathSent(int p) {
        return split.split[p] && !wholeGone[p] && !badGone[p] ? split.badSent[p] : 0;
    }

    long pathLost(int p) {
        return split.split[p] && !wholeGone[p] && !badGone[p] ? split.badLost[p] : 0;
    }

    /**
     * What candidate {@code c} explains of pair {@code p} once accepted: sent, then lost. A path shared
     * by many pairs (one host's, one group's) also explains its pairs whose every port loses: all their
     * paths hashed onto it. They are not counted when choosing, or a dead host would be a path too.
     */
    long sentOf(Candidate c, int p) {
        if (!c.family().path()) {
            return wholeSent(p);
        }
        return sweeps(c, p) ? wholeSent(p) : pathSent(p);
    }

    long lostOf(Candidate c, int p) {
        if (!c.family().path()) {
            return wholeLost(p);
        }
        return sweeps(c, p) ? wholeLost(p) : pathLost(p);
    }

    private boolean sweeps(Candidate c, int p) {
        return split.allBad[p] && c.family() != Candidate.Family.PATH_PAIR;
    }

    /** Drops what {@code c} explains from the pool, keeping {@code tally} current. */
    void remove(Candidate c, Tally tally) {
        long[] before = new long[4];
        long[] after = new long[4];
        for (int p = 0; p < m.size; p++) {
            if (c.covers(m, p)) {
                read(p, before);
                if (sweeps(c, p)) {
                    wholeGone[p] = true;
                } else if (c.family().path()) {
                    badGone[p] |= split.split[p];
                } else {
                    wholeGone[p] = true;
                }
                read(p, after);
                tally.update(p, before, after);
            }
        }
    }

    private void read(int p, long[] counts) {
        counts[0] = wholeSent(p);
        counts[1] = wholeLost(p);
        counts[2] = pathSent(p);
        counts[3] = pathLost(p);
    }
}
