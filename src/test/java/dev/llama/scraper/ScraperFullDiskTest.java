package dev.llama.scraper;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.llama.bench.LocalInfluxd;
import dev.llama.summary.Addresses;
import dev.llama.testutil.Await;
import dev.llama.testutil.Configs;
import dev.llama.testutil.InfluxRows;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.VertxExtension;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.HashSet;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * The queue directory is a 64 KB tmpfs that fills up while InfluxDB is down: the points the disk
 * refuses wait in memory, and once InfluxDB is back every point is written; none is dropped. Needs
 * root (to mount the tmpfs); skipped otherwise.
 */
@ExtendWith(VertxExtension.class)
class ScraperFullDiskTest {
    private static final int SETS = 40;
    private static final int PAIRS = 20;

    @TempDir
    Path dir;
    private Path mount;
    private LocalInfluxd influxd;

    @BeforeEach
    void mountTmpfs() throws Exception {
        mount = Files.createDirectories(dir.resolve("queue"));
        int rc = new ProcessBuilder("mount", "-t", "tmpfs", "-o", "size=64k", "tmpfs", mount.toString()).inheritIO().start().waitFor();
        assumeTrue(rc == 0, "cannot mount a tmpfs (needs root)");
        influxd = LocalInfluxd.start();
    }

    @AfterEach
    void unmount() throws Exception {
        if (influxd != null) {
            influxd.close();
        }
        new ProcessBuilder("umount", "-l", mount.toString()).inheritIO().start().waitFor();
    }

    private static JsonObject set(int n, long end) {
        var pairs = new JsonArray();
        for (int p = 0; p < PAIRS; p++) {
            pairs.add(new JsonObject().put("src_ip", "10.7.0.1").put("dst_ip", "10.7.1." + p)
                    .put("tags", new JsonObject().put("dst_name", "a-fairly-long-target-name-to-fill-the-disk-" + p))
                    .put("rtt", 1.5).put("loss", 0.0).put("lost", 0).put("sent", 10 + n).put("late", 0).put("duplicates", 0));
        }
        return new JsonObject().put("version", 1).put("collector", "full").put("interval", 1)
                .put("interval_start", Instant.ofEpochSecond(end - 1).toString()).put("interval_end", Instant.ofEpochSecond(end).toString())
                .put("pairs", pairs);
    }

    @Test
    void pointsTheFullDiskRefusesWaitInMemoryAndAllReachInfluxdb(Vertx vertx) throws Exception {
        influxd.stop();
        var config = ScraperConfig.parse(Configs.scraperJson(influxd.url(), "fulldisk", mount, 1).put("bus", true)
                .put("collectors", new JsonArray()));
        var scraper = new ScraperVerticle(config);
        vertx.deployVerticle(scraper).await(10, TimeUnit.SECONDS);

        long start = Instant.now().getEpochSecond() / 60 * 60 - 600;
        var expected = new HashSet<String>();
        long maxMemory = 0;
        for (int n = 0; n < SETS; n++) {
            long end = start + n;
            assertThat(vertx.eventBus().request(Addresses.SCRAPE, set(n, end)).await(10, TimeUnit.SECONDS).body())
                    .isEqualTo("queued");
            for (int p = 0; p < PAIRS; p++) {
                expected.add("10.7.1." + p + "@" + end);
            }
            maxMemory = Math.max(maxMemory, scraper.stats().getLong("queue_memory_points"));
        }
        assertThat(maxMemory).as("the tmpfs filled up and points went to memory: " + scraper.stats()).isPositive();
        assertThat(scraper.stats().getLong("queue_points")).as("and some are on the disk").isPositive();

        influxd.resume();
        Await.until(Duration.ofSeconds(60), () -> keys().containsAll(expected),
                () -> "all " + expected.size() + " points; have " + keys().size() + "; " + scraper.stats());
        Await.until(Duration.ofSeconds(10), () -> scraper.stats().getLong("queue_memory_points") == 0
                && scraper.stats().getLong("queue_points") == 0, () -> "both queues empty: " + scraper.stats());
        assertThat(keys()).hasSize(SETS * PAIRS);
        assertThat(scraper.stats().getLong("points_dropped")).isZero();
        assertThat(scraper.stats().getLong("points_unqueued")).isZero();
        assertThat(scraper.counters().pointsWritten()).isEqualTo(SETS * PAIRS);
        vertx.undeploy(vertx.deploymentIDs().iterator().next()).await(10, TimeUnit.SECONDS);
    }

    private Set<String> keys() {
        var keys = new HashSet<String>();
        InfluxRows.rawStats(influxd, "fulldisk").forEach(r -> keys.add(r.tags().get("dst_ip") + "@" + r.time()));
        return keys;
    }
}
