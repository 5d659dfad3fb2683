package dev.llama.reflector;

import static org.assertj.core.api.Assertions.assertThat;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.llama.net.NativeSocket;
import dev.llama.net.NativeUdp;
import dev.llama.testutil.Await;
import dev.llama.testutil.Probes;
import dev.llama.testutil.UdpPeer;
import io.netty.channel.epoll.Epoll;
import io.vertx.core.Vertx;
import io.vertx.junit5.VertxExtension;
import io.vertx.junit5.VertxTestContext;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

@ExtendWith(VertxExtension.class)
class ReflectorVerticleTest {

    private static ReflectorVerticle deploy(Vertx vertx, long maxPps) throws Exception {
        var verticle = new ReflectorVerticle(new ReflectorOptions(InetAddress.getLoopbackAddress(), 0, maxPps));
        vertx.deployVerticle(verticle).await(10, TimeUnit.SECONDS);
        return verticle;
    }

    private static InetSocketAddress at(ReflectorVerticle r) {
        return new InetSocketAddress("127.0.0.1", r.port());
    }

    @Test
    void echoesProbesByteForByteAndDropsEverythingElse(Vertx vertx) throws Exception {
        var reflector = deploy(vertx, 0);
        try (var peer = new UdpPeer()) {
            byte[] probe = Probes.original(0);
            peer.send(probe, at(reflector));
            var reply = peer.receive(2000);
            assertThat(reply).isNotNull();
            assertThat(reply.data()).isEqualTo(probe);
            assertThat(reply.from().getPort()).isEqualTo(reflector.port());

            // Junk first, then a probe: if junk were answered, its reply would arrive first.
            for (String junk : new String[] {"", "00", "0801", "0a05010203", "ffffffffffff"}) {
                peer.send(HexFormat.of().parseHex(junk), at(reflector));
            }
            byte[] second = Probes.original(0);
            peer.send(second, at(reflector));
            assertThat(peer.receive(2000).data()).isEqualTo(second);
            assertThat(peer.receive(200)).as("nothing else comes back").isNull();

            var stats = reflector.stats();
            assertThat(stats.received()).isEqualTo(7);
            assertThat(stats.reflected()).isEqualTo(2);
            assertThat(stats.invalid()).isEqualTo(5);
        }
    }

    @Test
    void mirrorsTosAndSurvivesProbesWithoutTos(Vertx vertx) throws Exception {
        var reflector = deploy(vertx, 0);
        try (var peer = new UdpPeer()) {
            byte[] marked = Probes.original(0xb8);
            peer.send(marked, at(reflector));
            assertThat(peer.receive(2000).data()).isEqualTo(marked);
            assertThat(reflector.currentTos()).isEqualTo(0xb8);

            byte[] noTos = Probes.build(new byte[] {1, 2, 3}, new byte[0], 42, 100);
            peer.send(noTos, at(reflector));
            assertThat(peer.receive(2000).data()).isEqualTo(noTos);
            assertThat(reflector.currentTos()).as("no tos means 0, not the previous sender's").isZero();

            byte[] plain = Probes.original(0);
            peer.send(plain, at(reflector));
            assertThat(peer.receive(2000).data()).isEqualTo(plain);
            assertThat(reflector.currentTos()).isZero();
        }
    }

    @Test
    void runsOnTheNativePathUnlessTheFallbackIsForced(Vertx vertx) throws Exception {
        var reflector = deploy(vertx, 0);
        boolean forced = "false".equals(System.getProperty("llama.native"));
        assertThat(reflector.transport()).isEqualTo(forced || !NativeUdp.loaded() ? (Epoll.isAvailable() ? "epoll" : "nio") : "native");
    }

    @Test
    void theReplyArrivesWithTheProbesTos(Vertx vertx) throws Exception {
        assumeTrue(NativeUdp.loaded(), "reads the received TOS with the native library");
        var reflector = deploy(vertx, 0);
        var lo = InetAddress.getLoopbackAddress();
        try (var client = NativeSocket.bind(new InetSocketAddress(lo, 0), 4, 2048, 1 << 20)) {
            for (int tos : new int[] {0x88, 0xb8, 0}) {
                client.outgoing(0).writeBytes(Probes.original(tos));
                // Sent with another TOS, so the reply's can only come from the probe's field.
                client.address(0, at(reflector), 0x20);
                assertThat(client.sendOutgoing(1)).isEqualTo(1);
                assertThat(client.receive(2000)).isEqualTo(1);
                assertThat(client.receivedTos(0)).isEqualTo(tos);
            }
        }
    }

    @Test
    void probeWithoutTosIsAnsweredWithTosZeroOnTheWire(Vertx vertx) throws Exception {
        var reflector = deploy(vertx, 0);
        byte[] sig = {1, 2, 3};
        // proto3 leaves an empty bytes field out: "missing"; "empty" is the field with length 0, written by hand.
        byte[] missing = Probes.build(sig, new byte[0], 42, 100);
        byte[] empty = Arrays.copyOf(missing, missing.length + 2);
        empty[missing.length] = 0x12;
        assertThat(Probes.parse(empty)).isNotNull();
        var tos = Python.replyTos(reflector.port(), List.of(
                Probes.original(0xb8), empty, Probes.original(0x28), missing, Probes.original(0xb8), Probes.original(0)));
        assertThat(tos).containsExactly("184", "0", "40", "0", "184", "0");
    }

    @Test
    void rateLimitDelaysRatherThanDrops(Vertx vertx) throws Exception {
        int pps = 500;
        int count = 1000;
        var reflector = deploy(vertx, pps);
        try (var peer = new UdpPeer()) {
            long start = System.nanoTime();
            for (int i = 0; i < count; i++) {
                peer.send(Probes.original(0), at(reflector));
            }
            int replies = 0;
            while (replies < count && peer.receive(3000) != null) {
                replies++;
            }
            double seconds = (System.nanoTime() - start) / 1e9;
            assertThat(replies).as("every probe answered").isEqualTo(count);
            assertThat(seconds).as("1000 probes at 500 pps take about 2 s").isBetween(1.8, 3.5);
            var stats = reflector.stats();
            assertThat(stats.throttled()).isGreaterThan(count / 2);
            assertThat(stats.overflow()).isZero();
            assertThat(stats.reflected()).isEqualTo(count);
        }
    }

    @Test
    void failsDeploymentWhenThePortIsTaken(Vertx vertx, VertxTestContext test) throws Exception {
        var first = deploy(vertx, 0);
        vertx.deployVerticle(new ReflectorVerticle(new ReflectorOptions(InetAddress.getLoopbackAddress(), first.port(), 0)))
                .onComplete(test.failing(err -> test.verify(() -> {
                    assertThat(err.getMessage()).contains("cannot bind").contains(Integer.toString(first.port()));
                    test.completeNow();
                })));
    }

    @Test
    void countersAddUpUnderAFlood(Vertx vertx) throws Exception {
        var reflector = deploy(vertx, 2000);
        try (var peer = new UdpPeer()) {
            for (int i = 0; i < 30_000; i++) {
                peer.send(Probes.original(0), at(reflector));
            }
            var stats = reflector.stats();
            Await.until(Duration.ofSeconds(30), () -> stats.queued() == 0
                            && stats.received() == stats.reflected() + stats.invalid() + stats.overflow() + stats.dropped(),
                    () -> stats.toJson().encode());
            assertThat(stats.received()).isPositive();
            assertThat(stats.throttled()).isPositive();
        }
    }
}
