package dev.llama.api;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class MatrixTest {
    private static JsonObject set(String collector, String srcIp, long endMillis, String... dsts) {
        var pairs = new JsonArray();
        for (String dst : dsts) {
            pairs.add(new JsonObject().put("src_ip", srcIp).put("dst_ip", dst.split("=")[1])
                    .put("tags", new JsonObject().put("src_name", collector).put("src_region", "west")
                            .put("dst_name", dst.split("=")[0]).put("dst_region", "east"))
                    .put("sent", 10L).put("lost", 1L).put("loss", 10.0).put("rtt", 0.5));
        }
        return new JsonObject().put("collector", collector).put("interval", 10)
                .put("interval_end", Instant.ofEpochMilli(endMillis).toString()).put("pairs", pairs);
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
        assertThat(Matrix.fresh(set("x", "1.1.1.1", now - 35_000), now)).isTrue();
        assertThat(Matrix.fresh(set("x", "1.1.1.1", now - 35_001), now)).isFalse();
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
}
