package dev.llama.api;

import static org.assertj.core.api.Assertions.assertThat;

import dev.llama.summary.PairSummary;
import dev.llama.summary.SummarySet;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The dwell, RTT-minus-dwell and remarked series of {@link PairMetrics}. */
class PairMetricsTest {
    private static SummarySet set(long endMillis, long remarked, double dwell) {
        var pair = new PairSummary("10.0.0.1", "10.0.0.2", Map.of("src_name", "a", "dst_name", "b"), 10, 0, 0.0, 5.2, 5.1, 5.3,
                5.2, 5.25, 5.3, 0.05, 0.01, 0, 0, List.of(), dwell, 0.2, 0.19, 0.24, 0.3, 0, 0xb8, 0x20, remarked);
        var end = Instant.ofEpochMilli(endMillis);
        return new SummarySet(SummarySet.VERSION, "a", 1, end.minusSeconds(1), end, Map.of(), List.of(pair));
    }

    @Test
    void dwellAndRttNetArePerPairAndRemarkedAppearsWithTheFirstRemark() {
        var registry = new SimpleMeterRegistry();
        long now = System.currentTimeMillis();
        try (var metrics = new PairMetrics(registry, 10)) {
            metrics.accept(set(now, 0, 5.0), now);
            assertThat(registry.get("llama.pair.dwell").gauge().value()).isEqualTo(0.005);
            assertThat(registry.get("llama.pair.rtt.net").tag("quantile", "0.5").gauge().value()).isEqualTo(0.00019);
            assertThat(registry.find("llama.pair.remarked").functionCounter()).as("nothing remarked yet").isNull();
            metrics.accept(set(now + 1000, 3, Double.NaN), now + 1000);
            assertThat(registry.get("llama.pair.remarked").functionCounter().count()).isEqualTo(3.0);
            assertThat(registry.get("llama.pair.dwell").gauge().value()).as("no reflector times: NaN, not 0").isNaN();
            metrics.accept(set(now + 2000, 2, 1.0), now + 2000);
            assertThat(registry.get("llama.pair.remarked").functionCounter().count()).isEqualTo(5.0);
            assertThat(registry.find("llama.pair.remarked").functionCounters()).hasSize(1);
        }
        assertThat(registry.getMeters()).as("closed: every series removed").isEmpty();
    }
}
