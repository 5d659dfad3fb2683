package dev.llama.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import dev.llama.api.ApiVerticle;
import dev.llama.collector.CollectorOptions;
import dev.llama.collector.CollectorVerticle;
import dev.llama.testutil.Await;
import dev.llama.testutil.Configs;
import dev.llama.testutil.FreePorts;
import dev.llama.testutil.Http;
import dev.llama.testutil.Probes;
import dev.llama.testutil.UdpPeer;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * The Dockerfile's two images, built by buildah and run with the host's network: a reflector in the full
 * image answers a real collector on the host, {@code demo} in it serves the matrix to the host, and the
 * reflector-only image is at most half the full one and answers probes too.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ImageIT {
    private final Images images = new Images();
    private String full;
    private String reflector;

    @BeforeAll
    void build() throws Exception {
        Images.assumeTools("buildah", "podman", "mmdebstrap");
        ImageCache.reflectorJre(Images.ROOT.resolve("target/reflector-jre"));
        full = images.build("runtime");
        reflector = images.build("reflector");
    }

    @AfterAll
    void clean() {
        images.close();
    }

    @Test
    void aReflectorInTheImageAnswersACollectorOnTheHost(@TempDir Path dir) throws Exception {
        int port = FreePorts.udp("127.0.0.1");
        var process = Images.start(images.container(full), dir.resolve("reflector.log"),
                "/usr/bin/llama", "reflector", "-bind", "127.0.0.1", "-port", Integer.toString(port));
        var vertx = Vertx.vertx();
        try {
            assertReflects(port, process, dir.resolve("reflector.log"));
            assertThat(javaCommand(process)).as("the image runs a reflector from the small jar").contains("/usr/share/llama/llama-reflector.jar");
            var config = Configs.collector(1, 2, 10, 500, "127.0.0.1:" + port);
            vertx.deployVerticle(new CollectorVerticle(CollectorOptions.inline(config, "host"))).await(10, TimeUnit.SECONDS);
            var api = new ApiVerticle(new InetSocketAddress("127.0.0.1", 0));
            vertx.deployVerticle(api).await(10, TimeUnit.SECONDS);
            String matrix = "http://127.0.0.1:" + api.port() + "/api/v1/matrix";
            Await.until(Duration.ofSeconds(30), () -> answered(matrix) != null, () -> "a measured pair in " + Http.get(matrix).body());
            var pair = answered(matrix);
            assertThat(pair.getJsonObject("dst").getString("ip")).isEqualTo("127.0.0.1");
            assertThat(pair.getDouble("loss")).as(pair.encode()).isZero();
        } finally {
            vertx.close().await(10, TimeUnit.SECONDS);
            Host.stop(process);
        }
        assertThat(Host.read(dir.resolve("reflector.log"))).contains("reflector listening on udp 127.0.0.1:" + port);
    }

    @Test
    void demoInTheImageServesTheMatrixToTheHost(@TempDir Path dir) throws Exception {
        int api = FreePorts.tcp();
        int port = FreePorts.udp("127.0.0.1");
        Path log = dir.resolve("demo.log");
        var process = Images.start(images.container(full), log, "/usr/bin/llama", "demo", "-api", "127.0.0.1:" + api,
                "-port", Integer.toString(port), "-interval", "1", "-influxdb", "http://127.0.0.1:" + FreePorts.tcp(),
                "-queue-dir", "/var/lib/llama/queue");
        try {
            String matrix = "http://127.0.0.1:" + api + "/api/v1/matrix";
            Await.until(Duration.ofSeconds(90), () -> process.isAlive() && Http.ok(matrix) && pairs(matrix).size() > 0,
                    () -> "the demo's matrix; log:\n" + Host.read(log));
            assertThat(pairs(matrix).stream().map(JsonObject.class::cast).map(p -> p.getJsonObject("dst").getString("ip")))
                    .contains("127.0.0.1");
            assertThat(Http.get("http://127.0.0.1:" + api + "/health").statusCode()).isEqualTo(200);
        } finally {
            Host.stop(process);
        }
    }

    @Test
    void theImageRunsAsLlamaWithItsPortsVolumeHealthcheckAndConfig() throws Exception {
        String inspect = Host.ok(Duration.ofMinutes(1), "buildah", "inspect", "--type", "image", full);
        var config = new JsonObject(inspect).getJsonObject("Docker").getJsonObject("config");
        assertThat(config.getString("User")).isEqualTo("llama");
        assertThat(config.getJsonArray("Entrypoint")).containsExactly("/usr/bin/llama");
        assertThat(config.getJsonObject("ExposedPorts").fieldNames()).contains("8100/udp", "5000/tcp", "5701/tcp", "5801/tcp");
        assertThat(config.getJsonObject("Volumes").fieldNames()).containsExactly("/var/lib/llama/queue");
        assertThat(config.getJsonObject("Healthcheck").getJsonArray("Test").encode()).contains("/usr/share/llama/healthcheck");
        String c = images.container(full);
        assertThat(Images.run(c, "id", "-un").output().strip()).isEqualTo("llama");
        assertThat(Images.run(c, "ls", "/etc/llama").output()).contains("collector.yaml", "node.yaml", "cluster.xml");
        var help = Images.run(c, "/usr/bin/llama", "--help");
        assertThat(help.code()).as(help.output()).isZero();
        assertThat(help.output()).contains("Usage: llama <command>");
        var health = Images.run(c, "env", "LLAMA_API_PORT=" + FreePorts.tcp(), "/usr/share/llama/healthcheck");
        assertThat(health.code()).as("no API listening: unhealthy").isNotZero();
    }

    @Test
    void theReflectorImageIsAtMostHalfTheFullOneAndReflects(@TempDir Path dir) throws Exception {
        long fullSize = Images.size(full);
        long reflectorSize = Images.size(reflector);
        Files.writeString(Images.ROOT.resolve("target/image-sizes.txt"), "full " + fullSize + "\nreflector " + reflectorSize + "\n");
        assertThat(reflectorSize).as("reflector image %d bytes, full %d", reflectorSize, fullSize).isLessThanOrEqualTo(fullSize / 2);
        int port = FreePorts.udp("127.0.0.1");
        Path log = dir.resolve("reflector.log");
        var process = Images.start(images.container(reflector), log, "/usr/bin/llama", "reflector", "-bind", "127.0.0.1", "-port", Integer.toString(port));
        try {
            assertReflects(port, process, log);
            assertThat(javaCommand(process)).contains("/opt/jre/bin/java ", "-Xmx64m", "/usr/share/llama/llama-reflector.jar");
        } finally {
            Host.stop(process);
        }
        assertThat(Host.read(log)).as("the small jar carries the native datagram library and the jlinked JRE loads it")
                .contains("datagram path: native");
    }

    /** Sends probes until one comes back, and checks it is the probe, byte for byte. */
    static void assertReflects(int port, Process process, Path log) throws Exception {
        try (var peer = new UdpPeer()) {
            byte[] probe = Probes.original(0);
            UdpPeer.Received reply = null;
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
            while (reply == null && System.nanoTime() < deadline && process.isAlive()) {
                peer.send(probe, new InetSocketAddress("127.0.0.1", port));
                reply = peer.receive(250);
            }
            assertThat(reply).as("a reply; log:\n%s", Host.read(log)).isNotNull();
            assertThat(reply.data()).isEqualTo(probe);
            assertThat(reply.from().getPort()).isEqualTo(port);
        }
    }

    /** The command line of the JVM that {@code process} (buildah run) started. */
    static String javaCommand(Process process) {
        return process.descendants().map(p -> p.info().commandLine().orElse(""))
                .filter(c -> c.contains("/bin/java ")).findFirst().orElse("(no java under " + process.pid() + ")");
    }

    private static JsonArray pairs(String matrix) {
        var response = Http.get(matrix);
        return response.statusCode() == 200 ? new JsonObject(response.body()).getJsonArray("pairs", new JsonArray()) : new JsonArray();
    }

    /** The first pair with an RTT (the reflector answered), or null. */
    private static JsonObject answered(String matrix) {
        return pairs(matrix).stream().map(JsonObject.class::cast).filter(p -> p.getValue("rtt") != null).findFirst().orElse(null);
    }
}
