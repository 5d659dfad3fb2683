package dev.llama.reflector;

import dev.llama.metrics.LlamaMetrics;
import dev.llama.net.InetText;
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
 * <p>The socket runs on an event loop of its own, outside Vert.x's, so that reflecting never waits
 * behind HTTP or bus work; the verticle only owns its life cycle.
 */
public class ReflectorVerticle extends VerticleBase {
    private static final Logger log = LoggerFactory.getLogger(ReflectorVerticle.class);

    private final ReflectorOptions options;
    private final ReflectorStats stats = new ReflectorStats();
    private EventLoopGroup group;
    private Channel channel;
    private ReflectHandler handler;

    public ReflectorVerticle(ReflectorOptions options) {
        this.options = options;
    }

    @Override
    public Future<?> start() {
        group = UdpTransport.newGroup(1, "llama-reflector");
        handler = new ReflectHandler(stats, options);
        return bindSocket().onSuccess(this::announce);
    }

    private Future<Channel> bindSocket() {
        var bound = UdpTransport.bind(group, new InetSocketAddress(options.bind(), options.port()), handler);
        return UdpTransport.toFuture(bound, context)
                .map(v -> channel = bound.channel())
                .recover(err -> stop().transform(ignored -> Future.failedFuture(
                        "reflector cannot bind " + InetText.format(new InetSocketAddress(options.bind(), options.port())) + ": " + err.getMessage())));
    }

    private void announce(Channel ch) {
        if (vertx.isMetricsEnabled()) {
            // only where Vert.x reports metrics (a process with an API): a bare reflector skips loading Micrometer
            LlamaMetrics.registry(vertx).ifPresent(stats.listening(InetText.format((InetSocketAddress) ch.localAddress()))::bindTo);
        }
        int port = ((InetSocketAddress) ch.localAddress()).getPort();
        log.info("reflector listening on udp {} (max-pps {}, allow {}, deny source ports {}, {} transport, {})",
                InetText.format((InetSocketAddress) ch.localAddress()), options.maxPps() > 0 ? options.maxPps() : "unlimited",
                options.allow(), options.denyPorts() != null ? options.denyPorts() : ReflectorOptions.defaultDenyPorts(port),
                UdpTransport.nativeTransport() ? "epoll" : "nio",
                options.authKeys() == null ? "answering unauthenticated probes" : "authenticated probes only, " + options.authKeys());
    }

    @Override
    public Future<?> stop() {
        stats.close();
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
        return ((InetSocketAddress) channel.localAddress()).getPort();
    }

    int currentTos() {
        return handler.currentTos();
    }
}
