package dev.llama.api;

import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;

/** The API's JSON answers. */
final class Responses {
    private Responses() {
    }

    static void json(RoutingContext ctx, int status, String body) {
        ctx.response().setStatusCode(status).putHeader("content-type", "application/json").end(body);
    }

    /** A body built once and shared: every request that gets it holds a reference, not a copy. */
    static void json(RoutingContext ctx, Buffer body) {
        json(ctx, 200, body);
    }

    static void json(RoutingContext ctx, int status, Buffer body) {
        ctx.response().setStatusCode(status).putHeader("content-type", "application/json").end(body);
    }

    static void error(RoutingContext ctx, int status, String message) {
        json(ctx, status, new JsonObject().put("error", message).encode());
    }
}
