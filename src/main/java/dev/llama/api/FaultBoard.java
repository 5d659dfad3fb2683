package dev.llama.api;

import java.time.Instant;
import java.util.TreeMap;

/**
 * The fault reports of the recent intervals, one per interval end: this node's own or, for the same
 * interval, the one another node published whose publisher sorts first (so every node serves the same).
 * Bounded by the history window and by {@link #MAX_KEPT}. Used on the API verticle's event loop.
 */
final class FaultBoard {
    static final int MAX_KEPT = 2_000;

    private final long historyMillis;
    private final TreeMap<Long, FaultReport> byEnd = new TreeMap<>();

    FaultBoard(long historyMillis) {
        this.historyMillis = historyMillis;
    }

    /** Takes a report; whether the newest report changed (what the metrics and the page show). */
    boolean offer(FaultReport report, long nowMillis) {
        long end = report.intervalEnd().toEpochMilli();
        if (end < nowMillis - historyMillis) {
            return false;
        }
        var old = byEnd.get(end);
        if (old != null && !report.preferredOver(old)) {
            return false;
        }
        var before = newest();
        byEnd.put(end, report);
        byEnd.headMap(nowMillis - historyMillis).clear();
        while (byEnd.size() > MAX_KEPT) {
            byEnd.pollFirstEntry();
        }
        return newest() != before;
    }

    /** The report of the newest interval, null before the first. */
    FaultReport newest() {
        var e = byEnd.lastEntry();
        return e == null ? null : e.getValue();
    }

    /** The report of the interval that covers {@code at} (the newest ending at or before it); null outside the history. */
    FaultReport at(Instant at, long nowMillis) {
        long t = at.toEpochMilli();
        if (t < nowMillis - historyMillis) {
            return null;
        }
        var e = byEnd.floorEntry(t);
        return e == null ? null : e.getValue();
    }
}
