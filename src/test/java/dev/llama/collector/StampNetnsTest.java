package dev.llama.collector;

import static org.assertj.core.api.Assertions.assertThat;

import dev.llama.testutil.ChildJvm;
import dev.llama.testutil.Configs;
import dev.llama.testutil.Netns;
import dev.llama.testutil.Probes;
import dev.llama.testutil.Summaries;
import dev.llama.testutil.UdpPeer;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.datagram.DatagramSocket;
import io.vertx.core.json.JsonObject;
import io.vertx.core.net.SocketAddress;
import io.vertx.junit5.VertxExtension;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Our collector probing our STAMP reflector (a child JVM in a network namespace) through what the kernel and a
 * relay do to packets: a one-way delay of 20 ms on the way back only, then an nftables drop of 20 % on the way in.
 */
@ExtendWith(VertxExtension.class)
class StampNetnsTest {
    private static final Logger log = LoggerFactory.getLogger(StampNetnsTest.class);
    private static final int STAMP_PORT = 862;
    private static final long DELAY_MS = 20;

    @Test
    void delayOnTheWayBackIsInTheRttNotTheDwellAndInjectedLossIsReported(Vertx vertx) throws Exception {
        String why = Netns.unavailable();
        if (why != null) {
            log.warn("SKIPPED STAMP netns test: cannot create a network namespace ({})", why);
            Assumptions.abort("cannot create a network namespace: " + why);
        }
        Process reflector = null;
        try (var ns = Netns.create()) {
            reflector = ns.start(Path.of("target", "netns-stamp-reflector.log"), ChildJvm.command("reflector", "-bind", ns.nsIp,
                    "-port", "8100", "-stamp-port", String.valueOf(STAMP_PORT), "-max-pps", "0"));
            awaitReflector(ns, reflector);
            var summaries = new Summaries(vertx);

            // 1. Through the relay: the reply waits 20 ms, the request does not.
            int relay = relay(vertx, ns.hostIp, new InetSocketAddress(ns.nsIp, STAMP_PORT)).await(10, TimeUnit.SECONDS);
            var delayed = Configs.collector(1, 2, 50, 1000, ns.hostIp + ":" + relay);
            delayed.getJsonObject("ports").getJsonObject("default").put("ip", ns.hostIp);
            delayed.getJsonObject("targets").getJsonArray("default").getJsonObject(0).put("protocol", "stamp");
            String first = vertx.deployVerticle(new CollectorVerticle(CollectorOptions.inline(delayed, "netns-delay")))
                    .await(10, TimeUnit.SECONDS);
            // the first intervals carry start-up (class loading, JIT, the relay's sockets) in RTT and dwell
            int skip = summaries.size() + 3;
            var set = summaries.await(Duration.ofSeconds(30), skip, s -> Summaries.hasPair(s, ns.hostIp, 40), "an interval through the relay");
            for (var s : summaries.all()) {
                var p = Summaries.pair(s, ns.hostIp);
                if (p != null) {
                    log.info("through the relay: sent {} rtt_min {} p50 {} mean {} dwell {} rtt_net {}", p.getLong("sent"), p.getDouble("rtt_min"),
                            p.getDouble("rtt_p50"), p.getDouble("rtt"), p.getDouble("dwell"), p.getDouble("rtt_net"));
                }
            }
            JsonObject pair = Summaries.pair(set, ns.hostIp);
            log.info("relay delaying replies {} ms: rtt {} ms (min {}, p50 {}), dwell {} ms, rtt_net {} ms", DELAY_MS, pair.getDouble("rtt"),
                    pair.getDouble("rtt_min"), pair.getDouble("rtt_p50"), pair.getDouble("dwell"), pair.getDouble("rtt_net"));
            assertThat(pair.getDouble("loss")).isEqualTo(0.0);
            assertThat(pair.getDouble("rtt_min")).as("rtt_min: every reply waited").isGreaterThanOrEqualTo((double) DELAY_MS);
            assertThat(pair.getDouble("rtt_p50")).as("rtt_p50").isBetween((double) DELAY_MS, DELAY_MS + 15.0);
            assertThat(pair.getDouble("dwell")).as("dwell: the delay is not the reflector's").isBetween(0.0, 5.0);
            assertThat(pair.getDouble("rtt_net") - (pair.getDouble("rtt") - pair.getDouble("dwell"))).as("rtt_net = rtt - dwell")
                    .isCloseTo(0.0, org.assertj.core.data.Offset.offset(0.01));
            vertx.undeploy(first).await(10, TimeUnit.SECONDS);

            // 2. Straight to the reflector, 20 % of test packets dropped on the way in.
            ns.exec("nft", "add table inet llama");
            ns.exec("nft", "add chain inet llama input { type filter hook input priority 0 ; policy accept ; }");
            ns.exec("nft", "add rule inet llama input udp dport " + STAMP_PORT + " numgen random mod 100 < 20 drop");
            var lossy = Configs.collector(1, 4, 300, 200, ns.nsIp + ":" + STAMP_PORT);
            lossy.getJsonObject("ports").getJsonObject("default").put("ip", ns.hostIp);
            lossy.getJsonObject("targets").getJsonArray("default").getJsonObject(0).put("protocol", "stamp");
            int from = summaries.size() + 1;
            vertx.deployVerticle(new CollectorVerticle(CollectorOptions.inline(lossy, "netns-loss"))).await(10, TimeUnit.SECONDS);
            summaries.await(Duration.ofSeconds(40), from, s -> total(summaries, from, ns.nsIp, "sent") >= 8000, "8,000 probes summarized");
            long sent = total(summaries, from, ns.nsIp, "sent");
            long lost = total(summaries, from, ns.nsIp, "lost");
            double loss = lost * 100.0 / sent;
            log.info("nftables drop 20 %: STAMP collector saw {} lost of {} sent = {} %", lost, sent, String.format("%.2f", loss));
            // binomial sd at n = 8,000 and p = 0.2 is 0.45 %; the band is about 5 sd wide each way
            assertThat(loss).isBetween(17.5, 22.5);
        } finally {
            ChildJvm.stop(reflector);
        }
    }

    /**
     * A UDP relay on {@code ip}: what a client sends goes on to {@code reflector} from a socket of that client's own,
     * and what comes back is held {@link #DELAY_MS} before it goes to the client. Completes with the relay's port.
     */
    private static Future<Integer> relay(Vertx vertx, String ip, InetSocketAddress reflector) {
        Map<SocketAddress, Future<DatagramSocket>> backs = new ConcurrentHashMap<>();
        return vertx.createDatagramSocket().listen(0, ip).map(front -> {
            front.handler(packet -> {
                var client = packet.sender();
                backs.computeIfAbsent(client, c -> vertx.createDatagramSocket().listen(0, ip).onSuccess(back -> back.handler(reply ->
                                vertx.setTimer(DELAY_MS, id -> front.send(reply.data(), c.port(), c.host())))))
                        .onSuccess(back -> back.send(packet.data(), reflector.getPort(), reflector.getHostString()));
            });
            return front.localAddress().port();
        });
    }

    private static long total(Summaries summaries, int skip, String dst, String field) {
        return summaries.all().stream().skip(skip)
                .map(s -> Summaries.pair(s, dst))
                .filter(p -> p != null)
                .mapToLong(p -> p.getLong(field)).sum();
    }

    /** Waits until the reflector in the namespace answers LLAMA probes: it has started. */
    private static void awaitReflector(Netns ns, Process reflector) {
        try (var peer = new UdpPeer(ns.hostIp)) {
            var to = new InetSocketAddress(ns.nsIp, 8100);
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
            while (System.nanoTime() < deadline) {
                assertThat(reflector.isAlive()).as("reflector process (see target/netns-stamp-reflector.log)").isTrue();
                peer.send(Probes.original(0), to);
                if (peer.receive(200) != null) {
                    return;
                }
            }
            throw new AssertionError("the reflector in the namespace never answered");
        }
    }
}
