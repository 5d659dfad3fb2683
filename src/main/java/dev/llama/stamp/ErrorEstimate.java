package dev.llama.stamp;

/**
 * The 16-bit Error Estimate of OWAMP/TWAMP/STAMP test packets (RFC 4656 §4.1.2, Z bit from RFC 8186):
 * {@code S} (the clock is synchronized to UTC), {@code Z} (0: NTP timestamps, 1: PTP), a 6-bit Scale and
 * an 8-bit Multiplier; the error is {@code Multiplier × 2^(Scale − 32)} seconds. A zero multiplier is
 * not allowed.
 */
public final class ErrorEstimate {
    private static final int S = 0x8000;
    private static final int Z = 0x4000;

    private ErrorEstimate() {
    }

    /** Encodes the fields; {@code scale} 0-63, {@code multiplier} 1-255. */
    public static int of(boolean synchronized_, boolean ptp, int scale, int multiplier) {
        if (scale < 0 || scale > 63 || multiplier < 1 || multiplier > 255) {
            throw new IllegalArgumentException("scale 0-63 and multiplier 1-255, got " + scale + " and " + multiplier);
        }
        return (synchronized_ ? S : 0) | (ptp ? Z : 0) | scale << 8 | multiplier;
    }

    /** The smallest estimate of NTP timestamps not below {@code errorNanos} (at least 1 ns). */
    public static int ofNanos(long errorNanos, boolean synchronized_) {
        double seconds = Math.max(errorNanos, 1) / 1e9;
        for (int scale = 0; scale <= 63; scale++) {
            double unit = Math.scalb(1.0, scale - 32);
            long multiplier = (long) Math.ceil(seconds / unit);
            if (multiplier <= 255) {
                return of(synchronized_, false, scale, (int) Math.max(1, multiplier));
            }
        }
        return of(synchronized_, false, 63, 255);
    }

    public static boolean isSynchronized(int ee) {
        return (ee & S) != 0;
    }

    public static boolean isPtp(int ee) {
        return (ee & Z) != 0;
    }

    public static int scale(int ee) {
        return ee >>> 8 & 0x3f;
    }

    public static int multiplier(int ee) {
        return ee & 0xff;
    }

    /** The error in nanoseconds, or -1 when the multiplier is 0 (invalid). */
    public static double nanos(int ee) {
        int m = multiplier(ee);
        return m == 0 ? -1 : m * Math.scalb(1.0, scale(ee) - 32) * 1e9;
    }
}
