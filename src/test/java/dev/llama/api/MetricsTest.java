package dev.llama.api;

import static org.assertj.core.api.Assertions.assertThat;

import dev.llama.collector.CollectorOptions;
import dev.llama.collector.CollectorVerticle;
import dev.llama.metrics.LlamaMetrics;
import dev.llama.reflector.ReflectorOptions;
import dev.llama.reflector.ReflectorVerticle;
import dev.llama.scraper.ScraperConfig;
import dev.llama.scraper.ScraperVerticle;
import dev.llama.testutil.Await;
import dev.llama.testutil.Configs;
import dev.llama.testutil.FreePorts;
import dev.llama.testutil.Http;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code /metrics} of a reflector + collector + API in one Vert.x built with metrics, read with the
 * Prometheus project's own text-format parser (Debian's python3-prometheus-client, run by
 * /usr/bin/python3, not whatever python3 is first on the PATH): per-pair series equal to
 * the summaries, reflector counters, JVM and Vert.x metrics, Prometheus names and types.
 */
class MetricsTest {
    private static final String PARSE = """
            import json, sys
            from prometheus_client.parser import text_string_to_metric_families
            out = []
            for f in text_string_to_metric_families(open(sys.argv[1], encoding="utf-8").read()):
                out.append({"name": f.name, "type": f.type, "samples": [
                    {"name": s.name, "labels": s.labels, "value": None if s.value != s.value else s.value} for s in f.samples]})
            json.dump(out, sys.stdout)
            """;

    private Vertx vertx;

    @AfterEach
    void close() throws Exception {
        if (vertx != null) {
            vertx.close().await(10, TimeUnit.SECONDS);
        }
    }

    @Test
    void metricsCarryEveryPairWithTheSummaryValuesAndParseAsPrometheusText(@TempDir Path dir) throws Exception {
        vertx = LlamaMetrics.vertx();
        var reflector = new ReflectorVerticle(new ReflectorOptions(InetAddress.getByName("127.0.0.1"), 0, 0));
        vertx.deployVerticle(reflector).await(10, TimeUnit.SECONDS);
        int dead = FreePorts.udp("127.0.0.5");
        var config = Configs.collector(1, 2, 20, 200,
                "127.0.0.1:" + reflector.port() + ":dst_name=alive:src_name=here",
                "127.0.0.5:" + dead + ":dst_name=dead:src_name=here");
        vertx.deployVerticle(new CollectorVerticle(CollectorOptions.inline(config, "metrics-test"))).await(10, TimeUnit.SECONDS);
        var api = new ApiVerticle(new InetSocketAddress("127.0.0.1", 0));
        vertx.deployVerticle(api).await(10, TimeUnit.SECONDS);
        String influx = "http://127.0.0.1:" + FreePorts.tcp();
        var scraperConfig = Configs.scraperJson(influx, "metrics", dir.resolve("queue"), 1).put("bus", true).put("collectors", new JsonArray());
        vertx.deployVerticle(new ScraperVerticle(ScraperConfig.parse(scraperConfig))).await(10, TimeUnit.SECONDS);
        String base = "http://127.0.0.1:" + api.port();

        // the first summary covers part of an interval; the dead pair's probes may still be in flight
        Await.until(Duration.ofSeconds(15), () -> {
            var m = get(base + "/api/v1/matrix");
            return m.getInteger("count") == 2 && m.getJsonArray("pairs").stream().allMatch(p -> ((JsonObject) p).getLong("sent") > 0);
        }, () -> "two pairs with probes resolved: " + get(base + "/api/v1/matrix").encode());
        JsonArray pairs;
        List<Map<String, Object>> families;
        while (true) {
            pairs = get(base + "/api/v1/matrix").getJsonArray("pairs");
            families = parse(text(base + "/metrics"), dir);
            if (pairs.equals(get(base + "/api/v1/matrix").getJsonArray("pairs"))) {
                break;
            }
        }
        var byDst = new HashMap<String, JsonObject>();
        pairs.forEach(p -> byDst.put(((JsonObject) p).getJsonObject("dst").getString("name"), (JsonObject) p));

        assertThat(type(families, "llama_pair_loss_ratio")).isEqualTo("gauge");
        assertThat(type(families, "llama_probe_rtt_seconds")).isEqualTo("gauge");
        assertThat(type(families, "llama_probes_sent")).isEqualTo("counter");
        assertThat(type(families, "llama_probes_lost")).isEqualTo("counter");
        assertThat(value(families, "llama_pair_loss_ratio", Map.of("src", "here", "dst", "alive"))).isEqualTo(0.0);
        assertThat(value(families, "llama_pair_loss_ratio", Map.of("src", "here", "dst", "dead"))).isEqualTo(1.0);
        var alive = byDst.get("alive");
        assertThat(alive.getDouble("loss")).isEqualTo(0.0);
        for (var q : Map.of("0.5", "rtt_p50", "0.9", "rtt_p90", "0.99", "rtt_p99").entrySet()) {
            assertThat(value(families, "llama_probe_rtt_seconds", Map.of("dst", "alive", "quantile", q.getKey())))
                    .isCloseTo(alive.getDouble(q.getValue()) / 1000, org.assertj.core.data.Offset.offset(1e-12));
        }
        assertThat(value(families, "llama_probe_rtt_seconds", Map.of("dst", "dead", "quantile", "0.5"))).as("no answer: NaN").isNull();
        assertThat(alive.getDouble("dwell")).as("the reflector's dwell, in the matrix").isNotNull().isLessThan(alive.getDouble("rtt"));
        assertThat(alive.getInteger("tos_sent")).isZero();
        assertThat(alive.getLong("remarked")).isZero();
        assertThat(type(families, "llama_pair_dwell_seconds")).isEqualTo("gauge");
        assertThat(value(families, "llama_pair_dwell_seconds", Map.of("dst", "alive")))
                .isCloseTo(alive.getDouble("dwell") / 1000, org.assertj.core.data.Offset.offset(1e-12));
        assertThat(value(families, "llama_pair_rtt_net_seconds", Map.of("dst", "alive", "quantile", "0.5")))
                .isCloseTo(alive.getDouble("rtt_net_p50") / 1000, org.assertj.core.data.Offset.offset(1e-12));
        assertThat(value(families, "llama_pair_dwell_seconds", Map.of("dst", "dead"))).as("no answer: NaN").isNull();
        assertThat(families).extracting(f -> (String) f.get("name")).as("a remarked counter only from a pair's first remark on")
                .doesNotContain("llama_pair_remarked");
        assertThat(value(families, "llama_probes_sent_total", Map.of("dst", "alive"))).isGreaterThanOrEqualTo(alive.getDouble("sent"));
        assertThat(value(families, "llama_probes_lost_total", Map.of("dst", "dead")))
                .isEqualTo(value(families, "llama_probes_sent_total", Map.of("dst", "dead"))).isPositive();
        assertThat(value(families, "llama_reflector_packets_received_total", Map.of("listen", "127.0.0.1:" + reflector.port())))
                .isPositive();
        assertThat(value(families, "llama_reflector_packets_invalid_total", Map.of("listen", "127.0.0.1:" + reflector.port())))
                .isEqualTo(0.0);
        assertThat(value(families, "llama_metrics_pairs", Map.of())).isEqualTo(2.0);
        assertThat(value(families, "llama_collector_probes_sent_total", Map.of("collector", "metrics-test")))
                .isGreaterThanOrEqualTo(alive.getDouble("sent"));
        var scraper = Map.of("influxdb", influx + " database metrics");
        assertThat(type(families, "llama_scraper_queue_memory_points")).isEqualTo("gauge");
        assertThat(value(families, "llama_scraper_queue_memory_points", scraper)).isEqualTo(0.0);
        assertThat(value(families, "llama_scraper_queue_points", scraper)).isEqualTo(0.0);
        assertThat(value(families, "llama_scraper_points_written_total", scraper)).isEqualTo(0.0);
        assertThat(families).extracting(f -> (String) f.get("name"))
                .contains("jvm_memory_used_bytes", "vertx_http_server_requests", "vertx_eventbus_handlers");
    }

    private static String type(List<Map<String, Object>> families, String name) {
        return families.stream().filter(f -> f.get("name").equals(name)).map(f -> (String) f.get("type")).findFirst().orElse(null);
    }

    /** The value of the one sample with that name whose labels include the given ones; null for NaN. */
    @SuppressWarnings("unchecked")
    private static Double value(List<Map<String, Object>> families, String sample, Map<String, String> labels) {
        var found = families.stream().flatMap(f -> ((List<Map<String, Object>>) f.get("samples")).stream())
                .filter(s -> s.get("name").equals(sample))
                .filter(s -> ((Map<String, Object>) s.get("labels")).entrySet().containsAll(labels.entrySet()))
                .toList();
        assertThat(found).as(sample + " " + labels).hasSize(1);
        Object v = found.get(0).get("value");
        return v == null ? null : ((Number) v).doubleValue();
    }

    @SuppressWarnings("unchecked")
    private static List<Map<String, Object>> parse(String text, Path dir) throws Exception {
        Path file = dir.resolve("metrics.txt");
        Files.writeString(file, text);
        var process = new ProcessBuilder("/usr/bin/python3", "-c", PARSE, file.toString()).redirectErrorStream(true).start();
        String out = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(process.waitFor()).as("the Prometheus parser: " + out).isZero();
        return new JsonArray(out).getList();
    }

    private static JsonObject get(String url) {
        return new JsonObject(text(url));
    }

    private static String text(String url) {
        var response = Http.get(url);
        assertThat(response).as(url).isNotNull();
        assertThat(response.statusCode()).isEqualTo(200);
        return response.body();
    }
}
