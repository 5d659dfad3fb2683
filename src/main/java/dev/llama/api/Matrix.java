package dev.llama.api;

import dev.llama.summary.Endpoint;
import dev.llama.summary.PairSummary;
import dev.llama.summary.PortSummary;
import dev.llama.summary.SummaryJson;
import dev.llama.summary.SummarySet;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;

/**
 * The loss and latency matrix of every collector whose summary sets reach this node: the newest
 * result of each (source, destination) pair, each pair's recent history, and each collector's last
 * {@link #KEPT_SETS} summary sets (what a scraper that missed intervals catches up from, {@link #since}).
 * Used on one thread (the API verticle's event loop).
 *
 * <p>Both are bounded in memory as well as in time, because their cost grows with the mesh: each may take
 * a sixteenth of the heap. The history's intervals are shared out equally between pairs (never fewer than
 * {@link #MIN_PAIR_HISTORY} each); the kept sets' pair results equally between collectors (never fewer
 * than each one's newest two sets). With a collector's 160 MB heap and 10 s intervals, 1,000 pairs keep
 * 10 sets and about 9 minutes of history; 10,000 pairs the newest 2 sets and 60 s.
 */
public final class Matrix {
    /** How many of its latest summary sets are kept per collector at most. */
    public static final int KEPT_SETS = 20;
    /** Each pair's history is at least this many intervals, however large the mesh. */
    public static final int MIN_PAIR_HISTORY = 6;
    /** What one interval of a pair's history costs ({@link PairHistory}). */
    static final int HISTORY_ENTRY_BYTES = 190;
    /** What one pair result of a kept set costs, with four ports. */
    static final int KEPT_PAIR_BYTES = 1_000;

    /** One pair's newest result as the matrix shows it. */
    public record Row(PairSummary pair, Endpoint src, Endpoint dst, SummarySet set) {
        /** The value of {@code key} ({@code name}, {@code ip} or a tag) of the {@code side} end. */
        String attribute(String side, String key) {
            return (side.equals("src") ? src : dst).attribute(key);
        }
    }

    private final long historyMillis;
    private final Map<String, SummarySet> latestByCollector = new HashMap<>();
    private final Map<String, PairHistory> history = new HashMap<>();
    private final Map<String, PairSummary> latestPair = new HashMap<>();
    /** Per collector, its latest sets by interval end, oldest first, at most {@link #KEPT_SETS}. */
    private final Map<String, ArrayDeque<SummarySet>> kept = new HashMap<>();

    private final int historyEntries;
    private final int keptPairs;

    /** A matrix whose history and kept sets may each take a sixteenth of the heap. */
    public Matrix(long historyMillis) {
        this(historyMillis, heapShare(HISTORY_ENTRY_BYTES), heapShare(KEPT_PAIR_BYTES));
    }

    /** A matrix that keeps at most {@code historyEntries} pair intervals and {@code keptPairs} pair results in kept sets. */
    Matrix(long historyMillis, int historyEntries, int keptPairs) {
        this.historyMillis = historyMillis;
        this.historyEntries = historyEntries;
        this.keptPairs = keptPairs;
    }

    private static int heapShare(int bytesEach) {
        return (int) Math.min(Integer.MAX_VALUE, Runtime.getRuntime().maxMemory() / 16 / bytesEach);
    }

    /** Takes a (validated) summary set; one older than its collector's newest only joins the history. */
    public void accept(SummarySet set) {
        long end = set.intervalEnd().toEpochMilli();
        int perPair = historyShare();
        for (var pair : set.pairs()) {
            String key = pair.key();
            var ring = history.computeIfAbsent(key, k -> new PairHistory());
            ring.add(end, set.collector(), pair, perPair);
            latestPair.put(key, pair);
        }
        perPair = historyShare();
        for (var ring : history.values()) {
            while (!ring.isEmpty() && (ring.oldest() < end - historyMillis || ring.size() > perPair)) {
                ring.removeOldest();
            }
            ring.trim(perPair);
        }
        history.values().removeIf(ring -> ring.isEmpty() || ring.newest() < end - historyMillis);
        latestPair.keySet().retainAll(history.keySet());
        latestByCollector.merge(set.collector(), set, (old, now) -> now.intervalEnd().isBefore(old.intervalEnd()) ? old : now);
        keep(set);
    }

    /** How many intervals each pair's history may hold now. */
    private int historyShare() {
        return Math.max(MIN_PAIR_HISTORY, historyEntries / Math.max(1, history.size()));
    }

    /** Inserts in interval-end order; a set whose end is already kept (sent twice) is not kept again. */
    private void keep(SummarySet set) {
        var deque = kept.computeIfAbsent(set.collector(), c -> new ArrayDeque<>(KEPT_SETS));
        var later = new ArrayDeque<SummarySet>();
        while (!deque.isEmpty() && deque.peekLast().intervalEnd().isAfter(set.intervalEnd())) {
            later.addFirst(deque.removeLast());
        }
        boolean duplicate = !deque.isEmpty() && deque.peekLast().intervalEnd().equals(set.intervalEnd());
        boolean tooOld = deque.isEmpty() && later.size() >= KEPT_SETS;
        if (!duplicate && !tooOld) {
            deque.addLast(set);
        }
        deque.addAll(later);
        int pairs = deque.stream().mapToInt(s -> s.pairs().size()).sum();
        int budget = keptPairs / kept.size();
        while (deque.size() > KEPT_SETS || deque.size() > 2 && pairs > budget) {
            pairs -= deque.removeFirst().pairs().size();
        }
    }

    /**
     * Every kept set, of every collector, whose interval ended strictly after {@code after}; oldest first
     * (by interval end, then collector), fresh or not.
     */
    public List<SummarySet> since(Instant after) {
        var out = new ArrayList<SummarySet>();
        for (var deque : kept.values()) {
            for (var set : deque) {
                if (set.intervalEnd().isAfter(after)) {
                    out.add(set);
                }
            }
        }
        out.sort(Comparator.comparing(SummarySet::intervalEnd).thenComparing(SummarySet::collector));
        return out;
    }

    /**
     * The newest result of every pair, from collectors whose newest set is still fresh (a collector
     * that died stops counting), filtered, sorted by source and destination name.
     */
    public List<Row> rows(Predicate<Row> keep, long nowMillis) {
        var newest = new LinkedHashMap<String, Row>();
        for (var set : freshSets(nowMillis)) {
            for (var pair : set.pairs()) {
                var row = new Row(pair, pair.src(), pair.dst(), set);
                var previous = newest.get(pair.key());
                if (keep.test(row) && (previous == null || previous.set().intervalEnd().isBefore(set.intervalEnd()))) {
                    newest.put(pair.key(), row);
                }
            }
        }
        var out = new ArrayList<>(newest.values());
        out.sort(Comparator.comparing((Row r) -> r.src().name()).thenComparing(r -> r.dst().name()));
        return out;
    }

    /** One of the {@link #rows} as {@code /api/v1/matrix} serves it. */
    static JsonObject json(Row row) {
        return SummaryJson.putMetrics(row.pair(), new JsonObject()
                .put("src", SummaryJson.encode(row.src()))
                .put("dst", SummaryJson.encode(row.dst()))
                .put("collector", row.set().collector())
                .put("interval_end", row.set().intervalEnd().toString()));
    }

    /** Each collector's newest set that is still fresh, for the per-collector views. */
    public List<SummarySet> freshSets(long nowMillis) {
        return latestByCollector.values().stream().filter(set -> set.freshAt(nowMillis)).toList();
    }

    /**
     * When {@link #freshSets} next changes without a new set arriving: the first moment one of the sets
     * fresh at {@code nowMillis} is no longer; {@link Long#MAX_VALUE} when none is fresh.
     */
    public long freshSetsChangeAt(long nowMillis) {
        long at = Long.MAX_VALUE;
        for (var set : freshSets(nowMillis)) {
            at = Math.min(at, set.freshUntilMillis() + 1);
        }
        return at;
    }

    /**
     * The history of the pairs whose ends match {@code src} and {@code dst} (a name or an IP), with
     * the newest interval's per-path detail ({@code ports}: which source port, which ECMP path,
     * lost what); empty when none.
     */
    public JsonArray history(String src, String dst) {
        var out = new JsonArray();
        var keys = new ArrayList<>(history.keySet());
        keys.sort(null);
        for (String key : keys) {
            var latest = latestPair.get(key);
            var srcEnd = latest.src();
            var dstEnd = latest.dst();
            if (srcEnd.matches(src) && dstEnd.matches(dst)) {
                var entries = new JsonArray();
                history.get(key).forEach(latest.srcIp(), latest.dstIp(), (at, collector, pair) ->
                        entries.add(SummaryJson.putMetrics(pair, new JsonObject()
                                .put("interval_end", Instant.ofEpochMilli(at).toString())
                                .put("collector", collector))));
                var ports = new JsonArray();
                for (PortSummary p : latest.ports()) {
                    ports.add(SummaryJson.encode(p));
                }
                out.add(new JsonObject().put("src", SummaryJson.encode(srcEnd)).put("dst", SummaryJson.encode(dstEnd))
                        .put("history", entries).put("ports", ports));
            }
        }
        return out;
    }
}
