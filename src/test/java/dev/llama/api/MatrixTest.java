package dev.llama.api;

import static org.assertj.core.api.Assertions.assertThat;

import dev.llama.summary.PairSummary;
import dev.llama.summary.SummarySet;
import io.vertx.core.json.JsonArray;
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

    /** Every fresh row as {@code /api/v1/matrix} serves it. */
    private static JsonArray pairs(Matrix m, long nowMillis) {
        var out = new JsonArray();
        m.rows(row -> true, nowMillis).forEach(row -> out.add(Matrix.json(row)));
        return out;
    }

    @Test
    void newestPairsWithBothEndsAndStaleCollectorsLeftOut() {
        long now = 1_800_000_000_000L;
        var m = new Matrix(3_600_000);
        m.accept(set("a", "10.0.0.1", now - 20_000, "b=10.0.0.2"));
        m.accept(set("a", "10.0.0.1", now - 10_000, "b=10.0.0.2", "c=10.0.0.3"));
        m.accept(set("dead", "10.0.0.9", now - 36_000, "b=10.0.0.2"));
        var pairs = pairs(m, now);
        assertThat(pairs).hasSize(2);
        var first = pairs.getJsonObject(0);
        assertThat(first.getJsonObject("src").encode()).isEqualTo("{\"name\":\"a\",\"ip\":\"10.0.0.1\",\"tags\":{\"region\":\"west\"}}");
        assertThat(first.getJsonObject("dst").getString("name")).isEqualTo("b");
        assertThat(first.getString("interval_end")).isEqualTo(Instant.ofEpochMilli(now - 10_000).toString());
        assertThat(pairs(m, now + 30_000)).as("three intervals + 5 s later").isEmpty();
        assertThat(set("x", "1.1.1.1", now - 35_000).freshAt(now)).isTrue();
        assertThat(set("x", "1.1.1.1", now - 35_001).freshAt(now)).isFalse();
    }

    @Test
    void anOlderSetDoesNotReplaceItsCollectorsNewest() {
        long now = 1_800_000_000_000L;
        var m = new Matrix(3_600_000);
        m.accept(set("a", "10.0.0.1", now - 10_000, "b=10.0.0.2"));
        m.accept(set("a", "10.0.0.1", now - 20_000, "c=10.0.0.3"));
        assertThat(pairs(m, now)).hasSize(1);
        assertThat(pairs(m, now).getJsonObject(0).getJsonObject("dst").getString("name")).isEqualTo("b");
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

    /** A set of {@code n} pairs from 10.0.0.1 to 10.{1..}.x.y, with distinct numbers per interval. */
    private static SummarySet big(long endMillis, int n, int interval) {
        return big("big", "10.0.0.1", endMillis, n, interval);
    }

    private static SummarySet big(String collector, String src, long endMillis, int n, int interval) {
        var pairs = new ArrayList<PairSummary>(n);
        for (int i = 0; i < n; i++) {
            pairs.add(new PairSummary(src, "10." + (1 + i / 65536) + "." + (i / 256 % 256) + "." + (i % 256), Map.of(), 100 + interval,
                    interval, interval, 0.5 + interval, 0.4, 0.6, 0.5, 0.6, 0.6, 0.01, 0.01, 0, 0, List.of(), 0.25, 0.25 + interval,
                    0.2, 0.3, 0.3, interval, 184, 32, interval));
        }
        var end = Instant.ofEpochMilli(endMillis);
        return new SummarySet(SummarySet.VERSION, collector, 10, end.minusSeconds(10), end, Map.of(), pairs);
    }

    @Test
    void aLargeMeshKeepsAHistoryAndSetsThatFitTheirBudgets() {
        long t = 1_800_000_000_000L;
        var m = new Matrix(3_600_000, 200_000, 40_000);
        int pairs = 40_000;
        for (int i = 0; i < 10; i++) {
            m.accept(big(t + i * 10_000L, pairs, i));
        }
        assertThat(m.since(Instant.EPOCH)).as("40,000 pair results: the newest two sets").hasSize(2)
                .extracting(s -> s.intervalEnd().toEpochMilli() - t).containsExactly(80_000L, 90_000L);
        var history = m.history("10.0.0.1", "10.1.0.7").getJsonObject(0).getJsonArray("history");
        assertThat(history).as("200,000 entries over 40,000 pairs is 5 each, but never fewer than 6").hasSize(Matrix.MIN_PAIR_HISTORY);
        var newest = history.getJsonObject(history.size() - 1);
        assertThat(newest.getString("interval_end")).isEqualTo(Instant.ofEpochMilli(t + 90_000L).toString());
        assertThat(newest.getString("collector")).isEqualTo("big");
        assertThat(newest.getLong("sent")).isEqualTo(109);
        assertThat(newest.getLong("lost")).isEqualTo(9);
        assertThat(newest.getDouble("rtt")).isEqualTo(9.5);
        assertThat(newest.getDouble("rtt_net")).isEqualTo(9.25);
        assertThat(newest.getLong("dwell_invalid")).isEqualTo(9);
        assertThat(newest.getInteger("tos_sent")).isEqualTo(184);
        assertThat(newest.getInteger("tos_received")).isEqualTo(32);
        assertThat(newest.getLong("remarked")).isEqualTo(9);
        assertThat(history.getJsonObject(0).getLong("sent")).as("the oldest kept: interval 4").isEqualTo(104);

        var small = new Matrix(3_600_000, 200_000, 40_000);
        for (int i = 0; i < 30; i++) {
            small.accept(big(t + i * 10_000L, 1_000, i));
        }
        assertThat(small.since(Instant.EPOCH)).as("1,000 pairs: all twenty sets").hasSize(Matrix.KEPT_SETS);
        assertThat(small.history("10.0.0.1", "10.1.0.7").getJsonObject(0).getJsonArray("history")).as("and every interval of the hour").hasSize(30);
    }

    @Test
    void collectorsShareTheKeptSetsBudget() {
        long t = 1_800_000_000_000L;
        var m = new Matrix(3_600_000, 200_000, 40_000);
        for (int i = 0; i < 12; i++) {
            m.accept(big("a", "10.0.0.1", t + i * 10_000L, 5_000, i));
        }
        assertThat(m.since(Instant.EPOCH)).as("alone: 40,000 pair results in sets of 5,000").hasSize(8);
        for (int i = 0; i < 12; i++) {
            m.accept(big("b", "10.0.0.2", t + i * 10_000L, 5_000, i));
            m.accept(big("a", "10.0.0.1", t + (12 + i) * 10_000L, 5_000, i));
        }
        var kept = m.since(Instant.EPOCH);
        assertThat(kept.stream().filter(s -> s.collector().equals("a"))).as("half the budget each").hasSize(4);
        assertThat(kept.stream().filter(s -> s.collector().equals("b"))).hasSize(4);
    }
}
