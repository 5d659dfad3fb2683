package dev.llama.api;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.Set;

/** {@code GET /api/v1/faults}: the newest interval's suspects, or with {@code at} those of an older interval. */
final class FaultEndpoints {
    private final FaultBoard board;

    FaultEndpoints(FaultBoard board) {
        this.board = board;
    }

    void faults(RoutingContext ctx) {
        if (!Params.check(ctx, Set.of("at"))) {
            return;
        }
        String at = ctx.queryParams().get("at");
        if (at == null) {
            var newest = board.newest();
            Responses.json(ctx, 200, newest == null
                    ? new JsonObject().put("interval_end", null).put("suspects", new JsonArray()).encode()
                    : FaultJson.encode(newest, false).encode());
            return;
        }
        Instant when;
        try {
            if (at.length() > 64) {
                throw new DateTimeParseException("too long", at, 64);
            }
            when = OffsetDateTime.parse(at).toInstant();
        } catch (DateTimeParseException e) {
            Responses.error(ctx, 400, "parameter \"at\" must be an RFC 3339 time such as 2024-05-01T12:00:00Z, got "
                    + (at.length() > 64 ? at.substring(0, 64) + "…" : at));
            return;
        }
        var report = board.at(when, System.currentTimeMillis());
        if (report == null) {
            Responses.error(ctx, 404, "no fault localization for " + when + ": outside the kept history");
            return;
        }
        Responses.json(ctx, 200, FaultJson.encode(report, false).encode());
    }
}
