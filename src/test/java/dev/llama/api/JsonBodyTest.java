package dev.llama.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.llama.summary.PairSummary;
import dev.llama.summary.PortSummary;
import dev.llama.summary.SummaryJson;
import dev.llama.summary.SummarySet;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class JsonBodyTest {
    @Test
    void writesTheBytesTheWholeTreeEncodesTo() {
        var a = new JsonObject().put("x", 1).put("s", "q\"uote");
        var tree = new JsonObject().put("version", 1).put("collectors", new JsonArray()
                .add(new JsonObject().put("name", "c1").put("pairs", new JsonArray().add(a).add(a)))
                .add(new JsonObject().put("pairs", new JsonArray()))
                .add(new JsonObject().put("name", "c3").put("pairs", new JsonArray().add(a))));
        var body = new JsonBody(0).open(new JsonObject().put("version", 1), "collectors")
                .open(new JsonObject().put("name", "c1"), "pairs").add(a).add(a).close()
                .open(new JsonObject(), "pairs").close()
                .open(new JsonObject().put("name", "c3"), "pairs").add(a).close()
                .close().buffer();
        assertThat(body.toString()).isEqualTo(tree.encode());
        assertThat(new JsonBody(16).openArray().add(a).add(a).close().buffer().toString())
                .isEqualTo(new JsonArray().add(a).add(a).encode());
        assertThat(new JsonBody(16).openArray().close().buffer().toString()).isEqualTo("[]");
        assertThatThrownBy(() -> new JsonBody(16).openArray().buffer()).hasMessageContaining("1 arrays still open");
    }

    @Test
    void aSetsHeadAndItsPairsAreItsEncoding() {
        var port = new PortSummary(40001, 8100, 10, 1, 10.0, 0.5, 0.4, 0.6, 0.2, 0.3, 184, 32, 9);
        var pair = new PairSummary("10.0.0.1", "10.0.0.2", Map.of("dst_name", "b"), 10, 1, 10.0, 0.5, 0.4, 0.6, 0.5, 0.6,
                0.6, 0.01, 0.01, 0, 0, List.of(port));
        var end = Instant.parse("2026-11-26T04:00:00Z");
        var set = new SummarySet(SummarySet.VERSION, "a", 10, end.minusSeconds(10), end, Map.of("sent", 20L), List.of(pair, pair));
        var body = new JsonBody(0).open(SummaryJson.encodeHead(set), SummaryJson.PAIRS)
                .add(SummaryJson.encode(pair)).add(SummaryJson.encode(pair)).close().buffer();
        assertThat(body.toString()).isEqualTo(SummaryJson.encode(set).encode());
    }
}
