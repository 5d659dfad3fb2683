package dev.llama.collector;

import dev.llama.net.UdpTransport;
import dev.llama.stamp.ErrorEstimate;
import dev.llama.stamp.Ntp;
import dev.llama.stamp.StampHmac;
import dev.llama.stamp.StampReflect;
import dev.llama.stamp.StampReply;
import dev.llama.stamp.StampSend;
import dev.llama.stamp.StampTlv;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.socket.DatagramPacket;
import java.net.InetSocketAddress;
import java.security.SecureRandom;

/**
 * One collector socket probing STAMP Session-Reflectors (RFC 8762 Session-Sender, stateless reflectors
 * assumed): the counterpart of {@link ProbeSocket}, with the same ring of probes in flight and sweep.
 *
 * <p>A reply counts only when it comes from the target's address and port, carries this socket's SSID,
 * and echoes the exact T1 this socket sent with its sequence number; the low 12 bits of each T1 (under a
 * microsecond) are random, so an off-path sender cannot guess it. Reported like a LLAMA reply: the RTT is
 * the socket's own monotonic {@code T4 − T1}, the dwell the reflector's {@code T3 − T2} (the summaries'
 * {@code rtt_net} is their difference). With a TOS on the port, a Class of Service TLV asks for the same
 * DSCP back, and the DSCP and ECN the reflector reports receiving (U flag clear) are the TOS received.
 */
final class StampSocket extends ChannelInboundHandlerAdapter implements ProbeSender {
    private static final SecureRandom RANDOM = new SecureRandom();
    private static final int MAX_PACKET = StampReflect.AUTH_LENGTH + StampTlv.HEADER + StampTlv.COS_LENGTH;
    private static final int ERROR_ESTIMATE = ErrorEstimate.ofNanos(1_000_000, false);

    private final StampResults results;
    private final CollectorStats stats;
    private final int tos;
    private final int dscp;
    private final int pathBase;
    private final InetSocketAddress[] targets;
    private final StampHmac hmac;
    private final int ssid = RANDOM.nextInt(1 << 16);
    private final java.util.SplittableRandom noise = new java.util.SplittableRandom(RANDOM.nextLong());
    private final InFlight inFlight;
    private final long[] t1;
    private final long[] highestAnswered;
    private final StampReply reply = new StampReply();
    private int unflushed;
    Channel channel;

    StampSocket(StampResults results, CollectorStats stats, int tos, int timeoutMs, int pathBase, InetSocketAddress[] targets,
                double probesPerSecond, byte[] key) {
        this.results = results;
        this.stats = stats;
        this.tos = tos;
        this.dscp = tos >>> 2;
        this.pathBase = pathBase;
        this.targets = targets;
        this.hmac = key == null ? null : new StampHmac(key);
        inFlight = new InFlight(probesPerSecond, timeoutMs, (target, evicted) -> {
            results.lost(pathBase + target);
            if (evicted) {
                stats.evicted.inc();
            }
        });
        t1 = new long[inFlight.capacity()];
        highestAnswered = new long[targets.length];
    }

    @Override
    public Channel channel() {
        return channel;
    }

    @Override
    public InetSocketAddress localAddress() {
        return (InetSocketAddress) channel.localAddress();
    }

    /** Writes one test packet to target {@code t}; it leaves with the next {@link #flush()}. */
    @Override
    public void enqueue(int t) {
        long now = System.nanoTime();
        long seq = inFlight.add(t, now);
        long stamp = Ntp.now() & ~0xfffL | noise.nextInt(1 << 12);
        var buf = channel.alloc().directBuffer(MAX_PACKET);
        StampSend.writeRequest(buf, hmac != null, seq & 0xffff_ffffL, stamp, ERROR_ESTIMATE, ssid, dscp == 0 ? -1 : dscp, hmac);
        t1[inFlight.slot(seq)] = stamp;
        channel.write(new DatagramPacket(buf, targets[t]), channel.voidPromise());
        unflushed++;
    }

    @Override
    public void flush() {
        if (unflushed > 0) {
            channel.flush();
            stats.sent.add(unflushed);
            unflushed = 0;
        }
    }

    /** Marks every probe older than the timeout as lost. */
    @Override
    public void sweep(long now) {
        inFlight.sweep(now);
    }

    /** The port's TOS on every test packet, as the LLAMA native path sets it per datagram. */
    @Override
    public void channelActive(ChannelHandlerContext ctx) {
        if (tos != 0) {
            ctx.channel().config().setOption(io.netty.channel.ChannelOption.IP_TOS, tos);
        }
        ctx.fireChannelActive();
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        long now = System.nanoTime();
        var packet = (DatagramPacket) msg;
        try {
            stats.received.inc();
            var content = packet.content();
            if (content.readableBytes() >= UdpTransport.MAX_DATAGRAM || !StampSend.parseReply(content, hmac != null, hmac, reply)) {
                (hmac != null ? stats.unauthenticated : stats.invalid).inc();
                return;
            }
            match(packet.sender(), now);
        } finally {
            packet.release();
        }
    }

    private void match(InetSocketAddress sender, long now) {
        // The wire carries 32 bits: the newest sequence number in flight with those low bits.
        long newest = inFlight.newest();
        long seq = newest & ~0xffff_ffffL | reply.senderSequence();
        if (seq > newest) {
            seq -= 1L << 32;
        }
        if (reply.ssid() != ssid || !inFlight.holds(seq) || t1[inFlight.slot(seq)] != reply.senderTimestamp()) {
            stats.unmatched.inc();
            return;
        }
        int t = inFlight.target(seq);
        if (!targets[t].equals(sender)) {
            stats.unmatched.inc();
            return;
        }
        int path = pathBase + t;
        switch (inFlight.state(seq)) {
            case InFlight.PENDING -> {
                long rtt = now - inFlight.sentAt(seq);
                if (rtt >= inFlight.timeoutNanos()) {
                    inFlight.resolve(seq, InFlight.LOST);
                    results.lost(path);
                    results.late(path);
                    return;
                }
                inFlight.resolve(seq, InFlight.ANSWERED);
                if (seq < highestAnswered[t]) {
                    results.reordered(path);
                }
                highestAnswered[t] = Math.max(highestAnswered[t], seq);
                results.answered(path, rtt, reply.dwellNanos(), tosReceived());
            }
            case InFlight.ANSWERED -> results.duplicate(path);
            default -> results.late(path);
        }
    }

    /** The TOS byte the reflector's CoS TLV says the probe arrived with, or -1 when it does not say. */
    private int tosReceived() {
        if (reply.cosRequestedDscp() < 0 || reply.cosReceivedDscp() < 0 || (reply.cosFlags() & StampTlv.FLAG_U) != 0) {
            return ProbeEngine.TOS_UNKNOWN;
        }
        return reply.cosReceivedDscp() << 2 | reply.cosEcn();
    }
}
