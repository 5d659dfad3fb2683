package dev.llama.api;

import static org.assertj.core.api.Assertions.assertThat;

import dev.llama.testutil.Await;
import dev.llama.testutil.ChildJvm;
import dev.llama.testutil.Http;
import dev.llama.testutil.Netns;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Fault localization on real kernels: two racks of three hosts behind two router namespaces
 * ({@link RackFabric}), each host a cluster node (reflector and collector) probing every other host, and
 * an API node here with {@code localize.levels: [rack]}. nftables in a router drops probes: all of one
 * host's, 30 % on the inter-rack link, one source port of one host's inter-rack flows. {@code /api/v1/faults}
 * must name what was injected first, and nothing while nothing is.
 */
class FaultLocalizationNetnsTest {
    private static final Logger log = LoggerFactory.getLogger(FaultLocalizationNetnsTest.class);
    private static final int INTERVAL_S = 2;
    private static final String API_HOST = "a1";
    private static final int API_PORT = 5000;

    private final Path dir = Path.of("target", "netns-faults");

    private final Map<String, Process> nodes = new LinkedHashMap<>();
    private String api;

    @Test
    void namesTheInjectedElementFirstAndNothingWhenNothingIsInjected() throws Exception {
        String why = Netns.unavailable();
        if (why != null) {
            log.warn("SKIPPED fault localization namespace test: cannot create network namespaces ({})", why);
            Assumptions.abort("cannot create network namespaces: " + why);
        }
        Files.createDirectories(dir);
        try (var fabric = new RackFabric(3)) {
            Instant begun = Instant.now();
            start(fabric);
            Await.until(Duration.ofSeconds(240), () -> pairs() == 30, () -> "a full mesh of 6 hosts (30 pairs) in the matrix, got "
                    + pairs() + "; a1 said: " + ChildJvm.output(dir.resolve(API_HOST + ".log")));
            log.info("full mesh after {} s", Duration.between(begun, Instant.now()).toSeconds());
            Instant meshed = Instant.now();
            var quiet = await(meshed.plusSeconds(2L * INTERVAL_S), r -> true, "a report of a full interval");
            assertThat(quiet.getJsonArray("suspects")).as("nothing injected: " + quiet.encodePrettily()).isEmpty();

            String a2 = fabric.ip("a2");
            fabric.rule('a', "ip saddr " + a2 + " meta l4proto udp drop");
            fabric.rule('a', "ip daddr " + a2 + " meta l4proto udp drop");
            expectFirst(s -> s.getString("kind").equals("host") && List.of("a2", a2).contains(s.getString("scope")), "host a2");
            clear(fabric);

            fabric.rule('a', "oifname \"" + fabric.linkIfA + "\" udp dport 8100 numgen random mod 100 < 30 drop");
            fabric.rule('a', "iifname \"" + fabric.linkIfA + "\" udp dport 8100 numgen random mod 100 < 30 drop");
            expectFirst(s -> s.getString("kind").equals("rack") && "boundary".equals(s.getString("side")), "a rack's boundary (the link)");
            clear(fabric);

            int port = sourcePort("a1", "b1");
            fabric.rule('a', "ip saddr " + fabric.ip("a1") + " ip daddr 198.19.2.0/24 udp sport " + port + " drop");
            expectFirst(s -> s.getString("kind").equals("path")
                    && s.getJsonObject("evidence").getJsonArray("src_ports").contains(port), "the path of source port " + port);
            clear(fabric);
        } finally {
            for (var p : nodes.values()) {
                ChildJvm.stop(p);
            }
        }
    }

    /** One node per host; a1 runs the API too (bound to its address, which this namespace routes to). */
    private void start(RackFabric fabric) throws Exception {
        String cluster = "llama-racks-" + ProcessHandle.current().pid();
        var members = new JsonArray();
        fabric.hostNames().forEach(h -> members.add(fabric.ip(h) + ":5701"));
        for (String host : fabric.hostNames()) {
            String ip = fabric.ip(host);
            var config = new JsonObject()
                    .put("node", new JsonObject().put("name", host).put("ip", ip)
                            .put("tags", new JsonObject().put("rack", host.substring(0, 1).toUpperCase())).put("heartbeat_ms", 500))
                    .put("roles", host.equals(API_HOST) ? "reflector,collector,api" : "reflector,collector")
                    .put("cluster", new JsonObject().put("name", cluster).put("host", ip).put("port", 5701).put("members", members))
                    .put("reflector", new JsonObject().put("port", 8100).put("max_pps", 0))
                    .put("collector", new JsonObject().put("interval", INTERVAL_S).put("sockets", 4).put("cps", 10).put("timeout_ms", 1000)
                            .put("discovery", new JsonObject().put("include_self", false).put("scan_ms", 500)))
                    .put("api", new JsonObject().put("bind", ip + ":" + API_PORT).put("allowed_hosts", new JsonArray().add(ip)))
                    .put("localize", new JsonObject().put("levels", new JsonArray().add("rack")));
            Path file = dir.resolve(host + ".yaml");
            Files.writeString(file, config.encodePrettily());
            Files.deleteIfExists(dir.resolve(host + ".log"));
        }
        // the API's node first: the others then join a formed cluster instead of electing a master all at once
        api = "http://" + fabric.ip(API_HOST) + ":" + API_PORT;
        for (String host : fabric.hostNames()) {
            var command = ChildJvm.command("node", "-config", dir.resolve(host + ".yaml").toString());
            nodes.put(host, fabric.start(host, dir.resolve(host + ".log"), command));
            if (host.equals(API_HOST)) {
                Await.until(Duration.ofSeconds(120), () -> Http.ok(api + "/health"),
                        () -> "a1's API; it said: " + ChildJvm.output(dir.resolve(API_HOST + ".log")));
            }
        }
    }

    private int pairs() {
        var r = Http.get(api + "/api/v1/matrix");
        return r == null || r.statusCode() != 200 ? 0 : new JsonObject(r.body()).getInteger("count", 0);
    }

    /** The matrix's pairs that lost probes, for failure messages. */
    private List<String> lossyPairs() {
        var out = new ArrayList<String>();
        var r = Http.get(api + "/api/v1/matrix");
        if (r != null && r.statusCode() == 200) {
            for (Object o : new JsonObject(r.body()).getJsonArray("pairs")) {
                var p = (JsonObject) o;
                if (p.getLong("lost", 0L) > 0) {
                    out.add(p.getJsonObject("src").getString("name") + ">" + p.getJsonObject("dst").getString("name") + " "
                            + p.getLong("lost") + "/" + p.getLong("sent"));
                }
            }
        }
        return out;
    }

    private JsonObject faults() {
        var r = Http.get(api + "/api/v1/faults");
        return r == null || r.statusCode() != 200 ? new JsonObject() : new JsonObject(r.body());
    }

    private static Instant end(JsonObject report) {
        String end = report.getString("interval_end");
        return end == null ? Instant.EPOCH : Instant.parse(end);
    }

    /** The first report of an interval ending after {@code after} that {@code ok} accepts. */
    private JsonObject await(Instant after, Predicate<JsonObject> ok, String what) {
        var last = new JsonObject[] {new JsonObject()};
        Await.until(Duration.ofSeconds(20), () -> {
            last[0] = faults();
            return end(last[0]).isAfter(after) && ok.test(last[0]);
        }, () -> what + "; the newest report: " + last[0].encodePrettily() + "; lossy pairs: " + lossyPairs());
        return last[0];
    }

    private void expectFirst(Predicate<JsonObject> suspect, String what) {
        Instant injected = Instant.now();
        var report = await(injected.plusSeconds(INTERVAL_S), r -> !r.getJsonArray("suspects").isEmpty()
                && suspect.test(r.getJsonArray("suspects").getJsonObject(0)), what + " named first");
        log.info("injected {}: {}", what, report.encode());
    }

    private void clear(RackFabric fabric) throws Exception {
        fabric.clearRules();
        await(Instant.now().plusSeconds(INTERVAL_S), r -> r.getJsonArray("suspects").isEmpty(), "no suspects once the rules are gone");
    }

    private int sourcePort(String src, String dst) {
        var ports = new ArrayList<Integer>();
        var r = Http.get(api + "/api/v1/pairs/" + src + "/" + dst);
        if (r != null && r.statusCode() == 200) {
            for (Object o : new JsonObject(r.body()).getJsonArray("pairs").getJsonObject(0).getJsonArray("ports")) {
                ports.add(((JsonObject) o).getInteger("src_port"));
            }
        }
        assertThat(ports).as("the source ports of " + src + " to " + dst).hasSize(4);
        return ports.get(0);
    }
}
