package dev.llama.reflector;

import dev.llama.metrics.Meters;
import dev.llama.net.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.binder.MeterBinder;
import io.vertx.core.json.JsonObject;

/**
 * A reflector's counters. Every datagram read ends in exactly one of reflected, invalid, overflow or
 * one of the drop reasons, or is still queued behind the rate limit:
 * {@code received = reflected + invalid + overflow + dropped + queued}.
 * Bound to a registry, they are meters labelled with the address the reflector listens on.
 */
public final class ReflectorStats implements MeterBinder, AutoCloseable {
    final Counter received = new Counter();
    final Counter reflected = new Counter();
    final Counter invalid = new Counter();
    final Counter throttled = new Counter();
    final Counter overflow = new Counter();
    final Counter queued = new Counter();
    final Counter droppedSelf = new Counter();
    final Counter droppedWellKnownPort = new Counter();
    final Counter droppedDeniedPort = new Counter();
    final Counter droppedNotAllowed = new Counter();
    final Counter droppedOverShare = new Counter();
    final Counter droppedUnauthenticated = new Counter();
    final Counter droppedStale = new Counter();
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

    /** Datagrams whose source was the reflector's own address and port (a spoofed loop). */
    public long droppedSelf() {
        return droppedSelf.get();
    }

    /** Datagrams from a source port below 1024 (echo, chargen, DNS, NTP would answer back). */
    public long droppedWellKnownPort() {
        return droppedWellKnownPort.get();
    }

    /** Datagrams from a port in {@code -deny-ports} (another reflector: no ping-pong). */
    public long droppedDeniedPort() {
        return droppedDeniedPort.get();
    }

    /** Datagrams from outside {@code -allow}. */
    public long droppedNotAllowed() {
        return droppedNotAllowed.get();
    }

    /** Probes over their source's fair share of {@code -max-pps} while other sources were active. */
    public long droppedOverShare() {
        return droppedOverShare.get();
    }

    /** Probes without a MAC from a known key, or with a wrong one (only with {@code -auth-keys}). */
    public long droppedUnauthenticated() {
        return droppedUnauthenticated.get();
    }

    /** Authenticated probes sent more than 30 s from the reflector's clock (only with {@code -auth-keys}). */
    public long droppedStale() {
        return droppedStale.get();
    }

    /** All the drop reasons above together. */
    public long dropped() {
        return droppedSelf() + droppedWellKnownPort() + droppedDeniedPort() + droppedNotAllowed() + droppedOverShare()
                + droppedUnauthenticated() + droppedStale();
    }

    void drop(int reason) {
        switch (reason) {
            case SourceFilter.SELF -> droppedSelf.inc();
            case SourceFilter.WELL_KNOWN_PORT -> droppedWellKnownPort.inc();
            case SourceFilter.DENIED_PORT -> droppedDeniedPort.inc();
            default -> droppedNotAllowed.inc();
        }
    }

    public JsonObject toJson() {
        return new JsonObject()
                .put("received", received())
                .put("reflected", reflected())
                .put("invalid", invalid())
                .put("throttled", throttled())
                .put("overflow", overflow())
                .put("queued", queued())
                .put("dropped_self", droppedSelf())
                .put("dropped_well_known_port", droppedWellKnownPort())
                .put("dropped_denied_port", droppedDeniedPort())
                .put("dropped_not_allowed", droppedNotAllowed())
                .put("dropped_over_share", droppedOverShare())
                .put("dropped_unauthenticated", droppedUnauthenticated())
                .put("dropped_stale", droppedStale());
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
        dropped("self", ReflectorStats::droppedSelf, tags);
        dropped("well_known_port", ReflectorStats::droppedWellKnownPort, tags);
        dropped("denied_port", ReflectorStats::droppedDeniedPort, tags);
        dropped("not_allowed", ReflectorStats::droppedNotAllowed, tags);
        dropped("over_share", ReflectorStats::droppedOverShare, tags);
        dropped("unauthenticated", ReflectorStats::droppedUnauthenticated, tags);
        dropped("stale", ReflectorStats::droppedStale, tags);
    }

    private void dropped(String reason, java.util.function.ToDoubleFunction<ReflectorStats> count, Tags tags) {
        meters.counter("llama.reflector.packets.dropped", "Datagrams not answered: from the reflector itself or another"
                + " reflector's port, a well-known port, outside -allow, over the source's fair share,"
                + " not authenticated by -auth-keys or sent outside its replay window", tags.and("reason", reason),
                this, count);
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
