package dev.llama.reflector;

import dev.llama.net.NativeSocket;
import dev.llama.net.NativeUdp;
import dev.llama.net.UdpTransport;
import dev.llama.stamp.Ntp;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The STAMP Session-Reflector on the native datagram path: one thread reads batches with recvmmsg, lets
 * {@link StampCore} judge each datagram where it lies, rewrites it in place and sends the replies from the
 * same memory with sendmmsg, each with its requested DSCP. T2 is the kernel's receive time, and the TOS the
 * request arrived with fills DSCP2 and ECN of a Class of Service TLV (U clear).
 */
final class NativeStampReflector {
    private static final Logger log = LoggerFactory.getLogger(NativeStampReflector.class);
    /** How long a read waits, so that {@link #stop} is seen. */
    private static final int IDLE_WAIT_MS = 50;

    private final NativeSocket socket;
    private final StampCore core;
    private final Thread thread;
    private final InetSocketAddress local;
    private volatile boolean running = true;
    private volatile int lastTos;

    private NativeStampReflector(NativeSocket socket, StampCore core, InetSocketAddress local) {
        this.socket = socket;
        this.core = core;
        this.local = local;
        this.thread = new Thread(this::run, "llama-stamp-reflector-native");
        thread.setDaemon(true);
    }

    /** Binds the socket and starts its thread. */
    static NativeStampReflector start(ReflectorStats stats, ReflectorOptions options, StampOptions stamp, int batch) throws IOException {
        var socket = NativeSocket.bind(new InetSocketAddress(options.bind(), stamp.port()), batch, UdpTransport.MAX_DATAGRAM, 4 << 20);
        var local = new InetSocketAddress(options.bind(), socket.port());
        var reflector = new NativeStampReflector(socket, new StampCore(stats, options, stamp, local), local);
        reflector.thread.start();
        return reflector;
    }

    InetSocketAddress local() {
        return local;
    }

    /** The TOS of the last reply sent. */
    int lastTos() {
        return lastTos;
    }

    private void run() {
        try {
            while (running) {
                int n = socket.receive(IDLE_WAIT_MS);
                for (int i = 0; i < n; i++) {
                    judge(i);
                }
                socket.sendAnswers(n);
            }
        } catch (RuntimeException | Error e) {
            log.error("native STAMP reflector stopped", e);
        } finally {
            socket.close();
        }
    }

    private void judge(int i) {
        var content = socket.content(i);
        long received = socket.receivedAt(i);
        long t2 = Ntp.fromEpochNanos(received != 0 ? received : NativeUdp.realtimeNanos());
        if (!core.judge(content, socket.source(i), socket.sourcePort(i), socket.oversized(i))) {
            socket.ignore(i);
            return;
        }
        int tos = core.replyTos();
        core.reflect(content, t2, Ntp.fromEpochNanos(NativeUdp.realtimeNanos()), socket.receivedTos(i));
        socket.answer(i, tos);
        lastTos = tos;
    }

    /** Stops the thread and waits for it to close the socket. */
    void stop() throws InterruptedException {
        running = false;
        thread.join(TimeUnit.SECONDS.toMillis(5));
    }
}
