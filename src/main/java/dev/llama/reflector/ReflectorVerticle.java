package dev.llama.reflector;

import dev.llama.metrics.LlamaMetrics;
import dev.llama.net.InetText;
import dev.llama.net.NativeUdp;
import dev.llama.net.UdpTransport;
import io.netty.channel.Channel;
import io.netty.channel.EventLoopGroup;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import java.net.InetSocketAddress;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The reflector role: one UDP socket that sends every valid probe straight back, as the original's does (docs/design.md, "Compatibility with the original").
 *
 * <p>The socket runs on a thread of its own, outside Vert.x's, so that reflecting never waits behind
 * HTTP or bus work; the verticle only owns its life cycle. Where the native library loads
 * ({@link NativeUdp}) that thread is {@link NativeReflector}'s; elsewhere, or with
 * {@code -Dllama.native=false}, a Netty event loop with {@link ReflectHandler}.
 */
public class ReflectorVerticle extends VerticleBase {
    private static final Logger log = LoggerFactory.getLogger(ReflectorVerticle.class);

    private final ReflectorOptions options;
    private final ReflectorStats stats = new ReflectorStats();
    private EventLoopGroup group;
    private Channel channel;
    private ReflectHandler handler;
    private NativeReflector nativeReflector;
    /** How many datagrams one native read or send takes at most. */
    static final int NATIVE_BATCH = 64;

    public ReflectorVerticle(ReflectorOptions options) {
        this.options = options;
    }

    @Override
    public Future<?> start() {
        NativeUdp.logChoice();
        if (NativeUdp.available()) {
            try {
                nativeReflector = NativeReflector.start(stats, options, NATIVE_BATCH);
            } catch (java.io.IOException e) {
                return Future.failedFuture("reflector cannot bind "
                        + InetText.format(new InetSocketAddress(options.bind(), options.port())) + ": " + e.getMessage());
            }
            announce(new InetSocketAddress(options.bind(), nativeReflector.port()));
            return Future.succeededFuture();
        }
        if (options.holdNanos() > 0) {
            return Future.failedFuture("a reflector hold (for tests) needs the native datagram path");
        }
        group = UdpTransport.newGroup(1, "llama-reflector");
        handler = new ReflectHandler(stats, options);
        return bindSocket().onSuccess(ch -> announce((InetSocketAddress) ch.localAddress()));
    }

    private Future<Channel> bindSocket() {
        var bound = UdpTransport.bind(group, new InetSocketAddress(options.bind(), options.port()), handler);
        return UdpTransport.toFuture(bound, context)
                .map(v -> channel = bound.channel())
                .recover(err -> stop().transform(ignored -> Future.failedFuture(
                        "reflector cannot bind " + InetText.format(new InetSocketAddress(options.bind(), options.port())) + ": " + err.getMessage())));
    }

    private void announce(InetSocketAddress local) {
        if (vertx.isMetricsEnabled()) {
            // only where Vert.x reports metrics (a process with an API): a bare reflector skips loading Micrometer
            LlamaMetrics.registry(vertx).ifPresent(stats.listening(InetText.format(local))::bindTo);
        }
        log.info("reflector listening on udp {} (max-pps {}, allow {}, deny source ports {}, {} transport, {})",
                InetText.format(local), options.maxPps() > 0 ? options.maxPps() : "unlimited",
                options.allow(), options.denyPorts() != null ? options.denyPorts() : ReflectorOptions.defaultDenyPorts(local.getPort()),
                transport(), options.authKeys() == null ? "answering unauthenticated probes" : "authenticated probes only, " + options.authKeys());
    }

    /** Which datagram path runs: "native", "epoll" or "nio". */
    public String transport() {
        return nativeReflector != null ? "native" : UdpTransport.nativeTransport() ? "epoll" : "nio";
    }

    @Override
    public Future<?> stop() {
        stats.close();
        if (nativeReflector != null) {
            var running = nativeReflector;
            nativeReflector = null;
            return vertx.executeBlocking(() -> {
                running.stop();
                return null;
            });
        }
        if (group == null) {
            return Future.succeededFuture();
        }
        return UdpTransport.toFuture(group.shutdownGracefully(0, 1, TimeUnit.SECONDS), context);
    }

    public ReflectorStats stats() {
        return stats;
    }

    /** The UDP port actually bound (useful when the options asked for port 0). */
    public int port() {
        if (nativeReflector != null) {
            return nativeReflector.port();
        }
        return ((InetSocketAddress) channel.localAddress()).getPort();
    }

    int currentTos() {
        return nativeReflector != null ? nativeReflector.lastTos() : handler.currentTos();
    }
}
