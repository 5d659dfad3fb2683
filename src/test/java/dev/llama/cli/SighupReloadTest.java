package dev.llama.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.llama.testutil.Await;
import dev.llama.testutil.ChildJvm;
import dev.llama.testutil.Configs;
import dev.llama.testutil.FreePorts;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.WebClient;
import io.vertx.junit5.VertxExtension;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/** A collector process re-reads its config on a real SIGHUP (its file watcher is set to an hour). */
@ExtendWith(VertxExtension.class)
class SighupReloadTest {

    /** The collector's file (JSON, which is YAML too): one socket at 5 cps to port 9 of each target. */
    private static String config(int apiPort, String... ips) {
        var targets = new String[ips.length];
        for (int i = 0; i < ips.length; i++) {
            targets[i] = ips[i] + ":9";
        }
        return Configs.collector(1, 1, 5, 200, targets).put("api", new JsonObject().put("bind", "127.0.0.1:" + apiPort)).encode();
    }

    private static boolean hasTarget(WebClient client, int port, String dst) {
        try {
            var body = client.getAbs("http://127.0.0.1:" + port + "/api/v1/summaries?dst=" + dst).send()
                    .await(2, TimeUnit.SECONDS).bodyAsJsonObject();
            return body.getJsonArray("collectors").stream()
                    .anyMatch(c -> !((JsonObject) c).getJsonArray("pairs").isEmpty());
        } catch (Exception e) {
            return false;
        }
    }

    @Test
    void sighupReloadsTheConfig(Vertx vertx, @TempDir Path dir) throws Exception {
        int apiPort = FreePorts.tcp();
        Path file = dir.resolve("collector.yaml");
        Files.writeString(file, config(apiPort, "127.0.0.2"));
        var process = new ProcessBuilder(ChildJvm.command("collector", "-llama.config", file.toString(),
                "-llama.reload-scan-ms", "3600000"))
                .redirectErrorStream(true).redirectOutput(dir.resolve("collector.log").toFile()).start();
        var client = WebClient.create(vertx);
        try {
            Await.until(Duration.ofSeconds(30), () -> hasTarget(client, apiPort, "127.0.0.2"), () -> "first target summarized");
            Files.writeString(file, config(apiPort, "127.0.0.2", "127.0.0.3"));
            new ProcessBuilder("kill", "-HUP", Long.toString(process.pid())).start().waitFor(5, TimeUnit.SECONDS);
            Await.until(Duration.ofSeconds(15), () -> hasTarget(client, apiPort, "127.0.0.3"), () -> "new target after SIGHUP");
            assertThat(process.isAlive()).isTrue();
            assertThat(Files.readString(dir.resolve("collector.log"))).contains("reload requested: new configuration running");
        } finally {
            ChildJvm.stop(process);
        }
    }
}
