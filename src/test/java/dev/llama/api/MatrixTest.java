package dev.llama.api;

import static org.assertj.core.api.Assertions.assertThat;

import dev.llama.summary.PairSummary;
import dev.llama.summary.SummarySet;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class MatrixTest {
    private static SummarySet set(String collector, String srcIp, long endMillis, String... dsts) {
        var pairs = new ArrayList<PairSummary>();
        for (String dst : dsts) {
            pairs.add(new PairSummary(srcIp, dst.split("=")[1], Map.of("src_name", collector, "src_region", "west",
                    "dst_name", dst.split("=")[0], "dst_region", "east"), 10, 1, 10.0, 0.5, 0.4, 0.6, 0.5, 0.6, 0.6, 0.01,
                    0.01, 0, 0, List.of()));
        }
        var end = Instant.ofEpochMilli(endMillis);
        return new SummarySet(SummarySet.VERSION, collector, 10, end.minusSeconds(10), end, Map.of(), pairs);
    }

    @Test
    void newestPairsWithBothEndsAndStaleCollectorsLeftOut() {
        long now = 1_800_000_000_000L;
        var m = new Matrix(3_600_000);
        m.accept(set("a", "10.0.0.1", now - 20_000, "b=10.0.0.2"));
        m.accept(set("a", "10.0.0.1", now - 10_000, "b=10.0.0.2", "c=10.0.0.3"));
        m.accept(set("dead", "10.0.0.9", now - 36_000, "b=10.0.0.2"));
        var pairs = m.pairs(row -> true, now);
        assertThat(pairs).hasSize(2);
        var first = pairs.getJsonObject(0);
        assertThat(first.getJsonObject("src").encode()).isEqualTo("{\"name\":\"a\",\"ip\":\"10.0.0.1\",\"tags\":{\"region\":\"west\"}}");
        assertThat(first.getJsonObject("dst").getString("name")).isEqualTo("b");
        assertThat(first.getString("interval_end")).isEqualTo(Instant.ofEpochMilli(now - 10_000).toString());
        assertThat(m.pairs(row -> true, now + 30_000)).as("three intervals + 5 s later").isEmpty();
        assertThat(set("x", "1.1.1.1", now - 35_000).freshAt(now)).isTrue();
        assertThat(set("x", "1.1.1.1", now - 35_001).freshAt(now)).isFalse();
    }

    @Test
    void anOlderSetDoesNotReplaceItsCollectorsNewest() {
        long now = 1_800_000_000_000L;
        var m = new Matrix(3_600_000);
        m.accept(set("a", "10.0.0.1", now - 10_000, "b=10.0.0.2"));
        m.accept(set("a", "10.0.0.1", now - 20_000, "c=10.0.0.3"));
        assertThat(m.pairs(row -> true, now)).hasSize(1);
        assertThat(m.pairs(row -> true, now).getJsonObject(0).getJsonObject("dst").getString("name")).isEqualTo("b");
    }

    @Test
    void historyByNameOrIpWithinTheWindow() {
        long t = 1_800_000_000_000L;
        var m = new Matrix(60_000);
        for (int i = 0; i < 10; i++) {
            m.accept(set("a", "10.0.0.1", t + i * 10_000L, "b=10.0.0.2"));
        }
        var byName = m.history("a", "b");
        assertThat(byName).hasSize(1);
        assertThat(byName.getJsonObject(0).getJsonArray("history")).hasSize(7);
        assertThat(byName.getJsonObject(0).getJsonArray("history").getJsonObject(0).containsKey("at")).isFalse();
        assertThat(m.history("10.0.0.1", "10.0.0.2")).isEqualTo(byName);
        assertThat(m.history("a", "c")).isEmpty();
    }

    @Test
    void sinceGivesEveryKeptSetThatEndedStrictlyAfterItOldestFirst() {
        long t = 1_800_000_000_000L;
        var m = new Matrix(3_600_000);
        for (int i = 0; i < 5; i++) {
            m.accept(set("a", "10.0.0.1", t + i * 10_000L, "b=10.0.0.2"));
        }
        m.accept(set("z", "10.0.0.9", t + 15_000L, "b=10.0.0.2"));
        m.accept(set("b", "10.0.0.5", t + 20_000L, "a=10.0.0.1"));
        m.accept(set("a", "10.0.0.1", t + 5_000L, "c=10.0.0.3"));
        m.accept(set("a", "10.0.0.1", t + 20_000L, "d=10.0.0.4"));

        var sets = m.since(Instant.ofEpochMilli(t + 10_000L));
        assertThat(sets).extracting(s -> s.collector() + "@" + (s.intervalEnd().toEpochMilli() - t))
                .containsExactly("z@15000", "a@20000", "b@20000", "a@30000", "a@40000");
        assertThat(sets.get(1).pairs().get(0).dstIp()).as("the set sent twice is kept once, as first accepted").isEqualTo("10.0.0.2");
        assertThat(m.since(Instant.ofEpochMilli(t + 40_000L))).isEmpty();
        assertThat(m.since(Instant.ofEpochMilli(t + 39_999L))).hasSize(1);
        assertThat(m.since(Instant.ofEpochMilli(t - 1))).as("the late set slots in by its end").hasSize(8)
                .extracting(s -> s.intervalEnd().toEpochMilli() - t).isSorted().contains(5_000L);
        assertThat(m.since(Instant.ofEpochMilli(t + 1_000_000L))).isEmpty();
    }

    @Test
    void sinceIncludesSetsNoLongerFreshAndKeepsAtMostTwentyPerCollector() {
        long t = 1_800_000_000_000L;
        var m = new Matrix(60_000);
        for (int i = 0; i < 50; i++) {
            m.accept(set("a", "10.0.0.1", t + i * 10_000L, "b=10.0.0.2"));
        }
        m.accept(set("b", "10.0.0.5", t, "a=10.0.0.1"));
        var all = m.since(Instant.EPOCH);
        assertThat(all).hasSize(Matrix.KEPT_SETS + 1);
        assertThat(all.stream().filter(s -> s.collector().equals("a")))
                .extracting(s -> (s.intervalEnd().toEpochMilli() - t) / 10_000).containsExactlyElementsOf(
                        java.util.stream.LongStream.range(50 - Matrix.KEPT_SETS, 50).boxed().toList());
        m.accept(set("a", "10.0.0.1", t + 5_000L, "b=10.0.0.2"));
        assertThat(m.since(Instant.EPOCH)).as("a set older than all twenty kept is not kept").hasSize(Matrix.KEPT_SETS + 1);
        m.accept(set("a", "10.0.0.1", t + 305_000L, "b=10.0.0.2"));
        var a = m.since(Instant.EPOCH).stream().filter(s -> s.collector().equals("a")).toList();
        assertThat(a).hasSize(Matrix.KEPT_SETS);
        assertThat(a.get(0).intervalEnd().toEpochMilli() - t).as("the oldest made room").isEqualTo(305_000L);
        assertThat(a).extracting(s -> s.intervalEnd().toEpochMilli()).isSorted();
        assertThat(m.freshSets(t + 10_000_000L)).as("none fresh any more").isEmpty();
        assertThat(m.since(Instant.ofEpochMilli(t + 480_000L))).hasSize(1);
    }
}
