package dev.llama.reflector;

import dev.llama.net.Counter;
import io.vertx.core.json.JsonObject;

/**
 * A reflector's counters. Every datagram read ends in exactly one of reflected, invalid or overflow,
 * or is still queued behind the rate limit: {@code received = reflected + invalid + overflow + queued}.
 */
public final class ReflectorStats {
    final Counter received = new Counter();
    final Counter reflected = new Counter();
    final Counter invalid = new Counter();
    final Counter throttled = new Counter();
    final Counter overflow = new Counter();
    final Counter queued = new Counter();

    public long received() {
        return received.get();
    }

    public long reflected() {
        return reflected.get();
    }

    /** Datagrams that were not probes (including oversized ones): dropped, never answered. */
    public long invalid() {
        return invalid.get();
    }

    /** Probes delayed by the rate limit (they are still answered, later). */
    public long throttled() {
        return throttled.get();
    }

    /** Probes dropped because the rate limit's delay queue was full. */
    public long overflow() {
        return overflow.get();
    }

    /** Probes waiting in the rate limit's delay queue now. */
    public long queued() {
        return queued.get();
    }

    public JsonObject toJson() {
        return new JsonObject()
                .put("received", received())
                .put("reflected", reflected())
                .put("invalid", invalid())
                .put("throttled", throttled())
                .put("overflow", overflow())
                .put("queued", queued());
    }
}
