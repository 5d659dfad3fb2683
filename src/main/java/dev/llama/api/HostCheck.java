package dev.llama.api;

import dev.llama.config.IpLiteral;
import io.vertx.ext.web.RoutingContext;
import java.net.InetAddress;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * Answers only requests whose {@code Host} names this server, so a web page on another site cannot
 * reach the API through DNS rebinding: allowed are the bind address, {@code localhost},
 * {@code 127.0.0.1}, {@code [::1]} and the configured names; when the API binds to a wildcard address,
 * any IP literal too (a rebinding attack needs a name). Anything else gets 421 Misdirected Request, a
 * missing or repeated {@code Host} 400. The port is not checked.
 */
final class HostCheck {
    private final Set<String> allowed = new HashSet<>();
    private final boolean anyLiteral;

    HostCheck(InetAddress bind, List<String> names) {
        anyLiteral = bind.isAnyLocalAddress();
        for (String name : List.of("localhost", "127.0.0.1", "::1", bind.getHostAddress())) {
            allowed.add(normal(name));
        }
        names.forEach(n -> allowed.add(normal(n)));
    }

    void handle(RoutingContext ctx) {
        var hosts = ctx.request().headers().getAll("host");
        if (hosts.size() != 1) {
            Responses.error(ctx, 400, hosts.isEmpty() ? "a Host header is required" : "more than one Host header");
            return;
        }
        String host = hostOf(hosts.get(0).trim());
        if (host == null || !allows(host)) {
            Responses.error(ctx, 421, "this server does not answer for the host in the Host header;"
                    + " add the name to api.allowed_hosts");
            return;
        }
        ctx.next();
    }

    boolean allows(String host) {
        String h = normal(host);
        return allowed.contains(h) || anyLiteral && IpLiteral.parse(h) != null;
    }

    /** The host of a {@code Host} header value without its port (brackets of an IPv6 literal removed), or null. */
    static String hostOf(String value) {
        if (value.startsWith("[")) {
            int end = value.indexOf(']');
            if (end < 0 || end + 1 < value.length() && value.charAt(end + 1) != ':') {
                return null;
            }
            return value.substring(1, end);
        }
        int colon = value.indexOf(':');
        if (colon >= 0 && value.indexOf(':', colon + 1) >= 0) {
            return null;
        }
        String host = colon < 0 ? value : value.substring(0, colon);
        return host.isEmpty() ? null : host;
    }

    private static String normal(String host) {
        String h = host.toLowerCase(Locale.ROOT);
        if (h.startsWith("[") && h.endsWith("]")) {
            h = h.substring(1, h.length() - 1);
        }
        if (h.endsWith(".")) {
            h = h.substring(0, h.length() - 1);
        }
        var ip = h.contains(":") ? IpLiteral.parse(h) : null;
        return ip != null ? ip.getHostAddress().replaceAll("%.*", "") : h;
    }
}
