package dev.llama.summary;

import java.time.Instant;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What a collector publishes at the end of every interval: its pairs, and its lifetime counters
 * ({@code probes_sent}, {@code replies_invalid}, …). Immutable, so one instance can be handed to every
 * consumer in a JVM.
 */
public record SummarySet(int version, String collector, int interval, Instant intervalStart, Instant intervalEnd,
        Map<String, Long> counters, List<PairSummary> pairs) {
    /** The version of the encoding this code writes and reads. */
    public static final int VERSION = 1;

    public SummarySet {
        counters = Collections.unmodifiableMap(new LinkedHashMap<>(counters));
        pairs = List.copyOf(pairs);
    }

    /**
     * When this set stops counting if its collector sends no newer one: three of its intervals (+5 s)
     * after its end, so a collector that died drops out of the views.
     */
    public long freshUntilMillis() {
        return intervalEnd.toEpochMilli() + 3_000L * interval + 5_000;
    }

    /** Whether the set is recent enough to show at {@code nowMillis}. */
    public boolean freshAt(long nowMillis) {
        return nowMillis <= freshUntilMillis();
    }

    /** A copy with only the pairs {@code keep} accepts. */
    public SummarySet withPairs(List<PairSummary> kept) {
        return new SummarySet(version, collector, interval, intervalStart, intervalEnd, counters, kept);
    }
}
