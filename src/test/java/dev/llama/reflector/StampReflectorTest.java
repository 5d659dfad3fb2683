package dev.llama.reflector;

import static org.assertj.core.api.Assertions.assertThat;

import dev.llama.config.AllowList;
import dev.llama.stamp.ErrorEstimate;
import dev.llama.stamp.Ntp;
import dev.llama.stamp.StampHmac;
import dev.llama.stamp.StampReply;
import dev.llama.stamp.StampSend;
import dev.llama.stamp.StampTlv;
import dev.llama.testutil.Await;
import dev.llama.testutil.UdpPeer;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.vertx.core.Vertx;
import io.vertx.junit5.VertxExtension;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** A STAMP Session-Sender written here, against the Session-Reflector on loopback. */
@ExtendWith(VertxExtension.class)
class StampReflectorTest {
    private static final byte[] KEY = HexFormat.of().parseHex("8f0e1d2c3b4a59687766554433221100ffeeddccbbaa9988");
    static final int EE = ErrorEstimate.of(true, false, 10, 3);

    static StampReflectorVerticle deploy(Vertx vertx, byte[] key, AllowList allow) throws Exception {
        var options = new ReflectorOptions(InetAddress.getLoopbackAddress(), 0, 0, allow, null);
        var verticle = new StampReflectorVerticle(options, new StampOptions(0, key, StampOptions.DEFAULT_ERROR_ESTIMATE));
        vertx.deployVerticle(verticle).await(10, TimeUnit.SECONDS);
        return verticle;
    }

    static InetSocketAddress at(StampReflectorVerticle r) {
        return new InetSocketAddress("127.0.0.1", r.port());
    }

    static byte[] request(boolean authenticated, long seq, long t1, int cosDscp, StampHmac hmac) {
        ByteBuf buf = Unpooled.buffer();
        StampSend.writeRequest(buf, authenticated, seq, t1, EE, 0x5a5a, cosDscp, hmac);
        return Arrays.copyOf(buf.array(), buf.readableBytes());
    }

    @Test
    void unauthenticatedSenderGetsRfcReplies(Vertx vertx) throws Exception {
        var reflector = deploy(vertx, null, AllowList.ANY);
        try (var peer = new UdpPeer()) {
            for (int seq = 0; seq < 3; seq++) {
                long t1 = Ntp.now();
                peer.send(request(false, 4_000_000_000L + seq, t1, -1, null), at(reflector));
                var received = peer.receive(2000);
                long t4 = Ntp.now();
                assertThat(received).isNotNull();
                assertThat(received.from().getPort()).isEqualTo(reflector.port());
                assertThat(received.data()).hasSize(44);
                var reply = new StampReply();
                assertThat(StampSend.parseReply(Unpooled.wrappedBuffer(received.data()), false, null, reply)).isTrue();
                assertThat(reply.sequence()).as("stateless: the sender's number").isEqualTo(4_000_000_000L + seq);
                assertThat(reply.senderSequence()).isEqualTo(4_000_000_000L + seq);
                assertThat(reply.senderTimestamp()).isEqualTo(t1);
                assertThat(reply.senderErrorEstimate()).isEqualTo(EE);
                assertThat(reply.ssid()).isEqualTo(0x5a5a);
                assertThat(reply.errorEstimate()).isEqualTo(StampOptions.DEFAULT_ERROR_ESTIMATE);
                assertThat(Long.compareUnsigned(reply.receiveTimestamp(), t1)).isGreaterThanOrEqualTo(0);
                assertThat(reply.dwellNanos()).isBetween(0L, 1_000_000_000L);
                assertThat(Long.compareUnsigned(t4, reply.timestamp())).isGreaterThanOrEqualTo(0);
                assertThat(reply.rttNanos(t4)).isBetween(0L, 2_000_000_000L);
            }
            assertThat(reflector.stats().reflected()).isEqualTo(3);
        }
    }

    @Test
    void classOfServiceSetsReplyDscpAndUnknownTlvComesBackFlagged(Vertx vertx) throws Exception {
        var reflector = deploy(vertx, null, AllowList.ANY);
        try (var peer = new UdpPeer()) {
            byte[] req = request(false, 1, Ntp.now(), 46, null);
            byte[] withUnknown = Arrays.copyOf(req, req.length + 6);
            System.arraycopy(new byte[] {0, (byte) 250, 0, 2, 7, 7}, 0, withUnknown, req.length, 6);
            peer.send(withUnknown, at(reflector));
            var received = peer.receive(2000);
            assertThat(received.data()).hasSize(withUnknown.length);
            var reply = new StampReply();
            assertThat(StampSend.parseReply(Unpooled.wrappedBuffer(received.data()), false, null, reply)).isTrue();
            assertThat(reply.cosRequestedDscp()).isEqualTo(46);
            if (dev.llama.net.NativeUdp.available()) {
                // the unknown TLV; the CoS TLV says what the request arrived with (TOS 0)
                assertThat(reply.unrecognizedTlvs()).isEqualTo(1);
                assertThat(reply.cosFlags() & StampTlv.FLAG_U).isZero();
                assertThat(reply.cosReceivedDscp()).isZero();
            } else {
                // the unknown TLV, and the CoS TLV: Java sockets cannot read the received TOS to fill in DSCP2
                assertThat(reply.unrecognizedTlvs()).isEqualTo(2);
                assertThat(reply.cosFlags() & StampTlv.FLAG_U).isNotZero();
            }
            assertThat(reflector.currentTos()).isEqualTo(46 << 2);
        }
    }

    @Test
    void onTheNativePathTheCosTlvReportsTheReceivedDscpAndEcn(Vertx vertx) throws Exception {
        org.junit.jupiter.api.Assumptions.assumeTrue(dev.llama.net.NativeUdp.available(), "native datagram path not available");
        var reflector = deploy(vertx, null, AllowList.ANY);
        try (var sender = new java.net.DatagramSocket(new InetSocketAddress("127.0.0.1", 0))) {
            sender.setSoTimeout(2000);
            for (int tos : new int[] {10 << 2, 34 << 2 | 1}) {
                sender.setTrafficClass(tos);
                byte[] req = request(false, tos, Ntp.now(), 46, null);
                sender.send(new java.net.DatagramPacket(req, req.length, at(reflector)));
                var in = new java.net.DatagramPacket(new byte[2048], 2048);
                sender.receive(in);
                var reply = new StampReply();
                assertThat(StampSend.parseReply(Unpooled.wrappedBuffer(in.getData(), 0, in.getLength()), false, null, reply)).isTrue();
                assertThat(reply.cosFlags() & StampTlv.FLAG_U).isZero();
                assertThat(reply.cosRequestedDscp()).isEqualTo(46);
                assertThat(reply.cosReceivedDscp()).as("DSCP2 for TOS " + tos).isEqualTo(tos >> 2);
                assertThat(reply.cosEcn()).as("ECN for TOS " + tos).isEqualTo(tos & 3);
                assertThat(reflector.currentTos()).as("the reply goes out with DSCP1").isEqualTo(46 << 2);
            }
        }
    }

    @Test
    void authenticatedSenderGetsSignedRepliesAndForgeriesGetNothing(Vertx vertx) throws Exception {
        var reflector = deploy(vertx, KEY, AllowList.ANY);
        var hmac = new StampHmac(KEY);
        try (var peer = new UdpPeer()) {
            byte[] forged = request(true, 1, Ntp.now(), -1, new StampHmac(new byte[16]));
            byte[] tampered = request(true, 2, Ntp.now(), -1, hmac);
            tampered[3] ^= 1;
            peer.send(forged, at(reflector));
            peer.send(tampered, at(reflector));
            peer.send(request(false, 3, Ntp.now(), -1, null), at(reflector)); // unauthenticated layout: too short
            long t1 = Ntp.now();
            peer.send(request(true, 4, t1, -1, hmac), at(reflector));
            var received = peer.receive(2000);
            assertThat(received.data()).hasSize(112);
            var reply = new StampReply();
            assertThat(StampSend.parseReply(Unpooled.wrappedBuffer(received.data()), true, hmac, reply)).isTrue();
            assertThat(reply.senderSequence()).as("the first reply is the valid request's").isEqualTo(4);
            assertThat(reply.senderTimestamp()).isEqualTo(t1);
            assertThat(peer.receive(200)).isNull();
            var stats = reflector.stats();
            assertThat(stats.droppedUnauthenticated()).isEqualTo(2);
            assertThat(stats.invalid()).isEqualTo(1);
            assertThat(stats.reflected()).isEqualTo(1);
        }
    }

    @Test
    void malformedPacketsGetNoReplyAndAreCounted(Vertx vertx) throws Exception {
        var reflector = deploy(vertx, null, AllowList.ANY);
        try (var peer = new UdpPeer()) {
            byte[] base = request(false, 1, Ntp.now(), -1, null);
            byte[] pastEnd = Arrays.copyOf(base, 52);
            System.arraycopy(new byte[] {0, 1, 0x7f, (byte) 0xff}, 0, pastEnd, 44, 4);
            byte[] thousands = Arrays.copyOf(base, 44 + 4 * 2000);
            for (int at = 44; at < thousands.length; at += 4) {
                thousands[at + 1] = 1;
            }
            byte[] badCos = Arrays.copyOf(base, 50);
            System.arraycopy(new byte[] {0, 4, 0, 2}, 0, badCos, 44, 4);
            byte[][] malformed = {new byte[0], Arrays.copyOf(base, 43), pastEnd, thousands, badCos, new byte[9217]};
            for (byte[] m : malformed) {
                peer.send(m, at(reflector));
            }
            peer.send(request(false, 77, Ntp.now(), -1, null), at(reflector));
            var reply = new StampReply();
            assertThat(StampSend.parseReply(Unpooled.wrappedBuffer(peer.receive(2000).data()), false, null, reply)).isTrue();
            assertThat(reply.senderSequence()).as("no malformed packet was answered before it").isEqualTo(77);
            assertThat(peer.receive(200)).isNull();
            Await.until(Duration.ofSeconds(5), () -> reflector.stats().invalid() == malformed.length,
                    () -> "invalid " + reflector.stats().invalid());
            assertThat(reflector.stats().reflected()).isEqualTo(1);
            assertThat(reflector.stats().received()).isEqualTo(malformed.length + 1);
        }
    }

    @Test
    void sourcesOutsideTheAllowListAreDropped(Vertx vertx) throws Exception {
        var reflector = deploy(vertx, null, AllowList.parse("10.0.0.0/8"));
        try (var peer = new UdpPeer()) {
            peer.send(request(false, 1, Ntp.now(), -1, null), at(reflector));
            Await.until(Duration.ofSeconds(5), () -> reflector.stats().droppedNotAllowed() == 1,
                    () -> "dropped " + reflector.stats().toJson());
            assertThat(peer.receive(100)).isNull();
        }
    }
}
