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
    private static final byte EMPTY = 0;
    private static final byte PENDING = 1;
    private static final byte ANSWERED = 2;
    private static final byte LOST = 3;
    private static final SecureRandom RANDOM = new SecureRandom();
    private static final int MAX_PACKET = StampReflect.AUTH_LENGTH + StampTlv.HEADER + StampTlv.COS_LENGTH;
    private static final int ERROR_ESTIMATE = ErrorEstimate.ofNanos(1_000_000, false);

    private final StampResults results;
    private final CollectorStats stats;
    private final int tos;
    private final int dscp;
    private final long timeoutNanos;
    private final int pathBase;
    private final InetSocketAddress[] targets;
    private final StampHmac hmac;
    private final int ssid = RANDOM.nextInt(1 << 16);
    private final java.util.SplittableRandom noise = new java.util.SplittableRandom(RANDOM.nextLong());
    private final long[] seqs;
    private final long[] sentAt;
    private final long[] t1;
    private final int[] targetOf;
    private final byte[] state;
    private final long[] highestAnswered;
    private final int mask;
    private final StampReply reply = new StampReply();
    private long head = 1;
    private long next = 1;
    private int unflushed;
    Channel channel;

    StampSocket(StampResults results, CollectorStats stats, int tos, int timeoutMs, int pathBase, InetSocketAddress[] targets,
                double probesPerSecond, byte[] key) {
        this.results = results;
        this.stats = stats;
        this.tos = tos;
        this.dscp = tos >>> 2;
        this.timeoutNanos = timeoutMs * 1_000_000L;
        this.pathBase = pathBase;
        this.targets = targets;
        this.hmac = key == null ? null : new StampHmac(key);
        int capacity = Integer.highestOneBit((int) Math.min(1 << 22,
                Math.max(1024, probesPerSecond * (timeoutMs / 1000.0 + 1) * 4)) - 1) << 1;
        seqs = new long[capacity];
        sentAt = new long[capacity];
        t1 = new long[capacity];
        targetOf = new int[capacity];
        state = new byte[capacity];
        mask = capacity - 1;
        highestAnswered = new long[targets.length];
    }

    /** Writes one test packet to target {@code t}; it leaves with the next {@link #flush()}. */
    @Override
    public Channel channel() {
        return channel;
    }

    @Override
    public InetSocketAddress localAddress() {
        return (InetSocketAddress) channel.localAddress();
    }

    @Override
    public void enqueue(int t) {
        if (next - head > mask) {
            evict();
        }
        long seq = next++;
        int slot = (int) (seq & mask);
        long now = System.nanoTime();
        long stamp = Ntp.now() & ~0xfffL | noise.nextInt(1 << 12);
        var buf = channel.alloc().directBuffer(MAX_PACKET);
        StampSend.writeRequest(buf, hmac != null, seq & 0xffff_ffffL, stamp, ERROR_ESTIMATE, ssid, dscp == 0 ? -1 : dscp, hmac);
        seqs[slot] = seq;
        sentAt[slot] = now;
        t1[slot] = stamp;
        targetOf[slot] = t;
        state[slot] = PENDING;
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

    private void evict() {
        int slot = (int) (head & mask);
        if (state[slot] == PENDING) {
            state[slot] = LOST;
            results.lost(pathBase + targetOf[slot]);
            stats.evicted.inc();
        }
        head++;
    }

    /** Marks every probe older than the timeout as lost. */
    @Override
    public void sweep(long now) {
        while (head < next) {
            int slot = (int) (head & mask);
            if (state[slot] == PENDING) {
                if (now - sentAt[slot] < timeoutNanos) {
                    return;
                }
                state[slot] = LOST;
                results.lost(pathBase + targetOf[slot]);
            }
            head++;
        }
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
        long seq = (next - 1) & ~0xffff_ffffL | reply.senderSequence();
        if (seq >= next) {
            seq -= 1L << 32;
        }
        int slot = (int) (seq & mask);
        if (reply.ssid() != ssid || seq <= 0 || seqs[slot] != seq || state[slot] == EMPTY || t1[slot] != reply.senderTimestamp()) {
            stats.unmatched.inc();
            return;
        }
        int t = targetOf[slot];
        if (!targets[t].equals(sender)) {
            stats.unmatched.inc();
            return;
        }
        int path = pathBase + t;
        switch (state[slot]) {
            case PENDING -> {
                long rtt = now - sentAt[slot];
                if (rtt >= timeoutNanos) {
                    state[slot] = LOST;
                    results.lost(path);
                    results.late(path);
                    return;
                }
                state[slot] = ANSWERED;
                if (seq < highestAnswered[t]) {
                    results.reordered(path);
                }
                highestAnswered[t] = Math.max(highestAnswered[t], seq);
                results.answered(path, rtt, reply.dwellNanos(), tosReceived());
            }
            case ANSWERED -> results.duplicate(path);
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
