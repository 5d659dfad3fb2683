package dev.llama.collector;

import static org.assertj.core.api.Assertions.assertThat;

import dev.llama.api.ApiVerticle;
import dev.llama.reflector.ReflectorOptions;
import dev.llama.reflector.ReflectorVerticle;
import dev.llama.summary.Addresses;
import dev.llama.summary.SummarySet;
import dev.llama.testutil.Await;
import dev.llama.testutil.Configs;
import dev.llama.testutil.Summaries;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.WebClient;
import io.vertx.junit5.VertxExtension;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** A real reflector and a real collector on loopback, read through the real HTTP API. */
@ExtendWith(VertxExtension.class)
class CollectorEndToEndTest {

    @Test
    void summarizesLiveAndDeadTargetsAtTheBoundaryAndServesTheOriginalShape(Vertx vertx) throws Exception {
        var reflector = new ReflectorVerticle(new ReflectorOptions(InetAddress.getLoopbackAddress(), 0, 0));
        vertx.deployVerticle(reflector).await(10, TimeUnit.SECONDS);
        int port = reflector.port();
        var summaries = new Summaries(vertx);
        // When each set arrives, taken on arrival: the test thread may be busy deploying the API then.
        var arrivals = new java.util.concurrent.ConcurrentHashMap<Instant, Long>();
        vertx.eventBus().<Object>consumer(Addresses.SUMMARIES, msg -> {
            if (msg.body() instanceof SummarySet s) {
                arrivals.put(s.intervalEnd(), System.currentTimeMillis());
            }
        });
        var config = Configs.collector(1, 4, 20, 300,
                "127.0.0.1:" + port + ":dst_hostname=live:dst_region=west",
                "127.0.0.2:" + port + ":dst_hostname=dead");
        var collector = new CollectorVerticle(CollectorOptions.inline(config, "test-collector"));
        vertx.deployVerticle(collector).await(10, TimeUnit.SECONDS);
        var api = new ApiVerticle(new InetSocketAddress("127.0.0.1", 0));
        vertx.deployVerticle(api).await(10, TimeUnit.SECONDS);

        var set = summaries.await(Duration.ofSeconds(10), 1,
                s -> Summaries.hasPair(s, "127.0.0.1", 60) && Summaries.hasPair(s, "127.0.0.2", 60), "a full interval");
        var end = Instant.parse(set.getString("interval_end"));
        // Both consumers see the set, on their own event loops: wait for the other one too.
        Await.until(Duration.ofSeconds(5), () -> arrivals.containsKey(end), () -> "arrival time of " + end);
        long receivedAt = arrivals.get(end);
        assertThat(end.toEpochMilli() % 1000).as("aligned to a wall-clock second").isZero();
        assertThat(Duration.between(Instant.parse(set.getString("interval_start")), end)).isEqualTo(Duration.ofSeconds(1));
        assertThat(receivedAt - end.toEpochMilli()).as("published at the boundary").isBetween(0L, 900L);

        var live = Summaries.pair(set, "127.0.0.1");
        assertThat(live.getString("src_ip")).isEqualTo("127.0.0.1");
        assertThat(live.getDouble("loss")).isEqualTo(0.0);
        assertThat(live.getLong("lost")).isZero();
        assertThat(live.getDouble("rtt")).isBetween(0.001, 50.0);
        assertThat(live.getDouble("rtt_min")).isLessThanOrEqualTo(live.getDouble("rtt_p50"));
        assertThat(live.getDouble("rtt_p50")).isLessThanOrEqualTo(live.getDouble("rtt_p90"));
        assertThat(live.getDouble("rtt_p90")).isLessThanOrEqualTo(live.getDouble("rtt_p99"));
        assertThat(live.getDouble("rtt_p99")).isLessThanOrEqualTo(live.getDouble("rtt_max") * 1.001);
        assertThat(live.getDouble("rtt_stddev")).isGreaterThanOrEqualTo(0.0);
        assertThat(live.getDouble("jitter")).isGreaterThanOrEqualTo(0.0);
        assertThat(live.getJsonObject("tags").getMap()).containsEntry("dst_hostname", "live").containsEntry("dst_region", "west");
        var ports = live.getJsonArray("ports");
        assertThat(ports).hasSize(4);
        assertThat(ports.stream().mapToLong(p -> ((JsonObject) p).getLong("sent")).sum()).isEqualTo(live.getLong("sent"));

        var dead = Summaries.pair(set, "127.0.0.2");
        assertThat(dead.getDouble("loss")).isEqualTo(100.0);
        assertThat(dead.getLong("lost")).isEqualTo(dead.getLong("sent"));
        for (String field : new String[] {"rtt", "rtt_min", "rtt_max", "rtt_p50", "rtt_p90", "rtt_p99", "rtt_stddev", "jitter"}) {
            assertThat(dead.containsKey(field)).as(field + " is there").isTrue();
            assertThat(dead.getValue(field)).as("no answer is no RTT, not 0 ms: " + field).isNull();
        }
        assertThat(dead.getJsonArray("ports").getJsonObject(0).getValue("rtt")).isNull();

        var client = WebClient.create(vertx);
        String base = "http://127.0.0.1:" + api.port();
        assertThat(client.getAbs(base + "/status").send().await().bodyAsString()).isEqualTo("ok");

        var influx = client.getAbs(base + "/influxdata").send().await();
        assertThat(influx.statusCode()).isEqualTo(200);
        String raw = influx.bodyAsString();
        var points = new JsonArray(raw);
        assertThat(points).isNotEmpty();
        for (Object o : points) {
            var point = (JsonObject) o;
            assertThat(point.fieldNames()).containsExactlyInAnyOrder("measurement", "tags", "fields", "time");
            assertThat(point.getString("measurement")).isEqualTo("raw_stats");
            assertThat(point.getJsonObject("fields").fieldNames()).containsExactlyInAnyOrder("rtt", "loss", "lost", "sent");
            assertThat(point.getJsonObject("fields").getMap().values()).allMatch(v -> v instanceof Double);
            assertThat(point.getJsonObject("tags").getString("src_ip")).isEqualTo("127.0.0.1");
            assertThat(point.getJsonObject("tags").getString("dst_ip")).isIn("127.0.0.1", "127.0.0.2");
            assertThat(point.getString("time")).matches("\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\dZ");
        }
        var deadPoint = points.stream().map(JsonObject.class::cast)
                .filter(p -> p.getJsonObject("tags").getString("dst_ip").equals("127.0.0.2")).findFirst().orElseThrow();
        assertThat(deadPoint.getJsonObject("fields").getDouble("rtt")).as("/influxdata keeps the original's shape").isEqualTo(0.0);
        for (String field : new String[] {"rtt", "loss", "lost", "sent"}) {
            assertThat(raw).as("every %s is written with a decimal point", field)
                    .doesNotContainPattern("\"" + field + "\":-?\\d+[,}]");
        }

        var filtered = client.getAbs(base + "/api/v1/summaries?dst=127.0.0.2").send().await().bodyAsJsonObject();
        var onlyDead = filtered.getJsonArray("collectors").getJsonObject(0).getJsonArray("pairs");
        assertThat(onlyDead).hasSize(1);
        assertThat(onlyDead.getJsonObject(0).getString("dst_ip")).isEqualTo("127.0.0.2");
        assertThat(onlyDead.getJsonObject(0).getValue("rtt_p50")).isNull();
        var matrix = client.getAbs(base + "/api/v1/matrix?dst.ip=127.0.0.2").send().await().bodyAsJsonObject();
        assertThat(matrix.getJsonArray("pairs").getJsonObject(0).getValue("rtt")).isNull();

        var bad = client.getAbs(base + "/api/v1/summaries?dst=not-an-ip").send().await();
        assertThat(bad.statusCode()).isEqualTo(400);
        assertThat(bad.bodyAsJsonObject().getString("error")).contains("dst");
        var unknown = client.getAbs(base + "/api/v1/summaries?color=red").send().await();
        assertThat(unknown.statusCode()).isEqualTo(400);
        assertThat(unknown.bodyAsJsonObject().getString("error")).contains("color");
    }

    /**
     * A reflector bound to 0.0.0.0 answers a probe sent to 127.0.0.2 from 127.0.0.1 (the kernel picks
     * the source), as the original's does on any host with several addresses. By default that is not the
     * target's answer: anyone sending from the reflector's port elsewhere could otherwise answer for a
     * dead target. The reply is counted as from another source and the pair shows loss.
     */
    @Test
    void aReplyFromAnotherAddressOfTheReflectorIsNotTheTargetsAnswerByDefault(Vertx vertx) throws Exception {
        var set = probeMultiHomed(vertx, CollectorOptions.inline(
                Configs.collector(1, 2, 20, 300, "127.0.0.2:" + multiHomedReflector(vertx)), "multi-homed"));
        var pair = Summaries.pair(set, "127.0.0.2");
        assertThat(pair.getDouble("loss")).isEqualTo(100.0);
        assertThat(pair.getValue("rtt")).isNull();
        assertThat(set.getJsonObject("counters").getLong("replies_other_source")).isGreaterThanOrEqualTo(pair.getLong("sent"));
    }

    /** With {@code accept_other_source}, the same replies count as the target's answers, and are still noted. */
    @Test
    void aReplyFromAnotherAddressOfTheReflectorCountsWhenConfigured(Vertx vertx) throws Exception {
        var config = Configs.collector(1, 2, 20, 300, "127.0.0.2:" + multiHomedReflector(vertx));
        config.getJsonObject("ports").getJsonObject("default").put("accept_other_source", true);
        var set = probeMultiHomed(vertx, CollectorOptions.inline(config, "multi-homed"));
        var pair = Summaries.pair(set, "127.0.0.2");
        assertThat(pair.getLong("lost")).isZero();
        assertThat(pair.getDouble("rtt")).isPositive();
        assertThat(set.getJsonObject("counters").getLong("replies_other_source")).isGreaterThanOrEqualTo(pair.getLong("sent"));
        assertThat(set.getJsonObject("counters").getLong("replies_unmatched")).isZero();
    }

    private static int multiHomedReflector(Vertx vertx) throws Exception {
        var reflector = new ReflectorVerticle(new ReflectorOptions(InetAddress.getByName("0.0.0.0"), 0, 0));
        vertx.deployVerticle(reflector).await(10, TimeUnit.SECONDS);
        return reflector.port();
    }

    private static JsonObject probeMultiHomed(Vertx vertx, CollectorOptions options) throws Exception {
        var summaries = new Summaries(vertx);
        vertx.deployVerticle(new CollectorVerticle(options)).await(10, TimeUnit.SECONDS);
        return summaries.await(Duration.ofSeconds(10), 1, s -> Summaries.hasPair(s, "127.0.0.2", 30), "a full interval");
    }

    /** Addresses in summaries, tags and the API are in RFC 5952 form, as the original and InfluxDB users write them. */
    @Test
    void ipv6AddressesComeOutInTheirShortForm(Vertx vertx) throws Exception {
        var reflector = new ReflectorVerticle(new ReflectorOptions(InetAddress.getByName("::1"), 0, 0));
        vertx.deployVerticle(reflector).await(10, TimeUnit.SECONDS);
        var summaries = new Summaries(vertx);
        var config = Configs.collector(1, 2, 20, 300, "127.0.0.9:" + reflector.port());
        config.getJsonObject("ports").getJsonObject("default").put("ip", "0:0:0:0:0:0:0:1");
        config.getJsonObject("targets").getJsonArray("default").getJsonObject(0).put("ip", "0:0:0:0:0:0:0:1");
        vertx.deployVerticle(new CollectorVerticle(CollectorOptions.inline(config, "v6"))).await(10, TimeUnit.SECONDS);
        var api = new ApiVerticle(new InetSocketAddress("127.0.0.1", 0));
        vertx.deployVerticle(api).await(10, TimeUnit.SECONDS);

        var set = summaries.await(Duration.ofSeconds(10), 1, s -> Summaries.hasPair(s, "::1", 20), "a full interval to ::1");
        var pair = Summaries.pair(set, "::1");
        assertThat(pair.getString("src_ip")).isEqualTo("::1");
        assertThat(pair.getLong("lost")).isZero();
        String influx = WebClient.create(vertx).getAbs("http://127.0.0.1:" + api.port() + "/influxdata").send().await().bodyAsString();
        assertThat(influx).contains("\"dst_ip\":\"::1\"").doesNotContain("0:0:0:0");
    }
}
