package dev.llama.net;

import static dev.llama.net.NativeUdp.META;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import java.io.IOException;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/**
 * A UDP socket of the native path with its preallocated direct memory: a receive region and a send
 * region of {@code slots} datagrams each, in one direct buffer wrapped once in a Netty {@link ByteBuf}
 * whose indices move per datagram, so reading, judging and answering a datagram creates no object.
 * Not thread-safe: one thread owns it, and closes it.
 */
public final class NativeSocket implements AutoCloseable {
    private static final int SOURCES = 256;

    private final int fd;
    private final boolean v6;
    private final int slots;
    private final int slotBytes;
    private final int txBase;
    private final ByteBuffer buffer;
    private final ByteBuf wrapped;
    private final InetAddress[] sources = new InetAddress[SOURCES];
    private final long[] sourceHi = new long[SOURCES];
    private final long[] sourceLo = new long[SOURCES];
    private boolean closed;

    private NativeSocket(int fd, boolean v6, int slots, int slotBytes) {
        this.fd = fd;
        this.v6 = v6;
        this.slots = slots;
        this.slotBytes = slotBytes;
        int region = slots * (META + slotBytes);
        this.txBase = region;
        this.buffer = ByteBuffer.allocateDirect(2 * region).order(ByteOrder.nativeOrder());
        this.wrapped = Unpooled.wrappedBuffer(buffer.duplicate());
    }

    /**
     * Binds a socket with kernel buffers of {@code bufferBytes} and room for {@code slots} datagrams of
     * up to {@code slotBytes} each way.
     *
     * @throws IOException when the kernel refuses (the message names the errno)
     */
    public static NativeSocket bind(InetSocketAddress local, int slots, int slotBytes, int bufferBytes) throws IOException {
        if (!NativeUdp.loaded()) {
            throw new IllegalStateException("native datagram library unavailable: " + NativeUdp.unavailableReason());
        }
        if (slots < 1 || slots > NativeUdp.MAX_BATCH) {
            throw new IllegalArgumentException("slots must be 1-" + NativeUdp.MAX_BATCH);
        }
        int fd = NativeUdp.open(local.getAddress().getAddress(), local.getPort(), bufferBytes);
        if (fd < 0) {
            throw new IOException("errno " + -fd + (-fd == 98 ? " (address in use)" : ""));
        }
        return new NativeSocket(fd, !(local.getAddress() instanceof Inet4Address), slots, slotBytes);
    }

    public int port() {
        return NativeUdp.localPort(fd);
    }

    public int slots() {
        return slots;
    }

    public int slotBytes() {
        return slotBytes;
    }

    /** Reads a batch into the receive region, waiting up to {@code timeoutMs} for its first datagram; how many (0: none). */
    public int receive(int timeoutMs) {
        int n = NativeUdp.recv(fd, buffer, 0, slots, slotBytes, timeoutMs);
        return Math.max(n, 0);
    }

    private static int meta(int base, int i) {
        return base + i * META;
    }

    private int data(int base, int i) {
        return base + slots * META + i * slotBytes;
    }

    public int length(int i) {
        return buffer.getInt(meta(0, i) + NativeUdp.M_LEN);
    }

    /** Whether received datagram {@code i} filled its slot (it may have been cut short). */
    public boolean oversized(int i) {
        return buffer.getInt(meta(0, i) + NativeUdp.M_TRUNC) != 0 || length(i) >= slotBytes;
    }

    public int sourcePort(int i) {
        return buffer.getInt(meta(0, i) + NativeUdp.M_PORT);
    }

    /** The TOS (IPv4) or traffic class (IPv6) datagram {@code i} arrived with, -1 when unknown. */
    public int receivedTos(int i) {
        return buffer.getInt(meta(0, i) + NativeUdp.M_TOS);
    }

    /** The kernel's receive time of datagram {@code i}, CLOCK_REALTIME ns, 0 when it gave none. */
    public long receivedAt(int i) {
        return buffer.getLong(meta(0, i) + NativeUdp.M_RX);
    }

    /** Datagram {@code i}'s bytes: the one shared buffer, indexed to them; valid until the next call here. */
    public ByteBuf content(int i) {
        int at = data(0, i);
        return wrapped.setIndex(at, at + Math.min(length(i), slotBytes));
    }

    /** Datagram {@code i}'s source address; from a small cache, so a steady sender costs no allocation. */
    public InetAddress source(int i) {
        int m = meta(0, i);
        boolean v4 = buffer.getInt(m + NativeUdp.M_FAMILY) == 4;
        long hi = v4 ? 1L << 32 | (buffer.getInt(m + NativeUdp.M_ADDR) & 0xffffffffL) : buffer.getLong(m + NativeUdp.M_ADDR);
        long lo = v4 ? 0 : buffer.getLong(m + NativeUdp.M_ADDR + 8);
        long h = (hi ^ lo * 0x9E3779B97F4A7C15L) * 0x9E3779B97F4A7C15L;
        int slot = (int) (h >>> 56) & (SOURCES - 1);
        InetAddress hit = sources[slot];
        if (hit != null && sourceHi[slot] == hi && sourceLo[slot] == lo) {
            return hit;
        }
        byte[] bytes = new byte[v4 ? 4 : 16];
        for (int b = 0; b < bytes.length; b++) {
            bytes[b] = buffer.get(m + NativeUdp.M_ADDR + b);
        }
        try {
            hit = InetAddress.getByAddress(bytes);
        } catch (UnknownHostException e) {
            throw new IllegalStateException(e); // 4 or 16 bytes are always an address
        }
        sources[slot] = hit;
        sourceHi[slot] = hi;
        sourceLo[slot] = lo;
        return hit;
    }

    /** Marks received datagram {@code i} to go back to its source, as it now is (same length), with {@code tos} (-1: the socket's). */
    public void answer(int i, int tos) {
        int m = meta(0, i);
        buffer.putInt(m + NativeUdp.M_SEND, 1);
        buffer.putInt(m + NativeUdp.M_TOS, tos);
    }

    /** Leaves received datagram {@code i} unanswered. */
    public void ignore(int i) {
        buffer.putInt(meta(0, i) + NativeUdp.M_SEND, 0);
    }

    /** Sends the answered datagrams among the first {@code count} received; how many went. */
    public int sendAnswers(int count) {
        return count == 0 ? 0 : Math.max(0, NativeUdp.send(fd, buffer, 0, slots, slotBytes, count, v6));
    }

    /** Send slot {@code j}, empty, to be written (at most {@link #slotBytes} bytes) and then {@link #address}ed. */
    public ByteBuf outgoing(int j) {
        int at = data(txBase, j);
        return wrapped.setIndex(at, at);
    }

    /** Addresses send slot {@code j}, holding what was written since {@link #outgoing}, to {@code to}. */
    public void address(int j, InetSocketAddress to, int tos) {
        int m = meta(txBase, j);
        int len = wrapped.writerIndex() - data(txBase, j);
        if (len < 0 || len > slotBytes) {
            throw new IllegalStateException("send slot " + j + " overflowed: " + len + " bytes");
        }
        InetAddress a = to.getAddress();
        buffer.putInt(m + NativeUdp.M_LEN, len);
        buffer.putInt(m + NativeUdp.M_PORT, to.getPort());
        buffer.putInt(m + NativeUdp.M_TOS, tos);
        buffer.putInt(m + NativeUdp.M_SEND, 1);
        if (a instanceof Inet4Address) {
            buffer.putInt(m + NativeUdp.M_FAMILY, 4);
            // Inet4Address.hashCode() is the address, most significant byte first.
            int ip = a.hashCode();
            buffer.putInt(m + NativeUdp.M_ADDR, buffer.order() == ByteOrder.BIG_ENDIAN ? ip : Integer.reverseBytes(ip));
        } else {
            buffer.putInt(m + NativeUdp.M_FAMILY, 6);
            byte[] b = a.getAddress();
            for (int k = 0; k < 16; k++) {
                buffer.put(m + NativeUdp.M_ADDR + k, b[k]);
            }
        }
    }

    /** Sends send slots 0 to {@code count - 1}; how many went. */
    public int sendOutgoing(int count) {
        return count == 0 ? 0 : Math.max(0, NativeUdp.send(fd, buffer, txBase, slots, slotBytes, count, v6));
    }

    /** When send slot {@code j} went: CLOCK_REALTIME ns right before its sendmmsg, 0 when it did not go. */
    public long sentAt(int j) {
        return buffer.getLong(meta(txBase, j) + NativeUdp.M_TX);
    }

    @Override
    public void close() {
        if (!closed) {
            closed = true;
            NativeUdp.close(fd);
        }
    }
}
