package dev.llama.reflector;

import java.net.InetAddress;

/**
 * Each source address's share of {@code -max-pps} when several sources are active, so one flooding
 * source cannot starve the others. Used only from the reflector's event loop; allocates nothing.
 *
 * <p>Sources hash into {@value #SLOTS} slots, each a token bucket filling at max-pps divided by the
 * number of slots seen in this or the previous second. A slot holds at most 100 ms of its share. The
 * share only matters when the global bucket is empty: spare capacity goes to whoever asks.
 */
final class FairShare {
    static final int SLOTS = 1024;
    private static final long WINDOW_NANOS = 1_000_000_000L;

    private final double perSecond;
    private final long origin;
    private final double[] tokens = new double[SLOTS];
    private final long[] last = new long[SLOTS];
    private final long[] seenWindow = new long[SLOTS];
    private long window = 1;
    private int current;
    private int previous;

    FairShare(double perSecond, long now) {
        this.perSecond = perSecond;
        this.origin = now;
    }

    /** Counts a datagram from {@code source}; true when it is within the source's share. */
    boolean take(InetAddress source, long now) {
        long elapsed = now - origin;
        long w = elapsed / WINDOW_NANOS + 1; // 0 in seenWindow means never seen
        if (w != window) {
            previous = w == window + 1 ? current : 0;
            current = 0;
            window = w;
        }
        int slot = slot(source);
        if (seenWindow[slot] != w) {
            if (seenWindow[slot] < w - 1) {
                tokens[slot] = Double.MAX_VALUE; // idle for a window: starts full
            }
            seenWindow[slot] = w;
            current++;
        }
        double share = perSecond / active();
        double capacity = Math.max(1.0, share / 10);
        tokens[slot] = Math.min(capacity, tokens[slot] + (elapsed - last[slot]) * share / 1e9);
        last[slot] = elapsed;
        if (tokens[slot] >= 1.0) {
            tokens[slot] -= 1.0;
            return true;
        }
        return false;
    }

    /** Source slots seen in this or the previous second, at least one. */
    int active() {
        return Math.max(1, Math.max(previous, current));
    }

    private static int slot(InetAddress source) {
        int h = source.hashCode() * 0x9E3779B9; // spreads addresses that differ only in their low bits
        return (h ^ h >>> 16) & (SLOTS - 1);
    }
}
