package dev.llama.collector;

import static org.assertj.core.api.Assertions.assertThat;

import dev.llama.reflector.ReflectorOptions;
import dev.llama.reflector.ReflectorVerticle;
import dev.llama.testutil.Await;
import dev.llama.testutil.Configs;
import dev.llama.testutil.Summaries;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.VertxExtension;
import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/** Reloads through the file watcher and the SIGHUP path (the reload address), good and bad. */
@ExtendWith(VertxExtension.class)
class ConfigReloadTest {

    /** The collector's file: JSON, which is YAML too. */
    private static JsonObject config(int port, String... ips) {
        var targets = new String[ips.length];
        for (int i = 0; i < ips.length; i++) {
            targets[i] = ips[i] + ":" + port + ":dst_hostname=h" + ips[i];
        }
        return Configs.collector(1, 2, 20, 200, targets);
    }

    @Test
    void badReloadKeepsProbingAndGoodReloadLosesNothing(Vertx vertx, @TempDir Path dir) throws Exception {
        var reflector = new ReflectorVerticle(new ReflectorOptions(InetAddress.getLoopbackAddress(), 0, 0));
        vertx.deployVerticle(reflector).await(10, TimeUnit.SECONDS);
        int port = reflector.port();
        Path file = dir.resolve("collector.yaml");
        Files.writeString(file, config(port, "127.0.0.1").encode());
        var summaries = new Summaries(vertx);
        var collector = new CollectorVerticle(new CollectorOptions(file.toString(), null, 8100, "reload", 200, 1000, false));
        vertx.deployVerticle(collector).await(10, TimeUnit.SECONDS);
        summaries.await(Duration.ofSeconds(10), 0, s -> Summaries.hasPair(s, "127.0.0.1", 10), "probing before reload");

        var bad = config(port, "127.0.0.1");
        bad.getJsonArray("tests").getJsonObject(0).put("port_group", "missing");
        Files.writeString(file, bad.encode());
        Await.until(Duration.ofSeconds(10), () -> collector.counters().getLong("reloads_rejected") >= 1,
                () -> collector.counters().encode());
        int afterBad = summaries.size();
        var stillProbing = summaries.await(Duration.ofSeconds(10), afterBad,
                s -> Summaries.hasPair(s, "127.0.0.1", 30), "probing after a bad reload");
        assertThat(Summaries.pair(stillProbing, "127.0.0.1").getDouble("loss")).isEqualTo(0.0);

        vertx.eventBus().publish(dev.llama.summary.Addresses.RELOAD, null);
        Await.until(Duration.ofSeconds(10), () -> collector.counters().getLong("reloads_rejected") >= 2,
                () -> "a reload request re-reads the still-bad file: " + collector.counters().encode());

        Files.writeString(file, config(port, "127.0.0.1", "127.0.0.3").encode());
        int beforeGood = summaries.size();
        summaries.await(Duration.ofSeconds(10), beforeGood,
                s -> Summaries.hasPair(s, "127.0.0.3", 1), "the new target in the summaries");
        var last = summaries.await(Duration.ofSeconds(10), summaries.size(), s -> true, "one more set");

        // Nothing lost: every resolved probe is in exactly one summary. Counters are read after the
        // interval's snapshot, so set k's count lies between the sums up to set k and up to set k+1.
        var sets = summaries.all();
        long sum = 0;
        for (int k = 0; k < sets.size(); k++) {
            long before = sum;
            for (Object p : sets.get(k).getJsonArray("pairs")) {
                sum += ((JsonObject) p).getLong("sent");
            }
            long resolved = sets.get(k).getJsonObject("counters").getLong("probes_resolved");
            assertThat(resolved).as("set %d", k).isGreaterThanOrEqualTo(sum);
            if (k > 0) {
                assertThat(sets.get(k - 1).getJsonObject("counters").getLong("probes_resolved")).as("set %d", k - 1)
                        .isLessThanOrEqualTo(sum);
            }
            assertThat(before).isLessThanOrEqualTo(sum);
        }
        assertThat(last.getJsonObject("counters").getLong("reloads_rejected")).isEqualTo(2);
    }
}
