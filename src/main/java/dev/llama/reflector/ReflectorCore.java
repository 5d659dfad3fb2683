package dev.llama.reflector;

import dev.llama.probe.ProbeAuth;
import dev.llama.probe.ProbeCodec;
import dev.llama.probe.ProbeView;
import io.netty.buffer.ByteBuf;
import io.netty.channel.socket.DatagramPacket;
import java.net.InetAddress;
import java.net.InetSocketAddress;

/**
 * The reflector's decisions, shared by both datagram paths (Netty's {@link ReflectHandler} and the
 * native {@link NativeReflector}): every datagram that decodes as a probe goes back to its sender byte
 * for byte, with the probe's TOS (0 when the probe has none); everything else, and every source
 * {@link SourceFilter} refuses, is dropped and counted.
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
 *
 * <p>Used by one thread only, the socket's.
 */
final class ReflectorCore {
    static final int DROP = 0;
    static final int REFLECT = 1;
    /** Over the rate limit: the caller hands a packet that owns its bytes to {@link #delay}. */
    static final int DELAY = 2;

    private final ReflectorStats stats;
    private final TokenBucket bucket;
    private final DelayedProbes delayed;
    private final FairShare fair;
    private final ProbeView view = new ProbeView();
    private final ProbeAuth auth;
    private final SourceFilter filter;
    private boolean withinShare;

    /** @param listening the socket's bound address and actual port */
    ReflectorCore(ReflectorStats stats, ReflectorOptions options, InetSocketAddress listening) {
        this.stats = stats;
        this.auth = options.authKeys() == null ? null : new ProbeAuth(options.authKeys());
        this.filter = new SourceFilter(listening, options.denyPorts(), options.allow());
        double maxPps = options.maxPps();
        long now = System.nanoTime();
        this.bucket = maxPps > 0 ? new TokenBucket(maxPps, now) : null;
        this.fair = maxPps > 0 ? new FairShare(maxPps, now) : null;
        this.delayed = bucket == null ? null : new DelayedProbes((int) Math.min(16_384, Math.max(1_024, maxPps)), stats);
    }

    /**
     * Judges one datagram read from {@code source}:{@code port} at {@code receivedNanos} (ns since the
     * epoch, the clock its reply's send time will be read from); {@code oversized} when it filled the
     * receive buffer. On {@link #REFLECT}, {@code content} goes back with {@link #replyTos()} after
     * {@link #prepareReply}; a delayed probe keeps its receive time in its bytes.
     */
    int judge(ByteBuf content, InetAddress source, int port, boolean oversized, long receivedNanos) {
        stats.received.inc();
        int refused = filter.check(source, port);
        if (refused != SourceFilter.PASS) {
            stats.drop(refused);
            return DROP;
        }
        if (oversized || !ProbeCodec.decode(content, view)) {
            stats.invalid.inc();
            return DROP;
        }
        if (auth != null && !authenticate(content)) {
            return DROP;
        }
        ProbeCodec.writeReflectorTimes(content, view, receivedNanos, receivedNanos);
        if (bucket == null) {
            return REFLECT;
        }
        long now = System.nanoTime();
        withinShare = fair.take(source, now);
        if (delayed.noneFirst() && bucket.tryTake(now)) {
            return REFLECT;
        }
        if (!withinShare && fair.active() > 1) {
            stats.droppedOverShare.inc();
            return DROP;
        }
        return DELAY;
    }

    /** Verifies the probe in {@link #view}; false (counted) to drop it. {@link #prepareReply} signs the reply. */
    private boolean authenticate(ByteBuf content) {
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

    /**
     * Makes the probe judged or taken last into its reply: its send time (the probe's placeholders
     * allowing), then the reply MAC over it with keys.
     */
    void prepareReply(ByteBuf content, long sentNanos) {
        ProbeCodec.writeReflectorTimes(content, view, view.reflectorRcvd(), sentNanos);
        if (auth != null) {
            auth.signReply(content, view);
        }
    }

    /** The TOS of the reply to the probe judged or taken last. No TOS in the probe means 0, not whatever the previous sender asked for. */
    int replyTos() {
        int tos = view.tos();
        return tos == ProbeView.NO_TOS ? 0 : tos;
    }

    /** Counts a reply sent. */
    void reflected() {
        stats.reflected.inc();
    }

    /** Queues the probe last judged {@link #DELAY}; takes ownership of {@code packet}. */
    void delay(DatagramPacket packet) {
        delayed.offer(packet, withinShare);
    }

    boolean hasDelayed() {
        return delayed != null && !delayed.isEmpty();
    }

    /** Nanoseconds until the rate limit lets the next delayed probe go. */
    long nanosUntilToken() {
        return bucket.nanosUntilToken(System.nanoTime());
    }

    /** The next delayed probe the rate limit lets go now (its TOS in {@link #replyTos()}), or null. */
    DatagramPacket nextDue() {
        long now = System.nanoTime();
        while (!delayed.isEmpty() && bucket.tryTake(now)) {
            var packet = delayed.poll();
            if (ProbeCodec.decode(packet.content(), view)) {
                return packet;
            }
            packet.release();
        }
        return null;
    }

    void releaseAll() {
        if (delayed != null) {
            delayed.releaseAll();
        }
    }
}
