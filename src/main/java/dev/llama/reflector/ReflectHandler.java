package dev.llama.reflector;

import dev.llama.net.UdpTransport;
import dev.llama.probe.ProbeAuth;
import dev.llama.probe.ProbeCodec;
import dev.llama.probe.ProbeView;
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
 * The reflector's hot path: every datagram that decodes as a probe goes back to its sender byte for
 * byte, after the socket's TOS is set to the probe's (0 when the probe has none); everything else, and
 * every source {@link SourceFilter} refuses, is dropped and counted.
 *
 * <p>Over the rate limit, probes wait in {@link DelayedProbes} (up to a second of max-pps), as the
 * original delays rather than drops. While several sources are active, a source over its
 * {@link FairShare} is dropped instead. The socket never stops reading: the kernel's buffer would fill
 * with a flooder's datagrams and drop everyone else's.
 *
 * <p>With {@link ReflectorOptions#authKeys}, a probe is answered only when its MAC verifies with a known
 * key and its {@code sent} time is within {@link ReflectorOptions#REPLAY_WINDOW_NANOS} of this host's
 * clock; the reply carries a reply MAC in place of the probe's. Being stateless, the reflector answers a
 * replay within the window again; the collector counts the second reply as a duplicate.
 */
final class ReflectHandler extends ChannelInboundHandlerAdapter {
    private static final Logger log = LoggerFactory.getLogger(ReflectHandler.class);

    private final ReflectorStats stats;
    private final TokenBucket bucket;
    private final DelayedProbes delayed;
    private final FairShare fair;
    private final ReflectorOptions options;
    private final ProbeView view = new ProbeView();
    private final ProbeAuth auth;
    private SourceFilter filter;
    private int currentTos;
    private boolean drainScheduled;

    ReflectHandler(ReflectorStats stats, ReflectorOptions options) {
        this.stats = stats;
        this.options = options;
        this.auth = options.authKeys() == null ? null : new ProbeAuth(options.authKeys());
        double maxPps = options.maxPps();
        long now = System.nanoTime();
        this.bucket = maxPps > 0 ? new TokenBucket(maxPps, now) : null;
        this.fair = maxPps > 0 ? new FairShare(maxPps, now) : null;
        this.delayed = bucket == null ? null : new DelayedProbes((int) Math.min(16_384, Math.max(1_024, maxPps)), stats);
    }

    @Override
    public void channelActive(ChannelHandlerContext ctx) {
        // Built on the socket's own loop before its first read, once the real port is known.
        filter = new SourceFilter((InetSocketAddress) ctx.channel().localAddress(), options.denyPorts(), options.allow());
        ctx.fireChannelActive();
    }

    int currentTos() {
        return currentTos;
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        DatagramPacket packet = (DatagramPacket) msg;
        long rcvd = ReflectorClock.now(); // dwell (issue 13): the native path passes the kernel RX time here
        stats.received.inc();
        var sender = packet.sender();
        int refused = filter.check(sender);
        if (refused != SourceFilter.PASS) {
            stats.drop(refused);
            packet.release();
            return;
        }
        var content = packet.content();
        if (content.readableBytes() >= UdpTransport.MAX_DATAGRAM || !ProbeCodec.decode(content, view)) {
            stats.invalid.inc();
            packet.release();
            return;
        }
        if (auth != null && !authenticate(content)) {
            packet.release();
            return;
        }
        ProbeCodec.writeReflectorTimes(content, view, rcvd, rcvd); // dwell: the receive time waits with a delayed probe
        if (bucket == null) {
            reflect(ctx, packet, view.tos());
            return;
        }
        long now = System.nanoTime();
        boolean withinShare = fair.take(sender.getAddress(), now);
        if (delayed.noneFirst() && bucket.tryTake(now)) {
            reflect(ctx, packet, view.tos());
            return;
        }
        if (!withinShare && fair.active() > 1) {
            stats.droppedOverShare.inc();
            packet.release();
            return;
        }
        delayed.offer(packet, withinShare);
        scheduleDrain(ctx);
    }

    /** Verifies the probe in {@link #view}; false (counted) to drop it. {@link #reflect} signs the reply. */
    private boolean authenticate(io.netty.buffer.ByteBuf content) {
        int key = auth.verifyProbe(content, view);
        if (key < 0) {
            stats.droppedUnauthenticated.inc();
            return false;
        }
        long skew = view.sent() - System.currentTimeMillis() * 1_000_000L;
        if (skew > ReflectorOptions.REPLAY_WINDOW_NANOS || skew < -ReflectorOptions.REPLAY_WINDOW_NANOS) {
            stats.droppedStale.inc();
            return false;
        }
        return true;
    }

    @Override
    public void channelReadComplete(ChannelHandlerContext ctx) {
        ctx.flush();
    }

    private void reflect(ChannelHandlerContext ctx, DatagramPacket packet, int probeTos) {
        // No TOS in the probe means 0, not whatever the previous sender asked for.
        int tos = probeTos == ProbeView.NO_TOS ? 0 : probeTos;
        if (tos != currentTos) {
            ctx.flush();
            ctx.channel().config().setOption(ChannelOption.IP_TOS, tos);
            currentTos = tos;
        }
        // dwell: send time, then the reply MAC over it
        ProbeCodec.writeReflectorTimes(packet.content(), view, view.reflectorRcvd(), ReflectorClock.now());
        if (auth != null) {
            auth.signReply(packet.content(), view);
        }
        ctx.write(new DatagramPacket(packet.content(), packet.sender()), ctx.voidPromise());
        stats.reflected.inc();
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
            if (ProbeCodec.decode(packet.content(), view)) {
                reflect(ctx, packet, view.tos());
            } else {
                packet.release();
            }
        }
        ctx.flush();
        if (!delayed.isEmpty() && ctx.channel().isActive()) {
            scheduleDrain(ctx);
        }
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        if (delayed != null) {
            delayed.releaseAll();
        }
        ctx.fireChannelInactive();
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        log.debug("reflector socket error (ignored): {}", cause.toString());
    }
}
