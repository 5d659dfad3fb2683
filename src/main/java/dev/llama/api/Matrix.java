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
 */
public final class Matrix {
    /** How many of its latest summary sets are kept per collector. */
    public static final int KEPT_SETS = 20;

    /** One pair's newest result as the matrix shows it. */
    public record Row(PairSummary pair, Endpoint src, Endpoint dst, SummarySet set) {
        /** The value of {@code key} ({@code name}, {@code ip} or a tag) of the {@code side} end. */
        String attribute(String side, String key) {
            return (side.equals("src") ? src : dst).attribute(key);
        }
    }

    /** One interval of a pair's history, without its per-port detail. */
    private record Entry(long at, String collector, PairSummary pair) {
    }

    private final long historyMillis;
    private final Map<String, SummarySet> latestByCollector = new HashMap<>();
    private final Map<String, ArrayDeque<Entry>> history = new HashMap<>();
    private final Map<String, PairSummary> latestPair = new HashMap<>();
    /** Per collector, its latest sets by interval end, oldest first, at most {@link #KEPT_SETS}. */
    private final Map<String, ArrayDeque<SummarySet>> kept = new HashMap<>();

    public Matrix(long historyMillis) {
        this.historyMillis = historyMillis;
    }

    /** Takes a (validated) summary set; one older than its collector's newest only joins the history. */
    public void accept(SummarySet set) {
        long end = set.intervalEnd().toEpochMilli();
        for (var pair : set.pairs()) {
            String key = pair.key();
            var deque = history.computeIfAbsent(key, k -> new ArrayDeque<>());
            deque.addLast(new Entry(end, set.collector(), pair.withoutPorts()));
            while (!deque.isEmpty() && deque.peekFirst().at() < end - historyMillis) {
                deque.removeFirst();
            }
            latestPair.put(key, pair);
        }
        history.values().removeIf(d -> d.isEmpty() || d.peekLast().at() < end - historyMillis);
        latestPair.keySet().retainAll(history.keySet());
        latestByCollector.merge(set.collector(), set, (old, now) -> now.intervalEnd().isBefore(old.intervalEnd()) ? old : now);
        keep(set);
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
        while (deque.size() > KEPT_SETS) {
            deque.removeFirst();
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

    /** {@link #rows} as {@code /api/v1/matrix} serves them. */
    public JsonArray pairs(Predicate<Row> keep, long nowMillis) {
        var out = new JsonArray();
        for (var row : rows(keep, nowMillis)) {
            out.add(SummaryJson.putMetrics(row.pair(), new JsonObject()
                    .put("src", SummaryJson.encode(row.src()))
                    .put("dst", SummaryJson.encode(row.dst()))
                    .put("collector", row.set().collector())
                    .put("interval_end", row.set().intervalEnd().toString())));
        }
        return out;
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
                for (var h : history.get(key)) {
                    entries.add(SummaryJson.putMetrics(h.pair(), new JsonObject()
                            .put("interval_end", Instant.ofEpochMilli(h.at()).toString())
                            .put("collector", h.collector())));
                }
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
