package dev.llama.api;

import static org.assertj.core.api.Assertions.assertThat;

import dev.llama.localize.Evidence;
import dev.llama.localize.Suspect;
import dev.llama.summary.Addresses;
import dev.llama.summary.PairSummary;
import dev.llama.testutil.Await;
import dev.llama.testutil.Http;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.VertxExtension;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * {@code /api/v1/faults}, {@code llama_fault_suspect} and the fault bus, with a localizer double that
 * names the suspects the test chooses and records what it was given.
 */
@ExtendWith(VertxExtension.class)
class FaultsApiTest {
    static final Suspect HOST = new Suspect("host", "h2", "both", 7.5, 30,
            new Evidence(List.of("10.9.0.1>10.9.0.2", "10.9.0.2>10.9.0.1"), List.of(), 80, 30, 40, 0));
    static final Suspect PATH = new Suspect("path", "10.9.0.1>10.9.0.3", null, 3.0, 10,
            new Evidence(List.of("10.9.0.1>10.9.0.3"), List.of(40001), 40, 10, 80, 30));

    private final AtomicReference<List<Suspect>> answer = new AtomicReference<>(List.of());
    private final List<List<PairSummary>> given = new CopyOnWriteArrayList<>();

    private String start(Vertx vertx) throws Exception {
        var api = new ApiVerticle(new InetSocketAddress("127.0.0.1", 0)).localizer(pairs -> {
            given.add(pairs);
            return answer.get();
        });
        vertx.deployVerticle(api).await(10, TimeUnit.SECONDS);
        return "http://127.0.0.1:" + api.port();
    }

    private static JsonObject faults(String url) {
        var r = Http.get(url);
        return r == null || r.statusCode() != 200 ? new JsonObject() : new JsonObject(r.body());
    }

    private static String endOf(String url) {
        return String.valueOf(faults(url).getString("interval_end"));
    }

    @Test
    void theNewestIntervalsSuspectsAreServedExportedAndClearedAndOlderOnesStayAskable(Vertx vertx) throws Exception {
        String base = start(vertx);
        assertThat(faults(base + "/api/v1/faults")).isEqualTo(new JsonObject().putNull("interval_end").put("suspects", new JsonArray()));
        Instant first = Instant.now().truncatedTo(ChronoUnit.SECONDS).minusSeconds(60);
        answer.set(List.of(HOST, PATH));
        vertx.eventBus().publish(Addresses.SUMMARIES, set(first));
        Await.until(Duration.ofSeconds(10), () -> endOf(base + "/api/v1/faults").equals(first.toString()), () -> "the first report");

        var json = faults(base + "/api/v1/faults");
        var s = json.getJsonArray("suspects").getJsonObject(0);
        assertThat(s.getString("kind")).isEqualTo("host");
        assertThat(s.getString("scope")).isEqualTo("h2");
        assertThat(s.getString("side")).isEqualTo("both");
        assertThat(s.getDouble("score")).isEqualTo(7.5);
        assertThat(s.getLong("explained_lost")).isEqualTo(30);
        assertThat(s.getJsonObject("evidence")).isEqualTo(new JsonObject()
                .put("pairs", new JsonArray().add("10.9.0.1>10.9.0.2").add("10.9.0.2>10.9.0.1")).put("src_ports", new JsonArray())
                .put("sent", 80).put("lost", 30).put("loss", 37.5).put("rest_sent", 40).put("rest_lost", 0).put("rest_loss", 0.0));
        assertThat(json.getJsonArray("suspects").getJsonObject(1).getJsonObject("evidence").getJsonArray("src_ports"))
                .containsExactly(40001);
        assertThat(given.get(given.size() - 1)).as("the localizer got the pairs with their per-port detail")
                .allSatisfy(p -> assertThat(p.ports()).hasSize(1)).hasSize(3);
        String metrics = Http.get(base + "/metrics").body();
        assertThat(metrics).contains("llama_fault_suspect{kind=\"host\",scope=\"h2\"} 7.5")
                .contains("llama_fault_suspect{kind=\"path\",scope=\"10.9.0.1>10.9.0.3\"} 3.0");

        answer.set(List.of(PATH));
        Instant second = first.plusSeconds(30);
        vertx.eventBus().publish(Addresses.SUMMARIES, set(second));
        Await.until(Duration.ofSeconds(10), () -> endOf(base + "/api/v1/faults").equals(second.toString()), () -> "the second report");
        assertThat(faults(base + "/api/v1/faults").getJsonArray("suspects")).hasSize(1);
        metrics = Http.get(base + "/metrics").body();
        assertThat(metrics).as("a cleared suspect's series is removed").doesNotContain("scope=\"h2\"").contains("scope=\"10.9.0.1>10.9.0.3\"");

        assertThat(endOf(base + "/api/v1/faults?at=" + first.plusSeconds(10))).isEqualTo(first.toString());
        assertThat(faults(base + "/api/v1/faults?at=" + first).getJsonArray("suspects")).hasSize(2);
        assertThat(endOf(base + "/api/v1/faults?at="
                + java.net.URLEncoder.encode(second.plusSeconds(5).atOffset(java.time.ZoneOffset.ofHours(2)).toString(),
                        java.nio.charset.StandardCharsets.UTF_8)))
                .isEqualTo(second.toString());
        assertThat(Http.get(base + "/api/v1/faults?at=" + first.minusSeconds(1)).statusCode()).as("before the first").isEqualTo(404);
        assertThat(Http.get(base + "/api/v1/faults?at=" + Instant.now().minus(Duration.ofHours(2))).statusCode()).isEqualTo(404);
        for (String bad : List.of("at=yesterday", "at=" + "9".repeat(70), "when=now", "at=" + first + "&at=" + second)) {
            var r = Http.get(base + "/api/v1/faults?" + bad);
            assertThat(r.statusCode()).as(bad).isEqualTo(400);
            assertThat(new JsonObject(r.body()).getString("error")).isNotBlank();
        }
    }

    @Test
    void anotherNodesReportIsValidatedAndForTheSameIntervalTheFirstPublisherWins(Vertx vertx) throws Exception {
        String base = start(vertx);
        Instant end = Instant.now().truncatedTo(ChronoUnit.SECONDS).minusSeconds(30);
        answer.set(List.of(PATH));
        vertx.eventBus().publish(Addresses.SUMMARIES, set(end));
        Await.until(Duration.ofSeconds(10), () -> endOf(base + "/api/v1/faults").equals(end.toString()), () -> "own report");

        var forged = FaultJson.encode(new FaultReport("0", end, List.of(HOST)), true);
        var rejected = List.of(forged.copy().put("interval_end", "soon"), forged.copy().put("publisher", ""),
                forged.copy().put("interval_end", Instant.now().plusSeconds(3600).toString()),
                forged.copy().put("suspects", "many"), new JsonObject(forged.encode().replace("\"sent\":80", "\"sent\":-1")),
                new JsonObject(forged.encode().replace("\"lost\":30,\"loss\"", "\"lost\":81,\"loss\"")),
                new JsonObject(forged.encode().replace("\"score\":7.5", "\"score\":\"high\"")),
                new JsonObject(forged.encode().replace("\"kind\":\"host\"", "\"kind\":\"a\\nb\"")));
        for (var bad : rejected) {
            vertx.eventBus().publish(Addresses.FAULTS, bad);
        }
        vertx.eventBus().publish(Addresses.FAULTS, "not a report");
        Await.until(Duration.ofSeconds(10), () -> Http.get(base + "/metrics").body().contains("llama_faults_rejected_total 9.0"),
                () -> "nine rejections counted");
        assertThat(faults(base + "/api/v1/faults").getJsonArray("suspects").getJsonObject(0).getString("kind")).isEqualTo("path");

        vertx.eventBus().publish(Addresses.FAULTS, FaultJson.encode(new FaultReport("z", end, List.of(HOST)), true));
        vertx.eventBus().publish(Addresses.FAULTS, forged);
        Await.until(Duration.ofSeconds(10), () -> faults(base + "/api/v1/faults").getJsonArray("suspects", new JsonArray()).stream()
                .anyMatch(o -> ((JsonObject) o).getString("kind").equals("host")), () -> "publisher \"0\" sorts before a UUID and wins");
        Instant later = end.plusSeconds(30);
        vertx.eventBus().publish(Addresses.FAULTS, FaultJson.encode(new FaultReport("z", later, List.of()), true));
        Await.until(Duration.ofSeconds(10), () -> endOf(base + "/api/v1/faults").equals(later.toString()), () -> "a newer interval");
        assertThat(Http.get(base + "/metrics").body()).doesNotContain("llama_fault_suspect{");
    }

    @Test
    void theCodecSignsWithTheClusterKeyAndRefusesAnythingElse() {
        byte[] key = "0123456789abcdef0123456789abcdef".getBytes(java.nio.charset.StandardCharsets.US_ASCII);
        var report = new FaultReport("p", Instant.now().truncatedTo(ChronoUnit.SECONDS), List.of(HOST, PATH));
        var wire = io.vertx.core.buffer.Buffer.buffer();
        new FaultCodec(key).encodeToWire(wire, report);
        assertThat(new FaultCodec(key).decodeFromWire(0, wire)).isEqualTo(report);
        byte[] other = "0123456789abcdef0123456789abcdeX".getBytes(java.nio.charset.StandardCharsets.US_ASCII);
        assertThat(new FaultCodec(other).decodeFromWire(0, wire)).as("another key").isNull();
        var unsigned = io.vertx.core.buffer.Buffer.buffer();
        new FaultCodec((byte[]) null).encodeToWire(unsigned, report);
        assertThat(new FaultCodec(key).decodeFromWire(0, unsigned)).as("no MAC").isNull();
        var tampered = wire.copy();
        tampered.setByte(20, (byte) (tampered.getByte(20) ^ 1));
        assertThat(new FaultCodec(key).decodeFromWire(0, tampered)).isNull();
        assertThat(new FaultCodec((byte[]) null).decodeFromWire(0, io.vertx.core.buffer.Buffer.buffer().appendInt(1 << 30))).isNull();
    }

    /** One collector's set: three pairs among 10.9.0.1..3, one source port each. */
    static JsonObject set(Instant end) {
        var pairs = new JsonArray();
        String[][] ends = {{"1", "2"}, {"2", "1"}, {"1", "3"}};
        for (String[] e : ends) {
            pairs.add(new JsonObject().put("src_ip", "10.9.0." + e[0]).put("dst_ip", "10.9.0." + e[1])
                    .put("tags", new JsonObject().put("src_name", "h" + e[0]).put("dst_name", "h" + e[1]))
                    .put("sent", 40).put("lost", 0).put("loss", 0.0).put("rtt", 1.0).put("rtt_min", 1.0).put("rtt_max", 1.0)
                    .put("rtt_p50", 1.0).put("rtt_p90", 1.0).put("rtt_p99", 1.0).put("rtt_stddev", 0.0).put("jitter", 0.0)
                    .put("late", 0).put("duplicates", 0)
                    .put("ports", new JsonArray().add(new JsonObject().put("src_port", 40001).put("dst_port", 8100)
                            .put("sent", 40).put("lost", 0).put("loss", 0.0).put("rtt", 1.0).put("rtt_min", 1.0).put("rtt_max", 1.0))));
        }
        return new JsonObject().put("version", 1).put("collector", "c1").put("interval", 30)
                .put("interval_start", end.minusSeconds(30).toString()).put("interval_end", end.toString()).put("pairs", pairs);
    }
}
