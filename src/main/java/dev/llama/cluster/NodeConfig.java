package dev.llama.cluster;

import dev.llama.config.AllowList;
import dev.llama.config.ApiOptions;
import dev.llama.config.ConfigException;
import dev.llama.config.ConfigParser;
import dev.llama.config.HostPort;
import dev.llama.config.Keys;
import dev.llama.config.StampKeyFile;
import dev.llama.config.LocalizeLevels;
import dev.llama.scraper.ScraperConfig;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * One node's configuration ({@code conf/node.yaml}): who it is, which roles it runs, how it joins the
 * cluster, and the settings of each role. {@link #parse} names the key of the first problem.
 *
 * @param roles the roles to deploy; the order of deployment is fixed (reflector, scraper, collector, api)
 * @param scraper the {@code scraper} section in {@link ScraperConfig}'s format, null without the role
 */
public record NodeConfig(Identity identity, Set<Role> roles, Cluster cluster, Reflector reflector, Collector collector,
                         Api api, ScraperConfig scraper) {
    static final Pattern TAG_NAME = Pattern.compile("[A-Za-z0-9_]{1,64}");

    /** What a node can do. */
    public enum Role {
        REFLECTOR, COLLECTOR, SCRAPER, API;

        public String label() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    /**
     * Who a node is; it goes with everything the node publishes.
     *
     * @param ip the address its reflector listens on and its collector probes from
     */
    public record Identity(String name, InetAddress ip, Map<String, String> tags, long heartbeatMs) {
    }

    /**
     * How to join: Hazelcast settings from {@code configFile} (null: the bundled {@code cluster.xml}),
     * with the name, interface, port and members given here taking precedence.
     */
    public record Cluster(String name, Path configFile, String host, int port, List<String> members, int busPort,
                          ClusterSecurity security) {
    }

    /**
     * @param allow    the source networks the reflector answers ({@code reflector.allow}: CIDRs)
     * @param authKeys the probe key file ({@code reflector.auth_keys}); null answers unauthenticated probes
     * @param stamp    the STAMP Session-Reflector ({@code reflector.stamp_port}, {@code reflector.stamp_key_file}), or null for none
     */
    public record Reflector(int port, long maxPps, AllowList allow, Path authKeys, Stamp stamp) {
    }

    /**
     * The STAMP Session-Reflector's settings ({@code reflector.stamp_port}, {@code reflector.stamp_key_file}).
     *
     * @param key the HMAC key of authenticated mode, or null for unauthenticated mode
     */
    public record Stamp(int port, byte[] key) {
        public boolean authenticated() {
            return key != null;
        }
    }

    /**
     * The collector role: how it probes and which targets it picks.
     *
     * @param staticTargets targets in the collector config's {@code {ip, port, tags}} form, probed besides discovered ones
     */
    /** A node's collector; {@code authKeys}, when not null, is the key file its probes are signed with. */
    public record Collector(int interval, int sockets, double cps, int timeoutMs, int tos, JsonArray staticTargets,
                            Discovery discovery, String authKeys) {
    }

    /**
     * Which registered reflectors a collector probes.
     *
     * @param fanOut 0 for every reflector; otherwise each reflector is probed by this many collectors (see {@link Subset})
     * @param rules reflectors to probe whatever the fan-out
     * @param expirySeconds how long a reflector whose node left the cluster without saying so is still probed
     */
    public record Discovery(boolean enabled, int fanOut, List<Subset.Rule> rules, boolean includeSelf, long expirySeconds,
                            long scanMs) {
    }

    public record Api(InetSocketAddress bind, int historyMinutes, ApiOptions options) {
    }

    private static final Set<String> TOP = Set.of("node", "roles", "cluster", "reflector", "collector", "api", "scraper", "localize");

    private static AllowList reflectorAllow(List<String> cidrs) {
        try {
            return AllowList.of(cidrs);
        } catch (IllegalArgumentException e) {
            throw new ConfigException("reflector.allow", e.getMessage());
        }
    }

    /** The STAMP port and its key, read here so a bad key file stops startup naming key and file. */
    private static Stamp stamp(Keys r) {
        int port = (int) r.integer("stamp_port", 0, 0, 65_535);
        String keyFile = r.string("stamp_key_file", "");
        if (port == 0) {
            if (!keyFile.isBlank()) {
                throw new ConfigException(r.key("stamp_key_file"), "needs reflector.stamp_port");
            }
            return null;
        }
        if (keyFile.isBlank()) {
            return new Stamp(port, null);
        }
        try {
            return new Stamp(port, StampKeyFile.read(Path.of(keyFile)));
        } catch (IOException e) {
            throw new ConfigException(r.key("stamp_key_file"), "cannot read " + keyFile + ": " + e.getMessage());
        } catch (IllegalArgumentException e) {
            throw new ConfigException(r.key("stamp_key_file"), e.getMessage());
        }
    }

    /** Parses a node configuration; {@code rolesOverride} (from {@code --roles}) replaces {@code roles} when not null. */
    public static NodeConfig parse(JsonObject json, String rolesOverride) {
        var top = new Keys(json, "", TOP);
        var identity = identity(top.section("node", Set.of("name", "ip", "tags", "heartbeat_ms")));
        var roles = roles(rolesOverride != null ? rolesOverride : top.has("roles") ? top.value("roles") : "reflector,collector,api",
                rolesOverride != null ? "--roles" : "roles");
        var cluster = cluster(top.section("cluster", Set.of("name", "config", "host", "port", "members", "bus_port",
                "tls", "secret_file")));
        var r = top.section("reflector", Set.of("port", "max_pps", "allow", "auth_keys", "stamp_port", "stamp_key_file"));
        String authKeys = r.string("auth_keys", null);
        var reflector = new Reflector((int) r.integer("port", 8100, 0, 65_535), r.integer("max_pps", 5000, 0, 10_000_000),
                reflectorAllow(Keys.commaList(r.key("allow"), r.value("allow"), "CIDRs")),
                authKeys == null || authKeys.isBlank() ? null : Path.of(authKeys), stamp(r));
        var collector = collector(top.section("collector", Set.of("interval", "sockets", "cps", "timeout_ms", "tos", "targets", "discovery",
                "auth_keys")));
        var a = top.section("api", ConfigParser.union(Set.of("bind", "history_minutes"), ApiOptions.KEYS));
        var api = new Api(a.address("bind", ConfigParser.DEFAULT_API_BIND), (int) a.integer("history_minutes", 60, 1, 10_080),
                ApiOptions.parse(a).withLocalizeLevels(LocalizeLevels.parse(top)));
        ScraperConfig scraper = null;
        if (roles.contains(Role.SCRAPER)) {
            scraper = ScraperConfig.parse(top.object("scraper").copy().put("bus", true));
        }
        var config = new NodeConfig(identity, roles, cluster, reflector, collector, api, scraper);
        if (roles.contains(Role.COLLECTOR)) {
            // Generate the collector's configuration once, so a problem in it stops startup naming the key.
            CollectorTargets.config(config, List.of());
        }
        return config;
    }

    private static Identity identity(Keys k) {
        String name = k.string("name", "");
        if (name.isEmpty()) {
            name = hostName();
        }
        if (name.length() > 128 || name.chars().anyMatch(c -> c < ' ' || c == '/')) {
            throw new ConfigException(k.key("name"), "must be 1 to 128 printable characters without '/', got \"" + name + "\"");
        }
        InetAddress ip = k.ip("ip", "127.0.0.1");
        var tags = new LinkedHashMap<String, String>();
        for (var e : k.object("tags")) {
            if (!TAG_NAME.matcher(e.getKey()).matches()) {
                throw new ConfigException(k.key("tags." + e.getKey()), "tag names are letters, digits and _ (at most 64)");
            }
            if (!(e.getValue() instanceof String v) || v.isEmpty() || v.contains("\n")) {
                throw new ConfigException(k.key("tags." + e.getKey()), "expected a non-empty string without newlines");
            }
            tags.put(e.getKey(), v);
        }
        return new Identity(name, ip, java.util.Collections.unmodifiableMap(new java.util.TreeMap<>(tags)), k.integer("heartbeat_ms", 2000, 100, 60_000));
    }

    static Set<Role> roles(Object value, String key) {
        var names = Keys.commaList(key, value, "role names");
        var roles = EnumSet.noneOf(Role.class);
        for (String name : names) {
            try {
                roles.add(Role.valueOf(name.toUpperCase(Locale.ROOT)));
            } catch (IllegalArgumentException e) {
                throw new ConfigException(key, "unknown role \"" + name + "\" (roles: reflector, collector, scraper, api)");
            }
        }
        if (roles.isEmpty()) {
            throw new ConfigException(key, "no roles: name at least one of reflector, collector, scraper, api");
        }
        return roles;
    }

    private static Cluster cluster(Keys k) {
        String file = k.string("config", "");
        var members = new ArrayList<String>();
        for (Object o : k.list("members")) {
            if (!(o instanceof String s)) {
                throw new ConfigException(k.key("members"), "entries are host or host:port, got " + o);
            }
            HostPort.parse(k.key("members"), s, 0);
            members.add(s);
        }
        String host = k.string("host", "127.0.0.1");
        if (members.isEmpty()) {
            members.add(host);
        }
        int port = (int) k.integer("port", 5701, 1, 65_535);
        // a fixed event-bus port a firewall rule can name: Hazelcast's + 100 (5801), so nodes sharing a host differ
        int busPort = (int) k.integer("bus_port", port <= 65_435 ? port + 100 : 0, 0, 65_535);
        return new Cluster(k.string("name", "llama"), file.isEmpty() ? null : Path.of(file), host,
                port, List.copyOf(members), busPort,
                ClusterSecurity.parse(k));
    }

    private static Collector collector(Keys k) {
        var d = k.section("discovery", Set.of("enabled", "fan_out", "rules", "include_self", "expiry_s", "scan_ms"));
        var rules = new ArrayList<Subset.Rule>();
        var list = d.list("rules");
        for (int i = 0; i < list.size(); i++) {
            rules.add(Subset.Rule.parse(d.key("rules") + "[" + i + "]", list.getValue(i)));
        }
        var discovery = new Discovery(d.bool("enabled", true), (int) d.integer("fan_out", 0, 0, 100_000), List.copyOf(rules),
                d.bool("include_self", true), d.integer("expiry_s", 300, 1, 86_400 * 7), d.integer("scan_ms", 2000, 100, 600_000));
        return new Collector((int) k.integer("interval", 30, 1, 3600), (int) k.integer("sockets", 4, 1, 1024),
                k.number("cps", 4, 0, 100_000), (int) k.integer("timeout_ms", 1000, 1, 60_000), (int) k.integer("tos", 0, 0, 255),
                k.list("targets"), discovery, k.string("auth_keys", null));
    }

    /** This machine's name, the default name of a node or collector. */
    public static String hostName() {
        try {
            return InetAddress.getLocalHost().getHostName();
        } catch (Exception e) {
            return "localhost";
        }
    }
}
