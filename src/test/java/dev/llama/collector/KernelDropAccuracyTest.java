package dev.llama.collector;

import static org.assertj.core.api.Assertions.assertThat;

import dev.llama.testutil.ChildJvm;
import dev.llama.testutil.Configs;
import dev.llama.testutil.Netns;
import dev.llama.testutil.Probes;
import dev.llama.testutil.Summaries;
import dev.llama.testutil.UdpPeer;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.VertxExtension;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Loss as the kernel makes it: a reflector JVM inside a network namespace whose nftables input chain
 * drops 10 % of probes at random; the collector in this JVM must report 10 % ± 1.5 over 6,000 probes.
 */
@ExtendWith(VertxExtension.class)
class KernelDropAccuracyTest {
    private static final Logger log = LoggerFactory.getLogger(KernelDropAccuracyTest.class);

    @Test
    void reportsTheLossTheKernelInflicts(Vertx vertx) throws Exception {
        String why = Netns.unavailable();
        if (why != null) {
            log.warn("SKIPPED kernel-drop accuracy test: cannot create a network namespace ({})", why);
            Assumptions.abort("cannot create a network namespace: " + why);
        }
        Process reflector = null;
        try (var ns = Netns.create()) {
            ns.exec("nft", "add table inet llama");
            ns.exec("nft", "add chain inet llama input { type filter hook input priority 0 ; policy accept ; }");
            ns.exec("nft", "add rule inet llama input udp dport 8100 numgen random mod 100 < 10 drop");
            reflector = ns.start(Path.of("target", "netns-reflector.log"),
                    ChildJvm.command("reflector", "-bind", ns.nsIp, "-port", "8100", "-max-pps", "0"));
            awaitReflector(ns, reflector);

            var summaries = new Summaries(vertx);
            // A probe is counted as sent when sent and as lost when its timeout expires, so the probes in flight at
            // the window's ends (timeout x 1,200 per second) shift the measured loss; a 200 ms timeout keeps that
            // under 0.3 % of 8,000 probes, while veth RTTs are tens of microseconds.
            var config = Configs.collector(1, 4, 300, 200, ns.nsIp + ":8100");
            config.getJsonObject("ports").getJsonObject("default").put("ip", ns.hostIp);
            vertx.deployVerticle(new CollectorVerticle(CollectorOptions.inline(config, "netns"))).await(10, TimeUnit.SECONDS);

            var last = summaries.await(Duration.ofSeconds(30), 0, s -> total(summaries, "sent") >= 8000, "8,000 probes summarized");
            long sent = total(summaries, "sent");
            long lost = total(summaries, "lost");
            double loss = lost * 100.0 / sent;
            log.info("kernel drop 10 %: collector saw {} lost of {} sent = {} %", lost, sent, String.format("%.2f", loss));
            assertThat(sent).isGreaterThanOrEqualTo(8000);
            assertThat(loss).isBetween(8.5, 11.5);
            var pair = Summaries.pair(last, ns.nsIp);
            assertThat(pair.getString("src_ip")).isEqualTo(ns.hostIp);
            assertThat(pair.getJsonArray("ports")).hasSize(4);
        } finally {
            ChildJvm.stop(reflector);
        }
    }

    private static long total(Summaries summaries, String field) {
        return summaries.all().stream().skip(1)
                .flatMap(s -> s.getJsonArray("pairs").stream())
                .mapToLong(p -> ((JsonObject) p).getLong(field)).sum();
    }

    /** Waits until the reflector in the namespace answers (some probes are dropped on the way in). */
    private static void awaitReflector(Netns ns, Process reflector) {
        try (var peer = new UdpPeer(ns.hostIp)) {
            var to = new InetSocketAddress(ns.nsIp, 8100);
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
            while (System.nanoTime() < deadline) {
                assertThat(reflector.isAlive()).as("reflector process (see target/netns-reflector.log)").isTrue();
                peer.send(Probes.original(0), to);
                if (peer.receive(200) != null) {
                    return;
                }
            }
            throw new AssertionError("the reflector in the namespace never answered");
        }
    }
}
