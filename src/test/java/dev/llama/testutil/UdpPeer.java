package dev.llama.testutil;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketTimeoutException;
import java.util.Arrays;

/** A plain blocking UDP socket on loopback for tests: the far end of a reflector or a collector. */
public final class UdpPeer implements AutoCloseable {
    private final DatagramSocket socket;
    private final byte[] buffer = new byte[65536];

    public UdpPeer() {
        this("127.0.0.1");
    }

    public UdpPeer(String ip) {
        try {
            socket = new DatagramSocket(new InetSocketAddress(InetAddress.getByName(ip), 0));
            socket.setReceiveBufferSize(4 << 20);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public int port() {
        return socket.getLocalPort();
    }

    public void send(byte[] data, InetSocketAddress to) {
        try {
            socket.send(new DatagramPacket(data, data.length, to));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The next datagram, or null when none arrives within {@code timeoutMs}. */
    public Received receive(int timeoutMs) {
        try {
            socket.setSoTimeout(timeoutMs);
            var packet = new DatagramPacket(buffer, buffer.length);
            socket.receive(packet);
            return new Received(Arrays.copyOf(packet.getData(), packet.getLength()), (InetSocketAddress) packet.getSocketAddress());
        } catch (SocketTimeoutException e) {
            return null;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** A datagram and where it came from. */
    public record Received(byte[] data, InetSocketAddress from) {
    }

    @Override
    public void close() {
        socket.close();
    }
}
