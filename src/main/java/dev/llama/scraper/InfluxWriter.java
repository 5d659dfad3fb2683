package dev.llama.scraper;

import dev.llama.scraper.ScraperConfig.Api;
import dev.llama.scraper.ScraperConfig.Influx;
import dev.llama.scraper.WriteResult.Outcome;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpRequest;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.ext.web.client.WebClient;
import io.vertx.ext.web.client.WebClientOptions;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;

/**
 * Writes line protocol to InfluxDB over vertx-web-client, 1.x {@code /write} (database, basic
 * authentication) or 2.x/3.x {@code /api/v2/write} (org, bucket, token), second precision. It never
 * fails a future: every answer, and every lack of one, becomes a {@link WriteResult} saying what to do
 * with the points.
 */
public final class InfluxWriter {
    private static final int MAX_REASON = 500;

    private final Influx influx;
    private final WebClient client;
    private final String writeUrl;

    public InfluxWriter(Vertx vertx, Influx influx) {
        this.influx = influx;
        this.client = WebClient.create(vertx, new WebClientOptions()
                .setUserAgent("llama-scraper")
                .setKeepAlive(true)
                .setConnectTimeout((int) Math.min(influx.timeoutMs(), 10_000)));
        String base = influx.url().toString();
        this.writeUrl = influx.api() == Api.V1
                ? base + "/write?db=" + enc(influx.database()) + "&precision=s"
                : base + "/api/v2/write?org=" + enc(influx.org()) + "&bucket=" + enc(influx.bucket()) + "&precision=s";
    }

    /** Posts the lines; completes with what the server said, never with a failure. */
    public Future<WriteResult> write(Buffer lines) {
        return authenticated(client.postAbs(writeUrl))
                .putHeader("content-type", "text/plain; charset=utf-8")
                .timeout(influx.timeoutMs())
                .sendBuffer(lines)
                .map(InfluxWriter::classify)
                .otherwise(err -> new WriteResult(Outcome.RETRY, 0, describe(err)));
    }

    /** Creates the 1.x database ({@code CREATE DATABASE} is a no-op when it exists); completes with the outcome. */
    public Future<WriteResult> createDatabase() {
        if (influx.api() != Api.V1) {
            return Future.succeededFuture(new WriteResult(Outcome.RETRY, 0, "databases are created only through the 1.x API"));
        }
        String q = "CREATE DATABASE \"" + influx.database().replace("\\", "\\\\").replace("\"", "\\\"") + "\"";
        return authenticated(client.postAbs(influx.url() + "/query?q=" + enc(q)))
                .timeout(influx.timeoutMs())
                .send()
                .map(InfluxWriter::classify)
                .otherwise(err -> new WriteResult(Outcome.RETRY, 0, describe(err)));
    }

    private HttpRequest<Buffer> authenticated(HttpRequest<Buffer> request) {
        if (influx.api() == Api.V2 || !influx.token().isEmpty()) {
            return influx.token().isEmpty() ? request : request.putHeader("authorization", "Token " + influx.token());
        }
        return influx.user().isEmpty() ? request : request.basicAuthentication(influx.user(), influx.password());
    }

    static WriteResult classify(HttpResponse<Buffer> response) {
        int status = response.statusCode();
        if (status / 100 == 2) {
            return WriteResult.WRITTEN;
        }
        String reason = reason(response);
        Outcome outcome = status == 400 || status == 413 || status == 422 ? Outcome.REJECTED : Outcome.RETRY;
        return new WriteResult(outcome, status, reason);
    }

    private static String reason(HttpResponse<Buffer> response) {
        String header = response.getHeader("X-Influxdb-Error");
        if (header != null && !header.isBlank()) {
            return truncate(header);
        }
        Buffer body = response.body();
        if (body == null || body.length() == 0) {
            return response.statusMessage();
        }
        String text = body.toString(StandardCharsets.UTF_8);
        try {
            var json = new JsonObject(text);
            String message = json.getString("error", json.getString("message"));
            if (message != null) {
                return truncate(message);
            }
        } catch (RuntimeException notJson) {
            // fall through to the raw text
        }
        return truncate(text.strip());
    }

    private static String describe(Throwable err) {
        String message = err.getMessage() != null ? err.getMessage() : err.getClass().getSimpleName();
        return truncate(message);
    }

    private static String truncate(String s) {
        s = s.replace('\n', ' ');
        return s.length() <= MAX_REASON ? s : s.substring(0, MAX_REASON) + "...";
    }

    private static String enc(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8).replace("+", "%20");
    }

    public void close() {
        client.close();
    }
}
