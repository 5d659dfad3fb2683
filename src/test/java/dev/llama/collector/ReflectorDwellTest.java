package dev.llama.collector;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.llama.config.AllowList;
import dev.llama.net.NativeUdp;
import dev.llama.probe.ProbeCodec;
import dev.llama.probe.ProbeKeys;
import dev.llama.probe.ProbeView;
import dev.llama.probe.ReflectorClock;
import dev.llama.reflector.ReflectorOptions;
import dev.llama.reflector.ReflectorVerticle;
import dev.llama.testutil.Configs;
import dev.llama.testutil.Summaries;
import io.netty.buffer.Unpooled;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.VertxExtension;
import java.io.IOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A real collector against reflectors that hold each probe a known time (or report a dwell that cannot
 * be), and against the real reflector with probe keys: the dwell is reported and subtracted.
 */
@ExtendWith(VertxExtension.class)
class ReflectorDwellTest {
    private static final Logger log = LoggerFactory.getLogger(ReflectorDwellTest.class);
    private static final long SLOW_NANOS = 5_000_000;

    @TempDir
    Path dir;

    /**
     * A reflector that fills the reflector times like ours: receive time when the probe is read, send time
     * just before the reply is written, {@code holdNanos} later (by a second thread, so that the reading one
     * never waits and no probe queues behind a held one); or, with {@code claimedDwell} set, a made-up send
     * time of receive time plus that.
     */
    private static final class TestReflector implements AutoCloseable {
        final DatagramSocket socket;
        final Thread thread;
        final ScheduledExecutorService sender = Executors.newSingleThreadScheduledExecutor();

        TestReflector(String ip, long holdNanos, Long claimedDwell) throws IOException {
            socket = new DatagramSocket(new InetSocketAddress(InetAddress.getByName(ip), 0));
            thread = new Thread(() -> serve(holdNanos, claimedDwell), "test-reflector-" + ip);
            thread.setDaemon(true);
            thread.start();
        }

        private void serve(long holdNanos, Long claimedDwell) {
            var view = new ProbeView();
            var packet = new DatagramPacket(new byte[2048], 2048);
            while (!socket.isClosed()) {
                try {
                    packet.setLength(2048);
                    socket.receive(packet);
                    long rcvd = ReflectorClock.now();
                    byte[] data = Arrays.copyOf(packet.getData(), packet.getLength());
                    var reply = new DatagramPacket(data, data.length, packet.getSocketAddress());
                    var buf = Unpooled.wrappedBuffer(data);
                    if (!ProbeCodec.decode(buf, view)) {
                        continue;
                    }
                    if (holdNanos == 0) {
                        ProbeCodec.writeReflectorTimes(buf, view, rcvd, claimedDwell == null ? ReflectorClock.now() : rcvd + claimedDwell);
                        socket.send(reply);
                        continue;
                    }
                    // the injected dwell
                    var held = new ProbeView();
                    ProbeCodec.decode(buf, held);
                    sender.schedule(() -> {
                        ProbeCodec.writeReflectorTimes(buf, held, rcvd, ReflectorClock.now());
                        socket.send(reply);
                        return null;
                    }, holdNanos - (ReflectorClock.now() - rcvd), TimeUnit.NANOSECONDS);
                } catch (IOException e) {
                    return;
                }
            }
        }

        String target() {
            return socket.getLocalAddress().getHostAddress() + ":" + socket.getLocalPort();
        }

        @Override
        public void close() {
            sender.shutdownNow();
            socket.close();
        }
    }

    @Test
    void aSlowReflectorsDwellIsSubtracted(Vertx vertx) throws Exception {
        try (var fast = new TestReflector("127.0.0.2", 0, null);
             var slow = new TestReflector("127.0.0.3", SLOW_NANOS, null);
             var backwards = new TestReflector("127.0.0.4", 0, -1_000L);
             var tooLong = new TestReflector("127.0.0.5", 0, 10_000_000_000L)) {
            var summaries = new Summaries(vertx);
            var config = Configs.collector(4, 2, 20, 1000, fast.target(), slow.target(), backwards.target(), tooLong.target());
            vertx.deployVerticle(new CollectorVerticle(CollectorOptions.inline(config, "dwell"))).await(10, TimeUnit.SECONDS);
            var set = summaries.await(Duration.ofSeconds(20), 1, s -> Summaries.hasPair(s, "127.0.0.3", 150)
                    && Summaries.hasPair(s, "127.0.0.2", 150), "a full interval");
            var f = Summaries.pair(set, "127.0.0.2");
            var s = Summaries.pair(set, "127.0.0.3");
            log.info("unslowed rtt p50 {} ms, rtt_net p50 {} ms; slowed rtt p50 {} ms, dwell {} ms, rtt_net p50 {} ms (mean {})",
                    f.getDouble("rtt_p50"), f.getDouble("rtt_net_p50"), s.getDouble("rtt_p50"), s.getDouble("dwell"),
                    s.getDouble("rtt_net_p50"), s.getDouble("rtt_net"));
            assertThat(s.getDouble("loss")).isZero();
            assertThat(s.getLong("dwell_invalid")).isZero();
            assertThat(s.getDouble("dwell")).as("held 5 ms (and a timer's lateness)").isGreaterThanOrEqualTo(5.0).isLessThan(s.getDouble("rtt"));
            assertThat(s.getDouble("rtt_p50")).isGreaterThan(5.0);
            assertThat(s.getDouble("rtt") - s.getDouble("dwell")).as("mean RTT minus mean dwell").isCloseTo(s.getDouble("rtt_net"), within(1e-6));
            // The subtraction itself is exact (above). What is left of the 5 ms is timing noise of user-space
            // clocks on a busy 2-core box: a reply 5 ms late finds the collector's loop asleep, and its wake-up
            // counts as network time. Medians differed by 20-110 us at load averages of 2-17; kernel receive
            // timestamps (the native path) are what takes that out.
            assertThat(s.getDouble("rtt_net_p50")).as("RTT less the dwell is the unslowed reflector's")
                    .isCloseTo(f.getDouble("rtt_net_p50"), within(0.25))
                    .isCloseTo(f.getDouble("rtt_p50"), within(0.25));
            assertThat(s.getJsonArray("ports").getJsonObject(0).getDouble("dwell")).isGreaterThanOrEqualTo(5.0);
            assertThat(f.getDouble("dwell")).isLessThan(1.0);
            assertThat(f.getDouble("rtt_net")).isLessThanOrEqualTo(f.getDouble("rtt"));
            for (var liar : new JsonObject[] {Summaries.pair(set, "127.0.0.4"), Summaries.pair(set, "127.0.0.5")}) {
                assertThat(liar.getLong("dwell_invalid")).as("every reply of %s", liar.getString("dst_ip"))
                        .isEqualTo(liar.getLong("sent") - liar.getLong("lost")).isPositive();
                assertThat(liar.getValue("dwell")).isNull();
                assertThat(liar.getValue("rtt_net_p50")).isNull();
                assertThat(liar.getDouble("rtt")).isNotNull();
            }
        }
    }

    /**
     * Our reflector itself, on the native path, holding every probe 5 ms (a hold only tests can set), next to
     * an unheld one: both stamp the kernel's receive time and read their send time just before sendmmsg, the
     * collector times with kernel timestamps too, so what is left after subtracting the dwell is the kernel's
     * path both ways, the same for both reflectors: the 10 us.
     */
    @Test
    void aHeldRealReflectorsDwellIsSubtractedWithin10Microseconds(Vertx vertx) throws Exception {
        assertThat(NativeUdp.available()).as("the native datagram path (kernel timestamps) on Linux x86_64").isTrue();
        var fast = new ReflectorVerticle(new ReflectorOptions(InetAddress.getByName("127.0.0.2"), 0, 0, AllowList.ANY, null));
        var held = new ReflectorVerticle(new ReflectorOptions(InetAddress.getByName("127.0.0.3"), 0, 0, AllowList.ANY, null)
                .withHold(SLOW_NANOS));
        vertx.deployVerticle(fast).await(10, TimeUnit.SECONDS);
        vertx.deployVerticle(held).await(10, TimeUnit.SECONDS);
        var summaries = new Summaries(vertx);
        var config = Configs.collector(5, 2, 50, 1000, "127.0.0.2:" + fast.port(), "127.0.0.3:" + held.port());
        vertx.deployVerticle(new CollectorVerticle(CollectorOptions.inline(config, "held"))).await(10, TimeUnit.SECONDS);
        var set = summaries.await(Duration.ofSeconds(30), 1, x -> Summaries.hasPair(x, "127.0.0.2", 400)
                && Summaries.hasPair(x, "127.0.0.3", 400)
                && Summaries.pair(x, "127.0.0.2").getLong("lost") == 0 && Summaries.pair(x, "127.0.0.3").getLong("lost") == 0,
                "a full answered interval from both");
        var f = Summaries.pair(set, "127.0.0.2");
        var s = Summaries.pair(set, "127.0.0.3");
        log.info("real reflector: unheld rtt p50 {} ms, dwell {} ms, rtt_net p50 {} ms; held rtt p50 {} ms, dwell {} ms, rtt_net p50 {} ms",
                f.getDouble("rtt_p50"), f.getDouble("dwell"), f.getDouble("rtt_net_p50"),
                s.getDouble("rtt_p50"), s.getDouble("dwell"), s.getDouble("rtt_net_p50"));
        assertThat(s.getLong("dwell_invalid") + f.getLong("dwell_invalid")).isZero();
        assertThat(s.getDouble("dwell")).as("held 5 ms").isGreaterThanOrEqualTo(5.0);
        assertThat(s.getDouble("rtt_p50")).isGreaterThan(5.0);
        assertThat(s.getDouble("rtt_net_p50")).as("the held reflector's RTT less its dwell is the unheld one's, to 10 us")
                .isCloseTo(f.getDouble("rtt_net_p50"), within(0.010));
    }

    @Test
    void theRealReflectorsDwellComesThroughAuthenticated(Vertx vertx) throws Exception {
        String key = "1 first-secret-0123456789\n";
        var options = new ReflectorOptions(InetAddress.getLoopbackAddress(), 0, 0, AllowList.ANY, null)
                .withAuthKeys(ProbeKeys.parse(key, "r"));
        var reflector = new ReflectorVerticle(options);
        vertx.deployVerticle(reflector).await(10, TimeUnit.SECONDS);
        var summaries = new Summaries(vertx);
        Path file = dir.resolve("collector.keys");
        Files.writeString(file, key);
        var config = Configs.collector(1, 2, 20, 1000, "127.0.0.1:" + reflector.port()).put("auth_keys", file.toString());
        var collector = new CollectorVerticle(CollectorOptions.inline(config, "auth"));
        vertx.deployVerticle(collector).await(10, TimeUnit.SECONDS);
        // on a busy machine the first interval's replies may come late (a cold JIT): wait for a full answered one
        var set = summaries.await(Duration.ofSeconds(20), 1, x -> Summaries.hasPair(x, "127.0.0.1", 30)
                && Summaries.pair(x, "127.0.0.1").getLong("lost") == 0, "a full answered interval");
        var pair = Summaries.pair(set, "127.0.0.1");
        assertThat(collector.counters().getLong("replies_unauthenticated")).isZero();
        assertThat(pair.getDouble("dwell")).as("the reflector's own time").isNotNull().isGreaterThanOrEqualTo(0.0).isLessThan(pair.getDouble("rtt"));
        assertThat(pair.getLong("dwell_invalid")).isZero();
        assertThat(pair.getDouble("rtt_net")).isLessThanOrEqualTo(pair.getDouble("rtt"));
        assertThat(pair.getDouble("rtt_net_p50")).isNotNull();
    }
}
