package dev.llama.localize;

/**
 * One place the loss could be, as the greedy step weighs it: which pairs it covers and whether it
 * claims their whole traffic or only their bad ports (a path).
 */
record Candidate(Family family, int level, int index) {
    /** The shapes a suspect can take. */
    enum Family {
        HOST_SRC, HOST_DST, HOST_BOTH, BOUNDARY, INSIDE, PATH_HOST, PATH_GROUP, PATH_PAIR, NETWORK;

        boolean path() {
            return this == PATH_HOST || this == PATH_GROUP || this == PATH_PAIR;
        }
    }

    /** Whether pair {@code p} of the matrix is one of this candidate's. */
    boolean covers(Matrix m, int p) {
        return switch (family) {
            case HOST_SRC -> m.src[p] == index;
            case HOST_DST -> m.dst[p] == index;
            case HOST_BOTH, PATH_HOST -> m.src[p] == index || m.dst[p] == index;
            case BOUNDARY, PATH_GROUP -> (m.srcGroup[level][p] == index) != (m.dstGroup[level][p] == index);
            case INSIDE -> m.srcGroup[level][p] == index && m.dstGroup[level][p] == index;
            case PATH_PAIR -> p == index;
            case NETWORK -> true;
        };
    }

    String kind(Topology topology) {
        return switch (family) {
            case HOST_SRC, HOST_DST, HOST_BOTH -> "host";
            case BOUNDARY, INSIDE -> topology.levels().get(level);
            case PATH_HOST, PATH_GROUP, PATH_PAIR -> "path";
            case NETWORK -> "network-wide";
        };
    }

    String scope(Matrix m) {
        return switch (family) {
            case HOST_SRC, HOST_DST, HOST_BOTH, PATH_HOST -> m.hostNames.get(index);
            case BOUNDARY, INSIDE, PATH_GROUP -> m.groupNames.get(level).get(index);
            case PATH_PAIR -> m.key(index);
            case NETWORK -> "*";
        };
    }

    String side(Topology topology) {
        return switch (family) {
            case HOST_SRC -> "src";
            case HOST_DST -> "dst";
            case HOST_BOTH -> "both";
            case BOUNDARY -> "boundary";
            case INSIDE -> "inside";
            case PATH_HOST -> "host";
            case PATH_GROUP -> topology.levels().get(level);
            case PATH_PAIR -> "pair";
            case NETWORK -> null;
        };
    }

    /** Deeper levels and narrower shapes first, for ties. */
    int specificity() {
        return switch (family) {
            case PATH_PAIR -> 0;
            case HOST_SRC, HOST_DST -> 1;
            case HOST_BOTH, PATH_HOST -> 2;
            case BOUNDARY, INSIDE, PATH_GROUP -> 100 - level;
            case NETWORK -> 1000;
        };
    }
}
