package dev.llama.collector;

/**
 * Where a {@link StampSocket} reports each probe's outcome, per path (a socket and target pair, numbered
 * as in {@link PathTable}). Called on the socket's event loop only.
 */
interface StampResults {
    /**
     * A reply within the timeout.
     *
     * @param rttNanos   {@code (T4 − T1) − (T3 − T2)}: the reflector's dwell taken out
     * @param dwellNanos {@code T3 − T2}
     */
    void answered(int path, long rttNanos, long dwellNanos);

    void lost(int path);

    /** A reply after its probe was declared lost. */
    void late(int path);

    void duplicate(int path);

    /** A reply whose sequence number is below one already answered on the path. */
    void reordered(int path);

    /** The reflector's Class of Service TLV says the probe arrived with {@code receivedDscp}, not {@code sentDscp}. */
    void remarked(int path, int sentDscp, int receivedDscp);
}
