package dev.llama.collector;

import dev.llama.summary.SummarySet;
import java.util.ArrayDeque;
import java.util.List;

/**
 * The latest summary sets, oldest first, at most a fixed number: what a scraper that restarted at a
 * scrape moment catches up from. Written once per interval, read from any thread.
 */
final class RecentSets {
    private final int capacity;
    private final ArrayDeque<SummarySet> sets;
    private volatile List<SummarySet> view = List.of();

    RecentSets(int capacity) {
        if (capacity < 1) {
            throw new IllegalArgumentException("capacity must be at least 1: " + capacity);
        }
        this.capacity = capacity;
        this.sets = new ArrayDeque<>(capacity);
    }

    synchronized void add(SummarySet set) {
        if (sets.size() == capacity) {
            sets.removeFirst();
        }
        sets.addLast(set);
        view = List.copyOf(sets);
    }

    /** An immutable snapshot, oldest first. */
    List<SummarySet> list() {
        return view;
    }
}
