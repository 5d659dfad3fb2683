package dev.llama.reflector;

import dev.llama.config.AllowList;
import dev.llama.probe.ProbeKeys;
import java.net.InetAddress;
import java.util.ArrayList;
import java.util.List;

/**
 * What a reflector listens on, how fast it may answer and whom.
 *
 * @param bind      local address ({@code 0.0.0.0} for all)
 * @param port      UDP port, 0 for one the OS picks
 * @param maxPps    replies per second at most (fractions allowed, as in the original); 0 means no limit
 * @param allow     the source networks answered
 * @param denyPorts source ports never answered, because reflectors listen there; null for
 *                  {@link #defaultDenyPorts}
 * @param authKeys  when set, only probes authenticated by one of these keys and sent within
 *                  {@link #REPLAY_WINDOW_NANOS} of this host's clock are answered, and replies are
 *                  signed ({@link dev.llama.probe.ProbeAuth}); null answers every valid probe, as the original
 * @param holdNanos for tests only (no flag or config key sets it): how long each batch of probes is held,
 *                  from its first datagram's arrival, before it is answered, so that a test can check that a reflector's own time is subtracted from the
 *                  RTT; 0 in every deployed reflector. Native datagram path only.
 */
public record ReflectorOptions(InetAddress bind, int port, double maxPps, AllowList allow, List<Integer> denyPorts,
                               ProbeKeys authKeys, long holdNanos) {
    public static final int DEFAULT_PORT = 8100;
    public static final long DEFAULT_MAX_PPS = 5000;
    /** The most {@code -max-pps} may be. */
    public static final double MAX_MAX_PPS = 10_000_000;
    /** How far an authenticated probe's {@code sent} time may be from the reflector's clock, either way: 30 s. */
    public static final long REPLAY_WINDOW_NANOS = 30_000_000_000L;

    public ReflectorOptions {
        if (port < 0 || port > 65535) {
            throw new IllegalArgumentException("port must be 0-65535, got " + port);
        }
        if (!(maxPps >= 0 && maxPps <= MAX_MAX_PPS)) {
            throw new IllegalArgumentException("max-pps must be 0 (no limit) to " + (long) MAX_MAX_PPS + ", got " + maxPps);
        }
        if (holdNanos < 0) {
            throw new IllegalArgumentException("hold must not be negative, got " + holdNanos);
        }
        if (allow == null) {
            allow = AllowList.ANY;
        }
        if (denyPorts != null) {
            denyPorts = List.copyOf(denyPorts);
            for (int p : denyPorts) {
                if (p < 1 || p > 65535) {
                    throw new IllegalArgumentException("deny port must be 1-65535, got " + p);
                }
            }
        }
    }

    public ReflectorOptions(InetAddress bind, int port, double maxPps, AllowList allow, List<Integer> denyPorts,
                            ProbeKeys authKeys) {
        this(bind, port, maxPps, allow, denyPorts, authKeys, 0);
    }

    /** Without authentication. */
    public ReflectorOptions(InetAddress bind, int port, double maxPps, AllowList allow, List<Integer> denyPorts) {
        this(bind, port, maxPps, allow, denyPorts, null);
    }

    /** The same options, answering only probes authenticated by {@code keys}. */
    public ReflectorOptions withAuthKeys(ProbeKeys keys) {
        return new ReflectorOptions(bind, port, maxPps, allow, denyPorts, keys, holdNanos);
    }

    /** For tests: the same options, holding every probe {@code nanos} before its reply is sent. */
    public ReflectorOptions withHold(long nanos) {
        return new ReflectorOptions(bind, port, maxPps, allow, denyPorts, authKeys, nanos);
    }

    /** Any source, default deny ports. */
    public ReflectorOptions(InetAddress bind, int port, long maxPps) {
        this(bind, port, (double) maxPps, AllowList.ANY, null);
    }

    /** The reflector's own port and {@value #DEFAULT_PORT}, where the rest of a fleet listens. */
    public static List<Integer> defaultDenyPorts(int ownPort) {
        return ownPort == DEFAULT_PORT || ownPort == 0 ? List.of(DEFAULT_PORT) : List.of(ownPort, DEFAULT_PORT);
    }

    /**
     * Parses {@code -deny-ports}: comma-separated ports; blank for none beyond the reflector's own
     * address and port, which are never answered whatever this says.
     *
     * @throws IllegalArgumentException naming the entry that is not a port
     */
    public static List<Integer> parseDenyPorts(String csv) {
        var ports = new ArrayList<Integer>();
        if (csv.isBlank()) {
            return ports;
        }
        for (String raw : csv.split(",", -1)) {
            String s = raw.trim();
            int p = s.length() <= 5 && !s.isEmpty() && s.chars().allMatch(Character::isDigit) ? Integer.parseInt(s) : -1;
            if (p < 1 || p > 65535) {
                throw new IllegalArgumentException("not a port: \"" + s + "\"");
            }
            ports.add(p);
        }
        return ports;
    }
}
