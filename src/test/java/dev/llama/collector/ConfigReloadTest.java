package dev.llama.collector;

import static org.assertj.core.api.Assertions.assertThat;

import dev.llama.reflector.ReflectorOptions;
import dev.llama.reflector.ReflectorVerticle;
import dev.llama.testutil.Await;
import dev.llama.testutil.Configs;
import dev.llama.testutil.Summaries;
import io.vertx.core.Vertx;
import dev.llama.summary.Addresses;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.VertxExtension;
import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/** Reloads through the file watcher and the SIGHUP path (the reload address), good and bad. */
@ExtendWith(VertxExtension.class)
class ConfigReloadTest {

    /** The collector's file: JSON, which is YAML too. */
    private static JsonObject config(int port, String... ips) {
        var targets = new String[ips.length];
        for (int i = 0; i < ips.length; i++) {
            targets[i] = ips[i] + ":" + port + ":dst_hostname=h" + ips[i];
        }
        return Configs.collector(1, 2, 20, 200, targets);
    }

    @Test
    void badReloadKeepsProbingAndGoodReloadLosesNothing(Vertx vertx, @TempDir Path dir) throws Exception {
        var reflector = new ReflectorVerticle(new ReflectorOptions(InetAddress.getLoopbackAddress(), 0, 0));
        vertx.deployVerticle(reflector).await(10, TimeUnit.SECONDS);
        int port = reflector.port();
        Path file = dir.resolve("collector.yaml");
        Files.writeString(file, config(port, "127.0.0.1").encode());
        var summaries = new Summaries(vertx);
        var collector = new CollectorVerticle(new CollectorOptions(file.toString(), null, 8100, "reload", 200, 1000, false));
        vertx.deployVerticle(collector).await(10, TimeUnit.SECONDS);
        summaries.await(Duration.ofSeconds(10), 0, s -> Summaries.hasPair(s, "127.0.0.1", 10), "probing before reload");

        var bad = config(port, "127.0.0.1");
        bad.getJsonArray("tests").getJsonObject(0).put("port_group", "missing");
        Files.writeString(file, bad.encode());
        Await.until(Duration.ofSeconds(10), () -> collector.counters().getLong("reloads_rejected") >= 1,
                () -> collector.counters().encode());
        int afterBad = summaries.size();
        var stillProbing = summaries.await(Duration.ofSeconds(10), afterBad,
                s -> Summaries.hasPair(s, "127.0.0.1", 30), "probing after a bad reload");
        assertThat(Summaries.pair(stillProbing, "127.0.0.1").getDouble("loss")).isEqualTo(0.0);

        vertx.eventBus().publish(dev.llama.summary.Addresses.RELOAD, null);
        Await.until(Duration.ofSeconds(10), () -> collector.counters().getLong("reloads_rejected") >= 2,
                () -> "a reload request re-reads the still-bad file: " + collector.counters().encode());

        Files.writeString(file, config(port, "127.0.0.1", "127.0.0.3").encode());
        int beforeGood = summaries.size();
        summaries.await(Duration.ofSeconds(10), beforeGood,
                s -> Summaries.hasPair(s, "127.0.0.3", 1), "the new target in the summaries");
        var last = summaries.await(Duration.ofSeconds(10), summaries.size(), s -> true, "one more set");

        // Nothing lost: every resolved probe is in exactly one summary. Counters are read after the
        // interval's snapshot, so set k's count lies between the sums up to set k and up to set k+1.
        var sets = summaries.all();
        long sum = 0;
        for (int k = 0; k < sets.size(); k++) {
            long before = sum;
            for (Object p : sets.get(k).getJsonArray("pairs")) {
                sum += ((JsonObject) p).getLong("sent");
            }
            long resolved = sets.get(k).getJsonObject("counters").getLong("probes_resolved");
            assertThat(resolved).as("set %d", k).isGreaterThanOrEqualTo(sum);
            if (k > 0) {
                assertThat(sets.get(k - 1).getJsonObject("counters").getLong("probes_resolved")).as("set %d", k - 1)
                        .isLessThanOrEqualTo(sum);
            }
            assertThat(before).isLessThanOrEqualTo(sum);
        }
        assertThat(last.getJsonObject("counters").getLong("reloads_rejected")).isEqualTo(2);
    }

    /**
     * Six and more reload requests in a burst, with the file changing between them: reloads run one at
     * a time and coalesce, so exactly the newest configuration's sockets stay open and the probe rate is
     * its rate, not a multiple.
     */
    @Test
    void aBurstOfReloadsLeavesExactlyTheNewestConfigurationRunning(Vertx vertx, @TempDir Path dir) throws Exception {
        var reflector = new ReflectorVerticle(new ReflectorOptions(InetAddress.getLoopbackAddress(), 0, 0));
        vertx.deployVerticle(reflector).await(10, TimeUnit.SECONDS);
        int port = reflector.port();
        Path file = dir.resolve("collector.yaml");
        replace(file, config(port, "127.0.0.1").encode());
        var summaries = new Summaries(vertx);
        Set<Integer> before = UdpSockets.ofThisProcess();
        var collector = new CollectorVerticle(new CollectorOptions(file.toString(), null, 8100, "burst", 200, 1000, false));
        vertx.deployVerticle(collector).await(10, TimeUnit.SECONDS);
        summaries.await(Duration.ofSeconds(10), 0, s -> Summaries.hasPair(s, "127.0.0.1", 10), "probing before the burst");

        for (int k = 1; k <= 6; k++) {
            var next = Configs.collector(1, 1 + k % 4, 10 + k, 200, "127.0.0.1:" + port, "127.0.0.4:" + port);
            replace(file, next.encode());
            vertx.eventBus().publish(Addresses.RELOAD, null);
            vertx.eventBus().publish(Addresses.RELOAD, null);
        }
        // The newest: 3 sockets, 2 targets, 25 cycles a second: 150 probes a second.
        replace(file, Configs.collector(1, 3, 25, 200, "127.0.0.1:" + port, "127.0.0.3:" + port).encode());
        for (int k = 0; k < 6; k++) {
            vertx.eventBus().publish(Addresses.RELOAD, null);
        }

        Await.until(Duration.ofSeconds(15), () -> {
            var mine = new HashSet<>(UdpSockets.ofThisProcess());
            mine.removeAll(before);
            return collector.localPorts().size() == 3 && mine.equals(Set.copyOf(collector.localPorts()));
        }, () -> "open: " + UdpSockets.ofThisProcess() + ", before " + before + ", running " + collector.localPorts());

        int skip = summaries.size();
        var settled = summaries.await(Duration.ofSeconds(10), skip + 2,
                s -> Summaries.hasPair(s, "127.0.0.3", 1), "three sets after the burst settled: the first two may carry retired engines' results");
        var mine = new HashSet<>(UdpSockets.ofThisProcess());
        mine.removeAll(before);
        assertThat(mine).as("no engine left behind").isEqualTo(Set.copyOf(collector.localPorts()));
        assertThat(Summaries.pair(settled, "127.0.0.4")).as("an intermediate configuration").isNull();
        long sent = 0;
        for (Object p : settled.getJsonArray("pairs")) {
            sent += ((JsonObject) p).getLong("sent");
        }
        assertThat(sent).as("probes a second: the newest configuration's 150, once").isBetween(120L, 180L);
        assertThat(collector.counters().getLong("reloads_coalesced")).isPositive();
        assertThat(collector.counters().getLong("reloads_rejected")).isZero();
    }

    /** A file that is not YAML is reported once per change, not on every scan. */
    @Test
    void aBrokenFileIsRejectedOncePerChange(Vertx vertx, @TempDir Path dir) throws Exception {
        var reflector = new ReflectorVerticle(new ReflectorOptions(InetAddress.getLoopbackAddress(), 0, 0));
        vertx.deployVerticle(reflector).await(10, TimeUnit.SECONDS);
        Path file = dir.resolve("collector.yaml");
        Files.writeString(file, config(reflector.port(), "127.0.0.1").encode());
        var summaries = new Summaries(vertx);
        var collector = new CollectorVerticle(new CollectorOptions(file.toString(), null, 8100, "broken", 100, 1000, false));
        vertx.deployVerticle(collector).await(10, TimeUnit.SECONDS);

        Files.writeString(file, "tests: [unclosed\n  - {");
        Await.until(Duration.ofSeconds(10), () -> collector.counters().getLong("reloads_rejected") == 1,
                () -> collector.counters().encode());
        // Two summaries later (20 scans at 100 ms), still one rejection, and the old configuration probes on.
        var later = summaries.await(Duration.ofSeconds(10), summaries.size() + 1,
                s -> Summaries.hasPair(s, "127.0.0.1", 30), "probing on");
        assertThat(Summaries.pair(later, "127.0.0.1").getDouble("loss")).isEqualTo(0.0);
        assertThat(collector.counters().getLong("reloads_rejected")).isEqualTo(1);

        Files.writeString(file, "tests: [still broken");
        Await.until(Duration.ofSeconds(10), () -> collector.counters().getLong("reloads_rejected") == 2,
                () -> collector.counters().encode());
    }

    /** Writes the file the way an editor that renames does, so no scan sees it half-written. */
    private static void replace(Path file, String content) throws java.io.IOException {
        Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
        Files.writeString(tmp, content);
        Files.move(tmp, file, java.nio.file.StandardCopyOption.ATOMIC_MOVE, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
    }

    /** Local ports of this JVM's UDP sockets, from /proc (each socket's inode among our descriptors). */
    static final class UdpSockets {
        static Set<Integer> ofThisProcess() {
            try {
                var inodes = new HashSet<String>();
                try (var fds = Files.list(Path.of("/proc/self/fd"))) {
                    for (var fd : (Iterable<Path>) fds::iterator) {
                        try {
                            String target = Files.readSymbolicLink(fd).toString();
                            if (target.startsWith("socket:[")) {
                                inodes.add(target.substring(8, target.length() - 1));
                            }
                        } catch (java.io.IOException closedMeanwhile) {
                            // a descriptor closed while listing is not ours any more
                        }
                    }
                }
                var ports = new HashSet<Integer>();
                for (String table : List.of("/proc/net/udp", "/proc/net/udp6")) {
                    var lines = Files.readAllLines(Path.of(table));
                    for (String line : lines.subList(1, lines.size())) {
                        String[] f = line.trim().split("\\s+");
                        if (inodes.contains(f[9])) {
                            String local = f[1];
                            ports.add(Integer.parseInt(local.substring(local.indexOf(':') + 1), 16));
                        }
                    }
                }
                return ports;
            } catch (java.io.IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        }
    }
}
