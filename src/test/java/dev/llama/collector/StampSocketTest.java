package dev.llama.collector;

import static org.assertj.core.api.Assertions.assertThat;

import dev.llama.config.AllowList;
import dev.llama.net.UdpTransport;
import dev.llama.reflector.ReflectorOptions;
import dev.llama.reflector.StampOptions;
import dev.llama.reflector.StampReflectorVerticle;
import dev.llama.stamp.Ntp;
import dev.llama.stamp.StampReflect;
import dev.llama.stamp.StampRequest;
import dev.llama.testutil.Await;
import dev.llama.testutil.UdpPeer;
import io.netty.buffer.Unpooled;
import io.netty.channel.EventLoopGroup;
import io.vertx.core.Vertx;
import io.vertx.junit5.VertxExtension;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** The collector's STAMP Session-Sender socket against our reflector and against a scripted one on loopback. */
@ExtendWith(VertxExtension.class)
class StampSocketTest {
    private static final byte[] KEY = HexFormat.of().parseHex("0f1e2d3c4b5a69788796a5b4c3d2e1f0");
    private final EventLoopGroup group = UdpTransport.newGroup(1, "stamp-socket-test");
    private final Recorder results = new Recorder();
    private final CollectorStats stats = new CollectorStats();

    @AfterEach
    void close() {
        group.shutdownGracefully(0, 1, TimeUnit.SECONDS).syncUninterruptibly();
    }

    private StampSocket open(int tos, int timeoutMs, byte[] key, InetSocketAddress... targets) {
        var socket = new StampSocket(results, stats, tos, timeoutMs, 0, targets, 100, key);
        socket.channel = UdpTransport.bind(group, new InetSocketAddress("127.0.0.1", 0), socket).syncUninterruptibly().channel();
        group.next().scheduleAtFixedRate(() -> socket.sweep(System.nanoTime()), 10, 10, TimeUnit.MILLISECONDS);
        return socket;
    }

    private void send(StampSocket socket, int... targets) {
        socket.channel.eventLoop().execute(() -> {
            for (int t : targets) {
                socket.enqueue(t);
            }
            socket.flush();
        });
    }

    @Test
    void measuresOurReflectorInBothModesAndCountsLoss(Vertx vertx) throws Exception {
        for (byte[] key : new byte[][] {null, KEY}) {
            var reflector = new StampReflectorVerticle(new ReflectorOptions(InetAddress.getLoopbackAddress(), 0, 0, AllowList.ANY, null),
                    new StampOptions(0, key, StampOptions.DEFAULT_ERROR_ESTIMATE));
            vertx.deployVerticle(reflector).await(10, TimeUnit.SECONDS);
            int silent;
            try (var nobody = new UdpPeer()) {
                silent = nobody.port(); // bound, never answers
                var socket = open(0, 2000, key, new InetSocketAddress("127.0.0.1", reflector.port()), new InetSocketAddress("127.0.0.1", silent));
                // the first packet loads classes on both sides on a busy machine: wait for its reply, then measure
                send(socket, 0);
                Await.until(Duration.ofSeconds(20), () -> results.count("answered 0") + results.count("late 0") == 1, results::toString);
                results.clear();
                for (int i = 0; i < 10; i++) {
                    send(socket, 0, 1);
                }
                Await.until(Duration.ofSeconds(10), () -> results.count("answered 0") == 10 && results.count("lost 1") == 10, results::toString);
            }
            assertThat(results.count("lost 0")).isZero();
            assertThat(results.rtts).allSatisfy(rtt -> assertThat(rtt).isBetween(0L, 1_000_000_000L));
            assertThat(results.dwells).allSatisfy(d -> assertThat(d).isBetween(0L, 1_000_000_000L));
            assertThat(results.tos).as("no TOS on the port, no CoS TLV, received TOS unknown").containsOnly(ProbeEngine.TOS_UNKNOWN);
            results.clear();
        }
    }

    @Test
    void rttDwellReorderingDuplicatesAndReceivedTosAreReported() throws Exception {
        try (var reflector = new UdpPeer()) {
            var at = new InetSocketAddress("127.0.0.1", reflector.port());
            var socket = open(46 << 2, 5000, null, at);
            send(socket, 0, 0);
            var first = reflector.receive(5000);
            long firstT2 = Ntp.now();
            var second = reflector.receive(5000);
            long secondT2 = Ntp.now();
            long hold = 400_000_000; // long enough to stand out from scheduling delays on a loaded machine
            TimeUnit.NANOSECONDS.sleep(hold); // the injected dwell, which T3 - T2 reports
            // replies in reverse order, the first one twice
            reflector.send(reflect(second.data(), secondT2), second.from());
            byte[] firstReply = reflect(first.data(), firstT2);
            reflector.send(firstReply, first.from());
            reflector.send(firstReply, first.from());
            Await.until(Duration.ofSeconds(10), () -> results.count("answered 0") == 2 && results.count("duplicate 0") == 1, results::toString);
            assertThat(results.count("reordered 0")).isEqualTo(1);
            assertThat(results.tos).as("the scripted reflector saw DSCP 10 for the 46 sent").containsExactly(10 << 2, 10 << 2);
            assertThat(results.dwells).allSatisfy(d -> assertThat(d).isGreaterThanOrEqualTo(hold));
            // the RTT is the full T4 - T1, as for LLAMA; T4 - T1 less the dwell is the network's share
            for (int i = 0; i < 2; i++) {
                assertThat(results.rtts.get(i)).isGreaterThanOrEqualTo(results.dwells.get(i));
                assertThat(results.rtts.get(i) - results.dwells.get(i)).isBetween(0L, hold / 2);
            }
        }
    }

    /** A stateless reflector in the test: T2 as given, T3 now; reports DSCP 10 received. */
    private static byte[] reflect(byte[] request, long t2) {
        var buf = Unpooled.wrappedBuffer(request.clone());
        var req = new StampRequest();
        assertThat(StampReflect.parse(buf, false, null, req)).isEqualTo(StampReflect.OK);
        StampReflect.reflect(buf, req, t2, Ntp.now(), 1, 64, 10 << 2, null);
        byte[] out = new byte[buf.readableBytes()];
        buf.getBytes(0, out);
        return out;
    }

    /** Outcomes as text, e.g. "answered 0", in arrival order. */
    private static final class Recorder implements StampResults {
        private final List<String> events = new ArrayList<>();
        final List<Long> rtts = java.util.Collections.synchronizedList(new ArrayList<>());
        final List<Long> dwells = java.util.Collections.synchronizedList(new ArrayList<>());
        final List<Integer> tos = java.util.Collections.synchronizedList(new ArrayList<>());

        private synchronized void add(String e) {
            events.add(e);
        }

        synchronized long count(String e) {
            return events.stream().filter(e::equals).count();
        }

        synchronized void clear() {
            events.clear();
            rtts.clear();
            dwells.clear();
            tos.clear();
        }

        @Override
        public synchronized String toString() {
            return events.toString();
        }

        @Override
        public void answered(int path, long rttNanos, long dwellNanos, int tosReceived) {
            rtts.add(rttNanos);
            dwells.add(dwellNanos);
            tos.add(tosReceived);
            add("answered " + path);
        }

        @Override
        public void lost(int path) {
            add("lost " + path);
        }

        @Override
        public void late(int path) {
            add("late " + path);
        }

        @Override
        public void duplicate(int path) {
            add("duplicate " + path);
        }

        @Override
        public void reordered(int path) {
            add("reordered " + path);
        }
    }
}
