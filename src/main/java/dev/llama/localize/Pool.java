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

    /** What candidate {@code c} claims of pair {@code p}: sent, then lost. */
    long sentOf(Candidate c, int p) {
        return c.family().path() ? pathSent(p) : wholeSent(p);
    }

    long lostOf(Candidate c, int p) {
        return c.family().path() ? pathLost(p) : wholeLost(p);
    }

    void remove(Candidate c) {
        for (int p = 0; p < m.size; p++) {
            if (c.covers(m, p)) {
                if (c.family().path()) {
                    badGone[p] |= split.split[p];
                } else {
                    wholeGone[p] = true;
                }
            }
        }
    }
}
