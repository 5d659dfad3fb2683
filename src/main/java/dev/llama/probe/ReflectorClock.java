package dev.llama.probe;

/**
 * The clock of the reflector times ({@link ProbeCodec#writeReflectorTimes}): ns since the Unix epoch, read
 * from the monotonic clock with an offset fixed at class load, so that a wall-clock step never shows up
 * as dwell. A kernel receive timestamp (CLOCK_REALTIME) may stand in for a receive time read here.
 */
public final class ReflectorClock {
    private static final long OFFSET = System.currentTimeMillis() * 1_000_000L - System.nanoTime();

    private ReflectorClock() {
    }

    /** Now, ns since the epoch. */
    public static long now() {
        return System.nanoTime() + OFFSET;
    }
}
