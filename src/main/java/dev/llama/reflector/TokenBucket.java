package dev.llama.reflector;

/**
 * Packets-per-second limiter on the monotonic clock, used only from one event loop.
 *
 * <p>The bucket holds at most 10 ms of tokens (at least one), so a burst never exceeds the rate by
 * more than that.
 */
final class TokenBucket {
    private final double perNano;
    private final double capacity;
    private double tokens;
    private long last;

    TokenBucket(double perSecond, long now) {
        this.perNano = perSecond / 1e9;
        this.capacity = Math.max(1.0, perSecond / 100.0);
        this.tokens = capacity;
        this.last = now;
    }

    boolean tryTake(long now) {
        refill(now);
        if (tokens >= 1.0) {
            tokens -= 1.0;
            return true;
        }
        return false;
    }

    /** Nanoseconds from {@code now} until one token is available. */
    long nanosUntilToken(long now) {
        refill(now);
        return tokens >= 1.0 ? 0 : (long) Math.ceil((1.0 - tokens) / perNano);
    }

    private void refill(long now) {
        long elapsed = now - last;
        if (elapsed > 0) {
            tokens = Math.min(capacity, tokens + elapsed * perNano);
            last = now;
        }
    }
}
