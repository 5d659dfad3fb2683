package dev.llama.collector;

import static org.assertj.core.api.Assertions.assertThat;

import dev.llama.config.AllowList;
import dev.llama.reflector.ReflectorOptions;
import dev.llama.reflector.ReflectorVerticle;
import dev.llama.reflector.StampOptions;
import dev.llama.reflector.StampReflectorVerticle;
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

/** LLAMA and STAMP targets in one collector config, one matrix, on loopback. */
@ExtendWith(VertxExtension.class)
class StampCollectorTest {

    @Test
    void stampTargetsAreProbedAndTaggedBesideLlamaTargets(Vertx vertx) throws Exception {
        var llama = new ReflectorVerticle(new ReflectorOptions(InetAddress.getLoopbackAddress(), 0, 0));
        vertx.deployVerticle(llama).await(10, TimeUnit.SECONDS);
        var stamp = new StampReflectorVerticle(new ReflectorOptions(InetAddress.getByName("127.0.0.2"), 0, 0, AllowList.ANY, null),
                new StampOptions(0));
        vertx.deployVerticle(stamp).await(10, TimeUnit.SECONDS);
        var summaries = new Summaries(vertx);
        var config = Configs.collector(1, 2, 20, 1000,
                "127.0.0.1:" + llama.port() + ":dst_hostname=llama",
                "127.0.0.2:" + stamp.port() + ":dst_hostname=router",
                "127.0.0.3:" + stamp.port() + ":dst_hostname=silent");
        var targets = config.getJsonObject("targets").getJsonArray("default");
        targets.getJsonObject(1).put("protocol", "stamp");
        targets.getJsonObject(2).put("protocol", "stamp");
        vertx.deployVerticle(new CollectorVerticle(CollectorOptions.inline(config, "stamp-collector"))).await(10, TimeUnit.SECONDS);

        var set = summaries.await(Duration.ofSeconds(20), 1, s -> Summaries.hasPair(s, "127.0.0.1", 30)
                && Summaries.hasPair(s, "127.0.0.2", 30) && Summaries.hasPair(s, "127.0.0.3", 30), "a full interval of all three");
        JsonObject router = Summaries.pair(set, "127.0.0.2");
        assertThat(router.getDouble("loss")).isEqualTo(0.0);
        // reported like LLAMA: rtt the full T4 - T1 (the first probes wait on class loading in the reflector: in its
        // dwell), dwell the reflector's T3 - T2, rtt_net the difference
        double rtt = router.getDouble("rtt");
        assertThat(router.getDouble("dwell")).as("dwell").isNotNull().isBetween(0.0, rtt);
        assertThat(router.getDouble("rtt_net")).as("rtt_net").isNotNull().isBetween(0.0, 50.0);
        assertThat(router.getDouble("dwell") + router.getDouble("rtt_net")).as("dwell + rtt_net").isCloseTo(rtt, org.assertj.core.data.Offset.offset(0.01 + rtt / 1000));
        assertThat(router.getLong("dwell_invalid", 0L)).isZero();
        assertThat(router.getJsonObject("tags").getMap()).containsEntry("protocol", "stamp").containsEntry("dst_hostname", "router");
        assertThat(router.getJsonArray("ports")).hasSize(2);
        assertThat(Summaries.pair(set, "127.0.0.3").getDouble("loss")).isEqualTo(100.0);
        JsonObject plain = Summaries.pair(set, "127.0.0.1");
        assertThat(plain.getDouble("loss")).isEqualTo(0.0);
        assertThat(plain.getJsonObject("tags").getMap()).doesNotContainKey("protocol");
        assertThat(stamp.stats().reflected()).isGreaterThanOrEqualTo(router.getLong("sent"));
    }

    @Test
    void authenticatedStampTargetsSignWithTheirKeyFile(Vertx vertx, @TempDir Path dir) throws Exception {
        String hex = "0f1e2d3c4b5a69788796a5b4c3d2e1f0";
        Path right = Files.writeString(dir.resolve("right.key"), hex + "\n");
        Path wrong = Files.writeString(dir.resolve("wrong.key"), "# not the reflector's\n" + hex.replace('0', '1') + "\n");
        var keyed = new StampReflectorVerticle(new ReflectorOptions(InetAddress.getByName("127.0.0.2"), 0, 0, AllowList.ANY, null),
                new StampOptions(0, java.util.HexFormat.of().parseHex(hex), StampOptions.DEFAULT_ERROR_ESTIMATE));
        vertx.deployVerticle(keyed).await(10, TimeUnit.SECONDS);
        var other = new StampReflectorVerticle(new ReflectorOptions(InetAddress.getByName("127.0.0.3"), 0, 0, AllowList.ANY, null),
                new StampOptions(0, java.util.HexFormat.of().parseHex(hex), StampOptions.DEFAULT_ERROR_ESTIMATE));
        vertx.deployVerticle(other).await(10, TimeUnit.SECONDS);
        var summaries = new Summaries(vertx);
        var config = Configs.collector(1, 1, 20, 1000,
                "127.0.0.2:" + keyed.port() + ":dst_hostname=keyed",
                "127.0.0.3:" + other.port() + ":dst_hostname=wrongkey");
        var targets = config.getJsonObject("targets").getJsonArray("default");
        targets.getJsonObject(0).put("protocol", "stamp").put("stamp_key_file", right.toString());
        targets.getJsonObject(1).put("protocol", "stamp").put("stamp_key_file", wrong.toString());
        vertx.deployVerticle(new CollectorVerticle(CollectorOptions.inline(config, "stamp-auth-collector"))).await(10, TimeUnit.SECONDS);

        var set = summaries.await(Duration.ofSeconds(20), 1, s -> Summaries.hasPair(s, "127.0.0.2", 15)
                && Summaries.hasPair(s, "127.0.0.3", 15), "a full interval of both");
        assertThat(Summaries.pair(set, "127.0.0.2").getDouble("loss")).as("signed with the reflector's key").isEqualTo(0.0);
        assertThat(Summaries.pair(set, "127.0.0.3").getDouble("loss")).as("signed with another key").isEqualTo(100.0);
        assertThat(other.stats().droppedUnauthenticated()).isPositive();
        assertThat(other.stats().reflected()).isZero();
        assertThat(keyed.stats().droppedUnauthenticated()).isZero();
    }

    @Test
    void theDscpOurNativeReflectorReceivedIsTheTosReceived(Vertx vertx) throws Exception {
        org.junit.jupiter.api.Assumptions.assumeTrue(dev.llama.net.NativeUdp.available(), "native datagram path not available");
        var stamp = new StampReflectorVerticle(new ReflectorOptions(InetAddress.getByName("127.0.0.2"), 0, 0, AllowList.ANY, null),
                new StampOptions(0));
        vertx.deployVerticle(stamp).await(10, TimeUnit.SECONDS);
        var summaries = new Summaries(vertx);
        var config = Configs.collector(1, 1, 20, 1000, "127.0.0.2:" + stamp.port() + ":dst_hostname=router");
        config.getJsonObject("ports").getJsonObject("default").put("tos", 46 << 2);
        config.getJsonObject("targets").getJsonArray("default").getJsonObject(0).put("protocol", "stamp");
        vertx.deployVerticle(new CollectorVerticle(CollectorOptions.inline(config, "stamp-tos"))).await(10, TimeUnit.SECONDS);

        var set = summaries.await(Duration.ofSeconds(20), 1, s -> Summaries.hasPair(s, "127.0.0.2", 15), "a full interval");
        JsonObject port = Summaries.pair(set, "127.0.0.2").getJsonArray("ports").getJsonObject(0);
        assertThat(port.getInteger("tos_sent")).isEqualTo(46 << 2);
        assertThat(port.getInteger("tos_received")).as("from the reflector's CoS TLV").isEqualTo(46 << 2);
        assertThat(port.getLong("remarked")).isZero();
    }
}
