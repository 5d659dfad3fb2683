package dev.llama.reflector;

import dev.llama.stamp.Ntp;
import dev.llama.stamp.StampReflect;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelOption;
import io.netty.channel.socket.DatagramPacket;
import java.net.InetSocketAddress;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The STAMP Session-Reflector on Netty's datagram path (RFC 8762 §4.3, stateless), where the native one
 * ({@link NativeStampReflector}) is not available: {@link StampCore} judges each datagram, and a valid test
 * packet is rewritten in place into the reflected packet and sent back.
 *
 * <p>T2 is read when the datagram reaches this handler, T3 just before the reply is queued; the queue is
 * flushed at the end of the read batch. Java sockets cannot read the received TOS, so a Class of Service
 * TLV comes back with its U flag set.
 */
final class StampReflectHandler extends ChannelInboundHandlerAdapter {
    private static final Logger log = LoggerFactory.getLogger(StampReflectHandler.class);

    private final ReflectorStats stats;
    private final ReflectorOptions options;
    private final StampOptions stamp;
    private StampCore core;
    private int currentTos;

    StampReflectHandler(ReflectorStats stats, ReflectorOptions options, StampOptions stamp) {
        this.stats = stats;
        this.options = options;
        this.stamp = stamp;
    }

    @Override
    public void channelActive(ChannelHandlerContext ctx) {
        core = new StampCore(stats, options, stamp, (InetSocketAddress) ctx.channel().localAddress());
        ctx.fireChannelActive();
    }

    int currentTos() {
        return currentTos;
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        long t2 = Ntp.now();
        DatagramPacket packet = (DatagramPacket) msg;
        var sender = packet.sender();
        var content = packet.content();
        if (!core.judge(content, sender.getAddress(), sender.getPort(), false)) {
            packet.release();
            return;
        }
        int tos = core.replyTos();
        if (tos != currentTos) {
            ctx.flush();
            ctx.channel().config().setOption(ChannelOption.IP_TOS, tos);
            currentTos = tos;
        }
        core.reflect(content, t2, Ntp.now(), StampReflect.TOS_UNKNOWN);
        ctx.write(new DatagramPacket(content, sender), ctx.voidPromise());
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
