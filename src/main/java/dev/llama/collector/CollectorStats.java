package dev.llama.collector;

import dev.llama.metrics.Meters;
import dev.llama.net.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.binder.MeterBinder;
import java.util.function.ToDoubleFunction;

/**
 * Lifetime counters of one collector engine; replies that match no probe are counted here and never
 * attributed to a pair. Bound to a registry, they are meters labelled with the collector's id.
 */
final class CollectorStats implements MeterBinder, AutoCloseable {
    final Counter sent = new Counter();
    final Counter resolved = new Counter();
    final Counter received = new Counter();
    final Counter invalid = new Counter();
    final Counter unauthenticated = new Counter();
    final Counter unmatched = new Counter();
    final Counter otherSource = new Counter();
    final Counter late = new Counter();
    final Counter duplicates = new Counter();
    final Counter evicted = new Counter();
    final Counter sendErrors = new Counter();
    /** Replies timed with System.nanoTime() because a kernel time was missing (native path: should stay 0). */
    final Counter userClockRtts = new Counter();
    private String collector = "";
    private Meters meters;

    java.util.Map<String, Long> toMap() {
        var map = new java.util.LinkedHashMap<String, Long>();
        map.put("probes_sent", sent.get());
        map.put("probes_resolved", resolved.get());
        map.put("replies_received", received.get());
        map.put("replies_invalid", invalid.get());
        map.put("replies_unauthenticated", unauthenticated.get());
        map.put("replies_unmatched", unmatched.get());
        map.put("replies_other_source", otherSource.get());
        map.put("replies_late", late.get());
        map.put("replies_duplicate", duplicates.get());
        map.put("probes_evicted", evicted.get());
        map.put("send_errors", sendErrors.get());
        map.put("rtt_user_clock", userClockRtts.get());
        return map;
    }

    /** The label for {@link #bindTo}: the collector's id. */
    CollectorStats named(String id) {
        this.collector = id;
        return this;
    }

    @Override
    public synchronized void bindTo(MeterRegistry registry) {
        close();
        var tags = Tags.of("collector", collector);
        meters = new Meters(registry);
        counter("llama.collector.probes.sent", "Probes sent by all of the collector's sockets", tags, c -> c.sent.get());
        counter("llama.collector.probes.resolved", "Probes answered or timed out", tags, c -> c.resolved.get());
        counter("llama.collector.replies.received", "Datagrams read on the probing sockets", tags, c -> c.received.get());
        counter("llama.collector.replies.invalid", "Datagrams dropped as not a valid reply", tags, c -> c.invalid.get());
        counter("llama.collector.replies.unauthenticated", "Replies without a valid reply MAC (auth_keys set)", tags,
                c -> c.unauthenticated.get());
        counter("llama.collector.replies.unmatched", "Replies that match no probe in flight", tags, c -> c.unmatched.get());
        counter("llama.collector.replies.late", "Replies that came after their probe timed out", tags, c -> c.late.get());
        counter("llama.collector.send.errors", "Probes the socket refused to send", tags, c -> c.sendErrors.get());
    }

    private void counter(String name, String help, Tags tags, ToDoubleFunction<CollectorStats> counter) {
        meters.counter(name, help, tags, this, counter);
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
