package dev.llama.collector;

import static org.assertj.core.api.Assertions.assertThat;

import dev.llama.probe.ProbeCodec;
import dev.llama.probe.ProbeView;
import dev.llama.testutil.Await;
import dev.llama.testutil.Configs;
import dev.llama.testutil.Summaries;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.VertxExtension;
import java.io.IOException;
import java.net.BindException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.Arrays;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Forged replies for a dead target (one that receives probes and never answers): the collector must not
 * take any of them for the target's answer, so the target keeps showing 100 % loss.
 */
@ExtendWith(VertxExtension.class)
class ReplyForgeryTest {
    private static final int TRIES = 65_536;

    /**
     * A host that sees the probes answers from the target's port on another address. Only the
     * reflector's own address and port count as its answer.
     */
    @Test
    void aReplyFromTheTargetsPortOnAnotherAddressDoesNotHideADeadTarget(Vertx vertx) throws Exception {
        var sockets = samePortOnTwoAddresses();
        try (var dead = sockets[0]; var forger = sockets[1]) {
            var summaries = new Summaries(vertx);
            var config = Configs.collector(1, 1, 20, 300, "127.0.0.2:" + dead.getLocalPort());
            var collector = new CollectorVerticle(CollectorOptions.inline(config, "forged-source"));
            vertx.deployVerticle(collector).await(10, TimeUnit.SECONDS);
            int forged = 0;
            for (int i = 0; i < 40; i++) {
                var probe = receive(dead);
                send(forger, probe.getData(), probe.getLength(), (InetSocketAddress) probe.getSocketAddress());
                forged++;
            }
            int expected = forged;
            Await.until(Duration.ofSeconds(5), () -> collector.counters().getLong("replies_other_source") >= expected,
                    () -> collector.counters().encode());
            var set = summaries.await(Duration.ofSeconds(5), summaries.size(),
                    s -> Summaries.hasPair(s, "127.0.0.2", 10), "a set after the forgeries");
            var pair = Summaries.pair(set, "127.0.0.2");
            assertThat(pair.getDouble("loss")).isEqualTo(100.0);
            assertThat(pair.getValue("rtt")).isNull();
            assertThat(totals(summaries, "127.0.0.2")[1]).as("answers over every set").isZero();
        }
    }

    /**
     * An off-path sender that can send from the target's address and port, knows the sequence numbers
     * (it is even shown the probe) and tries {@value #TRIES} signatures for one probe in flight: for the
     * old 16-bit salt that is every value, for a 64-bit token nothing. None may count as an answer.
     */
    @Test
    void bruteForcingTheTokenDoesNotHideADeadTarget(Vertx vertx) throws Exception {
        try (var dead = new DatagramSocket(new InetSocketAddress("127.0.0.1", 0))) {
            dead.setReceiveBufferSize(1 << 20);
            var summaries = new Summaries(vertx);
            var config = Configs.collector(1, 1, 2, 4000, "127.0.0.1:" + dead.getLocalPort());
            var collector = new CollectorVerticle(CollectorOptions.inline(config, "brute-force"));
            vertx.deployVerticle(collector).await(10, TimeUnit.SECONDS);

            var probe = receive(dead);
            var to = (InetSocketAddress) probe.getSocketAddress();
            var view = new ProbeView();
            var content = Unpooled.wrappedBuffer(probe.getData(), 0, probe.getLength());
            assertThat(ProbeCodec.decode(content, view)).isTrue();
            byte[] signature = ByteBufUtil.getBytes(content, view.signatureOffset(), view.signatureLength());
            assertThat(signature.length).as("sequence and token").isGreaterThanOrEqualTo(10);
            var random = new Random(7);
            long before = collector.counters().getLong("replies_received");
            for (int i = 0; i < TRIES; i++) {
                byte[] forged = Arrays.copyOf(signature, signature.length);
                if (forged.length == 10) {
                    forged[8] = (byte) (i >>> 8);
                    forged[9] = (byte) i;
                } else {
                    byte[] guess = new byte[forged.length - 8];
                    random.nextBytes(guess);
                    System.arraycopy(guess, 0, forged, 8, guess.length);
                }
                var reply = Unpooled.buffer();
                ProbeCodec.encode(reply, forged, 0, 0, 0);
                send(dead, reply.array(), reply.writerIndex(), to);
                if ((i + 1) % 256 == 0) {
                    long sent = before + i + 1;
                    // Paced by what the collector has read, so none is dropped by a full socket buffer.
                    Await.until(Duration.ofSeconds(5), () -> collector.counters().getLong("replies_received") >= sent,
                            () -> collector.counters().encode());
                }
            }
            var counters = collector.counters();
            assertThat(counters.getLong("replies_unmatched")).as(counters.encode()).isEqualTo(TRIES);
            assertThat(counters.getLong("replies_duplicate") + counters.getLong("replies_late")).isZero();

            // The probe the forgeries aimed at resolves (as lost) after its 4 s timeout; two sets later
            // it is in a published summary.
            Await.until(Duration.ofSeconds(10), () -> collector.counters().getLong("probes_resolved") >= 2,
                    () -> collector.counters().encode());
            summaries.await(Duration.ofSeconds(5), summaries.size() + 1, s -> true, "two more sets");
            long[] sentAnswered = totals(summaries, "127.0.0.1");
            assertThat(sentAnswered[0]).as("probes resolved in the sets").isGreaterThanOrEqualTo(2);
            assertThat(sentAnswered[1]).as("answers over every set").isZero();
        }
    }

    /** Probes sent and answered to {@code dst}, over every set so far. */
    private static long[] totals(Summaries summaries, String dst) {
        long sent = 0;
        long answered = 0;
        for (JsonObject set : summaries.all()) {
            var pair = Summaries.pair(set, dst);
            if (pair != null) {
                sent += pair.getLong("sent");
                answered += pair.getLong("sent") - pair.getLong("lost");
            }
        }
        return new long[] {sent, answered};
    }

    /** A socket on 127.0.0.2 and one on 127.0.0.1 with the same port (tries free ports until one is free on both). */
    private static DatagramSocket[] samePortOnTwoAddresses() throws IOException {
        for (int attempt = 0; ; attempt++) {
            var first = new DatagramSocket(new InetSocketAddress("127.0.0.2", 0));
            try {
                return new DatagramSocket[] {first, new DatagramSocket(new InetSocketAddress("127.0.0.1", first.getLocalPort()))};
            } catch (BindException e) {
                first.close();
                if (attempt == 20) {
                    throw e;
                }
            }
        }
    }

    private static DatagramPacket receive(DatagramSocket socket) throws IOException {
        socket.setSoTimeout(2000);
        var packet = new DatagramPacket(new byte[2048], 2048);
        socket.receive(packet);
        return packet;
    }

    private static void send(DatagramSocket socket, byte[] data, int length, InetSocketAddress to) throws IOException {
        socket.send(new DatagramPacket(data, length, to));
    }
}
