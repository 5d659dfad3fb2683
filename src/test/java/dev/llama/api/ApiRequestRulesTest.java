package dev.llama.api;

import static org.assertj.core.api.Assertions.assertThat;

import dev.llama.config.ApiOptions;
import io.vertx.core.Vertx;
import io.vertx.junit5.VertxExtension;
import java.net.InetSocketAddress;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Requests that a browser never sends, written byte for byte on raw sockets: repeated query parameters,
 * a body with ambiguous framing, foreign {@code Host} names; and the security headers on every answer.
 */
@ExtendWith(VertxExtension.class)
class ApiRequestRulesTest {
    private static int deploy(Vertx vertx, String bind, ApiOptions options) throws Exception {
        var api = new ApiVerticle(new InetSocketAddress(bind, 0), options);
        vertx.deployVerticle(api).await(10, TimeUnit.SECONDS);
        return api.port();
    }

    @Test
    void aRepeatedParameterIs400NamingItExceptMatrixFilters(Vertx vertx) throws Exception {
        int port = deploy(vertx, "127.0.0.1", ApiOptions.defaults());
        for (var c : List.of(List.of("/api/v1/summaries?src=10.0.0.1&src=10.0.0.2", "src"),
                List.of("/api/v1/summaries?dst=10.0.0.1&d%73t=10.0.0.1", "dst"),
                List.of("/influxdata?fields=all&fields=original", "fields"),
                List.of("/api/v1/events?access_token=a&access_token=b", "access_token"))) {
            String answer = RawHttp.get(port, c.get(0), "");
            assertThat(RawHttp.status(answer)).as(c.get(0)).isEqualTo(400);
            assertThat(answer).as(c.get(0)).contains("parameter \\\"" + c.get(1) + "\\\" given more than once");
        }
        assertThat(RawHttp.status(RawHttp.get(port, "/api/v1/summaries?src=10.0.0.1", ""))).isEqualTo(200);
        assertThat(RawHttp.status(RawHttp.get(port, "/influxdata?fields=all", ""))).isEqualTo(200);
        assertThat(RawHttp.status(RawHttp.get(port, "/api/v1/matrix?src.name=a&src.name=b", "")))
                .as("a repeated matrix filter means either value").isEqualTo(200);
    }

    @Test
    void vertxAloneTakesContentLengthWithChunkedButTheApiRefusesAnyBody(Vertx vertx) throws Exception {
        String smuggle = "GET /status HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Length: 5\r\nTransfer-Encoding: chunked\r\n\r\n"
                + "0\r\n\r\nGET /health HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n";
        var plain = vertx.createHttpServer().requestHandler(req -> req.response().end("plain"))
                .listen(0, "127.0.0.1").await(10, TimeUnit.SECONDS);
        String bare = RawHttp.exchange(plain.actualPort(), smuggle);
        assertThat(RawHttp.status(bare)).as("Netty drops the Content-Length and reads the chunked body: %s", bare).isEqualTo(200);
        assertThat(RawHttp.responses(bare)).as("and answers the request after it").isEqualTo(2);

        int port = deploy(vertx, "127.0.0.1", ApiOptions.defaults());
        String answer = RawHttp.exchange(port, smuggle);
        assertThat(RawHttp.status(answer)).isEqualTo(400);
        assertThat(answer).contains("Transfer-Encoding");
        assertThat(RawHttp.responses(answer)).as("the connection closes; what followed is never read").isEqualTo(1);
        String post = RawHttp.exchange(port, "POST /status HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Length: 3\r\n\r\nabc");
        assertThat(RawHttp.status(post)).isEqualTo(400);
        assertThat(post).contains("Content-Length");
    }

    @Test
    void onlyItsOwnHostNamesAreAnswered(Vertx vertx) throws Exception {
        int port = deploy(vertx, "127.0.0.1", ApiOptions.defaults().withAllowedHosts(List.of("llama.example")));
        for (String host : List.of("127.0.0.1", "127.0.0.1:" + port, "localhost:" + port, "LOCALHOST", "[::1]:" + port,
                "llama.example", "llama.example.")) {
            assertThat(RawHttp.status(hostRequest(port, host))).as(host).isEqualTo(200);
        }
        for (String host : List.of("evil.example", "evil.example:" + port, "127.0.0.2", "10.0.0.1")) {
            assertThat(RawHttp.status(hostRequest(port, host))).as(host).isEqualTo(421);
        }
        for (String host : List.of("[::1", "a:b:c")) {
            assertThat(RawHttp.status(hostRequest(port, host))).as("Vert.x refuses a malformed Host itself: %s", host).isEqualTo(400);
        }
        String two = RawHttp.first(port, "GET /status HTTP/1.1\r\nHost: 127.0.0.1\r\nHost: evil.example\r\nConnection: close\r\n\r\n");
        assertThat(RawHttp.status(two)).isEqualTo(400);
        String none = RawHttp.first(port, "GET /status HTTP/1.0\r\n\r\n");
        assertThat(RawHttp.status(none)).isEqualTo(400);

        int wildcard = deploy(vertx, "0.0.0.0", ApiOptions.defaults());
        assertThat(RawHttp.status(hostRequest(wildcard, "10.1.2.3:80"))).as("any IP literal on a wildcard bind").isEqualTo(200);
        assertThat(RawHttp.status(hostRequest(wildcard, "[2001:db8::1]"))).isEqualTo(200);
        assertThat(RawHttp.status(hostRequest(wildcard, "rebind.evil.example"))).isEqualTo(421);
    }

    private static String hostRequest(int port, String host) {
        return RawHttp.first(port, "GET /status HTTP/1.1\r\nHost: " + host + "\r\nConnection: close\r\n\r\n");
    }

    @Test
    void everyAnswerCarriesTheSecurityHeaders(Vertx vertx) throws Exception {
        int port = deploy(vertx, "127.0.0.1", ApiOptions.defaults());
        String page = RawHttp.get(port, "/", "");
        assertThat(RawHttp.status(page)).isEqualTo(200);
        assertThat(page).containsIgnoringCase("content-security-policy: " + RequestGuard.PAGE_CSP + "\r\n");
        for (String target : List.of("/api/v1/matrix", "/api/v1/summaries?src=x", "/influxdata", "/status", "/metrics", "/llama.js")) {
            String answer = RawHttp.get(port, target, "");
            assertThat(answer).as(target).containsIgnoringCase("content-security-policy: " + RequestGuard.DATA_CSP + "\r\n");
        }
        for (String target : List.of("/", "/api/v1/matrix", "/api/v1/summaries?src=x", "/nope")) {
            String answer = RawHttp.get(port, target, "");
            assertThat(answer).as(target).containsIgnoringCase("x-content-type-options: nosniff\r\n")
                    .containsIgnoringCase("referrer-policy: no-referrer\r\n").containsIgnoringCase("x-frame-options: DENY\r\n");
        }
        assertThat(RawHttp.get(port, "/api/v1/matrix", "")).containsIgnoringCase("cache-control: no-store\r\n");
        assertThat(RawHttp.get(port, "/api/v1/summaries?src=x", "")).containsIgnoringCase("cache-control: no-store\r\n");
        String foreign = RawHttp.exchange(port, "GET / HTTP/1.1\r\nHost: evil.example\r\nConnection: close\r\n\r\n");
        assertThat(foreign).containsIgnoringCase("x-frame-options: DENY\r\n");
    }
}
