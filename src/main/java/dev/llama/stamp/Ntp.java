package dev.llama.stamp;

/**
 * 64-bit NTP timestamps (RFC 5905: seconds since 1900 in the high 32 bits, a binary fraction of a
 * second in the low 32), as STAMP carries them when the error estimate's Z bit is 0.
 */
public final class Ntp {
    /** Seconds from 1900-01-01 to 1970-01-01. */
    public static final long EPOCH_OFFSET_SECONDS = 2_208_988_800L;
    private static final long NANOS = 1_000_000_000L;

    private Ntp() {
    }

    /** The NTP timestamp of {@code epochNanos} (nanoseconds since 1970, UTC); the fraction is truncated. */
    public static long fromEpochNanos(long epochNanos) {
        long seconds = Math.floorDiv(epochNanos, NANOS);
        long nanos = Math.floorMod(epochNanos, NANOS);
        return (seconds + EPOCH_OFFSET_SECONDS) << 32 | (nanos << 32) / NANOS;
    }

    /** Nanoseconds since 1970 of the NTP timestamp {@code ntp} (era 0: 1900 to 2036), rounded to nearest. */
    public static long toEpochNanos(long ntp) {
        long seconds = (ntp >>> 32) - EPOCH_OFFSET_SECONDS;
        long fraction = ntp & 0xffff_ffffL;
        return seconds * NANOS + ((fraction * NANOS + (1L << 31)) >>> 32);
    }

    /** Now, from this host's clock. */
    public static long now() {
        java.time.Instant t = java.time.Instant.now();
        return fromEpochNanos(t.getEpochSecond() * NANOS + t.getNano());
    }

    /** {@code later - earlier} in nanoseconds, for two NTP timestamps less than 68 years apart. */
    public static long diffNanos(long later, long earlier) {
        long d = later - earlier; // 32.32 fixed point, signed
        long whole = d >> 32;
        long fraction = d & 0xffff_ffffL;
        return whole * NANOS + ((fraction * NANOS) >>> 32);
    }
}
