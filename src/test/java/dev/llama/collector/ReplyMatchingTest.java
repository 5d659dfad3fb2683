package dev.llama.collector;

import static org.assertj.core.api.Assertions.assertThat;

import dev.llama.testutil.Configs;
import dev.llama.testutil.Summaries;
import dev.llama.testutil.UdpPeer;
import io.vertx.core.Vertx;
import io.vertx.junit5.VertxExtension;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * A hand-driven reflector answers some probes twice, some late, and some from the wrong address; the
 * collector must count each kind and attribute none of them as an answer.
 */
@ExtendWith(VertxExtension.class)
class ReplyMatchingTest {

    @Test
    void duplicatesLateAndSpoofedRepliesAreCountedNotAttributed(Vertx vertx) throws Exception {
        try (var fake = new UdpPeer("127.0.0.1"); var spoofer = new UdpPeer("127.0.0.1")) {
            var summaries = new Summaries(vertx);
            // A 1 s timeout: on a loaded machine this thread may answer a few hundred ms behind.
            var config = Configs.collector(1, 1, 10, 1000, "127.0.0.1:" + fake.port());
            var collector = new CollectorVerticle(CollectorOptions.inline(config, "t"));
            vertx.deployVerticle(collector).await(10, TimeUnit.SECONDS);
            var collectorPort = new InetSocketAddress("127.0.0.1", collector.localPorts().get(0));
            int duplicated = 0;
            int late = 0;
            int spoofed = 0;
            for (int round = 0; round < 16; round++) {
                var probe = newest(fake);
                switch (round % 4) {
                    case 0 -> {
                        fake.send(probe.data(), probe.from());
                        fake.send(probe.data(), probe.from());
                        duplicated++;
                    }
                    case 1 -> {
                        spoofer.send(probe.data(), probe.from());
                        spoofed++;
                    }
                    case 2 -> {
                        // Held for 1.5 s, well past the 1 s timeout, answering the probes meanwhile.
                        long heldUntil = System.nanoTime() + 1_500_000_000L;
                        while (System.nanoTime() < heldUntil) {
                            var next = fake.receive(50);
                            if (next != null) {
                                fake.send(next.data(), next.from());
                            }
                        }
                        fake.send(probe.data(), probe.from());
                        late++;
                    }
                    default -> {
                        fake.send(probe.data(), probe.from());
                    }
                }
            }
            var counters = collector.counters();
            int expectedSpoofed = spoofed;
            int expectedDup = duplicated;
            int expectedLate = late;
            dev.llama.testutil.Await.until(Duration.ofSeconds(5), () -> {
                var c = collector.counters();
                return c.getLong("replies_unmatched") >= expectedSpoofed && c.getLong("replies_duplicate") >= expectedDup
                        && c.getLong("replies_late") >= expectedLate;
            }, () -> collector.counters().encode());
            counters = collector.counters();
            assertThat(counters.getLong("replies_unmatched")).isEqualTo(spoofed);
            assertThat(counters.getLong("replies_duplicate")).isEqualTo(duplicated);
            assertThat(counters.getLong("replies_late")).isEqualTo(late);
            assertThat(collectorPort.getPort()).isPositive();

            int skip = summaries.size();
            var set = summaries.await(Duration.ofSeconds(5), skip,
                    s -> s.getJsonObject("counters").getLong("probes_resolved") >= 60, "later summaries");
            long totalDup = 0;
            long totalLate = 0;
            for (var s : summaries.all()) {
                var pair = Summaries.pair(s, "127.0.0.1");
                if (pair != null) {
                    totalDup += pair.getLong("duplicates");
                    totalLate += pair.getLong("late");
                }
            }
            assertThat(set).isNotNull();
            assertThat(totalDup).isEqualTo(duplicated);
            assertThat(totalLate).isEqualTo(late);
        }
    }

    /**
     * The newest probe waiting, so a test thread that fell behind answers the current probe, not one
     * already past its timeout; the skipped ones count as lost, which this test does not look at.
     */
    private static UdpPeer.Received newest(UdpPeer fake) {
        var probe = fake.receive(2000);
        assertThat(probe).isNotNull();
        for (var next = fake.receive(1); next != null; next = fake.receive(1)) {
            probe = next;
        }
        return probe;
    }
}
