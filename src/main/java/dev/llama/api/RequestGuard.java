package dev.llama.api;

import io.vertx.core.http.HttpHeaders;
import io.vertx.ext.web.RoutingContext;

/**
 * What every request goes through before its route: security headers on the response, and
 * backpressure: while the connection's
 * earlier responses are still unread by the client, the next pipelined request waits for them to drain
 * instead of queueing another response in memory.
 */
final class RequestGuard {
    /** The page's policy: its own scripts, styles and API only, no frames, no inline code. */
    static final String PAGE_CSP = "default-src 'self'; img-src 'self' data:; style-src 'self'; script-src 'self';"
            + " connect-src 'self'; frame-ancestors 'none'; base-uri 'none'";
    /** Everything else (JSON, text, events): nothing to load, nothing to frame. */
    static final String DATA_CSP = "default-src 'none'; frame-ancestors 'none'; base-uri 'none'";

    private RequestGuard() {
    }

    static void securityHeaders(RoutingContext ctx) {
        var response = ctx.response();
        ctx.addHeadersEndHandler(v -> {
            var headers = response.headers();
            String type = headers.get(HttpHeaders.CONTENT_TYPE);
            boolean page = type != null && type.startsWith("text/html");
            headers.set("content-security-policy", page ? PAGE_CSP : DATA_CSP)
                    .set("x-content-type-options", "nosniff")
                    .set("referrer-policy", "no-referrer")
                    .set("x-frame-options", "DENY");
            if (type != null && type.startsWith("application/json")) {
                headers.set(HttpHeaders.CACHE_CONTROL, "no-store");
            }
        });
        ctx.next();
    }

    static void backpressure(RoutingContext ctx) {
        var response = ctx.response();
        if (response.writeQueueFull()) {
            response.drainHandler(v -> {
                response.drainHandler(null);
                ctx.next();
            });
        } else {
            ctx.next();
        }
    }
}
