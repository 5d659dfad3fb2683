package dev.llama.collector;

import dev.llama.net.Counter;

/**
 * Feeds a {@link StampSocket}'s outcomes into the engine's tables like a LLAMA socket's (RTT, dwell and
 * received TOS); reordered replies, which summaries do not carry, are counted here.
 */
final class StampOutcomes implements StampResults {
    private final ProbeEngine engine;
    final Counter reordered = new Counter();

    StampOutcomes(ProbeEngine engine) {
        this.engine = engine;
    }

    @Override
    public void answered(int path, long rttNanos, long dwellNanos, int tosReceived) {
        engine.answered(path, rttNanos, dwellNanos, tosReceived);
    }

    @Override
    public void lost(int path) {
        engine.lost(path);
    }

    @Override
    public void late(int path) {
        engine.late(path);
    }

    @Override
    public void duplicate(int path) {
        engine.duplicate(path);
    }

    @Override
    public void reordered(int path) {
        reordered.inc();
    }
}
