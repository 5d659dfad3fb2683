package dev.llama.scraper;

import dev.llama.scraper.ScraperConfig.Api;
import dev.llama.scraper.ScraperConfig.Influx;
import dev.llama.scraper.WriteResult.Outcome;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClientAgent;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpClientResponse;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.RequestOptions;
import io.vertx.core.json.JsonObject;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.Base64;

/**
 * Writes line protocol to InfluxDB over Vert.x's HTTP client, 1.x {@code /write} (database, basic
 * authentication) or 2.x/3.x {@code /api/v2/write} (org, bucket, token), second precision. It never
 * fails a future: every answer, and every lack of one, becomes a {@link WriteResult} saying what to do
 * with the points.
 */
public final class InfluxWriter {
    private static final int MAX_REASON = 500;
    /** An error answer longer than this is cut: 1.x names every unparsable line in it. */
    private static final int MAX_ERROR = 1 << 20;

    private final Influx influx;
    private final HttpClientAgent client;
    private final String writeUrl;

    public InfluxWriter(Vertx vertx, Influx influx) {
        this.influx = influx;
        this.client = vertx.createHttpClient(new HttpClientOptions()
                .setKeepAlive(true)
                .setConnectTimeout((int) Math.min(influx.timeoutMs(), 10_000)));
        String base = influx.url().toString();
        this.writeUrl = influx.api() == Api.V1
                ? base + "/write?db=" + enc(influx.database()) + "&precision=s"
                : base + "/api/v2/write?org=" + enc(influx.org()) + "&bucket=" + enc(influx.bucket()) + "&precision=s";
    }

    /** Posts the lines; completes with what the server said, never with a failure. */
    public Future<WriteResult> write(Buffer lines) {
        return post(writeUrl, lines);
    }

    /** Creates the 1.x database ({@code CREATE DATABASE} is a no-op when it exists); completes with the outcome. */
    public Future<WriteResult> createDatabase() {
        if (influx.api() != Api.V1) {
            return Future.succeededFuture(new WriteResult(Outcome.RETRY, 0, "databases are created only through the 1.x API"));
        }
        String q = "CREATE DATABASE \"" + influx.database().replace("\\", "\\\\").replace("\"", "\\\"") + "\"";
        return post(influx.url() + "/query?q=" + enc(q), Buffer.buffer());
    }

    private Future<WriteResult> post(String url, Buffer body) {
        var options = new RequestOptions().setMethod(HttpMethod.POST).setAbsoluteURI(url)
                .setTimeout(influx.timeoutMs())
                .putHeader("user-agent", "llama-scraper")
                .putHeader("content-type", "text/plain; charset=utf-8");
        String authorization = authorization();
        if (authorization != null) {
            options.putHeader("authorization", authorization);
        }
        return client.request(options)
                .compose(request -> request.send(body))
                .compose(response -> response.body().map(answer -> classify(response, answer)))
                .otherwise(err -> new WriteResult(Outcome.RETRY, 0, describe(err)));
    }

    private String authorization() {
        if (influx.api() == Api.V2 || !influx.token().isEmpty()) {
            return influx.token().isEmpty() ? null : "Token " + influx.token();
        }
        if (influx.user().isEmpty()) {
            return null;
        }
        byte[] credentials = (influx.user() + ":" + influx.password()).getBytes(StandardCharsets.UTF_8);
        return "Basic " + Base64.getEncoder().encodeToString(credentials);
    }

    static WriteResult classify(HttpClientResponse response, Buffer body) {
        int status = response.statusCode();
        if (status / 100 == 2) {
            return WriteResult.WRITTEN;
        }
        String error = error(response, body);
        Outcome outcome = status == 400 || status == 413 || status == 422 ? Outcome.REJECTED : Outcome.RETRY;
        return new WriteResult(outcome, status, truncate(error), error.length() <= MAX_ERROR ? error : error.substring(0, MAX_ERROR));
    }

    /** The body's JSON error or message (it keeps 1.x's line breaks), else the error header, else the raw body. */
    private static String error(HttpClientResponse response, Buffer body) {
        String text = body == null ? "" : body.toString(StandardCharsets.UTF_8);
        try {
            var json = new JsonObject(text);
            String message = json.getString("error", json.getString("message"));
            if (message != null) {
                return message;
            }
        } catch (RuntimeException notJson) {
            // the header or the raw text then
        }
        String header = response.getHeader("X-Influxdb-Error");
        if (header != null && !header.isBlank()) {
            return header;
        }
        return text.isBlank() ? response.statusMessage() : text.strip();
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
