package dev.llama.reflector;

import dev.llama.net.UdpTransport;
import dev.llama.stamp.Ntp;
import dev.llama.stamp.StampHmac;
import dev.llama.stamp.StampReflect;
import dev.llama.stamp.StampRequest;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelOption;
import io.netty.channel.socket.DatagramPacket;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The STAMP Session-Reflector's hot path (RFC 8762 §4.3, stateless): each valid test packet is rewritten
 * in place into the reflected packet and sent back. The guards are the LLAMA port's: {@link SourceFilter}
 * (never itself, well-known ports, reflector ports, the allow-list), the max-pps {@link TokenBucket} and
 * per-source {@link FairShare}. Malformed packets and failed HMACs get no reply and are counted.
 *
 * <p>T2 is read when the datagram reaches this handler, T3 just before the reply is queued; the queue is
 * flushed at the end of the read batch. Over the rate limit, packets are dropped rather than delayed.
 */
final class StampReflectHandler extends ChannelInboundHandlerAdapter {
    private static final Logger log = LoggerFactory.getLogger(StampReflectHandler.class);

    private final ReflectorStats stats;
    private final ReflectorOptions options;
    private final StampOptions stamp;
    private final StampHmac hmac;
    private final StampRequest request = new StampRequest();
    private final TokenBucket bucket;
    private final FairShare fair;
    private SourceFilter filter;
    private int currentTos;

    StampReflectHandler(ReflectorStats stats, ReflectorOptions options, StampOptions stamp) {
        this.stats = stats;
        this.options = options;
        this.stamp = stamp;
        this.hmac = stamp.authenticated() ? new StampHmac(stamp.key()) : null;
        long now = System.nanoTime();
        this.bucket = options.maxPps() > 0 ? new TokenBucket(options.maxPps(), now) : null;
        this.fair = options.maxPps() > 0 ? new FairShare(options.maxPps(), now) : null;
    }

    @Override
    public void channelActive(ChannelHandlerContext ctx) {
        int port = ((InetSocketAddress) ctx.channel().localAddress()).getPort();
        filter = new SourceFilter((InetSocketAddress) ctx.channel().localAddress(), denyPorts(port), options.allow());
        ctx.fireChannelActive();
    }

    /** The configured deny-ports, or the LLAMA defaults plus this port and the LLAMA reflector's. */
    private List<Integer> denyPorts(int ownPort) {
        if (options.denyPorts() != null) {
            return options.denyPorts();
        }
        var ports = new LinkedHashSet<>(ReflectorOptions.defaultDenyPorts(ownPort));
        if (options.port() > 0) {
            ports.add(options.port());
        }
        return new ArrayList<>(ports);
    }

    int currentTos() {
        return currentTos;
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        long t2 = Ntp.now();
        DatagramPacket packet = (DatagramPacket) msg;
        stats.received.inc();
        var sender = packet.sender();
        int refused = filter.check(sender);
        if (refused != SourceFilter.PASS) {
            stats.drop(refused);
            packet.release();
            return;
        }
        var content = packet.content();
        int parsed = content.readableBytes() >= UdpTransport.MAX_DATAGRAM ? StampReflect.SHORT
                : StampReflect.parse(content, stamp.authenticated(), hmac, request);
        if (parsed != StampReflect.OK) {
            (parsed == StampReflect.BAD_HMAC ? stats.droppedUnauthenticated : stats.invalid).inc();
            packet.release();
            return;
        }
        if (bucket != null && !withinRate(sender.getAddress())) {
            packet.release();
            return;
        }
        int tos = request.requestedDscp() < 0 ? 0 : request.requestedDscp() << 2;
        if (tos != currentTos) {
            ctx.flush();
            ctx.channel().config().setOption(ChannelOption.IP_TOS, tos);
            currentTos = tos;
        }
        StampReflect.reflect(content, request, t2, Ntp.now(), stamp.errorEstimate(), 0, StampReflect.TOS_UNKNOWN, hmac);
        ctx.write(new DatagramPacket(content, sender), ctx.voidPromise());
        stats.reflected.inc();
    }

    /** Takes a token; false (counted) when the packet is over max-pps. */
    private boolean withinRate(java.net.InetAddress source) {
        long now = System.nanoTime();
        boolean withinShare = fair.take(source, now);
        if (bucket.tryTake(now)) {
            return true;
        }
        (!withinShare && fair.active() > 1 ? stats.droppedOverShare : stats.overflow).inc();
        return false;
    }

    @Override
    public void channelReadComplete(ChannelHandlerContext ctx) {
        ctx.flush();
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        log.debug("STAMP reflector socket error (ignored): {}", cause.toString());
    }
}
