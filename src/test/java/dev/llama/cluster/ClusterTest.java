package dev.llama.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import dev.llama.bench.LocalInfluxd;
import dev.llama.testutil.Await;
import dev.llama.testutil.InfluxRows;
import dev.llama.testutil.TestCluster;
import dev.llama.testutil.TestCluster.Spec;
import io.vertx.core.json.JsonObject;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Node JVMs forming real Hazelcast clusters on loopback; each test has its own cluster name and ports. */
class ClusterTest {
    private static final int INTERVAL = 2;

    @TempDir
    java.nio.file.Path dir;

    private TestCluster cluster;
    private LocalInfluxd influxd;

    @AfterEach
    void stopAll() throws Exception {
        if (cluster != null) {
            cluster.close();
        }
        if (influxd != null) {
            influxd.close();
        }
    }

    private static JsonObject common(int fanOut, boolean includeSelf, long expirySeconds, String influxUrl) {
        var json = new JsonObject().put("collector", new JsonObject()
                .put("interval", INTERVAL).put("sockets", 2).put("cps", 10).put("timeout_ms", 300)
                .put("discovery", new JsonObject().put("fan_out", fanOut).put("include_self", includeSelf)
                        .put("expiry_s", expirySeconds).put("scan_ms", 300)));
        if (influxUrl != null) {
            json.put("scraper", new JsonObject()
                    .put("influxdb", new JsonObject().put("url", influxUrl).put("database", "cluster"))
                    .put("retry", new JsonObject().put("min_ms", 100).put("max_ms", 1000)));
        }
        return json;
    }

    private static Map<String, JsonObject> byPair(JsonObject matrix) {
        var out = new TreeMap<String, JsonObject>();
        for (Object o : matrix.getJsonArray("pairs", new io.vertx.core.json.JsonArray())) {
            var p = (JsonObject) o;
            out.put(p.getJsonObject("src").getString("name") + ">" + p.getJsonObject("dst").getString("name"), p);
        }
        return out;
    }

    private static Set<String> full(String... names) {
        var out = new TreeSet<String>();
        for (String a : names) {
            for (String b : names) {
                out.add(a + ">" + b);
            }
        }
        return out;
    }

    private boolean allAnswered(String api, Set<String> pairs) {
        var m = byPair(cluster.json(api, "/api/v1/matrix"));
        return m.keySet().containsAll(pairs) && pairs.stream().allMatch(p -> m.get(p).getLong("sent") > 0 && m.get(p).getDouble("loss") == 0.0);
    }

    @Test
    void threeNodesAssembleTheFullMatrixWithTheirTagsAndInfluxdbHoldsTheSamePoints() throws Exception {
        influxd = LocalInfluxd.start();
        var specs = List.of(
                new Spec("alpha", Map.of("region", "west", "rack", "r1"), "reflector,collector,scraper,api"),
                new Spec("bravo", Map.of("region", "west", "rack", "r2"), "reflector,collector"),
                new Spec("charlie", Map.of("region", "east", "service", "web"), "reflector,collector"));
        cluster = new TestCluster(dir, specs, common(0, true, 60, influxd.url()));
        cluster.startAll();
        Await.until(Duration.ofSeconds(90), () -> cluster.members("alpha").size() == 3,
                () -> "three members; alpha said: " + cluster.output("alpha"));
        long formed = System.nanoTime();

        Await.until(Duration.ofSeconds(2L * INTERVAL + 3), () -> cluster.pairNames(cluster.json("alpha", "/api/v1/matrix"))
                        .containsAll(full("alpha", "bravo", "charlie")),
                () -> "all 3x3 pairs within two intervals; have " + cluster.pairNames(cluster.json("alpha", "/api/v1/matrix")));
        double seconds = (System.nanoTime() - formed) / 1e9;
        Await.until(Duration.ofSeconds(20), () -> allAnswered("alpha", full("alpha", "bravo", "charlie")),
                () -> "every pair answered: " + cluster.json("alpha", "/api/v1/matrix").encode());

        var matrix = cluster.json("alpha", "/api/v1/matrix");
        assertThat(matrix.getInteger("count")).isEqualTo(9);
        for (var pair : byPair(matrix).values()) {
            for (String side : List.of("src", "dst")) {
                var end = pair.getJsonObject(side);
                assertThat(end.getString("ip")).isEqualTo(cluster.ipOf(end.getString("name")));
                assertThat(end.getJsonObject("tags").getMap()).isEqualTo(cluster.spec(end.getString("name")).tags());
            }
            assertThat(pair.getString("collector")).isEqualTo(pair.getJsonObject("src").getString("name"));
        }
        assertThat(cluster.json("alpha", "/api/v1/matrix?src.region=west&dst.service=web").getInteger("count")).isEqualTo(2);
        assertThat(cluster.get("alpha", "/api/v1/matrix?region=west").statusCode()).isEqualTo(400);
        assertThat(cluster.get("alpha", "/readiness").statusCode()).isEqualTo(200);
        assertThat(cluster.get("alpha", "/health").statusCode()).isEqualTo(200);
        var history = cluster.json("alpha", "/api/v1/pairs/bravo/charlie");
        assertThat(history.getJsonArray("pairs")).hasSize(1);
        assertThat(history.getJsonArray("pairs").getJsonObject(0).getJsonArray("history")).isNotEmpty();
        assertThat(cluster.get("alpha", "/api/v1/pairs/bravo/nobody").statusCode()).isEqualTo(404);

        // Every matrix entry is in InfluxDB with the same numbers.
        Await.until(Duration.ofSeconds(20), () -> {
            var rows = InfluxRows.rawStats(influxd, "cluster");
            return byPair(matrix).values().stream().allMatch(p -> rows.stream().anyMatch(r -> same(r, p)));
        }, () -> "the matrix's points in InfluxDB; have " + InfluxRows.rawStats(influxd, "cluster").size() + " rows");
        var row = InfluxRows.rawStats(influxd, "cluster").stream()
                .filter(r -> "alpha".equals(r.tags().get("src_name")) && "charlie".equals(r.tags().get("dst_name"))).findFirst().orElseThrow();
        assertThat(row.tags()).containsEntry("src_region", "west").containsEntry("src_rack", "r1")
                .containsEntry("dst_region", "east").containsEntry("dst_service", "web")
                .containsEntry("src_ip", "127.0.0.1").containsEntry("dst_ip", "127.0.0.3");
        System.getLogger("ClusterTest").log(System.Logger.Level.INFO, "full matrix {0} s after the cluster formed", seconds);

        // A node that stops gracefully leaves the registry, and is no longer probed, long before the expiry (60 s).
        long stopping = System.nanoTime();
        cluster.stop("charlie");
        Await.until(Duration.ofSeconds(15), () -> !cluster.json("alpha", "/api/v1/nodes").encode().contains("charlie")
                        && cluster.output("alpha").contains("removed [charlie@127.0.0.3"),
                () -> "charlie gone from the registry and from alpha's targets: " + cluster.json("alpha", "/api/v1/nodes").encode());
        assertThat(Duration.ofNanos(System.nanoTime() - stopping)).isLessThan(Duration.ofSeconds(20));
    }

    private static boolean same(InfluxRows.Row row, JsonObject pair) {
        return pair.getJsonObject("src").getString("name").equals(row.tags().get("src_name"))
                && pair.getJsonObject("dst").getString("name").equals(row.tags().get("dst_name"))
                && Instant.parse(pair.getString("interval_end")).getEpochSecond() == row.time()
                && row.number("sent") == pair.getLong("sent") && row.number("lost") == pair.getLong("lost");
    }

    @Test
    void aKilledNodeIsLossUntilExpiryNothingGoesUnwrittenAndItRejoins() throws Exception {
        influxd = LocalInfluxd.start();
        long expiry = 8;
        var specs = List.of(
                new Spec("a", Map.of("region", "west"), "reflector,collector,scraper,api"),
                new Spec("b", Map.of("region", "west"), "reflector,collector,scraper"),
                new Spec("c", Map.of("region", "east"), "reflector,collector"));
        cluster = new TestCluster(dir, specs, common(0, true, expiry, influxd.url()));
        cluster.startAll();
        Await.until(Duration.ofSeconds(90), () -> allAnswered("a", full("a", "b", "c")),
                () -> "the full matrix answered; a said: " + cluster.output("a"));

        cluster.kill("b");
        long killed = System.currentTimeMillis();
        // Towards the dead node: 100 % loss, while the API keeps answering.
        Await.until(Duration.ofSeconds(expiry), () -> {
            var m = byPair(cluster.json("a", "/api/v1/matrix"));
            return List.of("a>b", "c>b").stream().allMatch(p -> m.containsKey(p) && m.get(p).getDouble("loss") == 100.0
                    && Instant.parse(m.get(p).getString("interval_end")).toEpochMilli() > killed + 1000);
        }, () -> "100 % loss towards b: " + cluster.json("a", "/api/v1/matrix").encode());
        assertThat(byPair(cluster.json("a", "/api/v1/matrix")).get("a>c").getDouble("loss")).isEqualTo(0.0);
        // After the expiry, b is dropped and no longer probed.
        Await.until(Duration.ofSeconds(expiry + 15), () -> (cluster.output("a") + cluster.output("c")).contains("dropped node b")
                        && !cluster.pairNames(cluster.json("a", "/api/v1/matrix")).contains("a>b"),
                () -> "b dropped after the expiry: " + cluster.pairNames(cluster.json("a", "/api/v1/matrix")));
        assertThat(System.currentTimeMillis() - killed).isGreaterThanOrEqualTo(expiry * 1000);

        cluster.start("b");
        long restarted = System.currentTimeMillis();
        Await.until(Duration.ofSeconds(60), () -> {
            var m = byPair(cluster.json("a", "/api/v1/matrix"));
            return full("a", "b", "c").stream().allMatch(p -> m.containsKey(p) && m.get(p).getDouble("loss") == 0.0
                    && m.get(p).getLong("sent") > 0 && Instant.parse(m.get(p).getString("interval_end")).toEpochMilli() > restarted);
        }, () -> "every pair recovered after b rejoined: " + cluster.json("a", "/api/v1/matrix").encode());
        assertThat(cluster.alive("a") && cluster.alive("c")).as("the others were never restarted").isTrue();

        // Every summary of a and c between the live nodes is in InfluxDB, interval after interval, even
        // though b's scraper died with some of them: no gaps.
        long lastExpected = Instant.now().getEpochSecond() / INTERVAL * INTERVAL - 2L * INTERVAL;
        Await.until(Duration.ofSeconds(40), () -> gaps(InfluxRows.rawStats(influxd, "cluster"), lastExpected).isEmpty(),
                () -> "no gaps; missing " + gaps(InfluxRows.rawStats(influxd, "cluster"), lastExpected));
        var towardsB = InfluxRows.rawStats(influxd, "cluster").stream()
                .filter(r -> "a".equals(r.tags().get("src_name")) && "b".equals(r.tags().get("dst_name")) && r.number("loss") == 100.0).count();
        assertThat(towardsB).as("the outage is on record").isGreaterThanOrEqualTo(1);
    }

    /** Missing (series, time) among the pairs between a and c, from each series' first point to {@code last}. */
    private static List<String> gaps(List<InfluxRows.Row> rows, long last) {
        var times = new HashMap<String, Set<Long>>();
        for (var r : rows) {
            String src = r.tags().get("src_name");
            String dst = r.tags().get("dst_name");
            if (Set.of("a", "c").contains(src) && Set.of("a", "c").contains(dst)) {
                times.computeIfAbsent(src + ">" + dst, k -> new HashSet<>()).add(r.time());
            }
        }
        var missing = new ArrayList<String>();
        if (times.size() < 4) {
            missing.add("series " + times.keySet());
        }
        times.forEach((series, set) -> {
            long first = set.stream().min(Long::compare).orElseThrow();
            for (long t = first; t <= last; t += INTERVAL) {
                if (!set.contains(t)) {
                    missing.add(series + "@" + t);
                }
            }
        });
        return missing;
    }

    @Test
    void withAFanOutOfTwoEveryCollectorProbesWhatTheRuleChoosesAndEveryReflectorIsCovered() throws Exception {
        var specs = new ArrayList<Spec>();
        for (int i = 1; i <= 5; i++) {
            specs.add(new Spec("n" + i, Map.of("rack", "r" + i), i == 1 ? "reflector,collector,api" : "reflector,collector"));
        }
        cluster = new TestCluster(dir, specs, common(2, false, 60, null));
        cluster.startAll();
        var names = specs.stream().map(Spec::name).toList();
        var expected = ring(names, 2);
        var expectedPairs = expected.entrySet().stream().flatMap(e -> e.getValue().stream().map(d -> e.getKey() + ">" + d))
                .collect(Collectors.toCollection(TreeSet::new));
        assertThat(expectedPairs).hasSize(10);
        Await.until(Duration.ofSeconds(120), () -> allAnswered("n1", expectedPairs)
                        && new TreeSet<>(cluster.pairNames(cluster.json("n1", "/api/v1/matrix"))).equals(expectedPairs),
                () -> "exactly " + expectedPairs + "; have " + new TreeSet<>(cluster.pairNames(cluster.json("n1", "/api/v1/matrix"))));

        var probedBy = new TreeMap<String, Set<String>>();
        cluster.pairNames(cluster.json("n1", "/api/v1/matrix")).forEach(p -> probedBy
                .computeIfAbsent(p.split(">")[1], k -> new TreeSet<>()).add(p.split(">")[0]));
        assertThat(probedBy.keySet()).as("every reflector is probed").containsExactlyInAnyOrderElementsOf(names);
        assertThat(probedBy.values()).allSatisfy(collectors -> assertThat(collectors).hasSize(2));
    }

    /**
     * The rule, written out independently of {@link Subset}: collectors ordered by the first 8 bytes of
     * SHA-256 of their name (unsigned); each reflector is probed by the next {@code k} after its own
     * position, skipping itself.
     */
    private static Map<String, Set<String>> ring(List<String> names, int k) throws Exception {
        var digest = MessageDigest.getInstance("SHA-256");
        var pos = new HashMap<String, java.math.BigInteger>();
        for (String n : names) {
            pos.put(n, new java.math.BigInteger(1, java.util.Arrays.copyOf(digest.digest(n.getBytes(StandardCharsets.UTF_8)), 8)));
        }
        var ring = names.stream().sorted(Comparator.comparing(pos::get)).toList();
        var out = new TreeMap<String, Set<String>>();
        names.forEach(n -> out.put(n, new TreeSet<>()));
        for (String reflector : names) {
            int start = 0;
            while (start < ring.size() && pos.get(ring.get(start)).compareTo(pos.get(reflector)) <= 0) {
                start++;
            }
            int taken = 0;
            for (int i = 0; i < ring.size() && taken < k; i++) {
                String c = ring.get((start + i) % ring.size());
                if (!c.equals(reflector)) {
                    out.get(c).add(reflector);
                    taken++;
                }
            }
        }
        return out;
    }
}
