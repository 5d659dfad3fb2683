package dev.llama.reflector;

import dev.llama.config.AllowList;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.NetworkInterface;
import java.net.SocketException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.List;

/**
 * Decides from a datagram's source alone whether the reflector may answer it, so that it cannot be
 * turned into a loop or an amplifier: never its own address and port (one spoofed probe would make it
 * answer itself forever), never a well-known port below 1024 (echo, chargen, DNS, NTP answer back),
 * never a port where reflectors listen (two reflectors would play ping-pong), and only the allow-list.
 */
final class SourceFilter {
    static final int PASS = 0;
    static final int SELF = 1;
    static final int WELL_KNOWN_PORT = 2;
    static final int DENIED_PORT = 3;
    static final int NOT_ALLOWED = 4;

    private final int port;
    private final InetAddress bind;
    private final InetAddress[] local;
    private final long[] deniedPorts = new long[65536 / 64];
    private final AllowList allow;

    /**
     * @param listening the address the socket is bound to (wildcard or not) and its actual port
     * @param denyPorts source ports never answered; {@link ReflectorOptions#defaultDenyPorts} when null
     */
    SourceFilter(InetSocketAddress listening, Collection<Integer> denyPorts, AllowList allow) {
        this.port = listening.getPort();
        this.bind = listening.getAddress();
        this.local = bind.isAnyLocalAddress() ? localAddresses() : new InetAddress[] {bind};
        for (int p : denyPorts == null ? ReflectorOptions.defaultDenyPorts(port) : denyPorts) {
            deniedPorts[p >>> 6] |= 1L << p;
        }
        this.allow = allow;
    }

    /** {@link #PASS} or the reason the datagram from {@code source} must not be answered. */
    int check(InetSocketAddress source) {
        return check(source.getAddress(), source.getPort());
    }

    /** {@link #PASS} or the reason the datagram from {@code address}:{@code from} must not be answered. */
    int check(InetAddress address, int from) {
        if (from == port && isLocal(address)) {
            return SELF;
        }
        if (from < 1024) {
            return WELL_KNOWN_PORT;
        }
        if ((deniedPorts[from >>> 6] & 1L << from) != 0) {
            return DENIED_PORT;
        }
        return allow.allows(address) ? PASS : NOT_ALLOWED;
    }

    private boolean isLocal(InetAddress address) {
        if (bind.isAnyLocalAddress() && (address.isLoopbackAddress() || address.isAnyLocalAddress())) {
            return true;
        }
        for (InetAddress a : local) {
            if (a.equals(address)) {
                return true;
            }
        }
        return false;
    }

    /** The host's addresses when the socket listens on all of them; read once, when the socket opens. */
    private static InetAddress[] localAddresses() {
        List<InetAddress> all = new ArrayList<>();
        try {
            for (NetworkInterface nif : Collections.list(NetworkInterface.getNetworkInterfaces())) {
                all.addAll(Collections.list(nif.getInetAddresses()));
            }
        } catch (SocketException e) {
            // Loopback and the wildcard are still recognized; the deny-ports list covers the rest.
        }
        return all.toArray(new InetAddress[0]);
    }
}
