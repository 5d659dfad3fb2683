package dev.llama.scraper;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class PointsTest {
    private static JsonObject point(String dst, String time) {
        return new JsonObject().put("measurement", "raw_stats")
                .put("tags", new JsonObject().put("src_ip", "10.0.0.1").put("dst_ip", dst))
                .put("fields", new JsonObject().put("rtt", 0.5).put("loss", 0).put("lost", 0).put("sent", 124))
                .put("time", time);
    }

    private static String text(Points.Converted c) {
        return new String(c.batch().lines(), StandardCharsets.UTF_8);
    }

    @Test
    void writesEveryNumberAsAFloatAtTheSummaryTime() {
        var c = new Points().convert("c1", new JsonArray().add(point("10.0.0.2", "2026-11-24T09:40:00Z")), 0, true);
        assertThat(text(c)).isEqualTo("raw_stats,dst_ip=10.0.0.2,src_ip=10.0.0.1 rtt=0.5,loss=0.0,lost=0.0,sent=124.0 1795513200\n");
        assertThat(c.batch().points()).isEqualTo(1);
    }

    @Test
    void theOriginalsZeroTimeBecomesTheScrapeTime() {
        var c = new Points().convert("c1", new JsonArray().add(point("10.0.0.2", "0001-01-01T00:00:00Z")), 1_800_000_000L, true);
        assertThat(text(c)).endsWith(" 1800000000\n");
    }

    @Test
    void aSummaryAlreadyQueuedIsNotQueuedAgain() {
        var points = new Points();
        var first = new JsonArray().add(point("10.0.0.2", "2026-11-24T09:40:00Z")).add(point("10.0.0.3", "2026-11-24T09:40:00Z"));
        assertThat(points.convert("c1", first, 0, true).batch().points()).isEqualTo(2);
        var again = points.convert("c1", first, 0, true);
        assertThat(again.batch().points()).isZero();
        assertThat(again.unchanged()).isEqualTo(2);
        assertThat(points.convert("c2", first, 0, true).batch().points()).as("another source").isEqualTo(2);
        var next = new JsonArray().add(point("10.0.0.2", "2026-11-24T09:40:30Z")).add(point("10.0.0.3", "2026-11-24T09:40:00Z"));
        var c = points.convert("c1", next, 0, true);
        assertThat(c.batch().points()).isEqualTo(1);
        assertThat(text(c)).contains("dst_ip=10.0.0.2");
    }

    @Test
    void invalidPointsAreLeftOutAndCountedAndTheRestKept() {
        var array = new JsonArray()
                .add(42)
                .add(new JsonObject().put("tags", new JsonObject()).put("fields", new JsonObject().put("a", 1)))
                .add(point("10.0.0.2", "2026-11-24T09:40:00Z").put("fields", new JsonObject()))
                .add(point("10.0.0.2", "yesterday"))
                .add(point("10.0.0.2", "2026-11-24T09:40:00Z").put("tags", new JsonObject().put("dst_ip", "a\nb")))
                .add(point("10.0.0.4", "2026-11-24T09:40:00Z"));
        var c = new Points().convert("c1", array, 0, true);
        assertThat(c.invalid()).isEqualTo(5);
        assertThat(c.problem()).isEqualTo("a point is not a JSON object");
        assertThat(c.batch().points()).isEqualTo(1);
        assertThat(text(c)).contains("dst_ip=10.0.0.4");
    }
}
