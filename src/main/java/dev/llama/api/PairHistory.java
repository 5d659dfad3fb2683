package dev.llama.api;

import dev.llama.summary.PairSummary;
import java.util.List;
import java.util.Map;

/**
 * One pair's recent intervals as rows of numbers in a ring: about 190 bytes an interval, where a kept
 * {@link PairSummary} with its own tag map costs twice that. A collector of 10,000 pairs adds 10,000
 * intervals every 10 s, so this is what most of a history is made of.
 */
final class PairHistory {
    private static final int WIDTH = 22;
    private static final int FIRST_CAPACITY = 8;

    private long[] at = new long[FIRST_CAPACITY];
    private String[] collector = new String[FIRST_CAPACITY];
    private double[] values = new double[FIRST_CAPACITY * WIDTH];
    private int head;
    private int size;

    int size() {
        return size;
    }

    boolean isEmpty() {
        return size == 0;
    }

    /** The interval end of the oldest entry; only when not empty. */
    long oldest() {
        return at[head];
    }

    /** The interval end of the newest entry; only when not empty. */
    long newest() {
        return at[slot(size - 1)];
    }

    /** Appends one interval (its per-port detail is not kept); the ring grows to {@code limit} entries at most. */
    void add(long end, String from, PairSummary p, int limit) {
        if (size == at.length) {
            resize(Math.max(size + 1, Math.min(size * 2, limit)));
        }
        int i = slot(size++);
        at[i] = end;
        collector[i] = from;
        int o = i * WIDTH;
        double[] v = values;
        v[o] = p.sent();
        v[o + 1] = p.lost();
        v[o + 2] = p.loss();
        v[o + 3] = p.rtt();
        v[o + 4] = p.rttMin();
        v[o + 5] = p.rttMax();
        v[o + 6] = p.rttP50();
        v[o + 7] = p.rttP90();
        v[o + 8] = p.rttP99();
        v[o + 9] = p.rttStddev();
        v[o + 10] = p.jitter();
        v[o + 11] = p.late();
        v[o + 12] = p.duplicates();
        v[o + 13] = p.dwell();
        v[o + 14] = p.rttNet();
        v[o + 15] = p.rttNetP50();
        v[o + 16] = p.rttNetP90();
        v[o + 17] = p.rttNetP99();
        v[o + 18] = p.dwellInvalid();
        v[o + 19] = p.tosSent();
        v[o + 20] = p.tosReceived();
        v[o + 21] = p.remarked();
    }

    /** Drops the oldest entry; only when not empty. */
    void removeOldest() {
        collector[head] = null;
        head = (head + 1) % at.length;
        size--;
    }

    /** Hands each entry, oldest first, to {@code action} as a summary without tags or ports. */
    void forEach(String srcIp, String dstIp, Entry action) {
        for (int k = 0; k < size; k++) {
            int i = slot(k);
            int o = i * WIDTH;
            double[] v = values;
            var pair = new PairSummary(srcIp, dstIp, Map.of(), (long) v[o], (long) v[o + 1], v[o + 2], v[o + 3], v[o + 4],
                    v[o + 5], v[o + 6], v[o + 7], v[o + 8], v[o + 9], v[o + 10], (long) v[o + 11], (long) v[o + 12], List.of(),
                    v[o + 13], v[o + 14], v[o + 15], v[o + 16], v[o + 17], (long) v[o + 18], (int) v[o + 19], (int) v[o + 20],
                    (long) v[o + 21]);
            action.accept(at[i], collector[i], pair);
        }
    }

    /** What {@link #forEach} hands out. */
    interface Entry {
        void accept(long end, String collector, PairSummary pair);
    }

    /**
     * Gives memory back once the ring's capacity is well past {@code limit}, the most entries it may keep
     * now (a mesh that grew shares the history among more pairs).
     */
    void trim(int limit) {
        if (at.length > Math.max(FIRST_CAPACITY, limit + limit / 4)) {
            resize(Math.max(FIRST_CAPACITY, Math.max(size, limit)));
        }
    }

    private void resize(int capacity) {
        var newAt = new long[capacity];
        var newCollector = new String[capacity];
        var newValues = new double[capacity * WIDTH];
        for (int k = 0; k < size; k++) {
            int i = slot(k);
            newAt[k] = at[i];
            newCollector[k] = collector[i];
            System.arraycopy(values, i * WIDTH, newValues, k * WIDTH, WIDTH);
        }
        at = newAt;
        collector = newCollector;
        values = newValues;
        head = 0;
    }

    private int slot(int k) {
        return (head + k) % at.length;
    }
}
