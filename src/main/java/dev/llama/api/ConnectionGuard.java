package dev.llama.api;

import io.vertx.core.Handler;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpConnection;
import io.vertx.ext.web.RoutingContext;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps clients from holding the API's connections: at most {@code maxConnections} open at once (the
 * next ones are closed as soon as they are accepted, and counted), and each connection must deliver a
 * whole request head within {@code headerTimeout} of opening or of finishing its previous response, so
 * a slowloris client that trickles header bytes (which resets the idle timeout) still loses its
 * connection. A connection with a request in progress (a response being written, an event stream) is
 * left to the idle timeout. Used on the API verticle's event loop.
 */
final class ConnectionGuard {
    private static final Logger log = LoggerFactory.getLogger(ConnectionGuard.class);

    /** One open connection: requests it has in progress, and the timer waiting for its next request. */
    private static final class State {
        int inFlight;
        long timer = -1;
        boolean doomed;
    }

    private final Vertx vertx;
    private final int maxConnections;
    private final long headerTimeoutMillis;
    private final Map<HttpConnection, State> open = new HashMap<>();
    private final AtomicLong refused = new AtomicLong();
    private final AtomicLong timedOut = new AtomicLong();

    ConnectionGuard(Vertx vertx, int maxConnections, long headerTimeoutMillis) {
        this.vertx = vertx;
        this.maxConnections = maxConnections;
        this.headerTimeoutMillis = headerTimeoutMillis;
    }

    /** For {@code HttpServer.connectionHandler}. */
    Handler<HttpConnection> connectionHandler() {
        return conn -> {
            if (open.size() >= maxConnections) {
                long n = refused.incrementAndGet();
                if (n == 1 || n % 1000 == 0) {
                    log.warn("API: {} connections open, the cap; closed a new one from {} ({} refused so far)",
                            open.size(), conn.remoteAddress(), n);
                }
                conn.close();
                return;
            }
            var state = new State();
            open.put(conn, state);
            arm(conn, state);
            conn.closeHandler(v -> {
                var s = open.remove(conn);
                if (s != null) {
                    vertx.cancelTimer(s.timer);
                }
            });
        };
    }

    /**
     * The router's first handler: a request head arrived, so its connection waits for nothing until the
     * response ends. A request pipelined behind one whose framing was refused is not answered.
     */
    void requestBegins(RoutingContext ctx) {
        var conn = ctx.request().connection();
        var state = open.get(conn);
        if (state != null && state.doomed) {
            conn.close();
            return;
        }
        if (state != null) {
            state.inFlight++;
            vertx.cancelTimer(state.timer);
            state.timer = -1;
            ctx.addEndHandler(done -> {
                if (--state.inFlight == 0 && open.get(conn) == state) {
                    arm(conn, state);
                }
            });
        }
        ctx.next();
    }

    /**
     * No request body: the API is read-only. A {@code Transfer-Encoding} header (which Netty keeps when it
     * drops a conflicting {@code Content-Length}) or a non-zero {@code Content-Length} gets 400 and the
     * connection is closed, so a request smuggled in the body is never answered.
     */
    void refuseBodies(RoutingContext ctx) {
        var headers = ctx.request().headers();
        if (headers.contains(HttpHeaders.TRANSFER_ENCODING)) {
            refuseAndClose(ctx, "header \"Transfer-Encoding\" not accepted: requests carry no body"
                    + " (with a Content-Length too it is ambiguous framing)");
            return;
        }
        var lengths = headers.getAll(HttpHeaders.CONTENT_LENGTH);
        if (lengths.size() > 1 || lengths.size() == 1 && !lengths.get(0).strip().equals("0")) {
            refuseAndClose(ctx, "header \"Content-Length\" not accepted: requests carry no body");
            return;
        }
        ctx.next();
    }

    private void refuseAndClose(RoutingContext ctx, String message) {
        var conn = ctx.request().connection();
        var state = open.get(conn);
        if (state != null) {
            state.doomed = true;
        }
        ctx.response().putHeader("connection", "close");
        Responses.error(ctx, 400, message);
        conn.close();
    }

    private void arm(HttpConnection conn, State state) {
        state.timer = vertx.setTimer(headerTimeoutMillis, id -> {
            if (open.get(conn) == state && state.inFlight == 0) {
                timedOut.incrementAndGet();
                conn.close();
            }
        });
    }

    int open() {
        return open.size();
    }

    long refused() {
        return refused.get();
    }

    long timedOut() {
        return timedOut.get();
    }
}
