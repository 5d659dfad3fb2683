package dev.llama.collector;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.llama.summary.SummarySet;
import dev.llama.testutil.Await;
import dev.llama.testutil.Configs;
import io.vertx.core.Vertx;
import io.vertx.junit5.VertxExtension;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** The latest summary sets a scraper catches up from: bounded, oldest first, immutable snapshots. */
@ExtendWith(VertxExtension.class)
class RecentSetsTest {

    private static SummarySet set(int second) {
        return new SummarySet(SummarySet.VERSION, "c", 1, Instant.ofEpochSecond(second - 1L), Instant.ofEpochSecond(second),
                Map.of(), List.of());
    }

    @Test
    void keepsTheLatestNOldestFirst() {
        var recent = new RecentSets(20);
        assertThat(recent.list()).isEmpty();
        for (int s = 1; s <= 5; s++) {
            recent.add(set(s));
        }
        assertThat(recent.list()).extracting(x -> x.intervalEnd().getEpochSecond()).containsExactly(1L, 2L, 3L, 4L, 5L);
        var before = recent.list();
        for (int s = 6; s <= 45; s++) {
            recent.add(set(s));
        }
        assertThat(recent.list()).hasSize(20);
        assertThat(recent.list()).extracting(x -> x.intervalEnd().getEpochSecond())
                .containsExactlyElementsOf(IntStream.rangeClosed(26, 45).mapToObj(Long::valueOf).toList());
        assertThat(before).as("a snapshot handed out does not change").hasSize(5);
        assertThatThrownBy(() -> recent.list().add(set(99))).isInstanceOf(UnsupportedOperationException.class);
        assertThatThrownBy(() -> new RecentSets(0)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void theCollectorKeepsWhatItPublishesUpToItsBound(Vertx vertx) throws Exception {
        var collector = new CollectorVerticle(CollectorOptions.inline(Configs.collector(1, 1, 5, 200, "127.0.0.1:9"), "kept").keeping(2));
        vertx.deployVerticle(collector).await(10, TimeUnit.SECONDS);
        assertThat(collector.recentSets()).isEmpty();
        Await.until(Duration.ofSeconds(10), () -> collector.recentSets().size() == 2
                && collector.recentSets().get(0).intervalEnd().isAfter(Instant.EPOCH)
                && collector.counters().getLong("probes_sent") > 15, () -> "kept " + collector.recentSets());
        var kept = collector.recentSets();
        assertThat(kept).hasSize(2);
        assertThat(kept.get(1).intervalEnd()).isEqualTo(kept.get(0).intervalEnd().plusSeconds(1));
        assertThat(kept).allMatch(s -> s.collector().equals("kept"));
    }
}
