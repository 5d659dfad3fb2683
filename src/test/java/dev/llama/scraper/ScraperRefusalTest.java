package dev.llama.scraper;

import static org.assertj.core.api.Assertions.assertThat;

import dev.llama.bench.LocalInfluxd;
import dev.llama.testutil.Await;
import dev.llama.testutil.Configs;
import dev.llama.testutil.InfluxRows;
import io.vertx.core.Vertx;
import io.vertx.junit5.VertxExtension;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * A queued batch of 100 points, 5 of which a real influxd refuses: when its answer names them (a field
 * type conflict, unparsable lines), they go to the dead-letter file and the other 95 are written with
 * one more request, where halving down to each refused point took about 2 x 5 x log2(100/5) requests.
 */
@ExtendWith(VertxExtension.class)
class ScraperRefusalTest {
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

    /** 100 points, every 20th from {@code bad}; queued before the scraper starts. */
    private List<String> queueBatch(long t, java.util.function.IntFunction<String> bad) throws Exception {
        var lines = new ArrayList<String>();
        for (int i = 0; i < 100; i++) {
            lines.add(i % 20 == 7 ? bad.apply(i) : "raw_stats,src_ip=10.8.0.1,dst_ip=10.8.1." + i + " rtt=1.5,loss=0.0,lost=0.0,sent=10.0 " + t);
        }
        try (var q = DiskQueue.open(queue, 1 << 20)) {
            q.add(new Batch("test", lines.size(), (String.join("\n", lines) + "\n").getBytes(StandardCharsets.UTF_8)));
        }
        return lines;
    }

    private ScraperVerticle deploy(Vertx vertx, String db) throws Exception {
        var scraper = new ScraperVerticle(ScraperConfig.parse(Configs.scraperJson(influxd.url(), db, queue, 1).put("bus", true)));
        vertx.deployVerticle(scraper).await(10, TimeUnit.SECONDS);
        return scraper;
    }

    @Test
    void typeConflictsNamedByTheServerCostOneMoreRequest(Vertx vertx) throws Exception {
        long t = Instant.now().getEpochSecond() / 60 * 60 - 120;
        influxd.createDatabase("conflicts");
        assertThat(influxd.write("conflicts", "conflict,k=seed value=\"text\" " + (t - 1)).statusCode()).isEqualTo(204);
        var lines = queueBatch(t, i -> "conflict,k=v" + i + " value=" + i + ".0 " + t);
        var scraper = deploy(vertx, "conflicts");

        Await.until(Duration.ofSeconds(20), () -> scraper.counters().pointsRejected() + scraper.counters().pointsWritten() == 100,
                () -> "all 100 settled: " + scraper.stats());
        assertThat(scraper.counters().pointsRejected()).isEqualTo(5);
        assertThat(scraper.counters().writeRequests()).as("the refused request and one with the rest").isEqualTo(2);
        assertThat(InfluxRows.rawStats(influxd, "conflicts")).hasSize(95);
        assertDeadLetter(lines.stream().filter(l -> l.startsWith("conflict")).toList(), "field type conflict");
    }

    @Test
    void unparsableLinesNamedByTheServerCostOneMoreRequest(Vertx vertx) throws Exception {
        long t = Instant.now().getEpochSecond() / 60 * 60 - 120;
        influxd.createDatabase("unparsable");
        var lines = queueBatch(t, i -> "raw_stats,dst_ip=10.8.2." + i + " rtt=oops " + t);
        var scraper = deploy(vertx, "unparsable");

        Await.until(Duration.ofSeconds(20), () -> scraper.counters().pointsRejected() + scraper.counters().pointsWritten() == 100,
                () -> "all 100 settled: " + scraper.stats());
        assertThat(scraper.counters().pointsRejected()).isEqualTo(5);
        assertThat(scraper.counters().writeRequests()).as("the refused request and one with the rest").isEqualTo(2);
        assertThat(InfluxRows.rawStats(influxd, "unparsable")).hasSize(95);
        assertDeadLetter(lines.stream().filter(l -> l.contains("oops")).toList(), "unable to parse");
    }

    private void assertDeadLetter(List<String> refused, String reason) throws Exception {
        var deadLetter = Files.readAllLines(queue.resolve("dead-letter.lp"), StandardCharsets.UTF_8);
        assertThat(deadLetter.get(0)).startsWith("# ").contains("HTTP 400").contains(reason);
        assertThat(deadLetter.stream().filter(l -> !l.startsWith("#")).toList()).containsExactlyElementsOf(refused);
    }
}
