package dev.llama.collector;

import dev.llama.net.NativeSocket;
import io.netty.buffer.ByteBuf;
import java.net.InetAddress;
import java.net.InetSocketAddress;

/**
 * A collector socket's I/O on the native datagram path: probes are written straight into the
 * socket's send slots and leave with one sendmmsg per flush, each with its port's TOS on the wire;
 * replies are read in batches, each with the kernel's receive time and the TOS it arrived with. Used
 * only from the engine's event loop.
 */
final class NativeProbeIo {
    /** What the owning {@link ProbeSocket} does with each probe sent and each datagram read. */
    interface Sink {
        /** Probe {@code seq} went at {@code sentReal} (CLOCK_REALTIME ns right before sendmmsg; 0: it did not go). */
        void sent(long seq, long sentReal);

        /**
         * A datagram read: its bytes (valid until the next call), whether it filled its slot, its source,
         * the kernel's receive time (CLOCK_REALTIME ns, 0 when unknown) and its TOS (-1 when unknown).
         */
        void read(ByteBuf content, boolean oversized, InetAddress from, int port, long receivedReal, int tos);
    }

    private final NativeSocket socket;
    private final InetSocketAddress local;
    private final long[] seqs;
    private int pending;

    NativeProbeIo(NativeSocket socket, InetAddress bound) {
        this.socket = socket;
        this.local = new InetSocketAddress(bound, socket.port());
        this.seqs = new long[socket.slots()];
    }

    InetSocketAddress local() {
        return local;
    }

    /** Whether every send slot holds a probe: send before writing another. */
    boolean full() {
        return pending == seqs.length;
    }

    /** The next send slot, empty, to write a probe into. */
    ByteBuf slot() {
        return socket.outgoing(pending);
    }

    /** Addresses the probe just written into {@link #slot()}. */
    void queued(InetSocketAddress to, int tos, long seq) {
        socket.address(pending, to, tos);
        seqs[pending++] = seq;
    }

    /** Sends the queued probes in one sendmmsg and tells {@code sink} when each went. */
    void send(Sink sink) {
        socket.sendOutgoing(pending);
        for (int j = 0; j < pending; j++) {
            sink.sent(seqs[j], socket.sentAt(j));
        }
        pending = 0;
    }

    /** Hands {@code sink} every datagram waiting (all of them: the kernel timed them already). */
    void receive(Sink sink) {
        int n;
        do {
            n = socket.receive(0);
            for (int i = 0; i < n; i++) {
                sink.read(socket.content(i), socket.oversized(i), socket.source(i), socket.sourcePort(i),
                        socket.receivedAt(i), socket.receivedTos(i));
            }
        } while (n == socket.slots());
    }

    void close() {
        socket.close();
    }
}
