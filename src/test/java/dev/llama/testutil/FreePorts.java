package dev.llama.testutil;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.ServerSocket;

/** Ports the kernel has just handed out and released, for processes a test starts. */
public final class FreePorts {
    private FreePorts() {
    }

    /** A free TCP port on 127.0.0.1. */
    public static int tcp() {
        try (var socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** A free UDP port on {@code ip} (0.0.0.0 for every address). */
    public static int udp(String ip) {
        try (var socket = new DatagramSocket(0, InetAddress.getByName(ip))) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
