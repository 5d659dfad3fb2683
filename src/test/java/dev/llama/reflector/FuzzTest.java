package dev.llama.reflector;

import static org.assertj.core.api.Assertions.assertThat;

import dev.llama.collector.CollectorOptions;
import dev.llama.collector.CollectorVerticle;
import dev.llama.probe.Mutations;
import dev.llama.testutil.Await;
import dev.llama.testutil.Configs;
import dev.llama.testutil.Probes;
import dev.llama.testutil.Summaries;
import dev.llama.testutil.UdpPeer;
import io.vertx.core.Vertx;
import io.vertx.junit5.VertxExtension;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongSupplier;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * 100,000 random and mutated datagrams at a reflector and at a collector socket. Sending is paced on
 * the receiver's own counter, so the kernel drops nothing and the counters must add up exactly.
 */
@ExtendWith(VertxExtension.class)
class FuzzTest {
    private static final int DATAGRAMS = 100_000;
    private static final int WINDOW = 128;

    private static byte[] next(Random random, int i) {
        return switch (i % 4) {
            case 0 -> Mutations.noise(random, 1500);
            case 1 -> Probes.build(randomBytes(random, 1 + random.nextInt(16)), new byte[] {(byte) random.nextInt(256)},
                    random.nextLong() & Long.MAX_VALUE, random.nextInt(1100));
            default -> Mutations.mutate(random, Probes.original(random.nextInt(256)));
        };
    }

    private static byte[] randomBytes(Random random, int n) {
        byte[] b = new byte[n];
        random.nextBytes(b);
        return b;
    }

    private static void paced(UdpPeer peer, InetSocketAddress to, LongSupplier received, Random random, Set<ByteBuffer> sent) {
        for (int i = 0; i < DATAGRAMS; i++) {
            byte[] d = next(random, i);
            if (sent != null) {
                sent.add(ByteBuffer.wrap(d));
            }
            peer.send(d, to);
            if (i % WINDOW == WINDOW - 1) {
                long target = i + 1;
                Await.until(Duration.ofSeconds(10), () -> received.getAsLong() >= target, () -> "receiver at " + received.getAsLong() + " of " + target);
            }
        }
        Await.until(Duration.ofSeconds(10), () -> received.getAsLong() >= DATAGRAMS, () -> "receiver at " + received.getAsLong());
    }

    @Test
    void reflectorAnswersOnlyProbesAndCountsEverything(Vertx vertx) throws Exception {
        var reflector = new ReflectorVerticle(new ReflectorOptions(InetAddress.getLoopbackAddress(), 0, 0));
        vertx.deployVerticle(reflector).await(10, TimeUnit.SECONDS);
        var to = new InetSocketAddress("127.0.0.1", reflector.port());
        Set<ByteBuffer> sent = java.util.concurrent.ConcurrentHashMap.newKeySet();
        var replies = new AtomicLong();
        var bad = new AtomicLong();
        try (var peer = new UdpPeer()) {
            var reader = new Thread(() -> {
                UdpPeer.Received r;
                while ((r = peer.receive(3000)) != null) {
                    replies.incrementAndGet();
                    var parsed = Probes.parse(r.data());
                    boolean ok = sent.contains(ByteBuffer.wrap(r.data()));
                    if (!ok || parsed == null || parsed.getSignature().isEmpty() || parsed.getTos().size() > 1) {
                        bad.incrementAndGet();
                    }
                }
            }, "fuzz-reader");
            reader.setDaemon(true);
            reader.start();
            paced(peer, to, () -> reflector.stats().received(), new Random(1), sent);
            var stats = reflector.stats();
            Await.until(Duration.ofSeconds(10), () -> replies.get() == stats.reflected(), () -> replies.get() + " replies, " + stats.toJson());
            reader.join(10_000);
            assertThat(bad.get()).as("replies that were not probes we sent").isZero();
            assertThat(stats.received()).isEqualTo(DATAGRAMS);
            assertThat(stats.reflected() + stats.invalid()).isEqualTo(DATAGRAMS);
            assertThat(stats.reflected()).as("valid probes in the mix").isBetween(30_000L, 70_000L);
            assertThat(stats.invalid()).isBetween(25_000L, 70_000L);

            assertThat(reader.isAlive()).isFalse();
            byte[] probe = Probes.original(0);
            peer.send(probe, to);
            var reply = peer.receive(5000);
            assertThat(reply).as("still answering").isNotNull();
            assertThat(reply.data()).isEqualTo(probe);
        }
    }

    @Test
    void collectorSocketSurvivesAndAttributesNothing(Vertx vertx) throws Exception {
        var summaries = new Summaries(vertx);
        var config = Configs.collector(1, 1, 10, 200, "127.0.0.2:9");
        var collector = new CollectorVerticle(CollectorOptions.inline(config, "fuzz"));
        vertx.deployVerticle(collector).await(10, TimeUnit.SECONDS);
        var to = new InetSocketAddress("127.0.0.1", collector.localPorts().get(0));
        try (var peer = new UdpPeer()) {
            paced(peer, to, () -> collector.counters().getLong("replies_received"), new Random(2), null);
        }
        var c = collector.counters();
        assertThat(c.getLong("replies_received")).isEqualTo(DATAGRAMS);
        assertThat(c.getLong("replies_invalid") + c.getLong("replies_unmatched")).isEqualTo(DATAGRAMS);
        assertThat(c.getLong("replies_late") + c.getLong("replies_duplicate")).isZero();
        int skip = summaries.size();
        var set = summaries.await(Duration.ofSeconds(5), skip, s -> Summaries.hasPair(s, "127.0.0.2", 5), "summaries go on");
        var pair = Summaries.pair(set, "127.0.0.2");
        assertThat(pair.getDouble("loss")).isEqualTo(100.0);
        assertThat(pair.getLong("duplicates") + pair.getLong("late")).isZero();
    }
}
