package dev.llama.reflector;

import static org.assertj.core.api.Assertions.assertThat;

import dev.llama.config.AllowList;
import dev.llama.testutil.Probes;
import dev.llama.testutil.UdpPeer;
import io.vertx.core.Vertx;
import io.vertx.junit5.VertxExtension;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.slf4j.LoggerFactory;

/**
 * One source floods at ten times -max-pps for 3 s while another probes at 100 per second: the prober is
 * still answered. Before fair shares, the flood filled the delay queue and the kernel's buffer and
 * the prober lost everything.
 */
@ExtendWith(VertxExtension.class)
class FairShareTest {
    private static final double MAX_PPS = 500;
    private static final double FLOOD_PPS = 10 * MAX_PPS;
    private static final long FLOOD_NANOS = TimeUnit.SECONDS.toNanos(3);

    @Test
    void aFloodCannotStarveAnotherProber(Vertx vertx) throws Exception {
        var options = new ReflectorOptions(InetAddress.getByName("127.0.0.1"), 0, MAX_PPS, AllowList.ANY, null);
        var reflector = new ReflectorVerticle(options);
        vertx.deployVerticle(reflector).await(10, TimeUnit.SECONDS);
        var to = new InetSocketAddress("127.0.0.1", reflector.port());
        var flooded = new AtomicLong();
        var answered = new AtomicInteger();
        try (var flood = new UdpPeer("127.0.0.2"); var prober = new UdpPeer("127.0.0.3")) {
            // Warm up: the reflector reads and answers before the clock starts.
            for (int i = 0; i < 200; i++) {
                prober.send(Probes.original(0), to);
                assertThat(prober.receive(10_000)).isNotNull();
            }
            long start = System.nanoTime();
            var floodThread = new Thread(() -> {
                // Small probes: more of them fit the socket's buffer while the reflector waits for a core.
                byte[] probe = Probes.build(new byte[] {1, 2, 3, 4, 5, 6, 7, 8, 9, 10}, new byte[] {0}, 1, 0);
                // Ten times max-pps: far over it, yet slow enough that a loaded 2-core machine reads it all,
                // so what is measured is the reflector's sharing, not the kernel's drops.
                for (long now = System.nanoTime(); now - start < FLOOD_NANOS; now = System.nanoTime()) {
                    while (flooded.get() < (now - start) * FLOOD_PPS / 1e9) {
                        flood.send(probe, to);
                        flooded.incrementAndGet();
                    }
                    LockSupport.parkNanos(500_000);
                }
            }, "flood");
            var reader = new Thread(() -> {
                while (prober.receive(5000) != null) {
                    answered.incrementAndGet();
                }
            }, "prober-reader");
            floodThread.start();
            reader.start();
            // Once the flood has had the reflector to itself for a while: 100 probes a second until it ends.
            long next = start + TimeUnit.MILLISECONDS.toNanos(300);
            int sent = 0;
            while (next < start + FLOOD_NANOS) {
                LockSupport.parkNanos(next - System.nanoTime());
                prober.send(Probes.original(0), to);
                sent++;
                next += TimeUnit.MILLISECONDS.toNanos(10);
            }
            floodThread.join();
            reader.join();
            double seconds = FLOOD_NANOS / 1e9;
            var stats = reflector.stats();
            String report = "prober " + answered.get() + "/" + sent + ", flood sent " + flooded.get() + " in " + seconds + " s, "
                    + stats.toJson().encode();
            LoggerFactory.getLogger(FairShareTest.class).info("{}", report);
            assertThat(flooded.get()).as("a flood: " + report).isGreaterThan((long) (8 * MAX_PPS * seconds));
            assertThat(answered.get()).as(report).isGreaterThanOrEqualTo((int) Math.ceil(sent * 0.95));
            assertThat(stats.droppedOverShare()).as(report).isPositive();
            // The flood got what the prober left, never more: max-pps over the run plus the buckets' bursts.
            assertThat(stats.reflected()).as(report).isLessThan((long) (MAX_PPS * (seconds + 6)));
        }
    }
}
