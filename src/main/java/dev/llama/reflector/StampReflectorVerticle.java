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
 * The STAMP Session-Reflector role (RFC 8762, RFC 8972): a UDP socket of its own, on an event loop of its
 * own, beside the LLAMA reflector's, with the same bind address and guards and its own counters (meters
 * labelled with the STAMP port's address). Where the native library loads ({@link NativeUdp}) the socket is
 * {@link NativeStampReflector}'s, which reads the kernel's receive time and the received TOS; elsewhere a
 * Netty event loop with {@link StampReflectHandler}.
 */
public class StampReflectorVerticle extends VerticleBase {
    private static final Logger log = LoggerFactory.getLogger(StampReflectorVerticle.class);

    private final ReflectorOptions options;
    private final StampOptions stamp;
    private final ReflectorStats stats = new ReflectorStats();
    private EventLoopGroup group;
    private Channel channel;
    private StampReflectHandler handler;
    private NativeStampReflector nativeReflector;
    /** How many datagrams one native read or send takes at most. */
    private static final int NATIVE_BATCH = 32;

    public StampReflectorVerticle(ReflectorOptions options, StampOptions stamp) {
        this.options = options;
        this.stamp = stamp;
    }

    @Override
    public Future<?> start() {
        if (NativeUdp.available()) {
            try {
                nativeReflector = NativeStampReflector.start(stats, options, stamp, NATIVE_BATCH);
            } catch (java.io.IOException e) {
                return Future.failedFuture("STAMP reflector cannot bind "
                        + InetText.format(new InetSocketAddress(options.bind(), stamp.port())) + ": " + e.getMessage());
            }
            announce(nativeReflector.local());
            return Future.succeededFuture();
        }
        group = UdpTransport.newGroup(1, "llama-stamp-reflector");
        handler = new StampReflectHandler(stats, options, stamp);
        var local = new InetSocketAddress(options.bind(), stamp.port());
        var bound = UdpTransport.bind(group, local, handler);
        return UdpTransport.toFuture(bound, context)
                .map(v -> channel = bound.channel())
                .recover(err -> stop().transform(ignored -> Future.failedFuture(
                        "STAMP reflector cannot bind " + InetText.format(local) + ": " + err.getMessage())))
                .onSuccess(ch -> announce((InetSocketAddress) ch.localAddress()));
    }

    private void announce(InetSocketAddress local) {
        String address = InetText.format(local);
        if (vertx.isMetricsEnabled()) {
            LlamaMetrics.registry(vertx).ifPresent(stats.listening(address)::bindTo);
        }
        log.info("STAMP reflector listening on udp {} ({} mode, max-pps {}, allow {}, {} transport)", address,
                stamp.authenticated() ? "authenticated" : "unauthenticated",
                options.maxPps() > 0 ? options.maxPps() : "unlimited", options.allow(), nativeReflector != null ? "native" : "netty");
    }

    @Override
    public Future<?> stop() {
        stats.close();
        if (nativeReflector != null) {
            var stopping = nativeReflector;
            nativeReflector = null;
            return vertx.executeBlocking(() -> {
                stopping.stop();
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

    /** The UDP port actually bound. */
    public int port() {
        return nativeReflector != null ? nativeReflector.local().getPort() : ((InetSocketAddress) channel.localAddress()).getPort();
    }

    int currentTos() {
        return nativeReflector != null ? nativeReflector.lastTos() : handler.currentTos();
    }
}
