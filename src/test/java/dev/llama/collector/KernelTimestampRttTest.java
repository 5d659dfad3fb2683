package dev.llama.collector;

import static org.assertj.core.api.Assertions.assertThat;

import dev.llama.net.NativeUdp;
import dev.llama.testutil.Configs;
import dev.llama.testutil.Summaries;
import dev.llama.testutil.UdpPeer;
import io.vertx.core.Vertx;
import io.vertx.junit5.VertxExtension;
import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The collector's own thread stalls (as in a GC pause) while replies arrive (an echo that holds each
 * reply 20 ms, so some are always in flight): on the native path the RTT comes from the kernel's
 * receive timestamp and does not move; on the fallback it takes the stall in.
 */
@ExtendWith(VertxExtension.class)
class KernelTimestampRttTest {
    private static final long STALL_MS = 150;
    /** The echo holds each reply this long, so that a stall always catches replies in flight. */
    private static final long HOLD_MS = 20;

    @Test
    void aStalledCollectorThreadDoesNotMoveTheRtt(Vertx vertx) throws Exception {
        var echo = new UdpPeer();
        var timer = Executors.newSingleThreadScheduledExecutor();
        var running = new AtomicBoolean(true);
        var echoThread = new Thread(() -> {
            while (running.get()) {
                var probe = echo.receive(100);
                if (probe != null) {
                    timer.schedule(() -> echo.send(probe.data(), probe.from()), HOLD_MS, TimeUnit.MILLISECONDS);
                }
            }
        }, "holding-echo");
        echoThread.start();
        try {
            stallAndCompare(vertx, echo.port());
        } finally {
            running.set(false);
            echoThread.join(5000);
            timer.shutdownNow();
            echo.close();
        }
    }

    private void stallAndCompare(Vertx vertx, int echoPort) throws Exception {
        var summaries = new Summaries(vertx);
        var collector = new CollectorVerticle(CollectorOptions.inline(
                Configs.collector(1, 1, 50, 2000, "127.0.0.1:" + echoPort), "stall"));
        vertx.deployVerticle(collector).await(10, TimeUnit.SECONDS);
        summaries.await(Duration.ofSeconds(10), 0, s -> Summaries.hasPair(s, "127.0.0.1", 10), "probing runs");

        int skip = summaries.size();
        var loop = collector.probeLoop();
        long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(3);
        while (System.nanoTime() < end) {
            // The stall itself, on the collector's thread; a probe sent just before it is answered during it.
            loop.submit(() -> {
                Thread.sleep(STALL_MS);
                return null;
            }).get(5, TimeUnit.SECONDS);
            loop.submit(() -> null).get(5, TimeUnit.SECONDS);
            Thread.sleep(STALL_MS / 3);
        }
        var set = summaries.await(Duration.ofSeconds(10), skip + 1, s -> Summaries.hasPair(s, "127.0.0.1", 10), "a stalled interval");
        double maxMs = Summaries.pair(set, "127.0.0.1").getDouble("rtt_max");
        if (NativeUdp.available()) {
            assertThat(maxMs).as("kernel timestamps: the stall is not in the RTT").isLessThan(HOLD_MS + STALL_MS / 5.0);
            var counters = collector.counters();
            assertThat(counters.getLong("replies_received")).isPositive();
            assertThat(counters.getLong("rtt_user_clock")).as("no reply fell back to the JVM's clock").isZero();
        } else {
            assertThat(maxMs).as("read-time RTT takes the stall in (this path has no kernel timestamps)")
                    .isGreaterThan(HOLD_MS + STALL_MS / 2.0);
        }
    }
}
