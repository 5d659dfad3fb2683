package dev.llama.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.llama.bench.LocalInfluxd;
import dev.llama.testutil.Await;
import dev.llama.testutil.ChildJvm;
import dev.llama.testutil.FreePorts;
import dev.llama.testutil.InfluxRows;
import dev.llama.testutil.QueueFiles;
import java.nio.file.Path;
import java.time.Duration;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The demo process: with no InfluxDB it says so once and holds the points; when one appears it writes
 * them all, for the three sites and four targets.
 */
class DemoTest {
    private LocalInfluxd influxd;
    private Process demo;

    @AfterEach
    void stopAll() throws Exception {
        ChildJvm.stop(demo);
        if (influxd != null) {
            influxd.close();
        }
    }

    @Test
    void theDemoHoldsPointsUntilAnInfluxdbAppearsAndThenWritesThemAll(@TempDir Path dir) throws Exception {
        influxd = LocalInfluxd.start();
        influxd.stop();
        int api = FreePorts.tcp();
        int udp = FreePorts.udp("127.0.0.1");
        Path log = dir.resolve("demo.log");
        demo = new ProcessBuilder(ChildJvm.command("demo", "-api", "127.0.0.1:" + api, "-port", String.valueOf(udp),
                "-interval", "1", "-influxdb", influxd.url(), "-queue-dir", dir.resolve("queue").toString()))
                .redirectErrorStream(true).redirectOutput(log.toFile()).start();

        Await.until(Duration.ofSeconds(40), () -> ChildJvm.output(log).contains("cannot write to InfluxDB " + influxd.url()),
                () -> "a line saying InfluxDB is missing; demo said: " + ChildJvm.output(log));
        var held = Pattern.compile("holding (\\d+) points").matcher(ChildJvm.output(log));
        assertThat(held.find()).isTrue();
        Await.until(Duration.ofSeconds(20), () -> QueueFiles.elements(dir.resolve("queue/queue")) >= 9,
                () -> "three intervals of the three sites held in the queue; demo said: " + ChildJvm.output(log));

        influxd.resume();
        Await.until(Duration.ofSeconds(30), () -> InfluxRows.rawStats(influxd, "llama").stream()
                        .map(r -> r.tags().get("dst_ip")).distinct().count() == 4,
                () -> "points for the four demo targets; demo said: " + ChildJvm.output(log));
        var rows = InfluxRows.rawStats(influxd, "llama");
        long earliest = rows.stream().mapToLong(InfluxRows.Row::time).min().orElseThrow();
        long latest = rows.stream().mapToLong(InfluxRows.Row::time).max().orElseThrow();
        assertThat(rows.stream().filter(r -> r.time() == earliest).count())
                .as("the first summaries (3 sites x 4 targets), held while InfluxDB was away").isEqualTo(12);
        assertThat(rows.stream().mapToLong(InfluxRows.Row::time).distinct().count()).as("every summary held").isGreaterThanOrEqualTo(3);
        assertThat(latest - earliest).isGreaterThanOrEqualTo(2);
        assertThat(rows).allSatisfy(r -> assertThat(r.values().getValue("rtt_p99"))
                .as("extended fields where something was answered, none (not 0) where nothing was: " + r)
                .matches(v -> (r.number("sent") > r.number("lost")) == (v != null)));
        assertThat(count(ChildJvm.output(log), "cannot write to InfluxDB")).isEqualTo(1);
    }

    private static int count(String text, String what) {
        int n = 0;
        for (int i = text.indexOf(what); i >= 0; i = text.indexOf(what, i + 1)) {
            n++;
        }
        return n;
    }
}
