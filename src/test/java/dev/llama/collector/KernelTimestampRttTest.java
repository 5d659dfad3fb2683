package dev.llama.collector;

import static org.assertj.core.api.Assertions.assertThat;

import dev.llama.net.NativeUdp;
import dev.llama.reflector.ReflectorOptions;
import dev.llama.reflector.ReflectorVerticle;
import dev.llama.testutil.Configs;
import dev.llama.testutil.Summaries;
import io.vertx.core.Vertx;
import io.vertx.junit5.VertxExtension;
import java.net.InetAddress;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The collector's own thread stalls (as in a GC pause) while replies arrive: on the native path the RTT
 * comes from the kernel's receive timestamp and does not move; on the fallback it takes the stall in.
 */
@ExtendWith(VertxExtension.class)
class KernelTimestampRttTest {
    private static final long STALL_MS = 150;

    @Test
    void aStalledCollectorThreadDoesNotMoveTheRtt(Vertx vertx) throws Exception {
        var reflector = new ReflectorVerticle(new ReflectorOptions(InetAddress.getLoopbackAddress(), 0, 0));
        vertx.deployVerticle(reflector).await(10, TimeUnit.SECONDS);
        var summaries = new Summaries(vertx);
        var collector = new CollectorVerticle(CollectorOptions.inline(
                Configs.collector(1, 1, 50, 2000, "127.0.0.1:" + reflector.port()), "stall"));
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
            assertThat(maxMs).as("kernel timestamps: the stall is not in the RTT").isLessThan(STALL_MS / 5.0);
        } else {
            assertThat(maxMs).as("read-time RTT takes the stall in (this path has no kernel timestamps)").isGreaterThan(STALL_MS / 5.0);
        }
    }
}
