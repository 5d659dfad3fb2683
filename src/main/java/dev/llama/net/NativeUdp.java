package dev.llama.net;

import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.StandardCopyOption;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The native datagram path's JNI entry points (src/main/c/llama_udp.c) and the loader of its library,
 * which the build puts into the jar for Linux x86_64 only. Everything else falls back to Netty
 * ({@link UdpTransport}); the system property {@code llama.native=false} forces the fallback.
 *
 * <p>A socket works on regions of one direct buffer (see {@link NativeBatch}): {@code slots} metadata
 * records of {@link #META} bytes, then {@code slots} data slots. Metadata fields are in the machine's
 * byte order.
 */
public final class NativeUdp {
    private static final Logger log = LoggerFactory.getLogger(NativeUdp.class);
    /** Bytes of metadata per datagram. */
    public static final int META = 64;
    public static final int M_LEN = 0;
    /** 4 or 6; IPv4-mapped senders on an IPv6 socket are reported as 4. */
    public static final int M_FAMILY = 4;
    /** 4 or 16 address bytes, network order. */
    public static final int M_ADDR = 8;
    public static final int M_PORT = 24;
    /** Received TOS/TCLASS, -1 when the kernel gave none; on send, the TOS to send with, -1 for the socket's. */
    public static final int M_TOS = 28;
    /** Kernel receive time (SO_TIMESTAMPNS), CLOCK_REALTIME ns; 0 when the kernel gave none. */
    public static final int M_RX = 32;
    /** CLOCK_REALTIME ns taken right before the sendmmsg that sent the datagram; 0 when it did not go. */
    public static final int M_TX = 40;
    /** Non-zero: {@link #send} sends this slot. */
    public static final int M_SEND = 48;
    /** Non-zero when the datagram was longer than its slot. */
    public static final int M_TRUNC = 52;
    /** Most datagrams one call reads or sends. */
    public static final int MAX_BATCH = 256;

    private static final String RESOURCE = "/native/linux-x86_64/libllamaudp.so";
    private static final String WHY_NOT = load();
    private static final AtomicBoolean LOGGED = new AtomicBoolean();

    private NativeUdp() {
    }

    /** Whether the native path is in use: the library loaded and {@code llama.native} is not false. */
    public static boolean available() {
        return WHY_NOT == null && !"false".equalsIgnoreCase(System.getProperty("llama.native"));
    }

    /** Whether the library loaded (whatever {@code llama.native} says). */
    public static boolean loaded() {
        return WHY_NOT == null;
    }

    /** Why the library is not in use, null when it is. */
    public static String unavailableReason() {
        if (WHY_NOT != null) {
            return WHY_NOT;
        }
        return available() ? null : "disabled by -Dllama.native=false";
    }

    /** Logs, once per process, which datagram path runs and why. */
    public static void logChoice() {
        if (LOGGED.compareAndSet(false, true)) {
            if (available()) {
                log.info("datagram path: native (recvmmsg/sendmmsg, kernel receive timestamps, received TOS)");
            } else {
                log.info("datagram path: Netty {} fallback ({})", UdpTransport.nativeTransport() ? "epoll" : "nio", unavailableReason());
            }
        }
    }

    private static String load() {
        String os = System.getProperty("os.name", "");
        String arch = System.getProperty("os.arch", "");
        if (!os.startsWith("Linux") || !(arch.equals("amd64") || arch.equals("x86_64"))) {
            return "no native library for " + os + "/" + arch;
        }
        try (InputStream in = NativeUdp.class.getResourceAsStream(RESOURCE)) {
            if (in == null) {
                return "no " + RESOURCE + " in the class path (built without gcc?)";
            }
            var file = Files.createTempFile("libllamaudp", ".so");
            try {
                Files.copy(in, file, StandardCopyOption.REPLACE_EXISTING);
                System.load(file.toAbsolutePath().toString());
            } finally {
                // Loaded libraries stay mapped; the file is not needed once loaded.
                Files.deleteIfExists(file);
            }
            return null;
        } catch (IOException | UnsatisfiedLinkError | SecurityException e) {
            log.warn("native datagram library did not load: {}", e.toString());
            return "native library did not load: " + e.getMessage();
        }
    }

    /** Opens a UDP socket bound to {@code addr} (4 or 16 bytes) and {@code port}; the descriptor or -errno. */
    public static native int open(byte[] addr, int port, int bufferBytes);

    /** The socket's bound port or -errno. */
    public static native int localPort(int fd);

    public static native int close(int fd);

    /** CLOCK_REALTIME in ns, the clock of {@link #M_RX} and {@link #M_TX}. */
    public static native long realtimeNanos();

    /**
     * Reads up to {@code slots} datagrams into the region at {@code base}, waiting at most
     * {@code timeoutMs} for the first; the number read (0 when none came) or -errno.
     */
    public static native int recv(int fd, ByteBuffer buffer, int base, int slots, int slotBytes, int timeoutMs);

    /**
     * Sends those of the region's first {@code count} slots whose {@link #M_SEND} is set to their
     * address, with their TOS, on a socket of the family given by {@code v6}; the number handed to the kernel.
     */
    public static native int send(int fd, ByteBuffer buffer, int base, int slots, int slotBytes, int count, boolean v6);
}
