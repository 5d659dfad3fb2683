package dev.llama.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import dev.llama.bench.LocalInfluxd;
import dev.llama.testutil.Await;
import dev.llama.testutil.ChildJvm;
import dev.llama.testutil.InfluxRows;
import dev.llama.testutil.TestCluster;
import dev.llama.testutil.TestCluster.Spec;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.DatagramChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Two node JVMs with event-bus TLS and a cluster secret, and a rogue JVM ({@link RogueMember}) that joins
 * their Hazelcast cluster with the right name but no certificate and no secret.
 */
class ClusterSecurityTest {
    private static final int INTERVAL = 2;

    @TempDir
    Path dir;

    private TestCluster cluster;
    private LocalInfluxd influxd;
    private Process rogue;

    @AfterEach
    void stopAll() throws Exception {
        ChildJvm.stop(rogue);
        if (cluster != null) {
            cluster.close();
        }
        if (influxd != null) {
            influxd.close();
        }
    }

    @Test
    void aMemberWithoutCertificateAndSecretCannotRedirectProbesForgeSummariesOrTakeThem() throws Exception {
        Path certs = dir.resolve("certs");
        Certs.create(certs, Map.of("a", List.of("127.0.0.1"), "b", List.of("127.0.0.1")), 2);
        influxd = LocalInfluxd.start();
        var common = new JsonObject()
                .put("collector", new JsonObject().put("interval", INTERVAL).put("sockets", 2).put("cps", 10).put("timeout_ms", 300)
                        .put("discovery", new JsonObject().put("scan_ms", 300)))
                .put("scraper", new JsonObject().put("influxdb", new JsonObject().put("url", influxd.url()).put("database", "sec"))
                        .put("retry", new JsonObject().put("min_ms", 100).put("max_ms", 1000)));
        cluster = new TestCluster(dir, List.of(new Spec("a", Map.of(), "reflector,collector,scraper,api"),
                new Spec("b", Map.of(), "reflector,collector")), common, certs);
        cluster.startAll();
        var legit = Set.of("a>a", "a>b", "b>a", "b>b");
        Await.until(Duration.ofSeconds(180), () -> answered(legit, 0),
                () -> "the 2x2 matrix over a TLS event bus; a said: " + cluster.output("a") + "\nb said: " + cluster.output("b"));
        assertThat(cluster.output("a")).contains("event bus with TLS").doesNotContain("event bus without TLS");

        for (int port : cluster.hazelcastPorts()) {
            var listeners = listeners(port);
            assertThat(listeners).as("Hazelcast port %d listens", port).isNotEmpty();
            assertThat(listeners).as("Hazelcast port %d on loopback only", port).allMatch(a -> a.equals("127.0.0.1"));
        }

        try (var fake = DatagramChannel.open()) {
            fake.bind(new InetSocketAddress("127.0.0.99", 0)).configureBlocking(false);
            int fakePort = ((InetSocketAddress) fake.getLocalAddress()).getPort();
            Path rogueLog = dir.resolve("rogue.log");
            var command = new ArrayList<>(ChildJvm.command(cluster.clusterName(), Integer.toString(cluster.hazelcastPorts().get(0) + 1000),
                    cluster.hazelcastPorts().stream().map(p -> "127.0.0.1:" + p).collect(Collectors.joining(",")),
                    Integer.toString(fakePort), "a"));
            command.set(command.indexOf("dev.llama.Main"), RogueMember.class.getName());
            rogue = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(rogueLog.toFile()).start();
            Await.until(Duration.ofSeconds(120), () -> ChildJvm.output(rogueLog).contains("rogue joined: 3 members")
                    && ChildJvm.output(rogueLog).contains("rogue round 3"), () -> "the rogue joined: " + ChildJvm.output(rogueLog));
            assertThat(ChildJvm.output(rogueLog)).as("Hazelcast let it write the map").contains("rogue registry put: written");
            long attacked = System.currentTimeMillis();

            // Three intervals under attack, the matrix checked all along: fresh legit pairs, nothing forged.
            var forged = new ArrayList<String>();
            Await.until(Duration.ofSeconds(90), () -> {
                var matrix = cluster.json("a", "/api/v1/matrix");
                String text = matrix.encode();
                if (text.contains("127.0.0.99") || text.contains("forged") || text.contains("evil")) {
                    forged.add(text);
                }
                // the event bus picks among the scrape consumers in turn: wait until it has tried the rogue's at least once
                return answered(legit, attacked + 3000L * INTERVAL) && ChildJvm.output(rogueLog).contains("rogue round 10")
                        && (cluster.output("a") + cluster.output("b")).contains("no scraper took the summary");
            }, () -> "legit pairs after the attack, and a collector that tried the rogue's consumer; matrix "
                    + cluster.json("a", "/api/v1/matrix").encode());
            assertThat(forged).as("the matrix never shows a forged pair or the fake reflector").isEmpty();
            assertThat(fake.receive(ByteBuffer.allocate(2048))).as("nobody probed 127.0.0.99").isNull();

            String logs = cluster.output("a") + cluster.output("b");
            assertThat(logs).contains("registry entry evil ignored: sig").doesNotContain("127.0.0.99:" + fakePort);
            assertThat(logs).as("collectors did pick the rogue's consumer, and failed to reach it").contains("no scraper took the summary");
            assertThat(cluster.json("a", "/api/v1/nodes").encode()).doesNotContain("evil");
            String said = ChildJvm.output(rogueLog);
            assertThat(said).as("the rogue's consumer got no legit set").doesNotContain("got a set from a", "got a set from b");
            assertThat(said).as("no scraper answered it").contains("rogue scrape request: failed").doesNotContain("ANSWERED");

            // The scraper wrote every interval of the legit pairs, and nothing forged.
            long last = System.currentTimeMillis() / 1000 / INTERVAL * INTERVAL - 2L * INTERVAL;
            Await.until(Duration.ofSeconds(60), () -> gaps(InfluxRows.rawStats(influxd, "sec"), attacked / 1000, last).isEmpty(),
                    () -> "no gaps in InfluxDB; missing " + gaps(InfluxRows.rawStats(influxd, "sec"), attacked / 1000, last));
            assertThat(InfluxRows.rawStats(influxd, "sec")).noneMatch(r -> "forged".equals(r.tags().get("src_name"))
                    || "127.0.0.99".equals(r.tags().get("src_ip")));
        }
    }

    private boolean answered(Set<String> pairs, long endAfterMillis) {
        var out = new HashMap<String, JsonObject>();
        for (Object o : cluster.json("a", "/api/v1/matrix").getJsonArray("pairs", new JsonArray())) {
            var p = (JsonObject) o;
            out.put(p.getJsonObject("src").getString("name") + ">" + p.getJsonObject("dst").getString("name"), p);
        }
        return pairs.stream().allMatch(p -> out.containsKey(p) && out.get(p).getLong("sent") > 0 && out.get(p).getDouble("loss") == 0.0
                && Instant.parse(out.get(p).getString("interval_end")).toEpochMilli() > endAfterMillis);
    }

    /** Missing (pair, time) between a and b from {@code fromSecond} to {@code last}. */
    private static List<String> gaps(List<InfluxRows.Row> rows, long fromSecond, long last) {
        var times = new HashMap<String, Set<Long>>();
        rows.forEach(r -> times.computeIfAbsent(r.tags().get("src_name") + ">" + r.tags().get("dst_name"), k -> new HashSet<>()).add(r.time()));
        var missing = new ArrayList<String>();
        for (String pair : List.of("a>a", "a>b", "b>a", "b>b")) {
            var set = times.getOrDefault(pair, Set.of());
            for (long t = (fromSecond / INTERVAL + 1) * INTERVAL; t <= last; t += INTERVAL) {
                if (!set.contains(t)) {
                    missing.add(pair + "@" + t);
                }
            }
        }
        return missing;
    }

    /** The IPv4 addresses (dotted) TCP sockets listen on at {@code port}; 0.0.0.0 for the IPv4 or IPv6 wildcard. */
    static List<String> listeners(int port) throws Exception {
        var out = new ArrayList<String>();
        String hexPort = String.format(Locale.ROOT, "%04X", port);
        for (String file : List.of("/proc/net/tcp", "/proc/net/tcp6")) {
            var lines = Files.readAllLines(Path.of(file));
            for (String line : lines.subList(1, lines.size())) {
                String[] f = line.trim().split("\\s+");
                String[] local = f[1].split(":");
                if (!f[3].equals("0A") || !local[1].equals(hexPort)) {
                    continue;
                }
                String hex = local[0];
                if (hex.matches("0+")) {
                    out.add("0.0.0.0");
                } else {
                    String v4 = hex.substring(hex.length() - 8);
                    out.add(Integer.parseInt(v4.substring(6, 8), 16) + "." + Integer.parseInt(v4.substring(4, 6), 16) + "."
                            + Integer.parseInt(v4.substring(2, 4), 16) + "." + Integer.parseInt(v4.substring(0, 2), 16));
                }
            }
        }
        return out;
    }
}
