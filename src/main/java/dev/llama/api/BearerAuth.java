package dev.llama.api;

import io.vertx.core.buffer.Buffer;
import io.vertx.ext.web.RoutingContext;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Optional bearer tokens: when a tokens file is configured, every request but {@code /health} (and
 * {@code /metrics} when it is left open, as Prometheus exporters often are) needs
 * {@code Authorization: Bearer <token>}; {@code /api/v1/events} also takes the token as the
 * {@code access_token} query parameter, since a browser's EventSource cannot send headers. Tokens are
 * compared by their SHA-256 digests in constant time, against every token. Failures get 401 with
 * {@code WWW-Authenticate: Bearer} and are counted.
 */
final class BearerAuth {
    static final String EVENTS = "/api/v1/events";
    static final String QUERY_TOKEN = "access_token";

    private final List<byte[]> digests;
    private final boolean metricsOpen;
    private final AtomicLong failures = new AtomicLong();

    private BearerAuth(List<byte[]> digests, boolean metricsOpen) {
        this.digests = digests;
        this.metricsOpen = metricsOpen;
    }

    /** The tokens of a tokens file: one per line, blank lines and {@code #} comments left out; at least one. */
    static BearerAuth parse(Buffer file, boolean metricsOpen) {
        var digests = new ArrayList<byte[]>();
        for (String line : file.toString(StandardCharsets.UTF_8).split("\r?\n")) {
            String token = line.strip();
            if (token.isEmpty() || token.startsWith("#")) {
                continue;
            }
            if (token.chars().anyMatch(c -> c <= ' ' || c >= 0x7f)) {
                throw new IllegalArgumentException("a token has spaces or characters outside printable ASCII");
            }
            digests.add(digest(token));
        }
        if (digests.isEmpty()) {
            throw new IllegalArgumentException("the tokens file holds no token");
        }
        return new BearerAuth(List.copyOf(digests), metricsOpen);
    }

    void handle(RoutingContext ctx) {
        String path = ctx.normalizedPath();
        if (path.equals("/health") || metricsOpen && path.equals("/metrics")) {
            ctx.next();
            return;
        }
        String token = null;
        String header = ctx.request().getHeader("authorization");
        if (header != null && header.regionMatches(true, 0, "Bearer ", 0, 7)) {
            token = header.substring(7).strip();
        } else if (header == null && path.equals(EVENTS)) {
            var query = ctx.queryParams().getAll(QUERY_TOKEN);
            token = query.size() == 1 ? query.get(0) : null;
        }
        if (token != null && valid(token)) {
            ctx.next();
            return;
        }
        failures.incrementAndGet();
        ctx.response().putHeader("www-authenticate", "Bearer realm=\"llama\"");
        Responses.error(ctx, 401, header == null && token == null ? "a bearer token is required (Authorization: Bearer <token>)"
                : "the bearer token is not valid");
    }

    private boolean valid(String token) {
        byte[] d = digest(token);
        boolean match = false;
        for (byte[] known : digests) {
            match |= MessageDigest.isEqual(known, d);
        }
        return match;
    }

    private static byte[] digest(String token) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(token.getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    long failures() {
        return failures.get();
    }
}
