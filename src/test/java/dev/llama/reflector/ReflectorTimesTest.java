package dev.llama.reflector;

import static org.assertj.core.api.Assertions.assertThat;

import dev.llama.config.AllowList;
import dev.llama.probe.ProbeAuth;
import dev.llama.probe.ProbeCodec;
import dev.llama.probe.ProbeKeys;
import dev.llama.probe.ProbeView;
import dev.llama.testutil.Probes;
import dev.llama.testutil.UdpPeer;
import io.netty.buffer.Unpooled;
import io.vertx.core.Vertx;
import io.vertx.junit5.VertxExtension;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** The reflector fills the reflector time placeholders in place, and leaves probes without them byte for byte. */
@ExtendWith(VertxExtension.class)
class ReflectorTimesTest {
    private static final String KEYS = "1 first-secret-0123456789\n";

    private static byte[] probe(ProbeAuth auth) {
        int sig = auth == null ? 16 : ProbeAuth.SIGNATURE;
        byte[] signature = new byte[sig];
        signature[7] = 42;
        var buf = Unpooled.buffer();
        if (auth != null) {
            java.nio.ByteBuffer.wrap(signature).putInt(ProbeAuth.KEY_ID, (int) auth.signingKeyId());
        }
        ProbeCodec.encode(buf, signature, 0, System.currentTimeMillis() * 1_000_000L, 1000 - 6 - ProbeCodec.REFLECTOR_TIMES_SIZE, true);
        if (auth != null) {
            auth.signProbe(buf, 2);
        }
        byte[] out = new byte[buf.readableBytes()];
        buf.getBytes(0, out);
        return out;
    }

    private static ReflectorVerticle deploy(Vertx vertx, ProbeKeys keys) throws Exception {
        var options = new ReflectorOptions(InetAddress.getLoopbackAddress(), 0, 0, AllowList.ANY, null);
        var reflector = new ReflectorVerticle(keys == null ? options : options.withAuthKeys(keys));
        vertx.deployVerticle(reflector).await(10, TimeUnit.SECONDS);
        return reflector;
    }

    @Test
    void fillsReceiveAndSendTimeInPlaceAndEchoesOriginalsUnchanged(Vertx vertx) throws Exception {
        var reflector = deploy(vertx, null);
        var to = new InetSocketAddress("127.0.0.1", reflector.port());
        try (var peer = new UdpPeer()) {
            byte[] original = Probes.original(0);
            peer.send(original, to);
            assertThat(peer.receive(2000).data()).isEqualTo(original);

            byte[] ours = probe(null);
            long before = System.currentTimeMillis() * 1_000_000L;
            peer.send(ours, to);
            byte[] reply = peer.receive(2000).data();
            long after = System.currentTimeMillis() * 1_000_000L + 1_000_000;
            assertThat(reply).hasSize(ours.length);
            var parsed = Probes.parse(reply);
            assertThat(parsed.getReflectorRcvd()).as("epoch ns by the reflector's clock").isBetween(before - 1_000_000, after);
            assertThat(parsed.getReflectorSent()).isBetween(parsed.getReflectorRcvd(), after);
            assertThat(parsed.toBuilder().clearReflectorRcvd().clearReflectorSent().build())
                    .isEqualTo(Probes.parse(ours).toBuilder().clearReflectorRcvd().clearReflectorSent().build());
        }
    }

    @Test
    void aProbeDelayedByTheRateLimitCarriesItsArrivalTimeAndAValidMac(Vertx vertx) throws Exception {
        var keys = ProbeKeys.parse(KEYS, "test");
        var reflector = new ReflectorVerticle(new ReflectorOptions(InetAddress.getLoopbackAddress(), 0, 20, AllowList.ANY, null)
                .withAuthKeys(keys));
        vertx.deployVerticle(reflector).await(10, TimeUnit.SECONDS);
        var auth = new ProbeAuth(keys);
        var view = new ProbeView();
        try (var peer = new UdpPeer()) {
            var to = new InetSocketAddress("127.0.0.1", reflector.port());
            for (int i = 0; i < 8; i++) {
                peer.send(probe(auth), to);
            }
            long longest = 0;
            for (int i = 0; i < 8; i++) {
                var buf = Unpooled.wrappedBuffer(peer.receive(3000).data());
                assertThat(ProbeCodec.decode(buf, view)).isTrue();
                assertThat(auth.verifyReply(buf, view)).as("reply %d signed after its send time was written", i).isZero();
                longest = Math.max(longest, view.dwell());
            }
            assertThat(reflector.stats().throttled()).as("some waited for a token").isPositive();
            assertThat(longest).as("the wait counts as dwell: receive time taken on arrival").isGreaterThan(40_000_000L);
        }
    }

    @Test
    void theReplyMacCoversTheTimes(Vertx vertx) throws Exception {
        var keys = ProbeKeys.parse(KEYS, "test");
        var reflector = deploy(vertx, keys);
        var auth = new ProbeAuth(keys);
        var view = new ProbeView();
        try (var peer = new UdpPeer()) {
            peer.send(probe(auth), new InetSocketAddress("127.0.0.1", reflector.port()));
            byte[] reply = peer.receive(2000).data();
            var buf = Unpooled.wrappedBuffer(reply);
            assertThat(ProbeCodec.decode(buf, view)).isTrue();
            assertThat(auth.verifyReply(buf, view)).as("reply MAC verifies").isZero();
            assertThat(view.dwell()).isNotEqualTo(ProbeView.NO_DWELL).isNotNegative();
            ProbeCodec.writeReflectorTimes(buf, view, view.reflectorRcvd() - 1_000_000, view.reflectorSent());
            assertThat(auth.verifyReply(buf, view)).as("a changed time breaks the MAC").isEqualTo(-1);
        }
    }
}
