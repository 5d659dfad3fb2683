package dev.llama.collector;

import dev.llama.net.Counter;

/**
 * Feeds a {@link StampSocket}'s outcomes into the engine's tables like a LLAMA socket's (RTT with the
 * dwell already taken out); reordered replies and DSCP remarking are counted here until summaries carry
 * them.
 */
final class StampOutcomes implements StampResults {
    private final ProbeEngine engine;
    final Counter reordered = new Counter();
    final Counter remarked = new Counter();

    StampOutcomes(ProbeEngine engine) {
        this.engine = engine;
    }

    @Override
    public void answered(int path, long rttNanos, long dwellNanos) {
        engine.answered(path, rttNanos);
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

    @Override
    public void remarked(int path, int sentDscp, int receivedDscp) {
        remarked.inc();
    }
}
