package dev.llama.testutil;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

/**
 * Node JVMs ({@code llama node}) on loopback for one test: its own cluster name and Hazelcast ports,
 * node {@code i} on 127.0.0.{i+1}, configs written as files, every process stopped by {@link #close()}.
 */
public final class TestCluster implements AutoCloseable {
    /** One node: name, tags, roles (comma-separated). */
    public record Spec(String name, Map<String, String> tags, String roles) {
    }

    private final Path dir;
    private final String clusterName = "llama-test-" + UUID.randomUUID().toString().substring(0, 8);
    private final List<Spec> specs;
    private final List<Integer> hazelcastPorts = new ArrayList<>();
    private final Map<String, Process> processes = new LinkedHashMap<>();
    private final Map<String, Integer> apiPorts = new LinkedHashMap<>();
    private final JsonObject common;

    /**
     * @param common sections merged into every node's config (collector, scraper, ...)
     */
    public TestCluster(Path dir, List<Spec> specs, JsonObject common) throws IOException {
        this(dir, specs, common, null);
    }

    /**
     * @param certs null, or a directory from {@code llama certs} with every node's certificate: each node then
     *              runs with {@code cluster.tls} and {@code cluster.secret_file} from it
     */
    public TestCluster(Path dir, List<Spec> specs, JsonObject common, Path certs) throws IOException {
        this.dir = dir;
        this.specs = specs;
        this.common = common;
        for (int i = 0; i < specs.size(); i++) {
            hazelcastPorts.add(FreePorts.tcp());
        }
        for (int i = 0; i < specs.size(); i++) {
            Spec spec = specs.get(i);
            int reflectorPort = FreePorts.udp(ip(i));
            int api = spec.roles().contains("api") ? FreePorts.tcp() : 0;
            apiPorts.put(spec.name(), api);
            var members = new JsonArray();
            hazelcastPorts.forEach(p -> members.add("127.0.0.1:" + p));
            var config = common.copy()
                    .put("node", new JsonObject().put("name", spec.name()).put("ip", ip(i))
                            .put("tags", new JsonObject(new LinkedHashMap<>(spec.tags()))).put("heartbeat_ms", 500))
                    .put("roles", spec.roles())
                    .put("cluster", new JsonObject().put("name", clusterName).put("host", "127.0.0.1")
                            .put("port", hazelcastPorts.get(i)).put("bus_port", 0).put("members", members))
                    .put("reflector", new JsonObject().put("port", reflectorPort).put("max_pps", 0))
                    .put("api", new JsonObject().put("bind", "127.0.0.1:" + api));
            if (certs != null) {
                config.getJsonObject("cluster").put("secret_file", certs.resolve("cluster.secret").toString())
                        .put("tls", new JsonObject().put("cert", certs.resolve(spec.name() + ".pem").toString())
                                .put("key", certs.resolve(spec.name() + "-key.pem").toString())
                                .put("ca", certs.resolve("ca.pem").toString()));
            }
            if (spec.roles().contains("scraper")) {
                var scraper = common.getJsonObject("scraper", new JsonObject()).copy();
                scraper.put("queue", new JsonObject().put("dir", dir.resolve("queue-" + spec.name()).toString()));
                config.put("scraper", scraper);
            } else {
                config.remove("scraper");
            }
            Files.writeString(config(spec.name()), config.encodePrettily());
        }
    }

    public String clusterName() {
        return clusterName;
    }

    /** Each node's Hazelcast port, in the order of the specs. */
    public List<Integer> hazelcastPorts() {
        return List.copyOf(hazelcastPorts);
    }

    public static String ip(int index) {
        return "127.0.0." + (index + 1);
    }

    public String ipOf(String name) {
        for (int i = 0; i < specs.size(); i++) {
            if (specs.get(i).name().equals(name)) {
                return ip(i);
            }
        }
        throw new IllegalArgumentException(name);
    }

    public Spec spec(String name) {
        return specs.stream().filter(s -> s.name().equals(name)).findFirst().orElseThrow();
    }

    private Path config(String name) {
        return dir.resolve(name + ".yaml");
    }

    public Path log(String name) {
        return dir.resolve(name + ".log");
    }

    /** Starts every node's JVM. */
    public void startAll() throws IOException {
        for (Spec spec : specs) {
            start(spec.name());
        }
    }

    /** Starts (or restarts) one node's JVM, appending to its log. */
    public void start(String name) throws IOException {
        processes.put(name, new ProcessBuilder(ChildJvm.command("node", "-config", config(name).toString()))
                .redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(log(name).toFile()))
                .start());
    }

    /** SIGTERM: the node leaves the cluster gracefully (and SIGKILL after five seconds if it did not exit). */
    public void stop(String name) throws InterruptedException {
        ChildJvm.stop(processes.get(name));
    }

    /** SIGKILL: the node gets no chance to leave. */
    public void kill(String name) throws InterruptedException {
        processes.get(name).destroyForcibly().waitFor(10, TimeUnit.SECONDS);
    }

    public boolean alive(String name) {
        return processes.get(name).isAlive();
    }

    public int apiPort(String name) {
        return apiPorts.get(name);
    }

    /** GETs a path from a node's API; null when it does not answer. */
    public HttpResponse<String> get(String node, String path) {
        return Http.get("http://127.0.0.1:" + apiPort(node) + path);
    }

    /** A node API's JSON answer, or an empty object when it does not answer 200. */
    public JsonObject json(String node, String path) {
        var response = get(node, path);
        return response != null && response.statusCode() == 200 ? new JsonObject(response.body()) : new JsonObject();
    }

    /** The matrix's pairs, each as "src>dst". */
    public List<String> pairNames(JsonObject matrix) {
        var out = new ArrayList<String>();
        for (Object o : matrix.getJsonArray("pairs", new JsonArray())) {
            var p = (JsonObject) o;
            out.add(p.getJsonObject("src").getString("name") + ">" + p.getJsonObject("dst").getString("name"));
        }
        return out;
    }

    /** Node names the API lists as cluster members. */
    public List<String> members(String apiNode) {
        var out = new ArrayList<String>();
        for (Object o : json(apiNode, "/api/v1/nodes").getJsonArray("nodes", new JsonArray())) {
            var n = (JsonObject) o;
            if (n.getBoolean("member", false)) {
                out.add(n.getString("name"));
            }
        }
        return out;
    }

    public String output(String name) {
        return ChildJvm.output(log(name));
    }

    @Override
    public void close() throws InterruptedException {
        for (var process : processes.values()) {
            ChildJvm.stop(process);
        }
    }
}
