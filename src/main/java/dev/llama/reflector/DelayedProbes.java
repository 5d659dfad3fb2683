package dev.llama.reflector;

import io.netty.channel.socket.DatagramPacket;
import java.util.ArrayDeque;

/**
 * Probes waiting for a token of {@code -max-pps}, in two bounded queues: those within their source's
 * fair share go first; the excess of a source that was alone waits behind them, so a backlog one
 * flooder built up does not delay anyone who arrives later. Used only from the reflector's event loop.
 */
final class DelayedProbes {
    private final ArrayDeque<DatagramPacket> first;
    private final ArrayDeque<DatagramPacket> rest;
    private final int capacity;
    private final ReflectorStats stats;

    DelayedProbes(int capacity, ReflectorStats stats) {
        this.capacity = capacity;
        this.first = new ArrayDeque<>(capacity);
        this.rest = new ArrayDeque<>(capacity);
        this.stats = stats;
    }

    /** Whether nothing within its share waits (the excess may still be queued). */
    boolean noneFirst() {
        return first.isEmpty();
    }

    boolean isEmpty() {
        return first.isEmpty() && rest.isEmpty();
    }

    /**
     * Queues a copy of {@code packet} and releases it. When full, a first-class probe takes the place of
     * the newest excess one; otherwise the probe is dropped. Either drop counts as overflow.
     */
    void offer(DatagramPacket packet, boolean withinShare) {
        stats.throttled.inc();
        if (first.size() + rest.size() >= capacity) {
            if (!withinShare || rest.isEmpty()) {
                stats.overflow.inc();
                packet.release();
                return;
            }
            rest.pollLast().release();
            stats.queued.add(-1);
            stats.overflow.inc();
        }
        // A copy sized to the probe, so a full queue holds probes, not 9 KB receive buffers.
        var copy = packet.replace(packet.content().copy());
        packet.release();
        (withinShare ? first : rest).add(copy);
        stats.queued.inc();
    }

    /** The next probe to answer, or null. */
    DatagramPacket poll() {
        var packet = first.poll();
        if (packet == null) {
            packet = rest.poll();
        }
        if (packet != null) {
            stats.queued.add(-1);
        }
        return packet;
    }

    void releaseAll() {
        for (var packet = poll(); packet != null; packet = poll()) {
            packet.release();
        }
    }
}
