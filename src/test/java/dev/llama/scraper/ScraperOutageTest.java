package dev.llama.scraper;

import static org.assertj.core.api.Assertions.assertThat;

import dev.llama.bench.LocalInfluxd;
import dev.llama.testutil.Await;
import dev.llama.testutil.ChildJvm;
import dev.llama.testutil.CollectorStack;
import dev.llama.testutil.Configs;
import dev.llama.testutil.InfluxRows.Row;
import dev.llama.testutil.InfluxRows;
import dev.llama.testutil.QueueFiles;
import dev.llama.testutil.Summaries;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.VertxExtension;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * InfluxDB goes away and the scraper gets killed; every summary the collector produced meanwhile must
 * be in the database afterwards, once per series and time. Collectors summarize every 2 s and the
 * scraper pulls every second, so each summary is seen by at least one pull.
 */
@ExtendWith(VertxExtension.class)
class ScraperOutageTest {
    private LocalInfluxd influxd;
    private Process child;

    @TempDir
    Path queue;

    @BeforeEach
    void startInfluxd() throws Exception {
        influxd = LocalInfluxd.start();
    }

    @AfterEach
    void stopAll() throws Exception {
        ChildJvm.stop(child);
        if (influxd != null) {
            influxd.close();
        }
    }

    @Test
    void everySummaryProducedDuringAnOutageIsWrittenOnceWhenInfluxdbReturns(Vertx vertx) throws Exception {
        var summaries = new Summaries(vertx);
        int api = CollectorStack.deploy(vertx, 2, "outage", "127.0.0.1:dst_hostname=live", "127.0.0.2:dst_hostname=dead");
        var scraper = new ScraperVerticle(Configs.scraper(influxd.url(), "outage", queue, 1, "127.0.0.1:" + api));
        vertx.deployVerticle(scraper).await(10, TimeUnit.SECONDS);
        Await.until(Duration.ofSeconds(20), () -> InfluxRows.rawStats(influxd, "outage").size() >= 2, () -> "the first points");
        long firstWritten = InfluxRows.rawStats(influxd, "outage").stream().mapToLong(Row::time).min().orElseThrow();

        influxd.stop();
        long failedBefore = scraper.counters().writesFailed();
        int setsBefore = summaries.size();
        Await.until(Duration.ofSeconds(30), () -> summaries.size() >= setsBefore + 3 && scraper.counters().writesFailed() >= failedBefore + 3,
                () -> "three summaries and three failed writes during the outage: " + scraper.stats());
        assertThat(scraper.stats().getLong("queue_points")).as("points held while InfluxDB is down").isGreaterThanOrEqualTo(2);
        long lastDuringOutage = Instant.parse(summaries.all().get(summaries.size() - 1).getString("interval_end")).getEpochSecond();
        influxd.resume();

        var expected = new HashSet<String>();
        for (JsonObject set : summaries.all()) {
            long end = Instant.parse(set.getString("interval_end")).getEpochSecond();
            if (end >= firstWritten && end <= lastDuringOutage) {
                for (Object p : set.getJsonArray("pairs")) {
                    expected.add(((JsonObject) p).getString("dst_ip") + "@" + end);
                }
            }
        }
        assertThat(expected.size()).isGreaterThanOrEqualTo(8);
        Await.until(Duration.ofSeconds(30), () -> keys(InfluxRows.rawStats(influxd, "outage")).containsAll(expected),
                () -> "all of " + expected + "; have " + keys(InfluxRows.rawStats(influxd, "outage")));

        var rows = InfluxRows.rawStats(influxd, "outage");
        assertThat(keys(rows)).as("one point per series and time").hasSameSizeAs(rows);
        for (Row row : rows) {
            var set = summaries.all().stream()
                    .filter(s -> Instant.parse(s.getString("interval_end")).getEpochSecond() == row.time()).findFirst().orElseThrow();
            var pair = Summaries.pair(set, row.tags().get("dst_ip"));
            assertThat(row.number("sent")).isEqualTo(pair.getLong("sent").doubleValue());
            assertThat(row.number("lost")).isEqualTo(pair.getLong("lost").doubleValue());
        }
        Await.until(Duration.ofSeconds(10), () -> scraper.stats().getLong("queue_points") == 0, () -> "the queue drained");
        assertThat(scraper.counters().pointsRejected()).isZero();
    }

    @Test
    void aScraperKilledWithPointsInItsQueueWritesThemAfterRestart(Vertx vertx) throws Exception {
        var summaries = new Summaries(vertx);
        int api = CollectorStack.deploy(vertx, 2, "outage", "127.0.0.1:dst_hostname=live", "127.0.0.2:dst_hostname=dead");
        influxd.stop();
        var command = ChildJvm.command("scraper", "-llama.collector-hosts", "127.0.0.1:" + api, "-llama.interval", "1",
                "-llama.influxdb-url", influxd.url(), "-llama.influxdb-name", "crash", "-llama.queue-dir", queue.toString(),
                "-llama.retry-max-ms", "1000");
        Path log = queue.resolveSibling(queue.getFileName() + ".log");
        child = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile()).start();
        Await.until(Duration.ofSeconds(40), () -> QueueFiles.elements(queue.resolve("queue")) >= 3,
                () -> "three batches queued; scraper said: " + ChildJvm.output(log));

        child.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
        List<String> queued = new ArrayList<>();
        try (var q = DiskQueue.open(queue, 1 << 30)) {
            for (var batch : q.peek(Integer.MAX_VALUE).batches()) {
                new String(batch.lines(), StandardCharsets.UTF_8).lines().forEach(queued::add);
            }
        }
        assertThat(queued).hasSizeGreaterThanOrEqualTo(6);
        var expected = new HashSet<String>();
        long firstQueued = Long.MAX_VALUE;
        long lastQueued = 0;
        for (String line : queued) {
            String[] parts = line.split(" ");
            long time = Long.parseLong(parts[2]);
            String dst = parts[0].replaceAll(".*dst_ip=([0-9.]+).*", "$1");
            expected.add(dst + "@" + time);
            firstQueued = Math.min(firstQueued, time);
            lastQueued = Math.max(lastQueued, time);
        }
        for (JsonObject set : summaries.all()) {
            long end = Instant.parse(set.getString("interval_end")).getEpochSecond();
            if (end >= firstQueued && end <= lastQueued) {
                for (Object p : set.getJsonArray("pairs")) {
                    assertThat(expected).as("queue holds every summary in its range").contains(((JsonObject) p).getString("dst_ip") + "@" + end);
                }
            }
        }

        influxd.resume();
        child = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile())).start();
        Await.until(Duration.ofSeconds(40), () -> keys(InfluxRows.rawStats(influxd, "crash")).containsAll(expected),
                () -> "all of " + expected + "; have " + keys(InfluxRows.rawStats(influxd, "crash")) + "; scraper said: " + ChildJvm.output(log));
        assertThat(ChildJvm.output(log)).contains("resuming: " + queued.size() + " points in");
        for (Row row : InfluxRows.rawStats(influxd, "crash")) {
            var set = summaries.all().stream()
                    .filter(s -> Instant.parse(s.getString("interval_end")).getEpochSecond() == row.time()).findFirst().orElseThrow();
            assertThat(row.number("sent")).isEqualTo(Summaries.pair(set, row.tags().get("dst_ip")).getLong("sent").doubleValue());
        }
    }

    private static Set<String> keys(List<Row> rows) {
        var keys = new HashSet<String>();
        rows.forEach(r -> keys.add(r.tags().get("dst_ip") + "@" + r.time()));
        return keys;
    }
}
