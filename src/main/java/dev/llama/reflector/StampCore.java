package dev.llama.reflector;

import dev.llama.net.UdpTransport;
import dev.llama.stamp.StampHmac;
import dev.llama.stamp.StampReflect;
import dev.llama.stamp.StampRequest;
import io.netty.buffer.ByteBuf;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;

/**
 * What the STAMP Session-Reflector decides about one datagram, whatever reads it (Netty's
 * {@link StampReflectHandler} or the native {@link NativeStampReflector}): the LLAMA port's guards
 * ({@link SourceFilter}, the max-pps {@link TokenBucket} and per-source {@link FairShare}), then the RFC 8762
 * parse and HMAC check; malformed packets and failed HMACs are counted and get no reply. Over the rate
 * limit packets are dropped, not delayed. One thread only.
 */
final class StampCore {
    private final ReflectorStats stats;
    private final StampOptions stamp;
    private final StampHmac hmac;
    private final StampRequest request = new StampRequest();
    private final TokenBucket bucket;
    private final FairShare fair;
    private final SourceFilter filter;

    StampCore(ReflectorStats stats, ReflectorOptions options, StampOptions stamp, InetSocketAddress local) {
        this.stats = stats;
        this.stamp = stamp;
        this.hmac = stamp.authenticated() ? new StampHmac(stamp.key()) : null;
        long now = System.nanoTime();
        this.bucket = options.maxPps() > 0 ? new TokenBucket(options.maxPps(), now) : null;
        this.fair = options.maxPps() > 0 ? new FairShare(options.maxPps(), now) : null;
        this.filter = new SourceFilter(local, denyPorts(options, local.getPort()), options.allow());
    }

    /** The configured deny-ports, or the LLAMA defaults plus this port and the LLAMA reflector's. */
    private static List<Integer> denyPorts(ReflectorOptions options, int ownPort) {
        if (options.denyPorts() != null) {
            return options.denyPorts();
        }
        var ports = new LinkedHashSet<>(ReflectorOptions.defaultDenyPorts(ownPort));
        if (options.port() > 0) {
            ports.add(options.port());
        }
        return new ArrayList<>(ports);
    }

    /** Whether the datagram in {@code content} (from its reader index) is to be reflected; counts it either way. */
    boolean judge(ByteBuf content, InetAddress source, int port, boolean oversized) {
        stats.received.inc();
        int refused = filter.check(source, port);
        if (refused != SourceFilter.PASS) {
            stats.drop(refused);
            return false;
        }
        int parsed = oversized || content.readableBytes() >= UdpTransport.MAX_DATAGRAM ? StampReflect.SHORT
                : StampReflect.parse(content, stamp.authenticated(), hmac, request);
        if (parsed != StampReflect.OK) {
            (parsed == StampReflect.BAD_HMAC ? stats.droppedUnauthenticated : stats.invalid).inc();
            return false;
        }
        return bucket == null || withinRate(source);
    }

    /** The TOS the reply to the datagram just judged goes out with: the CoS TLV's DSCP1, else 0. */
    int replyTos() {
        return request.requestedDscp() < 0 ? 0 : request.requestedDscp() << 2;
    }

    /**
     * Rewrites the datagram just judged into its reply, in place.
     *
     * @param t2          receive time, NTP format
     * @param t3          transmit time, NTP format
     * @param receivedTos the TOS byte it arrived with, or {@link StampReflect#TOS_UNKNOWN}
     */
    void reflect(ByteBuf content, long t2, long t3, int receivedTos) {
        StampReflect.reflect(content, request, t2, t3, stamp.errorEstimate(), 0, receivedTos < 0 ? StampReflect.TOS_UNKNOWN : receivedTos, hmac);
        stats.reflected.inc();
    }

    /** Takes a token; false (counted) when the packet is over max-pps. */
    private boolean withinRate(InetAddress source) {
        long now = System.nanoTime();
        boolean withinShare = fair.take(source, now);
        if (bucket.tryTake(now)) {
            return true;
        }
        (!withinShare && fair.active() > 1 ? stats.droppedOverShare : stats.overflow).inc();
        return false;
    }
}
