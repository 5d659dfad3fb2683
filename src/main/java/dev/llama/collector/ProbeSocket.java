package dev.llama.collector;

import dev.llama.net.UdpTransport;
import dev.llama.probe.ProbeAuth;
import dev.llama.probe.ProbeCodec;
import dev.llama.probe.ProbeView;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.socket.DatagramPacket;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.ByteOrder;
import java.security.SecureRandom;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One collector socket: sends probes to its targets and matches the replies, on the engine's single
 * event loop.
 *
 * <p>Probes in flight live in an {@link InFlight} ring, keyed by the per-socket sequence number carried
 * in the signature.
 *
 * <p>The signature is the sequence number followed by a 64-bit token drawn from {@link SecureRandom} per
 * socket and never published: counters and source ports are public, so a token an off-path sender could
 * guess would let it answer for a dead target. A reply counts only when its token matches and it comes
 * from the target's address and port (another address of the target only when configured to accept it).
 *
 * <p>With probe keys ({@code auth_keys}), the signature grows to {@value ProbeAuth#SIGNATURE} bytes (key id
 * and MAC after the token, see {@link ProbeAuth}) and a reply counts only when its reply MAC verifies:
 * a reflector without the key echoes the probe's MAC, which is no reply MAC, so it cannot answer for a
 * target. A replayed reply is a duplicate, counted and ignored.
 *
 * <p>On the native path ({@link NativeProbeIo}), replies are read in batches by {@link #poll} and the
 * RTT is the kernel's receive time minus the time taken right before the sendmmsg, both CLOCK_REALTIME,
 * so a pause of this JVM between the kernel and the matching does not move it.
 */
final class ProbeSocket extends ChannelInboundHandlerAdapter implements NativeProbeIo.Sink, ProbeSender {
    private static final Logger log = LoggerFactory.getLogger(ProbeSocket.class);
    /** Sequence (8 bytes) and token (8 bytes); the original's reflector echoes any signature unchanged. */
    static final int SIGNATURE = 16;
    private static final VarHandle LONGS = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.BIG_ENDIAN);
    private static final SecureRandom TOKENS = new SecureRandom();

    private final ProbeEngine engine;
    private final int tos;
    private final int padding;
    private final boolean reflectorTimes;
    private final int probeSize;
    private int unflushed;
    final int pathBase;
    private final InetSocketAddress[] targets;
    private final InFlight inFlight;
    /** CLOCK_REALTIME ns right before the probe's sendmmsg (native path), 0 when unknown. */
    private final long[] sentReal;
    private final ProbeView view = new ProbeView();
    private final long token = TOKENS.nextLong();
    private final ProbeAuth auth;
    private final int signatureLength;
    private final byte[] signature;
    private final boolean acceptOtherSource;
    Channel channel;
    NativeProbeIo nativeIo;

    ProbeSocket(ProbeEngine engine, int tos, int timeoutMs, int padding, int pathBase,
                InetSocketAddress[] targets, double probesPerSecond, boolean acceptOtherSource, ProbeAuth auth) {
        this.engine = engine;
        this.auth = auth;
        this.signatureLength = auth == null ? SIGNATURE : ProbeAuth.SIGNATURE;
        this.signature = new byte[signatureLength];
        this.tos = tos;
        // The longer signature comes out of the padding, so probes keep the original's size (1,028 bytes).
        int pad = Math.max(0, padding - (signatureLength - ProbeCodec.SEQUENCED_SIGNATURE));
        // dwell (issue 13): the reflector time placeholders come out of the padding too, when it holds them
        this.reflectorTimes = pad >= ProbeCodec.REFLECTOR_TIMES_SIZE;
        this.padding = reflectorTimes ? pad - ProbeCodec.REFLECTOR_TIMES_SIZE : pad;
        this.probeSize = ProbeCodec.encodedSize(signatureLength, Long.MAX_VALUE, this.padding, reflectorTimes);
        this.acceptOtherSource = acceptOtherSource;
        LONGS.set(signature, 8, token);
        if (auth != null) {
            java.nio.ByteBuffer.wrap(signature).putInt(ProbeAuth.KEY_ID, (int) auth.signingKeyId());
        }
        this.pathBase = pathBase;
        this.targets = targets;
        this.inFlight = new InFlight(probesPerSecond, timeoutMs, (target, evicted) -> {
            engine.lost(pathBase + target);
            if (evicted) {
                engine.stats.evicted.inc();
            }
        });
        this.sentReal = new long[inFlight.capacity()];
    }

    @Override
    public Channel channel() {
        return channel;
    }

    int localPort() {
        return localAddress().getPort();
    }

    @Override
    public InetSocketAddress localAddress() {
        return nativeIo != null ? nativeIo.local() : (InetSocketAddress) channel.localAddress();
    }

    /** Stamps and writes one probe to target {@code t}; it leaves with the next {@link #flush()}. */
    @Override
    public void enqueue(int t) {
        if (nativeIo != null && nativeIo.full()) {
            flush();
        }
        var buf = nativeIo != null ? nativeIo.slot() : channel.alloc().directBuffer(probeSize);
        long now = System.nanoTime();
        long seq = inFlight.add(t, now);
        sentReal[inFlight.slot(seq)] = 0;
        LONGS.set(signature, 0, seq);
        ProbeCodec.encode(buf, signature, tos, engine.wallNanos(now), padding, reflectorTimes);
        if (auth != null) {
            // tag and one-byte length come before the signature
            auth.signProbe(buf, buf.readerIndex() + 2);
        }
        if (nativeIo != null) {
            nativeIo.queued(targets[t], tos, seq);
        } else {
            channel.write(new DatagramPacket(buf, targets[t]), channel.voidPromise());
        }
        unflushed++;
    }

    /** Hands the probes written since the last flush to the kernel (sendmmsg when several). */
    @Override
    public void flush() {
        if (unflushed > 0) {
            if (nativeIo != null) {
                nativeIo.send(this);
            } else {
                channel.flush();
            }
            engine.stats.sent.add(unflushed);
            unflushed = 0;
        }
    }

    /** Marks every probe older than the timeout as lost. */
    @Override
    public void sweep(long now) {
        inFlight.sweep(now);
    }

    /** The port's TOS on every probe, as the original sets it on its sockets and the native path per datagram. */
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
            engine.stats.received.inc();
            var content = packet.content();
            if (content.readableBytes() >= UdpTransport.MAX_DATAGRAM || !ProbeCodec.decode(content, view)) {
                engine.stats.invalid.inc();
                return;
            }
            match(content, packet.sender().getAddress(), packet.sender().getPort(), now, 0, -1);
        } finally {
            packet.release();
        }
    }

    @Override
    public void sent(long seq, long at) {
        sentReal[inFlight.slot(seq)] = at;
        if (at == 0) {
            engine.stats.sendErrors.inc();
        }
    }

    /** Reads and matches every reply waiting on the native socket. */
    @Override
    public void poll() {
        if (nativeIo != null) {
            nativeIo.receive(this);
        }
    }

    @Override
    public void read(io.netty.buffer.ByteBuf content, boolean oversized, InetAddress from, int port, long receivedReal, int tos) {
        engine.stats.received.inc();
        if (oversized || !ProbeCodec.decode(content, view)) {
            engine.stats.invalid.inc();
            return;
        }
        match(content, from, port, System.nanoTime(), receivedReal, tos);
    }

    /**
     * Matches a decoded reply. {@code now} is System.nanoTime() when it was read; {@code receivedReal}
     * the kernel's receive time (CLOCK_REALTIME, 0 when unknown): with a send time of the same clock it
     * gives the RTT.
     */
    private void match(io.netty.buffer.ByteBuf content, InetAddress from, int fromPort, long now, long receivedReal,
                       int receivedTos) {
        int off = view.signatureOffset();
        if (auth != null && auth.verifyReply(content, view) < 0) {
            engine.stats.unauthenticated.inc();
            return;
        }
        if (view.signatureLength() != signatureLength || content.getLong(off + 8) != token) {
            engine.stats.unmatched.inc();
            return;
        }
        long seq = content.getLong(off);
        if (!inFlight.holds(seq)) {
            engine.stats.unmatched.inc();
            return;
        }
        int t = inFlight.target(seq);
        if (targets[t].getPort() != fromPort) {
            engine.stats.unmatched.inc();
            return;
        }
        if (!targets[t].getAddress().equals(from)) {
            // A reflector bound to 0.0.0.0 on a host with several addresses answers from the one its
            // route picks; only a configuration that says so takes that for the target's answer. Left
            // pending, so the target's own reply still counts.
            engine.stats.otherSource.inc();
            if (!acceptOtherSource) {
                return;
            }
        }
        int path = pathBase + t;
        switch (inFlight.state(seq)) {
            case InFlight.PENDING -> {
                long sent = sentReal[inFlight.slot(seq)];
                long kernelRtt = receivedReal - sent;
                boolean kernel = receivedReal != 0 && sent != 0 && kernelRtt >= 0;
                long rtt = kernel ? kernelRtt : now - inFlight.sentAt(seq);
                if (!kernel && nativeIo != null) {
                    engine.stats.userClockRtts.inc();
                }
                if (rtt >= inFlight.timeoutNanos()) {
                    inFlight.resolve(seq, InFlight.LOST);
                    engine.lost(path);
                    engine.late(path);
                } else {
                    inFlight.resolve(seq, InFlight.ANSWERED);
                    engine.answered(path, rtt, view.dwell(), receivedTos);
                }
            }
            case InFlight.ANSWERED -> engine.duplicate(path);
            default -> engine.late(path);
        }
    }

    /** Closes the native socket; on the engine's loop, which owns it. */
    @Override
    public void closeNative() {
        if (nativeIo != null) {
            nativeIo.close();
        }
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        engine.stats.sendErrors.inc();
        log.debug("collector socket {} error: {}", ctx.channel().localAddress(), cause.toString());
    }
}
