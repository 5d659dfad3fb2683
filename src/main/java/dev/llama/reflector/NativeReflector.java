package dev.llama.reflector;

import dev.llama.net.NativeSocket;
import dev.llama.net.NativeUdp;
import dev.llama.net.UdpTransport;
import io.netty.channel.socket.DatagramPacket;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The reflector on the native datagram path: one thread reads batches with recvmmsg, lets
 * {@link ReflectorCore} judge each datagram where it lies, and sends the answers from the same memory
 * with sendmmsg, each with its probe's TOS as a control message (no setsockopt per change). Nothing is
 * allocated per datagram, except a copy of a probe the rate limit delays.
 */
final class NativeReflector {
    private static final Logger log = LoggerFactory.getLogger(NativeReflector.class);
    /** How long a read waits, so that {@link #stop} is seen. */
    private static final int IDLE_WAIT_MS = 50;

    private final NativeSocket socket;
    private final ReflectorCore core;
    private final Thread thread;
    private final InetSocketAddress local;
    private volatile boolean running = true;
    private volatile int lastTos;
    private final long holdNanos;

    private NativeReflector(NativeSocket socket, ReflectorStats stats, ReflectorOptions options) {
        this.socket = socket;
        this.local = new InetSocketAddress(options.bind(), socket.port());
        this.core = new ReflectorCore(stats, options, local);
        this.holdNanos = options.holdNanos();
        this.thread = new Thread(this::run, "llama-reflector-native");
        thread.setDaemon(true);
    }

    /** Binds the socket and starts its thread. */
    static NativeReflector start(ReflectorStats stats, ReflectorOptions options, int batch) throws IOException {
        var socket = NativeSocket.bind(new InetSocketAddress(options.bind(), options.port()), batch,
                UdpTransport.MAX_DATAGRAM, 4 << 20);
        var reflector = new NativeReflector(socket, stats, options);
        reflector.thread.start();
        return reflector;
    }

    int port() {
        return local.getPort();
    }

    /** The TOS of the last reply sent. */
    int lastTos() {
        return lastTos;
    }

    private void run() {
        try {
            while (running) {
                int n = socket.receive(waitMillis());
                if (n > 0 && holdNanos > 0) {
                    hold(socket.receivedAt(0));
                }
                for (int i = 0; i < n; i++) {
                    judge(i);
                }
                socket.sendAnswers(n);
                if (core.hasDelayed()) {
                    drain();
                }
            }
        } catch (RuntimeException | Error e) {
            log.error("native reflector stopped", e);
        } finally {
            core.releaseAll();
            socket.close();
        }
    }

    private void judge(int i) {
        var content = socket.content(i);
        var source = socket.source(i);
        int port = socket.sourcePort(i);
        long received = socket.receivedAt(i);
        switch (core.judge(content, source, port, socket.oversized(i), received != 0 ? received : NativeUdp.realtimeNanos())) {
            case ReflectorCore.REFLECT -> {
                core.prepareReply(content, NativeUdp.realtimeNanos());
                int tos = core.replyTos();
                socket.answer(i, tos);
                lastTos = tos;
                core.reflected();
            }
            case ReflectorCore.DELAY -> {
                socket.ignore(i);
                core.delay(new DatagramPacket(content.copy(), local, new InetSocketAddress(source, port)));
            }
            default -> socket.ignore(i);
        }
    }

    /** The test-only hold: waits until the batch's first datagram has been here {@link #holdNanos}. */
    private void hold(long receivedNanos) {
        long until = (receivedNanos != 0 ? receivedNanos : NativeUdp.realtimeNanos()) + holdNanos;
        for (long now = NativeUdp.realtimeNanos(); now < until; now = NativeUdp.realtimeNanos()) {
            LockSupport.parkNanos(until - now);
        }
    }

    private int waitMillis() {
        if (!core.hasDelayed()) {
            return IDLE_WAIT_MS;
        }
        long nanos = core.nanosUntilToken();
        return (int) Math.max(1, Math.min(IDLE_WAIT_MS, TimeUnit.NANOSECONDS.toMillis(nanos)));
    }

    private void drain() {
        int j = 0;
        for (var packet = j < socket.slots() ? core.nextDue() : null; packet != null;
                packet = j < socket.slots() ? core.nextDue() : null) {
            try {
                var content = packet.content();
                core.prepareReply(content, NativeUdp.realtimeNanos());
                socket.outgoing(j).writeBytes(content, content.readerIndex(), Math.min(content.readableBytes(), socket.slotBytes()));
                int tos = core.replyTos();
                socket.address(j++, packet.sender(), tos);
                lastTos = tos;
                core.reflected();
            } finally {
                packet.release();
            }
        }
        socket.sendOutgoing(j);
    }

    /** Stops the thread and waits for it to close the socket. */
    void stop() throws InterruptedException {
        running = false;
        thread.join(TimeUnit.SECONDS.toMillis(5));
    }
}
