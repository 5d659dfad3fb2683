package dev.llama.localize;

import java.util.function.Consumer;

/**
 * The sent and lost probes of every candidate over the pool, in one pass over the pairs and then kept
 * current as the pool drops what suspects explain: rows and columns per host, boundary and inside per
 * group of each level, and the bad ports of split pairs per host, per group boundary and per pair.
 */
final class Tally {
    long totalSent;
    long totalLost;
    private final Pool pool;
    private final long[][] hostSrc;
    private final long[][] hostDst;
    private final long[][] pathHost;
    private final long[][][] boundary;
    private final long[][][] inside;
    private final long[][][] pathGroup;

    Tally(Pool pool) {
        this.pool = pool;
        Matrix m = pool.m;
        int levels = m.srcGroup.length;
        hostSrc = new long[2][m.hosts()];
        hostDst = new long[2][m.hosts()];
        pathHost = new long[2][m.hosts()];
        boundary = new long[levels][][];
        inside = new long[levels][][];
        pathGroup = new long[levels][][];
        for (int l = 0; l < levels; l++) {
            boundary[l] = new long[2][m.groups(l)];
            inside[l] = new long[2][m.groups(l)];
            pathGroup[l] = new long[2][m.groups(l)];
        }
        for (int p = 0; p < m.size; p++) {
            count(p, pool.wholeSent(p), pool.wholeLost(p), pool.pathSent(p), pool.pathLost(p));
        }
    }

    /** Takes pair {@code p}'s probes out of the counts as the pool drops them: the before and after. */
    void update(int p, long[] before, long[] after) {
        count(p, after[0] - before[0], after[1] - before[1], after[2] - before[2], after[3] - before[3]);
    }

    /** Adds pair {@code p}'s whole and path probes (negative to take them away) to every candidate covering it. */
    private void count(int p, long ws, long wl, long ps, long pl) {
        if (ws == 0 && ps == 0) {
            return;
        }
        Matrix m = pool.m;
        totalSent += ws;
        totalLost += wl;
        add(hostSrc, m.src[p], ws, wl);
        add(hostDst, m.dst[p], ws, wl);
        if (ps != 0) {
            add(pathHost, m.src[p], ps, pl);
            add(pathHost, m.dst[p], ps, pl);
        }
        for (int l = 0; l < boundary.length; l++) {
            int sg = m.srcGroup[l][p], dg = m.dstGroup[l][p];
            if (sg == dg && sg >= 0) {
                add(inside[l], sg, ws, wl);
                continue;
            }
            if (sg >= 0) {
                add(boundary[l], sg, ws, wl);
                add(pathGroup[l], sg, ps, pl);
            }
            if (dg >= 0) {
                add(boundary[l], dg, ws, wl);
                add(pathGroup[l], dg, ps, pl);
            }
        }
    }

    private static void add(long[][] counts, int i, long sent, long lost) {
        counts[0][i] += sent;
        counts[1][i] += lost;
    }

    /** How many candidates a tally weighs, for the test's bound. */
    static long candidates(Matrix m, PortSplit split) {
        long n = 4L * m.hosts() + 1;
        for (int l = 0; l < m.srcGroup.length; l++) {
            n += 3L * m.groups(l);
        }
        for (boolean s : split.split) {
            n += s ? 1 : 0;
        }
        return n;
    }

    /** Hands each candidate with its counts to {@code sink}: sent, lost. */
    void forEach(Consumer<Weighed> sink) {
        Matrix m = pool.m;
        for (int h = 0; h < m.hosts(); h++) {
            sink.accept(new Weighed(new Candidate(Candidate.Family.HOST_SRC, -1, h), hostSrc[0][h], hostSrc[1][h]));
            sink.accept(new Weighed(new Candidate(Candidate.Family.HOST_DST, -1, h), hostDst[0][h], hostDst[1][h]));
            sink.accept(new Weighed(new Candidate(Candidate.Family.HOST_BOTH, -1, h), hostSrc[0][h] + hostDst[0][h],
                    hostSrc[1][h] + hostDst[1][h]));
            sink.accept(new Weighed(new Candidate(Candidate.Family.PATH_HOST, -1, h), pathHost[0][h], pathHost[1][h]));
        }
        for (int l = 0; l < boundary.length; l++) {
            for (int g = 0; g < m.groups(l); g++) {
                sink.accept(new Weighed(new Candidate(Candidate.Family.BOUNDARY, l, g), boundary[l][0][g], boundary[l][1][g]));
                sink.accept(new Weighed(new Candidate(Candidate.Family.INSIDE, l, g), inside[l][0][g], inside[l][1][g]));
                sink.accept(new Weighed(new Candidate(Candidate.Family.PATH_GROUP, l, g), pathGroup[l][0][g], pathGroup[l][1][g]));
            }
        }
        for (int p = 0; p < m.size; p++) {
            long ps = pool.pathSent(p);
            if (ps > 0) {
                sink.accept(new Weighed(new Candidate(Candidate.Family.PATH_PAIR, -1, p), ps, pool.pathLost(p)));
            }
        }
    }

    /** A candidate with its probes in the pool. */
    record Weighed(Candidate candidate, long sent, long lost) {
    }
}
