package dev.llama.collector;

import static org.assertj.core.api.Assertions.assertThat;

import dev.llama.config.AllowList;
import dev.llama.probe.ProbeKeys;
import dev.llama.reflector.ReflectorOptions;
import dev.llama.reflector.ReflectorVerticle;
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

/** A real collector probing a real reflector on loopback, with and without probe keys on either side. */
@ExtendWith(VertxExtension.class)
class AuthenticatedProbesTest {
    private static final String KEY1 = "1 first-secret-0123456789";
    private static final String KEY2 = "2 0123456789abcdef0123456789abcdef";

    @TempDir
    Path dir;

    private record Outcome(JsonObject pair, JsonObject collector, ReflectorVerticle reflector) {
    }

    private Outcome probe(Vertx vertx, String reflectorKeys, String collectorKeys) throws Exception {
        var options = new ReflectorOptions(InetAddress.getLoopbackAddress(), 0, 0, AllowList.ANY, null);
        var reflector = new ReflectorVerticle(reflectorKeys == null ? options : options.withAuthKeys(ProbeKeys.parse(reflectorKeys, "r")));
        vertx.deployVerticle(reflector).await(10, TimeUnit.SECONDS);
        var summaries = new Summaries(vertx);
        var config = Configs.collector(1, 2, 20, 300, "127.0.0.1:" + reflector.port());
        if (collectorKeys != null) {
            Path file = dir.resolve("collector.keys");
            Files.writeString(file, collectorKeys);
            config.put("auth_keys", file.toString());
        }
        var collector = new CollectorVerticle(CollectorOptions.inline(config, "auth"));
        vertx.deployVerticle(collector).await(10, TimeUnit.SECONDS);
        var set = summaries.await(Duration.ofSeconds(10), 1, s -> Summaries.hasPair(s, "127.0.0.1", 30), "a full interval");
        return new Outcome(Summaries.pair(set, "127.0.0.1"), collector.counters(), reflector);
    }

    @Test
    void bothWithTheKeyLoseNothing(Vertx vertx) throws Exception {
        var out = probe(vertx, KEY1, KEY1 + "\n");
        assertThat(out.pair.getDouble("loss")).isEqualTo(0.0);
        assertThat(out.pair.getDouble("rtt")).isNotNull();
        assertThat(out.collector.getLong("replies_unauthenticated")).isZero();
        assertThat(out.reflector.stats().droppedUnauthenticated()).isZero();
        assertThat(out.reflector.stats().reflected()).isPositive();
    }

    @Test
    void aReflectorWithoutTheKeyCannotAnswerForTheTarget(Vertx vertx) throws Exception {
        var out = probe(vertx, null, KEY1 + "\n");
        assertThat(out.pair.getDouble("loss")).isEqualTo(100.0);
        assertThat(out.reflector.stats().reflected()).as("it echoes, the echo is no reply").isPositive();
        assertThat(out.collector.getLong("replies_unauthenticated")).isPositive();
        assertThat(out.collector.getLong("replies_unauthenticated")).isLessThanOrEqualTo(out.collector.getLong("replies_received"));
    }

    @Test
    void aReflectorWithAKeyIgnoresTheOriginalsProbes(Vertx vertx) throws Exception {
        var out = probe(vertx, KEY1, null);
        assertThat(out.pair.getDouble("loss")).isEqualTo(100.0);
        assertThat(out.reflector.stats().reflected()).isZero();
        assertThat(out.reflector.stats().droppedUnauthenticated()).isPositive();
    }

    @Test
    void rotationReflectorKnowsBothKeysCollectorSendsWithTheNewOne(Vertx vertx) throws Exception {
        var out = probe(vertx, KEY1 + "\n" + KEY2, KEY2 + "\n" + KEY1 + "\n");
        assertThat(out.pair.getDouble("loss")).isEqualTo(0.0);
        assertThat(out.collector.getLong("replies_unauthenticated")).isZero();
    }

    @Test
    void aBadKeyFileFailsTheDeployNamingFileAndLine(Vertx vertx) throws Exception {
        Path file = dir.resolve("bad.keys");
        Files.writeString(file, KEY1 + "\n0 0123456789abcdef\n");
        var config = Configs.collector(1, 1, 10, 300, "127.0.0.1:9").put("auth_keys", file.toString());
        var deployed = vertx.deployVerticle(new CollectorVerticle(CollectorOptions.inline(config, "bad")));
        try {
            deployed.await(10, TimeUnit.SECONDS);
            throw new AssertionError("deployed with a bad key file");
        } catch (Exception e) {
            assertThat(e.getMessage()).contains(file + ":2: key id 0");
        }
    }
}
