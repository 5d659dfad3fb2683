package dev.llama.reflector;

import static org.assertj.core.api.Assertions.assertThat;

import dev.llama.config.AllowList;
import dev.llama.probe.ProbeKeys;
import dev.llama.testutil.Await;
import dev.llama.testutil.Probes;
import dev.llama.testutil.UdpPeer;
import io.vertx.core.Vertx;
import io.vertx.junit5.VertxExtension;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.Arrays;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** A reflector with {@code -auth-keys}, probed with datagrams signed here by javax.crypto alone. */
@ExtendWith(VertxExtension.class)
class AuthenticatedReflectorTest {
    private static final String KEY1 = "first-secret-0123456789";
    private static final String KEY2 = "0123456789abcdef0123456789abcdef";
    /** The MAC's offset in a datagram built by {@link Probes#build}: tag, length, then the signature. */
    private static final int MAC_AT = 2 + 20;

    @Test
    void answersOnlyAuthenticatedFreshProbesAndSignsTheReply(Vertx vertx) throws Exception {
        var keys = ProbeKeys.parse("2 " + KEY2 + "\n1 " + KEY1 + "\n", "test");
        var reflector = new ReflectorVerticle(new ReflectorOptions(InetAddress.getLoopbackAddress(), 0, 0, AllowList.ANY, null)
                .withAuthKeys(keys));
        vertx.deployVerticle(reflector).await(10, TimeUnit.SECONDS);
        var to = new InetSocketAddress("127.0.0.1", reflector.port());
        long now = System.currentTimeMillis() * 1_000_000L;
        try (var peer = new UdpPeer()) {
            peer.send(Probes.original(0), to);
            peer.send(signed(9, "unknown-key-id-secret-0123", now, "llama-probe-v1"), to);
            peer.send(signed(1, "a-wrong-secret-for-key-1", now, "llama-probe-v1"), to);
            peer.send(signed(1, KEY1, now, "llama-reply-v1"), to);
            byte[] flipped = signed(1, KEY1, now, "llama-probe-v1");
            flipped[flipped.length - 1] ^= 1;
            peer.send(flipped, to);
            byte[] flippedMac = signed(2, KEY2, now, "llama-probe-v1");
            flippedMac[MAC_AT + 31] ^= (byte) 0x80;
            peer.send(flippedMac, to);
            peer.send(signed(1, KEY1, now - 31_000_000_000L, "llama-probe-v1"), to);
            peer.send(signed(2, KEY2, now + 31_000_000_000L, "llama-probe-v1"), to);
            peer.send(signed(2, KEY2, 0, "llama-probe-v1"), to);

            byte[] good = signed(1, KEY1, now - 20_000_000_000L, "llama-probe-v1");
            peer.send(good, to);
            var reply = peer.receive(2000);
            assertThat(reply).as("the authenticated probe is answered").isNotNull();
            assertThat(peer.receive(200)).as("nothing else comes back").isNull();

            byte[] data = reply.data();
            assertThat(data).hasSameSizeAs(good);
            assertThat(Arrays.copyOfRange(data, 0, MAC_AT)).isEqualTo(Arrays.copyOfRange(good, 0, MAC_AT));
            assertThat(Arrays.copyOfRange(data, MAC_AT + 32, data.length)).isEqualTo(Arrays.copyOfRange(good, MAC_AT + 32, good.length));
            assertThat(Arrays.copyOfRange(data, MAC_AT, MAC_AT + 32)).as("the probe MAC replaced by the reply MAC")
                    .isEqualTo(mac(KEY1, "llama-reply-v1", data))
                    .isNotEqualTo(mac(KEY1, "llama-probe-v1", data));

            var stats = reflector.stats();
            Await.until(Duration.ofSeconds(5), () -> stats.received() == 10, () -> "received " + stats.toJson());
            assertThat(stats.reflected()).isEqualTo(1);
            assertThat(stats.droppedUnauthenticated()).isEqualTo(6);
            assertThat(stats.droppedStale()).isEqualTo(3);
            assertThat(stats.invalid()).isZero();
            assertThat(stats.toJson().getLong("dropped_unauthenticated")).isEqualTo(6);
        }
    }

    @Test
    void keyRotationAcceptsEveryListedKey(Vertx vertx) throws Exception {
        var keys = ProbeKeys.parse("1 " + KEY1 + "\n2 " + KEY2 + "\n", "test");
        var reflector = new ReflectorVerticle(new ReflectorOptions(InetAddress.getLoopbackAddress(), 0, 100, AllowList.ANY, null)
                .withAuthKeys(keys));
        vertx.deployVerticle(reflector).await(10, TimeUnit.SECONDS);
        var to = new InetSocketAddress("127.0.0.1", reflector.port());
        try (var peer = new UdpPeer()) {
            for (int id = 1; id <= 2; id++) {
                String secret = id == 1 ? KEY1 : KEY2;
                peer.send(signed(id, secret, System.currentTimeMillis() * 1_000_000L, "llama-probe-v1"), to);
                var reply = peer.receive(2000);
                assertThat(reply).as("key " + id).isNotNull();
                assertThat(Arrays.copyOfRange(reply.data(), MAC_AT, MAC_AT + 32)).isEqualTo(mac(secret, "llama-reply-v1", reply.data()));
            }
        }
    }

    /** A 52-byte-signature probe: random sequence and token, {@code keyId}, HMAC under {@code context}. */
    static byte[] signed(long keyId, String secret, long sent, String context) throws Exception {
        byte[] sig = new byte[52];
        ThreadLocalRandom.current().nextBytes(sig);
        ByteBuffer.wrap(sig).putInt(16, (int) keyId);
        Arrays.fill(sig, 20, 52, (byte) 0);
        byte[] probe = Probes.build(sig, new byte[] {0}, sent, 958);
        System.arraycopy(mac(secret, context, probe), 0, probe, MAC_AT, 32);
        return probe;
    }

    /** HMAC-SHA256(secret, context || datagram with the MAC zeroed). */
    static byte[] mac(String secret, String context, byte[] datagram) throws Exception {
        byte[] zeroed = datagram.clone();
        Arrays.fill(zeroed, MAC_AT, MAC_AT + 32, (byte) 0);
        var mac = Mac.getInstance("HmacSHA256");
        mac.init(new SecretKeySpec(secret.getBytes(StandardCharsets.US_ASCII), "HmacSHA256"));
        mac.update(context.getBytes(StandardCharsets.US_ASCII));
        return mac.doFinal(zeroed);
    }

    @Test
    void macHelperIsNotTrivial() throws Exception {
        byte[] a = signed(1, KEY1, 1, "llama-probe-v1");
        assertThat(MessageDigest.isEqual(mac(KEY1, "llama-probe-v1", a), mac(KEY2, "llama-probe-v1", a))).isFalse();
    }
}
