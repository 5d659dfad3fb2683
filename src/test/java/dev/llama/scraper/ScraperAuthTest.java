package dev.llama.scraper;

import static org.assertj.core.api.Assertions.assertThat;

import dev.llama.api.ApiVerticle;
import dev.llama.bench.LocalInfluxd;
import dev.llama.cli.Launcher;
import dev.llama.collector.CollectorOptions;
import dev.llama.collector.CollectorVerticle;
import dev.llama.reflector.ReflectorOptions;
import dev.llama.reflector.ReflectorVerticle;
import dev.llama.testutil.Await;
import dev.llama.testutil.ChildJvm;
import dev.llama.testutil.Configs;
import dev.llama.testutil.InfluxRows;
import io.vertx.core.Vertx;
import io.vertx.junit5.VertxExtension;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/** An influxd with authentication on: the password comes from the environment, is used, and is never printed. */
@ExtendWith(VertxExtension.class)
class ScraperAuthTest {
    private static final String PASSWORD = "s3cret-Pässword-7f1c";
    private LocalInfluxd influxd;
    private Process child;

    @AfterEach
    void stopAll() throws Exception {
        ChildJvm.stop(child);
        if (influxd != null) {
            influxd.close();
        }
    }

    @Test
    void thePasswordFromTheEnvironmentIsUsedAndNeverLoggedAndAWrongOneLosesNothing(Vertx vertx, @TempDir Path dir) throws Exception {
        influxd = LocalInfluxd.start(true);
        influxd.createAdmin("llama", PASSWORD);
        var reflector = new ReflectorVerticle(new ReflectorOptions(InetAddress.getLoopbackAddress(), 0, 0));
        vertx.deployVerticle(reflector).await(10, TimeUnit.SECONDS);
        vertx.deployVerticle(new CollectorVerticle(CollectorOptions.inline(
                Configs.collector(1, 2, 10, 300, "127.0.0.1:" + reflector.port()), "auth"))).await(10, TimeUnit.SECONDS);
        var api = new ApiVerticle(new InetSocketAddress("127.0.0.1", 0));
        vertx.deployVerticle(api).await(10, TimeUnit.SECONDS);

        var wrong = Configs.scraperJson(influxd.url(), "wrong", dir.resolve("wrong"), 1, "127.0.0.1:" + api.port());
        wrong.getJsonObject("influxdb").put("user", "llama").put("password", "not-it");
        var refused = new ScraperVerticle(ScraperConfig.parse(wrong));
        vertx.deployVerticle(refused).await(10, TimeUnit.SECONDS);

        Path log = dir.resolve("scraper.log");
        var builder = new ProcessBuilder(ChildJvm.command("scraper", "-llama.collector-hosts", "127.0.0.1:" + api.port(),
                "-llama.interval", "1", "-llama.influxdb-url", influxd.url(), "-llama.influxdb-name", "right",
                "-llama.influxdb-user", "llama", "-llama.queue-dir", dir.resolve("right").toString()))
                .redirectErrorStream(true).redirectOutput(log.toFile());
        builder.environment().put(Launcher.PASS_ENV, PASSWORD);
        child = builder.start();
        Await.until(Duration.ofSeconds(30), () -> InfluxRows.rawStats(influxd, "right").size() >= 2,
                () -> "points written with the password from the environment; scraper said: " + ChildJvm.output(log));

        Await.until(Duration.ofSeconds(10), () -> refused.counters().writesFailed() >= 2 && refused.stats().getLong("queue_points") > 0,
                () -> "a wrong password keeps the points queued: " + refused.stats());
        assertThat(refused.counters().pointsRejected()).as("401 is not the points' fault").isZero();
        assertThat(refused.counters().pointsWritten()).isZero();

        String commandLine = new String(Files.readAllBytes(Path.of("/proc", String.valueOf(child.pid()), "cmdline")),
                java.nio.charset.StandardCharsets.UTF_8).replace('\0', ' ');
        assertThat(commandLine).contains("-llama.influxdb-user llama").doesNotContain(PASSWORD);
        ChildJvm.stop(child);
        assertThat(ChildJvm.output(log)).contains("scraper writing to InfluxDB").doesNotContain(PASSWORD);
    }
}
