package dev.llama.scraper;

import static org.assertj.core.api.Assertions.assertThat;

import dev.llama.scraper.WriteResult.Outcome;
import dev.llama.testutil.FreePorts;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.VertxExtension;
import java.util.Base64;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * What the writer sends and how it reads answers, against an HTTP server that records the request.
 * The 1.x API is also exercised against a real influxd by the scraper tests; no 2.x server can be
 * installed here, so the 2.x request is checked against the documented shape.
 */
@ExtendWith(VertxExtension.class)
class InfluxWriterTest {
    private record Seen(String method, String uri, String authorization, String body) {
    }

    private static HttpServer server(Vertx vertx, AtomicReference<Seen> seen, int status, String body) throws Exception {
        return vertx.createHttpServer().requestHandler((HttpServerRequest req) -> req.body().onSuccess(b -> {
            seen.set(new Seen(req.method().name(), req.uri(), req.getHeader("authorization"), b.toString()));
            req.response().setStatusCode(status).end(body);
        })).listen(0, "127.0.0.1").await(10, TimeUnit.SECONDS);
    }

    private static ScraperConfig.Influx influx(String url, JsonObject extra) {
        return ScraperConfig.parse(new JsonObject().put("bus", true).put("influxdb", extra.copy().put("url", url))).influx();
    }

    @Test
    void v1PostsToWriteWithBasicAuthentication(Vertx vertx) throws Exception {
        var seen = new AtomicReference<Seen>();
        var server = server(vertx, seen, 204, "");
        var writer = new InfluxWriter(vertx, influx("http://127.0.0.1:" + server.actualPort(),
                new JsonObject().put("database", "my db").put("user", "u").put("password", "p:w")));
        var result = writer.write(Buffer.buffer("m v=1.0 1\n")).await(10, TimeUnit.SECONDS);
        assertThat(result.written()).isTrue();
        assertThat(seen.get().method()).isEqualTo("POST");
        assertThat(seen.get().uri()).isEqualTo("/write?db=my%20db&precision=s");
        assertThat(seen.get().authorization()).isEqualTo("Basic " + Base64.getEncoder().encodeToString("u:p:w".getBytes()));
        assertThat(seen.get().body()).isEqualTo("m v=1.0 1\n");
    }

    @Test
    void v2PostsToApiV2WriteWithAToken(Vertx vertx) throws Exception {
        var seen = new AtomicReference<Seen>();
        var server = server(vertx, seen, 204, "");
        var writer = new InfluxWriter(vertx, influx("http://127.0.0.1:" + server.actualPort() + "/prefix/",
                new JsonObject().put("api", "v2").put("org", "acme & co").put("bucket", "llama").put("token", "t0k")));
        assertThat(writer.write(Buffer.buffer("m v=1.0 1\n")).await(10, TimeUnit.SECONDS).written()).isTrue();
        assertThat(seen.get().uri()).isEqualTo("/prefix/api/v2/write?org=acme%20%26%20co&bucket=llama&precision=s");
        assertThat(seen.get().authorization()).isEqualTo("Token t0k");
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "400|{\"error\":\"partial write: field type conflict\"}|REJECTED|partial write: field type conflict",
        "413|too big|REJECTED|too big",
        "422|{\"code\":\"invalid\",\"message\":\"bad timestamp\"}|REJECTED|bad timestamp",
        "401|{\"error\":\"authorization failed\"}|RETRY|authorization failed",
        "404|{\"error\":\"database not found: \\\"x\\\"\"}|RETRY|database not found",
        "429|slow down|RETRY|slow down",
        "500|{\"error\":\"timeout\"}|RETRY|timeout",
        "503||RETRY|Service Unavailable",
    })
    void answersAreClassified(int status, String body, Outcome outcome, String reason, Vertx vertx) throws Exception {
        var server = server(vertx, new AtomicReference<>(), status, body == null ? "" : body);
        var writer = new InfluxWriter(vertx, influx("http://127.0.0.1:" + server.actualPort(), new JsonObject()));
        var result = writer.write(Buffer.buffer("m v=1.0 1\n")).await(10, TimeUnit.SECONDS);
        assertThat(result.outcome()).isEqualTo(outcome);
        assertThat(result.status()).isEqualTo(status);
        assertThat(result.reason()).contains(reason);
    }

    @Test
    void noServerMeansRetry(Vertx vertx) throws Exception {
        int port = FreePorts.tcp();
        var writer = new InfluxWriter(vertx, influx("http://127.0.0.1:" + port, new JsonObject()));
        var result = writer.write(Buffer.buffer("m v=1.0 1\n")).await(10, TimeUnit.SECONDS);
        assertThat(result.outcome()).isEqualTo(Outcome.RETRY);
        assertThat(result.status()).isZero();
        assertThat(result.reason()).containsIgnoringCase("refused");
    }
}
