package dev.llama.api;

import io.vertx.ext.web.RoutingContext;
import java.util.Set;
import java.util.TreeSet;

/**
 * Checks a request's query parameters against what its endpoint takes: an unknown parameter, or one
 * given more than once ({@code src=a&src=b} would otherwise silently mean one of them), gets 400 naming
 * it.
 */
final class Params {
    private Params() {
    }

    /** Whether the query is acceptable; when it is not, a 400 has been sent. */
    static boolean check(RoutingContext ctx, Set<String> known) {
        var params = ctx.queryParams();
        for (String name : params.names()) {
            if (!known.contains(name)) {
                Responses.error(ctx, 400, "unknown parameter \"" + name + "\""
                        + (known.isEmpty() ? " (this endpoint takes none)" : " (known: " + String.join(", ", new TreeSet<>(known)) + ")"));
                return false;
            }
            if (params.getAll(name).size() > 1) {
                Responses.error(ctx, 400, "parameter \"" + name + "\" given more than once");
                return false;
            }
        }
        return true;
    }
}
