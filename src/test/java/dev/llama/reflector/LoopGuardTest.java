package dev.llama.reflector;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.llama.config.AllowList;
import dev.llama.testutil.Await;
import dev.llama.testutil.FreePorts;
import dev.llama.testutil.Probes;
import dev.llama.testutil.UdpPeer;
import io.vertx.core.Vertx;
import io.vertx.junit5.VertxExtension;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Spoofed datagrams (raw sockets through python3, so root only) that would make a reflector answer
 * itself, another reflector or a well-known service: each is dropped once and counted, nothing loops.
 */
@ExtendWith(VertxExtension.class)
class LoopGuardTest {

    @BeforeEach
    void needsRoot() {
        assumeTrue(Python.root(), "raw sockets need root");
    }

    private static ReflectorVerticle deploy(Vertx vertx, String ip, int port, List<Integer> denyPorts) throws Exception {
        var options = new ReflectorOptions(InetAddress.getByName(ip), port, ReflectorOptions.DEFAULT_MAX_PPS, AllowList.ANY, denyPorts);
        var verticle = new ReflectorVerticle(options);
        vertx.deployVerticle(verticle).await(10, TimeUnit.SECONDS);
        return verticle;
    }

    /** After the drops, an ordinary probe still comes back; then nothing else has been read. */
    private static void stillAnswersAndNothingLooped(ReflectorVerticle reflector, String ip, long expectedReceived) {
        try (var peer = new UdpPeer()) {
            byte[] probe = Probes.original(0);
            peer.send(probe, new InetSocketAddress(ip, reflector.port()));
            var reply = peer.receive(2000);
            assertThat(reply).isNotNull();
            assertThat(reply.data()).isEqualTo(probe);
        }
        var stats = reflector.stats();
        assertThat(stats.received()).as(stats.toJson().encode()).isEqualTo(expectedReceived);
        assertThat(stats.reflected()).as(stats.toJson().encode()).isEqualTo(1);
    }

    @Test
    void probeFromItsOwnAddressAndPortIsDroppedOnce(Vertx vertx) throws Exception {
        var reflector = deploy(vertx, "127.0.0.1", 0, null);
        int port = reflector.port();
        Python.spoof("127.0.0.1", port, "127.0.0.1", port, Probes.original(0));
        var stats = reflector.stats();
        Await.until(Duration.ofSeconds(5), () -> stats.droppedSelf() == 1, () -> stats.toJson().encode());
        stillAnswersAndNothingLooped(reflector, "127.0.0.1", 2);
    }

    @Test
    void onTheWildcardAnyLocalAddressWithItsPortIsItself(Vertx vertx) throws Exception {
        var reflector = deploy(vertx, "0.0.0.0", 0, List.of());
        int port = reflector.port();
        // The deny list is empty: only the self check can stop these.
        Python.spoof("127.0.0.5", port, "127.0.0.1", port, Probes.original(0));
        Python.spoof("127.0.0.1", port, "127.0.0.1", port, Probes.original(0));
        var stats = reflector.stats();
        Await.until(Duration.ofSeconds(5), () -> stats.droppedSelf() == 2, () -> stats.toJson().encode());
        stillAnswersAndNothingLooped(reflector, "127.0.0.1", 3);
    }

    @Test
    void wellKnownSourcePortsAreNeverAnswered(Vertx vertx) throws Exception {
        var reflector = deploy(vertx, "127.0.0.1", 0, null);
        for (int port : new int[] {7, 19, 53, 123}) {
            Python.spoof("127.0.0.1", port, "127.0.0.1", reflector.port(), Probes.original(0));
        }
        var stats = reflector.stats();
        Await.until(Duration.ofSeconds(5), () -> stats.droppedWellKnownPort() == 4, () -> stats.toJson().encode());
        stillAnswersAndNothingLooped(reflector, "127.0.0.1", 5);
    }

    @Test
    void reflectorsOnTheSamePortDoNotPlayPingPong(Vertx vertx) throws Exception {
        // Like a fleet (and the demo): every reflector on one port, each on its own address; default deny list.
        int port = FreePorts.udp("0.0.0.0");
        var a = deploy(vertx, "127.0.0.2", port, null);
        var b = deploy(vertx, "127.0.0.3", port, null);
        Python.spoof("127.0.0.3", port, "127.0.0.2", port, Probes.original(0));
        Await.until(Duration.ofSeconds(5), () -> a.stats().droppedDeniedPort() == 1, () -> a.stats().toJson().encode());
        stillAnswersAndNothingLooped(a, "127.0.0.2", 2);
        assertThat(b.stats().received()).as("B never heard from A").isZero();
    }

    @Test
    void reflectorsOnListedPortsDoNotPlayPingPong(Vertx vertx) throws Exception {
        int portA = FreePorts.udp("127.0.0.1");
        int portB = FreePorts.udp("127.0.0.1");
        var deny = List.of(portA, portB);
        var a = deploy(vertx, "127.0.0.1", portA, deny);
        var b = deploy(vertx, "127.0.0.1", portB, deny);
        Python.spoof("127.0.0.1", portB, "127.0.0.1", portA, Probes.original(0));
        Await.until(Duration.ofSeconds(5), () -> a.stats().droppedDeniedPort() == 1, () -> a.stats().toJson().encode());
        stillAnswersAndNothingLooped(a, "127.0.0.1", 2);
        assertThat(b.stats().received()).isZero();
    }
}
