package dev.llama.api;

import static org.assertj.core.api.Assertions.assertThat;

import dev.llama.config.ApiOptions;
import dev.llama.summary.Addresses;
import dev.llama.summary.PairSummary;
import dev.llama.summary.PortSummary;
import dev.llama.summary.SummarySet;
import dev.llama.testutil.Await;
import dev.llama.testutil.Http;
import io.vertx.core.Vertx;
import io.vertx.junit5.VertxExtension;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Clients that hold connections or never read: the connection cap, the request head timeout
 * (slowloris), and pipelined requests for a large answer left unread, during which a fresh client is
 * still answered and the large body is encoded once.
 */
@ExtendWith(VertxExtension.class)
class ApiFloodTest {
    private static final Logger log = LoggerFactory.getLogger(ApiFloodTest.class);

    private static Socket connect(int port) throws IOException {
        var socket = new Socket();
        socket.connect(new InetSocketAddress("127.0.0.1", port), 2000);
        return socket;
    }

    private static boolean closedByServer(Socket socket) {
        try {
            socket.setSoTimeout(5000);
            return socket.getInputStream().read() < 0;
        } catch (IOException e) {
            return true;
        }
    }

    @Test
    void overTheCapConnectionsAreClosedAndSlowHeadsTimeOut(Vertx vertx) throws Exception {
        var api = new ApiVerticle(new InetSocketAddress("127.0.0.1", 0), ApiOptions.defaults().withLimits(20, 60, 2, 100));
        vertx.deployVerticle(api).await(10, TimeUnit.SECONDS);
        var slow = new ArrayList<Socket>();
        try {
            for (int i = 0; i < 20; i++) {
                var s = connect(api.port());
                s.getOutputStream().write("GET /status HTTP/1.1\r\nHost: 127.".getBytes(StandardCharsets.ISO_8859_1));
                slow.add(s);
            }
            Await.until(Duration.ofSeconds(5), () -> api.connectionCounts()[0] == 20, () -> "20 open");
            try (var extra = connect(api.port())) {
                assertThat(closedByServer(extra)).as("the 21st connection is closed at once").isTrue();
            }
            assertThat(api.connectionCounts()[1]).isEqualTo(1);
            for (var s : slow) {
                s.getOutputStream().write('0');
            }
            Await.until(Duration.ofSeconds(10), () -> slow.stream().allMatch(ApiFloodTest::closedByServer),
                    () -> "slow request heads closed: " + api.connectionCounts()[2]);
            assertThat(api.connectionCounts()[2]).isEqualTo(20);
            assertThat(Http.ok("http://127.0.0.1:" + api.port() + "/status")).isTrue();
        } finally {
            for (var s : slow) {
                s.close();
            }
        }
    }

    @Test
    void pipelinedRequestsNeverReadShareOneBodyAndAFreshClientIsAnswered(Vertx vertx) throws Exception {
        int connections = Integer.getInteger("flood.connections", 100);
        int pipelined = 20;
        var api = new ApiVerticle(new InetSocketAddress("127.0.0.1", 0));
        vertx.deployVerticle(api).await(10, TimeUnit.SECONDS);
        vertx.eventBus().publish(Addresses.SUMMARIES, bigSet(2_000));
        Await.until(Duration.ofSeconds(10), () -> api.receiver().accepted() == 1, () -> "the set accepted");
        String base = "http://127.0.0.1:" + api.port();
        Await.until(Duration.ofSeconds(30), () -> Http.ok(base + "/api/v1/summaries"), () -> "the summaries served");
        var first = Http.get(base + "/api/v1/summaries");
        log.info("/api/v1/summaries with 2,000 pairs: {} bytes", first.body().length());
        long before = rssKb();

        String request = "GET /api/v1/summaries HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n".repeat(pipelined);
        var flood = new ArrayList<Socket>();
        try {
            for (int i = 0; i < connections; i++) {
                var s = connect(api.port());
                s.setReceiveBufferSize(4096);
                s.getOutputStream().write(request.getBytes(StandardCharsets.ISO_8859_1));
                flood.add(s);
            }
            Await.until(Duration.ofSeconds(30), () -> api.connectionCounts()[0] >= connections, () -> "flood connected");
            long started = System.nanoTime();
            Await.until(Duration.ofSeconds(30), () -> Http.ok(base + "/health") && Http.ok(base + "/api/v1/matrix"),
                    () -> "a fresh client answered during the flood");
            long millis = (System.nanoTime() - started) / 1_000_000;
            assertThat(millis).as("a fresh client during the flood (a loaded 2-core machine)").isLessThan(10_000);
            assertThat(api.bodiesBuilt()).as("/api/v1/summaries and /api/v1/matrix encoded once each").isEqualTo(2);
            long after = rssKb();
            long deadline = System.nanoTime() + 3_000_000_000L;
            while (System.nanoTime() < deadline) {
                after = Math.max(after, rssKb());
                Thread.onSpinWait();
            }
            log.info("{} connections x {} pipelined /api/v1/summaries, never read: RSS {} MB before, {} MB after; fresh client {} ms",
                    connections, pipelined, before / 1024, after / 1024, millis);
            assertThat(after - before).as("RSS growth in kB").isLessThan(400_000);
        } finally {
            for (var s : flood) {
                s.close();
            }
        }
    }

    private static SummarySet bigSet(int pairs) {
        var list = new ArrayList<PairSummary>();
        var ports = List.of(new PortSummary(40000, 8100, 10, 0, 0.0, 0.3, 0.2, 0.4),
                new PortSummary(40001, 8100, 10, 1, 10.0, 0.3, 0.2, 0.4));
        for (int i = 0; i < pairs; i++) {
            String dst = "10." + (i >> 16 & 255) + "." + (i >> 8 & 255) + "." + (i & 255);
            list.add(new PairSummary("10.255.0.1", dst, Map.of("src_name", "here", "dst_name", "node-" + i, "dst_region", "east"),
                    20, 1, 5.0, 0.3, 0.2, 0.4, 0.3, 0.35, 0.4, 0.01, 0.01, 0, 0, ports));
        }
        var end = Instant.now();
        return new SummarySet(SummarySet.VERSION, "here", 30, end.minusSeconds(30), end, Map.of("probes_sent", 40_000L), list);
    }

    private static long rssKb() throws IOException {
        for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
            if (line.startsWith("VmRSS:")) {
                return Long.parseLong(line.replaceAll("\\D", ""));
            }
        }
        throw new IllegalStateException("no VmRSS");
    }
}
