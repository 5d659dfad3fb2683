package dev.llama.reflector;

import dev.llama.net.UdpTransport;
import dev.llama.probe.ReflectorClock;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelOption;
import io.netty.channel.socket.DatagramPacket;
import java.net.InetSocketAddress;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The reflector on Netty's datagram path (the fallback where the native path does not load): reads
 * datagrams, lets {@link ReflectorCore} judge them, and sends the answers after setting the socket's
 * TOS to the probe's.
 */
final class ReflectHandler extends ChannelInboundHandlerAdapter {
    private static final Logger log = LoggerFactory.getLogger(ReflectHandler.class);

    private final ReflectorStats stats;
    private final ReflectorOptions options;
    private ReflectorCore core;
    private int currentTos;
    private boolean drainScheduled;

    ReflectHandler(ReflectorStats stats, ReflectorOptions options) {
        this.stats = stats;
        this.options = options;
    }

    @Override
    public void channelActive(ChannelHandlerContext ctx) {
        // Built on the socket's own loop before its first read, once the real port is known.
        core = new ReflectorCore(stats, options, (InetSocketAddress) ctx.channel().localAddress());
        ctx.fireChannelActive();
    }

    int currentTos() {
        return currentTos;
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        DatagramPacket packet = (DatagramPacket) msg;
        long received = ReflectorClock.now();
        var sender = packet.sender();
        var content = packet.content();
        switch (core.judge(content, sender.getAddress(), sender.getPort(), content.readableBytes() >= UdpTransport.MAX_DATAGRAM,
                received)) {
            case ReflectorCore.REFLECT -> reflect(ctx, packet, core.replyTos());
            case ReflectorCore.DELAY -> {
                core.delay(packet);
                scheduleDrain(ctx);
            }
            default -> packet.release();
        }
    }

    @Override
    public void channelReadComplete(ChannelHandlerContext ctx) {
        ctx.flush();
    }

    private void reflect(ChannelHandlerContext ctx, DatagramPacket packet, int tos) {
        if (tos != currentTos) {
            ctx.flush();
            ctx.channel().config().setOption(ChannelOption.IP_TOS, tos);
            currentTos = tos;
        }
        core.prepareReply(packet.content(), ReflectorClock.now());
        ctx.write(new DatagramPacket(packet.content(), packet.sender()), ctx.voidPromise());
        core.reflected();
    }

    private void scheduleDrain(ChannelHandlerContext ctx) {
        if (drainScheduled) {
            return;
        }
        drainScheduled = true;
        long wait = Math.max(50_000, core.nanosUntilToken());
        ctx.executor().schedule(() -> drain(ctx), wait, TimeUnit.NANOSECONDS);
    }

    private void drain(ChannelHandlerContext ctx) {
        drainScheduled = false;
        for (var packet = core.nextDue(); packet != null; packet = core.nextDue()) {
            reflect(ctx, packet, core.replyTos());
        }
        ctx.flush();
        if (core.hasDelayed() && ctx.channel().isActive()) {
            scheduleDrain(ctx);
        }
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        if (core != null) {
            core.releaseAll();
        }
        ctx.fireChannelInactive();
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        log.debug("reflector socket error (ignored): {}", cause.toString());
    }
}
