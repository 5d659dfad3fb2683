package dev.llama.bench;

import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * A throwaway InfluxDB 1.x server for tests and benchmarks: Debian's {@code influxd} run on free
 * loopback ports with its data in a directory of its own, stopped by PID. It can be stopped and started
 * again on the same port with the same data, to play an outage.
 */
public final class LocalInfluxd implements AutoCloseable {
    private static final Duration START_TIMEOUT = Duration.ofSeconds(60);

    private final Path dir;
    private final int httpPort;
    private final Path config;
    private final HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private Process process;
    private String authorization;

    private LocalInfluxd(Path dir, int httpPort, Path config) {
        this.dir = dir;
        this.httpPort = httpPort;
        this.config = config;
    }

    /** The {@code influxd} binary, or null when it is not installed. */
    public static Path binary() {
        for (String dir : System.getenv().getOrDefault("PATH", "").split(":")) {
            Path candidate = Path.of(dir.isEmpty() ? "." : dir, "influxd");
            if (Files.isExecutable(candidate)) {
                return candidate;
            }
        }
        Path debian = Path.of("/usr/bin/influxd");
        return Files.isExecutable(debian) ? debian : null;
    }

    /** Starts a server with its data under a new temporary directory and waits until it answers. */
    public static LocalInfluxd start() throws IOException, InterruptedException {
        return start(false);
    }

    /**
     * Starts a server; with {@code auth}, InfluxDB's HTTP authentication is on and the first statement must
     * create an admin user (see {@link #createAdmin}).
     */
    public static LocalInfluxd start(boolean auth) throws IOException, InterruptedException {
        if (binary() == null) {
            throw new IOException("influxd is not installed (Debian: apt-get install influxdb)");
        }
        Path dir = Files.createTempDirectory("llama-influxd-");
        int http = freePort();
        int rpc = freePort();
        Path config = dir.resolve("influxd.conf");
        Files.writeString(config, """
                reporting-disabled = true
                bind-address = "127.0.0.1:%d"
                [meta]
                  dir = "%s/meta"
                [data]
                  dir = "%s/data"
                  wal-dir = "%s/wal"
                  query-log-enabled = false
                [http]
                  bind-address = "127.0.0.1:%d"
                  log-enabled = false
                  auth-enabled = %b
                [monitor]
                  store-enabled = false
                [continuous_queries]
                  enabled = false
                """.formatted(rpc, dir, dir, dir, http, auth));
        var server = new LocalInfluxd(dir, http, config);
        server.resume();
        return server;
    }

    /** Starts the server again after {@link #stop()} or {@link #kill()}, on the same port and data. */
    public synchronized void resume() throws IOException, InterruptedException {
        if (process != null && process.isAlive()) {
            return;
        }
        process = new ProcessBuilder(binary().toString(), "run", "-config", config.toString())
                .redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(dir.resolve("influxd.log").toFile()))
                .start();
        long deadline = System.nanoTime() + START_TIMEOUT.toNanos();
        while (!ping()) {
            if (!process.isAlive()) {
                throw new IOException("influxd exited with " + process.exitValue() + "; see " + dir.resolve("influxd.log"));
            }
            if (System.nanoTime() > deadline) {
                throw new IOException("influxd did not answer /ping within " + START_TIMEOUT.toSeconds() + " s");
            }
            Thread.sleep(50);
        }
    }

    /** Stops the server with SIGTERM and waits for it to exit. */
    public synchronized void stop() throws InterruptedException {
        if (process == null) {
            return;
        }
        process.destroy();
        if (!process.waitFor(20, TimeUnit.SECONDS)) {
            process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
        }
    }

    /** Kills the server with SIGKILL. */
    public synchronized void kill() throws InterruptedException {
        if (process != null) {
            process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
        }
    }

    public String url() {
        return "http://127.0.0.1:" + httpPort;
    }

    public int port() {
        return httpPort;
    }

    public boolean ping() {
        try {
            var response = client.send(HttpRequest.newBuilder(URI.create(url() + "/ping")).timeout(Duration.ofSeconds(2)).build(),
                    HttpResponse.BodyHandlers.discarding());
            return response.statusCode() == 204;
        } catch (IOException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    /** Creates an admin user (allowed without credentials while there is no user) and uses it from then on. */
    public void createAdmin(String user, String password) throws IOException, InterruptedException {
        query("", "CREATE USER \"" + user + "\" WITH PASSWORD '" + password.replace("'", "\\'") + "' WITH ALL PRIVILEGES");
        authorization = "Basic " + java.util.Base64.getEncoder().encodeToString((user + ":" + password).getBytes(StandardCharsets.UTF_8));
    }

    private HttpRequest.Builder request(String uri) {
        var builder = HttpRequest.newBuilder(URI.create(uri));
        return authorization == null ? builder : builder.header("Authorization", authorization);
    }

    /** Runs an InfluxQL statement and returns the JSON answer, times in epoch seconds; fails on a non-200 answer. */
    public JsonObject query(String database, String q) throws IOException, InterruptedException {
        String uri = url() + "/query?epoch=s&db=" + enc(database) + "&q=" + enc(q);
        var response = client.send(request(uri).POST(HttpRequest.BodyPublishers.noBody()).build(),
                HttpResponse.BodyHandlers.ofString());
        if (response.statusCode() != 200) {
            throw new IOException("query " + q + " answered " + response.statusCode() + ": " + response.body());
        }
        return new JsonObject(response.body());
    }

    /** Posts line protocol to {@code /write}; returns the HTTP status. */
    public HttpResponse<String> write(String database, String lines) throws IOException, InterruptedException {
        return client.send(request(url() + "/write?db=" + enc(database) + "&precision=s")
                .POST(HttpRequest.BodyPublishers.ofString(lines)).build(), HttpResponse.BodyHandlers.ofString());
    }

    public void createDatabase(String database) throws IOException, InterruptedException {
        query(database, "CREATE DATABASE \"" + database + "\"");
    }

    public Path dir() {
        return dir;
    }

    @Override
    public void close() throws InterruptedException, IOException {
        stop();
        try (Stream<Path> paths = Files.walk(dir)) {
            paths.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        }
    }

    private static String enc(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8).replace("+", "%20");
    }

    private static int freePort() throws IOException {
        try (var socket = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        }
    }
}
