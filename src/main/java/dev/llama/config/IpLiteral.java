package dev.llama.config;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.regex.Pattern;

/** Parses IP address literals only; a configuration never triggers a DNS lookup. */
public final class IpLiteral {
    private static final Pattern V4 = Pattern.compile(
            "(25[0-5]|2[0-4]\\d|1\\d\\d|[1-9]?\\d)(\\.(25[0-5]|2[0-4]\\d|1\\d\\d|[1-9]?\\d)){3}");
    private static final Pattern V6 = Pattern.compile("[0-9a-fA-F:.]+(%[\\w.]+)?");

    private IpLiteral() {
    }

    /** The address, or null when {@code text} is not an IPv4 or IPv6 literal. */
    public static InetAddress parse(String text) {
        if (text == null) {
            return null;
        }
        String s = text.trim();
        if (s.startsWith("[") && s.endsWith("]")) {
            s = s.substring(1, s.length() - 1);
        }
        boolean v4 = V4.matcher(s).matches();
        if (!v4 && !(s.contains(":") && V6.matcher(s).matches())) {
            return null;
        }
        try {
            return InetAddress.getByName(s);
        } catch (UnknownHostException e) {
            return null;
        }
    }

    /** Like {@link #parse} but failing with a message that names {@code key}. */
    public static InetAddress require(String key, Object value) {
        InetAddress addr = value instanceof String s ? parse(s) : null;
        if (addr == null) {
            throw new ConfigException(key, "not an IP address: " + value);
        }
        return addr;
    }
}
