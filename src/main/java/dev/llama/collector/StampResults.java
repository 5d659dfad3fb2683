package dev.llama.collector;

/**
 * Where a {@link StampSocket} reports each probe's outcome, per path (a socket and target pair, numbered
 * as in {@link PathTable}). Called on the socket's event loop only.
 */
interface StampResults {
    /**
     * A reply within the timeout.
     *
     * @param rttNanos    {@code T4 − T1}, the full round trip as for LLAMA replies
     * @param dwellNanos  {@code T3 − T2} in the reflector's clock
     * @param tosReceived the TOS byte (DSCP and ECN) the reflector reports receiving, or
     *                    {@link ProbeEngine#TOS_UNKNOWN}
     */
    void answered(int path, long rttNanos, long dwellNanos, int tosReceived);

    void lost(int path);

    /** A reply after its probe was declared lost. */
    void late(int path);

    void duplicate(int path);

    /** A reply whose sequence number is below one already answered on the path. */
    void reordered(int path);

}
