package dev.llama.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.llama.config.ApiOptions;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.net.PemTrustOptions;
import io.vertx.ext.web.client.WebClient;
import io.vertx.ext.web.client.WebClientOptions;
import io.vertx.junit5.VertxExtension;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/** Bearer tokens from a tokens file, and TLS with a certificate made by openssl for the test. */
@ExtendWith(VertxExtension.class)
class ApiAuthTest {
    private static final String GOOD = "s3cret-token-1";
    private static final String OTHER = "another.token_2";

    private static int deploy(Vertx vertx, ApiOptions options) throws Exception {
        var api = new ApiVerticle(new InetSocketAddress("127.0.0.1", 0), options);
        vertx.deployVerticle(api).await(10, TimeUnit.SECONDS);
        return api.port();
    }

    private static Path tokens(Path dir) throws Exception {
        return Files.writeString(dir.resolve("tokens"), "# the page\n" + GOOD + "\n\n  # scrapers\n" + OTHER + "  \n");
    }

    private static String bearer(String token) {
        return "Authorization: Bearer " + token + "\r\n";
    }

    @Test
    void withTokensEveryEndpointButHealthNeedsOne(Vertx vertx, @TempDir Path dir) throws Exception {
        int port = deploy(vertx, ApiOptions.defaults().withTokens(tokens(dir), false));
        assertThat(RawHttp.status(RawHttp.get(port, "/health", ""))).isEqualTo(200);
        for (String target : List.of("/", "/llama.js", "/api/v1/matrix", "/api/v1/summaries", "/influxdata", "/status",
                "/readiness", "/api/v1/nodes", "/api/v1/events", "/api/v1/matrix?access_token=" + GOOD)) {
            String answer = RawHttp.get(port, target, "");
            assertThat(RawHttp.status(answer)).as(target).isEqualTo(401);
            assertThat(answer).as(target).containsIgnoringCase("www-authenticate: Bearer");
        }
        for (String wrong : List.of("nope", GOOD + "x", GOOD.substring(1), "# the page", "")) {
            assertThat(RawHttp.status(RawHttp.get(port, "/api/v1/matrix", bearer(wrong)))).as(wrong).isEqualTo(401);
        }
        assertThat(RawHttp.status(RawHttp.get(port, "/api/v1/matrix", "Authorization: Basic " + GOOD + "\r\n"))).isEqualTo(401);
        assertThat(RawHttp.status(RawHttp.get(port, "/api/v1/matrix", bearer(GOOD)))).isEqualTo(200);
        assertThat(RawHttp.status(RawHttp.get(port, "/", bearer(OTHER)))).isEqualTo(200);
        assertThat(RawHttp.status(RawHttp.get(port, "/metrics", ""))).as("metrics left open").isEqualTo(200);
        assertThat(RawHttp.get(port, "/metrics", "")).containsPattern("llama_api_auth_failures_total(\\{[^}]*\\})? 16\\.0");

        var client = vertx.createHttpClient(new HttpClientOptions().setDefaultPort(port).setDefaultHost("127.0.0.1"));
        var events = client.request(HttpMethod.GET, "/api/v1/events?access_token=" + GOOD).compose(r -> r.send())
                .await(5, TimeUnit.SECONDS);
        assertThat(events.statusCode()).as("an EventSource sends the token in the query").isEqualTo(200);
        assertThat(events.getHeader("content-type")).startsWith("text/event-stream");
        var refused = client.request(HttpMethod.GET, "/api/v1/events?access_token=nope").compose(r -> r.send())
                .await(5, TimeUnit.SECONDS);
        assertThat(refused.statusCode()).isEqualTo(401);
    }

    @Test
    void metricsCanRequireTheTokenTooAndAnEmptyTokensFileFailsTheStart(Vertx vertx, @TempDir Path dir) throws Exception {
        int port = deploy(vertx, ApiOptions.defaults().withTokens(tokens(dir), true));
        assertThat(RawHttp.status(RawHttp.get(port, "/metrics", ""))).isEqualTo(401);
        assertThat(RawHttp.status(RawHttp.get(port, "/metrics", bearer(GOOD)))).isEqualTo(200);
        var empty = Files.writeString(dir.resolve("empty"), "# nothing yet\n\n");
        assertThatThrownBy(() -> deploy(vertx, ApiOptions.defaults().withTokens(empty, true)))
                .hasMessageContaining("holds no token");
        assertThatThrownBy(() -> deploy(vertx, ApiOptions.defaults().withTokens(dir.resolve("missing"), true)))
                .hasMessageContaining("missing");
    }

    @Test
    void tlsWithAPemCertificateAndKey(Vertx vertx, @TempDir Path dir) throws Exception {
        selfSigned(dir, "c.pem", "k.pem");
        selfSigned(dir, "other.pem", "other-key.pem");
        int port = deploy(vertx, ApiOptions.defaults().withTls(dir.resolve("c.pem"), dir.resolve("k.pem")));

        var trusting = WebClient.create(vertx, new WebClientOptions().setSsl(true).setVerifyHost(true)
                .setTrustOptions(new PemTrustOptions().addCertPath(dir.resolve("c.pem").toString())));
        var answer = trusting.get(port, "127.0.0.1", "/api/v1/matrix").send().await(30, TimeUnit.SECONDS);
        assertThat(answer.statusCode()).isEqualTo(200);
        assertThat(answer.bodyAsJsonObject().getInteger("count")).isZero();

        var untrusting = WebClient.create(vertx, new WebClientOptions().setSsl(true)
                .setTrustOptions(new PemTrustOptions().addCertPath(dir.resolve("other.pem").toString())));
        assertThatThrownBy(() -> untrusting.get(port, "127.0.0.1", "/status").send().await(30, TimeUnit.SECONDS))
                .as("a certificate nobody vouches for").isNotNull();
        assertThat(RawHttp.status(RawHttp.first(port, "GET /status HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n")))
                .as("plain HTTP on the TLS port gets no HTTP answer").isEqualTo(-1);
    }

    /** {@code openssl req} as an operator would run it: a P-256 key and a certificate for localhost and 127.0.0.1. */
    private static void selfSigned(Path dir, String cert, String key) throws Exception {
        var process = new ProcessBuilder("openssl", "req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256",
                "-nodes", "-days", "1", "-subj", "/CN=localhost", "-addext", "subjectAltName=DNS:localhost,IP:127.0.0.1",
                "-keyout", key, "-out", cert).directory(dir.toFile()).redirectErrorStream(true).start();
        String output = new String(process.getInputStream().readAllBytes());
        assertThat(process.waitFor()).as(output).isZero();
    }
}
