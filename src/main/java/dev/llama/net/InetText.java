package dev.llama.net;

import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;

/**
 * Addresses as text for logs and summaries: IPv6 in RFC 5952's canonical form ({@code ::1}, not Java's
 * {@code 0:0:0:0:0:0:0:1}), and socket addresses as {@code [v6]:port} or {@code v4:port}.
 */
public final class InetText {
    private static final char[] HEX = "0123456789abcdef".toCharArray();

    private InetText() {
    }

    /** RFC 5952 text of {@code address}; IPv4 in dotted decimal. Never a DNS lookup. */
    public static String format(InetAddress address) {
        if (address instanceof Inet6Address v6) {
            String text = format6(v6.getAddress());
            return v6.getScopeId() != 0 || v6.getScopedInterface() != null ? text + "%" + zone(v6) : text;
        }
        return address.getHostAddress();
    }

    /** {@code [v6]:port} or {@code v4:port}; an unresolved address keeps its host string. */
    public static String format(InetSocketAddress address) {
        InetAddress ip = address.getAddress();
        if (ip == null) {
            String host = address.getHostString();
            return (host.indexOf(':') >= 0 ? "[" + host + "]" : host) + ":" + address.getPort();
        }
        String host = format(ip);
        return (ip instanceof Inet6Address ? "[" + host + "]" : host) + ":" + address.getPort();
    }

    private static String zone(Inet6Address v6) {
        return v6.getScopedInterface() != null ? v6.getScopedInterface().getName() : Integer.toString(v6.getScopeId());
    }

    static String format6(byte[] b) {
        int[] groups = new int[8];
        for (int i = 0; i < 8; i++) {
            groups[i] = (b[2 * i] & 0xff) << 8 | (b[2 * i + 1] & 0xff);
        }
        if (groups[0] == 0 && groups[1] == 0 && groups[2] == 0 && groups[3] == 0 && groups[4] == 0 && groups[5] == 0xffff) {
            // IPv4-mapped (RFC 5952 section 5): the last 32 bits in dotted decimal.
            return "::ffff:" + (b[12] & 0xff) + "." + (b[13] & 0xff) + "." + (b[14] & 0xff) + "." + (b[15] & 0xff);
        }
        int bestStart = -1;
        int bestLength = 1; // a single zero group is never compressed
        for (int i = 0; i < 8; ) {
            if (groups[i] != 0) {
                i++;
                continue;
            }
            int j = i;
            while (j < 8 && groups[j] == 0) {
                j++;
            }
            if (j - i > bestLength) {
                bestStart = i;
                bestLength = j - i;
            }
            i = j;
        }
        var sb = new StringBuilder(39);
        for (int i = 0; i < 8; i++) {
            if (i == bestStart) {
                sb.append("::");
                i += bestLength - 1;
                continue;
            }
            if (sb.length() > 0 && sb.charAt(sb.length() - 1) != ':') {
                sb.append(':');
            }
            hex(sb, groups[i]);
        }
        return sb.toString();
    }

    private static void hex(StringBuilder sb, int group) {
        boolean started = false;
        for (int shift = 12; shift >= 0; shift -= 4) {
            int digit = group >> shift & 0xf;
            if (digit != 0 || started || shift == 0) {
                sb.append(HEX[digit]);
                started = true;
            }
        }
    }
}
