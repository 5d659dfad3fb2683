package dev.llama.reflector;

import dev.llama.metrics.Meters;
import dev.llama.net.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.binder.MeterBinder;
import io.vertx.core.json.JsonObject;

/**
 * A reflector's counters. Every datagram read ends in exactly one of reflected, invalid or overflow,
 * or is still queued behind the rate limit: {@code received = reflected + invalid + overflow + queued}.
 * Bound to a registry, they are meters labelled with the address the reflector listens on.
 */
public final class ReflectorStats implements MeterBinder, AutoCloseable {
    final Counter received = new Counter();
    final Counter reflected = new Counter();
    final Counter invalid = new Counter();
    final Counter throttled = new Counter();
    final Counter overflow = new Counter();
    final Counter queued = new Counter();
    private String listen = "";
    private Meters meters;

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

    /** The label for {@link #bindTo}: the address the reflector listens on. */
    public ReflectorStats listening(String address) {
        this.listen = address;
        return this;
    }

    @Override
    public synchronized void bindTo(MeterRegistry registry) {
        var tags = Tags.of("listen", listen);
        close();
        meters = new Meters(registry)
                .counter("llama.reflector.packets.received", "Datagrams the reflector read", tags, this, ReflectorStats::received)
                .counter("llama.reflector.packets.reflected", "Probes sent back", tags, this, ReflectorStats::reflected)
                .counter("llama.reflector.packets.invalid", "Datagrams dropped as not a valid probe", tags, this, ReflectorStats::invalid)
                .counter("llama.reflector.packets.throttled", "Probes delayed by -max-pps", tags, this, ReflectorStats::throttled)
                .counter("llama.reflector.packets.overflow", "Probes dropped because the -max-pps queue was full", tags, this,
                        ReflectorStats::overflow);
    }

    /** Removes the meters {@link #bindTo} registered. */
    @Override
    public synchronized void close() {
        if (meters != null) {
            meters.close();
            meters = null;
        }
    }
}
