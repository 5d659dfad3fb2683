package dev.llama.scraper;

import static org.assertj.core.api.Assertions.assertThat;

import dev.llama.api.ApiVerticle;
import dev.llama.bench.LocalInfluxd;
import dev.llama.collector.CollectorOptions;
import dev.llama.collector.CollectorVerticle;
import dev.llama.reflector.ReflectorOptions;
import dev.llama.reflector.ReflectorVerticle;
import dev.llama.testutil.Await;
import dev.llama.testutil.Configs;
import dev.llama.testutil.FreePorts;
import dev.llama.testutil.InfluxRows.Row;
import dev.llama.testutil.InfluxRows;
import dev.llama.testutil.Summaries;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.VertxExtension;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/** Reflector, collector, API and scraper on loopback, writing to a real influxd started for this class. */
@ExtendWith(VertxExtension.class)
class ScraperEndToEndTest {
    private static final List<String> FIELDS = List.of("rtt", "loss", "lost", "sent", "rtt_min", "rtt_max", "rtt_p50",
            "rtt_p90", "rtt_p99", "rtt_stddev", "jitter", "late", "duplicates", "dwell", "rtt_net", "rtt_net_p50", "rtt_net_p90",
            "rtt_net_p99", "dwell_invalid", "tos_sent", "remarked");
    /** Null where nothing was answered (or, for dwell, nothing carried reflector times). */
    private static final List<String> NULLABLE = List.of("rtt", "rtt_min", "rtt_max", "rtt_p50", "rtt_p90", "rtt_p99", "rtt_stddev",
            "jitter", "dwell", "rtt_net", "rtt_net_p50", "rtt_net_p90", "rtt_net_p99");
    private static LocalInfluxd influxd;

    @TempDir
    Path queue;

    @BeforeAll
    static void startInfluxd() throws Exception {
        influxd = LocalInfluxd.start();
    }

    @AfterAll
    static void stopInfluxd() throws Exception {
        if (influxd != null) {
            influxd.close();
        }
    }

    /** Deploys a reflector, a collector probing the targets from {@code config} and an API; returns the API port. */
    private static int collector(Vertx vertx, JsonObject config) throws Exception {
        var collector = new CollectorVerticle(CollectorOptions.inline(config, "scraped"));
        vertx.deployVerticle(collector).await(10, TimeUnit.SECONDS);
        var api = new ApiVerticle(new InetSocketAddress("127.0.0.1", 0));
        vertx.deployVerticle(api).await(10, TimeUnit.SECONDS);
        return api.port();
    }

    private static int reflector(Vertx vertx) throws Exception {
        var reflector = new ReflectorVerticle(new ReflectorOptions(InetAddress.getLoopbackAddress(), 0, 0));
        vertx.deployVerticle(reflector).await(10, TimeUnit.SECONDS);
        return reflector.port();
    }

    @Test
    void writesEverySummaryWithTheOriginalTagsAndFloatFields(Vertx vertx) throws Exception {
        int port = reflector(vertx);
        var summaries = new Summaries(vertx);
        int api = collector(vertx, Configs.collector(1, 4, 20, 300,
                "127.0.0.1:" + port + ":dst_hostname=live", "127.0.0.2:" + port + ":dst_hostname=dead"));
        // The database does not exist yet: the scraper creates it on InfluxDB's 404.
        var scraper = new ScraperVerticle(Configs.scraper(influxd.url(), "e2e", queue, 1, "127.0.0.1:" + api));
        vertx.deployVerticle(scraper).await(10, TimeUnit.SECONDS);

        Await.until(Duration.ofSeconds(20), () -> timesPerDst(InfluxRows.rawStats(influxd, "e2e")).values().stream()
                        .filter(n -> n >= 2).count() == 2,
                () -> "two intervals of both pairs in InfluxDB; have " + timesPerDst(InfluxRows.rawStats(influxd, "e2e")));

        var rows = InfluxRows.rawStats(influxd, "e2e");
        var live = rows.stream().filter(r -> r.tags().get("dst_ip").equals("127.0.0.1")).findFirst().orElseThrow();
        assertThat(live.measurement()).isEqualTo("raw_stats");
        assertThat(live.tags()).isEqualTo(Map.of("src_ip", "127.0.0.1", "dst_ip", "127.0.0.1", "dst_hostname", "live"));
        var dead = rows.stream().filter(r -> r.tags().get("dst_ip").equals("127.0.0.2")).findFirst().orElseThrow();
        assertThat(dead.tags()).containsEntry("dst_hostname", "dead");

        var types = InfluxRows.select(influxd, "e2e", "SHOW FIELD KEYS FROM raw_stats").stream()
                .collect(Collectors.toMap(r -> r.values().getString("fieldKey"), r -> r.values().getString("fieldType")));
        // tos_received only where the received TOS is known (the native datagram path)
        assertThat(types.keySet()).containsAll(FIELDS).isSubsetOf(java.util.stream.Stream.concat(FIELDS.stream(),
                java.util.stream.Stream.of("tos_received")).toList());
        assertThat(types.values()).containsOnly("float");

        for (Row row : rows) {
            var set = summaries.all().stream()
                    .filter(s -> Instant.parse(s.getString("interval_end")).getEpochSecond() == row.time())
                    .findFirst().orElseThrow(() -> new AssertionError("no summary ends at " + row.time()));
            var pair = Summaries.pair(set, row.tags().get("dst_ip"));
            for (String field : FIELDS) {
                var expected = pair.getNumber(field);
                if (expected == null) {
                    assertThat(field).as("only an RTT is null, where nothing was answered").isIn(NULLABLE);
                    if (field.equals("rtt")) {
                        assertThat(row.number(field)).as("rtt at " + row.time() + " as the original writes it").isEqualTo(0.0);
                    } else {
                        assertThat(row.values().getValue(field)).as(field + " at " + row.time() + ": no RTT is not written as 0").isNull();
                    }
                } else {
                    assertThat(row.number(field)).as(field + " at " + row.time()).isEqualTo(expected.doubleValue());
                }
            }
        }
        assertThat(scraper.counters().pointsRejected()).isZero();
    }

    @Test
    void tagValuesWithSpecialCharactersRoundTripUnchanged(Vertx vertx) throws Exception {
        int port = reflector(vertx);
        var config = Configs.collector(1, 2, 10, 300, "127.0.0.1:" + port);
        var tags = new JsonObject()
                .put("dst_space", "rack 7 row 2")
                .put("dst_comma", "a,b,c")
                .put("dst_equals", "k=v==w")
                .put("dst_quotes", "say \"hi\" 'there'")
                .put("dst_backslash", "C:\\path\\to")
                .put("dst_unicode", "Zürich – São Paulo – 東京 – Ελλάδα")
                .put("dst_all", " ,=\"\\ é ");
        config.getJsonObject("targets").getJsonArray("default").getJsonObject(0).put("tags", tags);
        int api = collector(vertx, config);
        vertx.deployVerticle(new ScraperVerticle(Configs.scraper(influxd.url(), "escaping", queue, 1, "127.0.0.1:" + api)))
                .await(10, TimeUnit.SECONDS);

        Await.until(Duration.ofSeconds(20), () -> !InfluxRows.rawStats(influxd, "escaping").isEmpty(), () -> "a point");
        var expected = new TreeMap<String, String>();
        tags.forEach(e -> expected.put(e.getKey(), (String) e.getValue()));
        expected.put("src_ip", "127.0.0.1");
        expected.put("dst_ip", "127.0.0.1");
        assertThat(InfluxRows.rawStats(influxd, "escaping")).allSatisfy(row -> assertThat(row.tags()).isEqualTo(expected));
        var values = InfluxRows.select(influxd, "escaping", "SHOW TAG VALUES FROM raw_stats WITH KEY = \"dst_unicode\"");
        assertThat(values).singleElement().satisfies(r -> assertThat(r.values().getString("value")).isEqualTo(tags.getString("dst_unicode")));
    }

    @Test
    void aRefusedPointGoesToTheDeadLetterFileAndTheOthersAreWritten(Vertx vertx) throws Exception {
        long t = Instant.now().getEpochSecond() / 60 * 60 - 60;
        influxd.createDatabase("reject");
        // InfluxDB fixes a field's type at its first write: "value" is now a string, so a float must be refused.
        assertThat(influxd.write("reject", "conflict,k=seed value=\"text\" " + (t - 1)).statusCode()).isEqualTo(204);
        var served = new AtomicReference<>(new JsonArray()
                .add(point("raw_stats", "10.9.0.2", t))
                .add(new JsonObject().put("measurement", "conflict").put("tags", new JsonObject().put("k", "v"))
                        .put("fields", new JsonObject().put("value", 1.0)).put("time", Instant.ofEpochSecond(t).toString()))
                .add(point("raw_stats", "10.9.0.3", t)));
        HttpServer fake = vertx.createHttpServer()
                .requestHandler(req -> req.response().putHeader("content-type", "application/json").end(served.get().encode()))
                .listen(0, "127.0.0.1").await(10, TimeUnit.SECONDS);
        var scraper = new ScraperVerticle(Configs.scraper(influxd.url(), "reject", queue, 1, "127.0.0.1:" + fake.actualPort()));
        vertx.deployVerticle(scraper).await(10, TimeUnit.SECONDS);

        Await.until(Duration.ofSeconds(20), () -> InfluxRows.rawStats(influxd, "reject").size() == 2, () -> "both good points");
        Await.until(Duration.ofSeconds(10), () -> scraper.counters().pointsRejected() == 1, () -> "one refused point");
        // The points behind the refused one keep flowing.
        served.set(new JsonArray().add(point("raw_stats", "10.9.0.2", t + 30)).add(point("raw_stats", "10.9.0.3", t + 30)));
        Await.until(Duration.ofSeconds(20), () -> InfluxRows.rawStats(influxd, "reject").size() == 4, () -> "the next two points");

        String deadLetter = Files.readString(queue.resolve("dead-letter.lp"), StandardCharsets.UTF_8);
        assertThat(deadLetter.lines()).hasSize(2);
        assertThat(deadLetter.lines().findFirst().orElseThrow())
                .startsWith("# ").contains("127.0.0.1:" + fake.actualPort()).contains("HTTP 400").contains("field type conflict");
        assertThat(deadLetter).contains("\nconflict,k=v value=1.0 " + t + "\n");
        assertThat(scraper.counters().pointsRejected()).isEqualTo(1);
        Await.until(Duration.ofSeconds(10), () -> scraper.stats().getLong("queue_points") == 0, () -> "the queue drained: " + scraper.stats());
    }

    @Test
    void aCollectorThatIsDownOrAnswersGarbageIsSkippedAndTheOthersWritten(Vertx vertx) throws Exception {
        int port = reflector(vertx);
        int api = collector(vertx, Configs.collector(1, 2, 10, 300, "127.0.0.1:" + port));
        int closed = FreePorts.tcp();
        HttpServer garbage = vertx.createHttpServer()
                .requestHandler(req -> req.response().end("<html>not json</html>"))
                .listen(0, "127.0.0.1").await(10, TimeUnit.SECONDS);
        HttpServer wrongShape = vertx.createHttpServer()
                .requestHandler(req -> req.response().end("[{\"measurement\":\"raw_stats\",\"tags\":{\"a\":1},\"fields\":{}}, 42]"))
                .listen(0, "127.0.0.1").await(10, TimeUnit.SECONDS);
        var scraper = new ScraperVerticle(Configs.scraper(influxd.url(), "skip", queue, 1, "127.0.0.1:" + closed,
                "127.0.0.1:" + garbage.actualPort(), "127.0.0.1:" + wrongShape.actualPort(), "127.0.0.1:" + api));
        vertx.deployVerticle(scraper).await(10, TimeUnit.SECONDS);

        Await.until(Duration.ofSeconds(20), () -> InfluxRows.rawStats(influxd, "skip").size() >= 2, () -> "two points of the good collector");
        Await.until(Duration.ofSeconds(10), () -> scraper.counters().scrapesFailed() >= 4, () -> "failed scrapes counted: " + scraper.stats());
        assertThat(scraper.stats().getLong("points_invalid")).isGreaterThanOrEqualTo(2);
        assertThat(InfluxRows.rawStats(influxd, "skip")).allSatisfy(r -> assertThat(r.tags()).containsEntry("dst_ip", "127.0.0.1"));
    }

    private static JsonObject point(String measurement, String dst, long time) {
        return new JsonObject().put("measurement", measurement)
                .put("tags", new JsonObject().put("src_ip", "10.9.0.1").put("dst_ip", dst))
                .put("fields", new JsonObject().put("rtt", 1.5).put("loss", 0.0).put("lost", 0.0).put("sent", 10.0))
                .put("time", Instant.ofEpochSecond(time).toString());
    }

    private static Map<String, Long> timesPerDst(List<Row> rows) {
        return rows.stream().collect(Collectors.groupingBy(r -> r.tags().get("dst_ip"), TreeMap::new, Collectors.counting()));
    }
}
