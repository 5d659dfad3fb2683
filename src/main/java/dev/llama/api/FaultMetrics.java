package dev.llama.api;

import dev.llama.localize.Suspect;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code llama_fault_suspect{kind,scope}}: one gauge per current suspect, its score, removed when the
 * suspect clears; and one log line when a suspect appears and one when it clears, not one per interval.
 * At most {@link FaultJson#MAX_SUSPECTS} series. Used on the API verticle's event loop.
 */
final class FaultMetrics implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(FaultMetrics.class);

    private final MeterRegistry registry;
    private final Map<String, Series> current = new HashMap<>();

    private static final class Series {
        volatile double score;
        Meter meter;
    }

    FaultMetrics(MeterRegistry registry) {
        this.registry = registry;
    }

    /** Shows {@code report}'s suspects (the newest interval's) instead of the previous ones. */
    void show(FaultReport report) {
        var now = new LinkedHashMap<String, Suspect>();
        for (var s : report.suspects()) {
            if (now.size() >= FaultJson.MAX_SUSPECTS) {
                break;
            }
            now.merge(s.kind() + "\u0000" + s.scope(), s, (a, b) -> a.score() >= b.score() ? a : b);
        }
        current.entrySet().removeIf(e -> {
            if (now.containsKey(e.getKey())) {
                return false;
            }
            registry.remove(e.getValue().meter);
            String[] ks = e.getKey().split("\u0000", 2);
            log.info("fault suspect cleared: {} {} (interval ending {})", ks[0], ks[1], report.intervalEnd());
            return true;
        });
        for (var e : now.entrySet()) {
            var s = e.getValue();
            var series = current.get(e.getKey());
            if (series == null) {
                series = new Series();
                series.meter = Gauge.builder("llama.fault.suspect", series, x -> x.score)
                        .tags(Tags.of("kind", s.kind(), "scope", s.scope())).strongReference(true)
                        .description("A suspect of the newest interval's fault localization: its score").register(registry);
                current.put(e.getKey(), series);
                log.info("fault suspect appeared: {} {}{}: loss {} % ({} of {}) vs {} % elsewhere, score {} (interval ending {})",
                        s.kind(), s.scope(), s.side() == null ? "" : " (" + s.side() + ")", String.format("%.3f", s.evidence().loss()),
                        s.evidence().lost(), s.evidence().sent(), String.format("%.3f", s.evidence().restLoss()),
                        String.format("%.2f", s.score()), report.intervalEnd());
            }
            series.score = s.score();
        }
    }

    @Override
    public void close() {
        current.values().forEach(s -> registry.remove(s.meter));
        current.clear();
    }
}
