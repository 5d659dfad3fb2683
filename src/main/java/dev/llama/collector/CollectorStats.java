package dev.llama.collector;

import dev.llama.net.Counter;
import io.vertx.core.json.JsonObject;

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

    JsonObject toJson() {
        return new JsonObject()
                .put("probes_sent", sent.get())
                .put("probes_resolved", resolved.get())
                .put("replies_received", received.get())
                .put("replies_invalid", invalid.get())
                .put("replies_unmatched", unmatched.get())
                .put("replies_other_source", otherSource.get())
                .put("replies_late", late.get())
                .put("replies_duplicate", duplicates.get())
                .put("probes_evicted", evicted.get())
                .put("send_errors", sendErrors.get());
    }
}
