package dev.llama.api;

import static org.assertj.core.api.Assertions.assertThat;

import dev.llama.summary.Addresses;
import dev.llama.testutil.Await;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.WebClient;
import io.vertx.junit5.VertxExtension;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Whatever arrives on the summary address is input from the network: sets that fail validation are
 * counted and never reach the matrix, {@code /influxdata} or {@code /metrics}, and the API keeps answering.
 */
@ExtendWith(VertxExtension.class)
class SummaryInputTest {
    private static JsonObject valid(String collector, Instant end) {
        var pair = new JsonObject().put("src_ip", "10.0.0.1").put("dst_ip", "10.0.0.2")
                .put("tags", new JsonObject().put("src_name", collector).put("dst_name", "b"))
                .put("sent", 10).put("lost", 0).put("loss", 0.0).put("rtt", 0.2).put("rtt_min", 0.1).put("rtt_max", 0.3)
                .put("rtt_p50", 0.2).put("rtt_p90", 0.3).put("rtt_p99", 0.3).put("rtt_stddev", 0.01).put("jitter", 0.01)
                .put("late", 0).put("duplicates", 0).put("dwell", 0.05).put("rtt_net", 0.15).put("rtt_net_p50", 0.15)
                .put("rtt_net_p90", 0.25).put("rtt_net_p99", 0.25).put("dwell_invalid", 0).put("tos_sent", 184)
                .put("tos_received", 32).put("remarked", 3).put("ports", new JsonArray());
        return new JsonObject().put("version", 1).put("collector", collector).put("interval", 30)
                .put("interval_start", end.minusSeconds(30).toString()).put("interval_end", end.toString())
                .put("pairs", new JsonArray().add(pair));
    }

    @Test
    void invalidAndForgedSetsAreCountedAndLeaveTheMatrixAlone(Vertx vertx) throws Exception {
        var api = new ApiVerticle(new InetSocketAddress("127.0.0.1", 0));
        vertx.deployVerticle(api).await(10, TimeUnit.SECONDS);
        var bus = vertx.eventBus();
        var now = Instant.now();
        bus.publish(Addresses.SUMMARIES, valid("a", now));
        bus.publish(Addresses.SUMMARIES, valid("a", now).put("interval", "x"));
        var future = valid("a", Instant.parse("2099-01-01T00:00:00Z"));
        future.getJsonArray("pairs").getJsonObject(0).put("loss", 0.0).put("dst_ip", "10.0.0.2");
        bus.publish(Addresses.SUMMARIES, future);
        var xss = valid("a", now);
        xss.getJsonArray("pairs").getJsonObject(0).getJsonArray("ports")
                .add(new JsonObject().put("src_port", "<img src=x onerror=alert(1)>").put("dst_port", 1).put("sent", 1).put("lost", 0).put("loss", 0.0));
        bus.publish(Addresses.SUMMARIES, xss);
        bus.publish(Addresses.SUMMARIES, "not a set");
        bus.publish(Addresses.SUMMARIES, valid("a", now).put("pairs", new JsonArray().add(valid("a", now).getJsonArray("pairs")
                .getJsonObject(0).copy().put("src_ip", "not-an-ip"))));
        Await.until(Duration.ofSeconds(5), () -> api.receiver().rejected() == 5 && api.receiver().accepted() == 1,
                () -> "accepted " + api.receiver().accepted() + ", rejected " + api.receiver().rejected());

        var client = WebClient.create(vertx);
        String base = "http://127.0.0.1:" + api.port();
        var matrix = client.getAbs(base + "/api/v1/matrix").send().await();
        assertThat(matrix.statusCode()).isEqualTo(200);
        var pairs = matrix.bodyAsJsonObject().getJsonArray("pairs");
        assertThat(pairs).hasSize(1);
        assertThat(pairs.getJsonObject(0).getString("interval_end")).isEqualTo(now.toString());
        assertThat(client.getAbs(base + "/influxdata").send().await().statusCode()).isEqualTo(200);
        assertThat(client.getAbs(base + "/api/v1/pairs/a/b").send().await().bodyAsJsonObject()
                .getJsonArray("pairs").getJsonObject(0).getJsonArray("history")).hasSize(1);
        assertThat(client.getAbs(base + "/metrics").send().await().bodyAsString())
                .containsPattern("llama_summaries_rejected_total(\\{[^}]*\\})? 5\\.0");
    }

    @Test
    void theTypedSetRoundTripsThroughTheApi(Vertx vertx) throws Exception {
        var api = new ApiVerticle(new InetSocketAddress("127.0.0.1", 0));
        vertx.deployVerticle(api).await(10, TimeUnit.SECONDS);
        var sent = valid("c", Instant.now().minusSeconds(1));
        vertx.eventBus().publish(Addresses.SUMMARIES, sent);
        Await.until(Duration.ofSeconds(5), () -> api.receiver().accepted() == 1, () -> "accepted");
        var body = WebClient.create(vertx).getAbs("http://127.0.0.1:" + api.port() + "/api/v1/summaries").send().await().bodyAsJsonObject();
        var served = body.getJsonArray("collectors").getJsonObject(0);
        served.remove("counters");
        assertThat(served).isEqualTo(sent);
    }
}
