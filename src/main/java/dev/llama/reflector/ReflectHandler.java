package dev.llama.reflector;

import dev.llama.net.UdpTransport;
import dev.llama.probe.ProbeCodec;
import dev.llama.probe.ProbeView;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelOption;
import io.netty.channel.socket.DatagramPacket;
import java.util.ArrayDeque;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The reflector's hot path: every datagram that decodes as a probe goes back to its sender byte for
 * byte, after the socket's TOS is set to the probe's; everything else is dropped and counted.
 *
 * <p>Over the rate limit, probes wait in a bounded queue and the socket stops reading, so the kernel
 * buffers the rest, as the original delays rather than drops; only a full queue drops.
 */
final class ReflectHandler extends ChannelInboundHandlerAdapter {
    private static final Logger log = LoggerFactory.getLogger(ReflectHandler.class);

    private final ReflectorStats stats;
    private final TokenBucket bucket;
    private final ArrayDeque<DatagramPacket> delayed;
    private final int delayCapacity;
    private final ProbeView view = new ProbeView();
    private int currentTos;
    private boolean drainScheduled;

    ReflectHandler(ReflectorStats stats, long maxPps) {
        this.stats = stats;
        this.bucket = maxPps > 0 ? new TokenBucket(maxPps, System.nanoTime()) : null;
        this.delayCapacity = (int) Math.min(16_384, Math.max(1_024, maxPps));
        this.delayed = bucket == null ? null : new ArrayDeque<>(delayCapacity);
    }

    int currentTos() {
        return currentTos;
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        DatagramPacket packet = (DatagramPacket) msg;
        stats.received.inc();
        var content = packet.content();
        if (content.readableBytes() >= UdpTransport.MAX_DATAGRAM || !ProbeCodec.decode(content, view)) {
            stats.invalid.inc();
            packet.release();
            return;
        }
        if (bucket == null || (delayed.isEmpty() && bucket.tryTake(System.nanoTime()))) {
            reflect(ctx, packet, view.tos());
            return;
        }
        delay(ctx, packet);
    }

    @Override
    public void channelReadComplete(ChannelHandlerContext ctx) {
        ctx.flush();
    }

    private void reflect(ChannelHandlerContext ctx, DatagramPacket packet, int tos) {
        if (tos != ProbeView.NO_TOS && tos != currentTos) {
            ctx.flush();
            ctx.channel().config().setOption(ChannelOption.IP_TOS, tos);
            currentTos = tos;
        }
        ctx.write(new DatagramPacket(packet.content(), packet.sender()), ctx.voidPromise());
        stats.reflected.inc();
    }

    private void delay(ChannelHandlerContext ctx, DatagramPacket packet) {
        stats.throttled.inc();
        if (delayed.size() >= delayCapacity) {
            stats.overflow.inc();
            packet.release();
            return;
        }
        // A copy sized to the probe, so a full queue holds probes, not 9 KB receive buffers.
        var copy = packet.replace(packet.content().copy());
        packet.release();
        delayed.add(copy);
        stats.queued.inc();
        ctx.channel().config().setAutoRead(false);
        scheduleDrain(ctx);
    }

    private void scheduleDrain(ChannelHandlerContext ctx) {
        if (drainScheduled) {
            return;
        }
        drainScheduled = true;
        long wait = Math.max(50_000, bucket.nanosUntilToken(System.nanoTime()));
        ctx.executor().schedule(() -> drain(ctx), wait, TimeUnit.NANOSECONDS);
    }

    private void drain(ChannelHandlerContext ctx) {
        drainScheduled = false;
        long now = System.nanoTime();
        while (!delayed.isEmpty() && bucket.tryTake(now)) {
            var packet = delayed.poll();
            stats.queued.add(-1);
            if (ProbeCodec.decode(packet.content(), view)) {
                reflect(ctx, packet, view.tos());
            } else {
                packet.release();
            }
        }
        ctx.flush();
        if (delayed.isEmpty()) {
            ctx.channel().config().setAutoRead(true);
        } else if (ctx.channel().isActive()) {
            scheduleDrain(ctx);
        }
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        if (delayed != null) {
            delayed.forEach(DatagramPacket::release);
            stats.queued.add(-delayed.size());
            delayed.clear();
        }
        ctx.fireChannelInactive();
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        log.debug("reflector socket error (ignored): {}", cause.toString());
    }
}
