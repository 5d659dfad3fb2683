package dev.llama.config;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.List;
import java.util.Map;

/**
 * A validated collector configuration, in the original's full format (docs/design.md, "Compatibility with the original").
 *
 * @param interval   summarization interval, seconds
 * @param handlers   accepted for compatibility with the original (its worker count); summaries run on
 *                   a Vert.x worker here
 * @param apiBind    where the collector's HTTP API listens
 * @param ports      named socket templates
 * @param portGroups named lists of (port template, count)
 * @param rateLimits named rates, cycles per second
 * @param tests      what to probe
 * @param targets    named lists of reflectors
 * @param authKeys   the probe key file ({@code auth_keys}): probes are signed and only authenticated
 *                   replies count; null for the original's unauthenticated probes
 */
public record CollectorConfig(
        int interval,
        int handlers,
        InetSocketAddress apiBind,
        ApiOptions api,
        Map<String, Port> ports,
        Map<String, List<PortGroupEntry>> portGroups,
        Map<String, Double> rateLimits,
        List<Test> tests,
        Map<String, List<Target>> targets,
        String authKeys) {

    /**
     * A socket template.
     *
     * @param ip        local address to bind
     * @param port      local port, 0 for one the OS picks
     * @param tos       IP TOS byte for probes sent from it
     * @param timeoutMs how long a probe may take before it counts as lost
     */
    /**
     * A socket template; {@code acceptOtherSource} accepts a reply from another address of the target (a
     * multi-homed reflector bound to the wildcard) where otherwise only the probed address and port count.
     */
    public record Port(String name, InetAddress ip, int port, int tos, int timeoutMs, boolean acceptOtherSource) {
    }

    /** {@code count} sockets made from the port template {@code port}. */
    public record PortGroupEntry(String port, int count) {
    }

    /**
     * A reflector to probe, with the tags its summaries carry.
     *
     * @param stampKey a STAMP target's authenticated-mode key in hex (read from {@code stamp_key_file}), or null
     */
    public record Target(InetAddress ip, int port, Map<String, String> tags, String stampKey) {
        public Target(InetAddress ip, int port, Map<String, String> tags) {
            this(ip, port, tags, null);
        }

        /** The tag that names a target's protocol; absent for LLAMA targets. */
        public static final String PROTOCOL_TAG = "protocol";
        public static final String LLAMA = "llama";
        public static final String STAMP = "stamp";

        public InetSocketAddress address() {
            return new InetSocketAddress(ip, port);
        }

        /** Without the key, which is a secret. */
        @Override
        public String toString() {
            return "Target[" + ip.getHostAddress() + ":" + port + ", tags=" + tags + (stampKey == null ? "" : ", stamp key") + "]";
        }

        /** Whether it is probed with STAMP (RFC 8762) test packets: config {@code protocol: stamp}. */
        public boolean stamp() {
            return STAMP.equals(tags.get(PROTOCOL_TAG));
        }
    }

    /** Targets, probed from every socket of a port group, {@code rateLimit} cycles per second. */
    public record Test(String targets, String portGroup, String rateLimit) {
    }

    /** All sockets of this test, in order: each port template repeated {@code count} times. */
    public List<Port> socketsOf(Test test) {
        return portGroups.get(test.portGroup()).stream()
                .flatMap(e -> java.util.Collections.nCopies(e.count(), ports.get(e.port())).stream())
                .toList();
    }

    public double cpsOf(Test test) {
        return rateLimits.get(test.rateLimit());
    }

    public List<Target> targetsOf(Test test) {
        return targets.get(test.targets());
    }
}
