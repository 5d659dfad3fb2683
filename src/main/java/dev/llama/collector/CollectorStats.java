package dev.llama.collector;

import dev.llama.net.Counter;

/**
 * Lifetime counters of one collector engine; replies that match no probe are counted here and never
 * attributed to a pair.
 */
final class CollectorStats {
    final Counter sent = new Counter();
    final Counter resolved = new Counter();
    final Counter received = new Counter();
    final Counter invalid = new Counter();
    final Counter unmatched = new Counter();
    final Counter otherSource = new Counter();
    final Counter late = new Counter();
    final Counter duplicates = new Counter();
    final Counter evicted = new Counter();
    final Counter sendErrors = new Counter();

    java.util.Map<String, Long> toMap() {
        var map = new java.util.LinkedHashMap<String, Long>();
        map.put("probes_sent", sent.get());
        map.put("probes_resolved", resolved.get());
        map.put("replies_received", received.get());
        map.put("replies_invalid", invalid.get());
        map.put("replies_unmatched", unmatched.get());
        map.put("replies_other_source", otherSource.get());
        map.put("replies_late", late.get());
        map.put("replies_duplicate", duplicates.get());
        map.put("probes_evicted", evicted.get());
        map.put("send_errors", sendErrors.get());
        return map;
    }
}
