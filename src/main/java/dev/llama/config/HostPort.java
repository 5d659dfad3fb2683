package dev.llama.config;

import java.net.InetAddress;
import java.net.InetSocketAddress;

/**
 * A host and port as written in configurations and flags: {@code host}, {@code host:port},
 * {@code [v6]:port}, {@code [v6]} or a bare IPv6 address. The one parser of such text in llama.
 *
 * @param host a host name or IP literal, without brackets
 */
public record HostPort(String host, int port) {

    /**
     * Parses {@code text}, taking {@code defaultPort} when it names none.
     *
     * @throws ConfigException naming {@code key}
     */
    public static HostPort parse(String key, String text, int defaultPort) {
        String s = text == null ? "" : text.trim();
        String host = s;
        String port = null;
        if (s.startsWith("[")) {
            int close = s.indexOf(']');
            if (close < 0 || close + 1 < s.length() && s.charAt(close + 1) != ':') {
                throw new ConfigException(key, "expected host, host:port or [IPv6]:port, got \"" + text + "\"");
            }
            host = s.substring(1, close);
            port = close + 1 < s.length() ? s.substring(close + 2) : null;
        } else if (s.indexOf(':') >= 0 && s.indexOf(':') == s.lastIndexOf(':')) {
            host = s.substring(0, s.indexOf(':'));
            port = s.substring(s.indexOf(':') + 1);
        }
        if (host.isEmpty() || host.chars().anyMatch(c -> c <= ' ' || c == '/' || c == '?' || c == '#' || c == '@' || c == '[' || c == ']')
                || host.contains(":") && IpLiteral.parse(host) == null) {
            throw new ConfigException(key, "not a host name or address: \"" + text + "\"");
        }
        return new HostPort(host, port == null ? defaultPort : port(key, port, text));
    }

    /**
     * Parses a local address to bind, {@code IP:PORT} ({@code [v6]:PORT}); port 0 lets the OS pick.
     *
     * @throws ConfigException naming {@code key}
     */
    public static InetSocketAddress address(String key, String text) {
        HostPort hp;
        try {
            hp = parse(key, text, -1);
        } catch (ConfigException e) {
            hp = null;
        }
        InetAddress ip = hp == null ? null : IpLiteral.parse(hp.host());
        if (ip == null || hp.port() < 0) {
            throw new ConfigException(key, "expected IP:PORT, got " + text);
        }
        return new InetSocketAddress(ip, hp.port());
    }

    private static int port(String key, String digits, String text) {
        try {
            int port = Integer.parseInt(digits);
            if (port >= 0 && port <= 65_535) {
                return port;
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        throw new ConfigException(key, "bad port in \"" + text + "\"");
    }

    /** {@code host:port}, an IPv6 host in brackets, as URLs and Hazelcast want it. */
    @Override
    public String toString() {
        return (host.contains(":") ? "[" + host + "]" : host) + ":" + port;
    }
}
