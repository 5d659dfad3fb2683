package dev.llama.collector;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.llama.net.NativeSocket;
import dev.llama.net.NativeUdp;
import dev.llama.testutil.Configs;
import io.vertx.core.Vertx;
import io.vertx.junit5.VertxExtension;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** A port's {@code tos} is on every probe it sends, as the original sets it: read by a target that sees the IP header's TOS. */
@ExtendWith(VertxExtension.class)
class ProbeTosOnTheWireTest {

    @Test
    void probesLeaveWithTheirPortsTos(Vertx vertx) throws Exception {
        // The library reads the TOS the kernel received; the collector under test may run on either path.
        assumeTrue(NativeUdp.loaded(), "reads the received TOS with the native library");
        try (var target = NativeSocket.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 8, 2048, 1 << 20)) {
            var config = Configs.collector(1, 1, 20, 300, "127.0.0.1:" + target.port());
            config.getJsonObject("ports").getJsonObject("default").put("tos", 0xb8);
            vertx.deployVerticle(new CollectorVerticle(CollectorOptions.inline(config, "tos"))).await(10, TimeUnit.SECONDS);
            int n = target.receive(5_000);
            assertThat(n).as("probes arrive").isPositive();
            for (int i = 0; i < n; i++) {
                assertThat(target.receivedTos(i)).as("TOS of probe %d", i).isEqualTo(0xb8);
            }
        }
    }
}
