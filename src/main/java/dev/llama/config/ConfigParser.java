package dev.llama.config;

import dev.llama.config.CollectorConfig.Port;
import dev.llama.config.CollectorConfig.PortGroupEntry;
import dev.llama.config.CollectorConfig.Target;
import dev.llama.config.CollectorConfig.Test;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.function.BiFunction;

/**
 * Turns a collector configuration's JSON (from {@link YamlFile}, or vertx-config's YAML store on
 * reload) into a {@link CollectorConfig}, accepting both of the original's formats and naming the key
 * of the first problem found.
 *
 * <p>The legacy format is a map from target IP to tags; it takes everything else from the built-in
 * default and probes every target on the {@code -llama.dst-port} port.
 */
public final class ConfigParser {
    static final Set<String> SECTIONS =
            Set.of("summarization", "api", "ports", "port_groups", "rate_limits", "tests", "targets", "auth_keys", "localize");
    private static final int MAX_TIMEOUT_MS = 60_000;
    private static final int MAX_COUNT = 1024;
    private static final double MAX_CPS = 100_000;

    private ConfigParser() {
    }

    /** The original's built-in default: one target, 127.0.0.1:8100, probed from 4 sockets at 4 cps. */
    public static JsonObject defaultJson() {
        return YamlFile.resource("/llama/default-collector.yaml");
    }

    /** Whether {@code json} is in the legacy format (a map of target IP to tags). */
    private static boolean isLegacy(JsonObject json) {
        return !json.isEmpty() && json.fieldNames().stream().noneMatch(SECTIONS::contains);
    }

    /**
     * Validates {@code json} in either format.
     *
     * @param legacyDstPort the reflector port for targets of a legacy-format config
     * @throws ConfigException naming the first offending key
     */
    public static CollectorConfig parse(JsonObject json, int legacyDstPort) {
        if (json.isEmpty()) {
            throw new ConfigException("(top level)", "the configuration is empty");
        }
        return isLegacy(json) ? parseLegacy(json, legacyDstPort) : parseFull(json);
    }

    private static CollectorConfig parseLegacy(JsonObject json, int dstPort) {
        if (dstPort < 1 || dstPort > 65535) {
            throw new ConfigException("-llama.dst-port", "must be 1-65535, got " + dstPort);
        }
        var targets = new JsonArray();
        for (String ip : json.fieldNames()) {
            Object tags = json.getValue(ip);
            if (tags != null && !(tags instanceof JsonObject)) {
                throw new ConfigException(ip, "legacy format maps a target IP to its tags, got " + tags);
            }
            targets.add(new JsonObject().put("ip", ip).put("port", dstPort)
                    .put("tags", tags == null ? new JsonObject() : tags));
        }
        var full = defaultJson();
        full.put("targets", new JsonObject().put("default", targets));
        return parseFull(full);
    }

    /**
     * Fails unless {@code config} probes something. A standalone collector's file must name its
     * targets; a node's collector is not checked, its targets come from discovery.
     *
     * @throws ConfigException naming {@code tests}, or the target list of the first test
     */
    public static CollectorConfig requireTargets(CollectorConfig config) {
        if (config.tests().isEmpty()) {
            throw new ConfigException("tests", "no tests, so nothing would be probed (add tests: [{targets, port_group, rate_limit}])");
        }
        if (config.tests().stream().allMatch(t -> config.targetsOf(t).isEmpty())) {
            throw new ConfigException("targets." + config.tests().get(0).targets(), "empty, and so are the other tests' target lists: nothing would be probed");
        }
        return config;
    }

    /** Where the API listens unless {@code api.bind} says otherwise: this host only, until an operator opens it. */
    public static final String DEFAULT_API_BIND = "127.0.0.1:5000";

    /** Both sets' members. */
    public static Set<String> union(Set<String> a, Set<String> b) {
        var all = new java.util.HashSet<>(a);
        all.addAll(b);
        return Set.copyOf(all);
    }

    private static CollectorConfig parseFull(JsonObject json) {
        var top = new Keys(json, "", SECTIONS);
        var summarization = top.section("summarization", Set.of("interval", "handlers"));
        int interval = (int) summarization.integer("interval", 30, 1, 86_400);
        int handlers = (int) summarization.integer("handlers", 2, 1, 1024);
        var apiSection = top.section("api", union(Set.of("bind"), ApiOptions.KEYS));
        InetSocketAddress apiBind = apiSection.address("bind", DEFAULT_API_BIND);
        var api = ApiOptions.parse(apiSection).withLocalizeLevels(LocalizeLevels.parse(top));

        var ports = namedMap(top, "ports", ConfigParser::port);
        var portGroups = namedMap(top, "port_groups", (key, o) -> portGroup(key, o, ports));
        var rateLimits = namedMap(top, "rate_limits", (key, o) -> Keys.of(key, o, Set.of("cps")).number("cps", 0, MAX_CPS));
        var targets = namedMap(top, "targets", ConfigParser::targetList);
        var tests = tests(top.list("tests"), portGroups, rateLimits, targets);
        String authKeys = top.string("auth_keys", null);
        if (authKeys != null && authKeys.isBlank()) {
            throw new ConfigException("auth_keys", "the path of a probe key file, or leave it out");
        }
        return new CollectorConfig(interval, handlers, apiBind, api, ports, portGroups, rateLimits, tests, targets, authKeys);
    }

    private static <T> Map<String, T> namedMap(Keys top, String section, BiFunction<String, Object, T> parse) {
        var obj = top.object(section);
        var out = new LinkedHashMap<String, T>();
        for (String name : obj.fieldNames()) {
            out.put(name, parse.apply(section + "." + name, obj.getValue(name)));
        }
        return Collections.unmodifiableMap(out);
    }

    private static Port port(String key, Object value) {
        var k = Keys.of(key, value, Set.of("ip", "port", "tos", "timeout", "accept_other_source"));
        return new Port(key.substring("ports.".length()), k.ip("ip", "0.0.0.0"), (int) k.integer("port", 0, 0, 65535),
                (int) k.integer("tos", 0, 0, 255), (int) k.integer("timeout", 1000, 1, MAX_TIMEOUT_MS),
                k.bool("accept_other_source", false));
    }

    private static List<PortGroupEntry> portGroup(String key, Object value, Map<String, Port> ports) {
        if (!(value instanceof JsonArray arr) || arr.isEmpty()) {
            throw new ConfigException(key, "expected a non-empty list of {port, count}");
        }
        var out = new ArrayList<PortGroupEntry>();
        for (int i = 0; i < arr.size(); i++) {
            var k = Keys.of(key + "[" + i + "]", arr.getValue(i), Set.of("port", "count"));
            String port = reference(k, "port", "port", ports.keySet());
            int count = (int) k.integer("count", 1, 1, MAX_COUNT);
            if (count > 1 && ports.get(port).port() != 0) {
                throw new ConfigException(k.key("count"), "port \"" + port + "\" has a fixed port number, so count must be 1");
            }
            out.add(new PortGroupEntry(port, count));
        }
        return List.copyOf(out);
    }

    private static List<Target> targetList(String key, Object value) {
        if (!(value instanceof JsonArray arr)) {
            throw new ConfigException(key, "expected a list of {ip, port, tags}");
        }
        var out = new ArrayList<Target>();
        var seen = new HashMap<InetSocketAddress, Integer>();
        for (int i = 0; i < arr.size(); i++) {
            var k = Keys.of(key + "[" + i + "]", arr.getValue(i), Set.of("ip", "port", "tags", "protocol", "stamp_key_file"));
            InetAddress ip = k.ip("ip", null);
            int port = (int) k.integer("port", 8100, 1, 65535);
            var tags = withProtocol(k.key("protocol"), k.string("protocol", Target.LLAMA), tags(k.key("tags"), k.object("tags")));
            Integer prev = seen.putIfAbsent(new InetSocketAddress(ip, port), i);
            if (prev != null) {
                throw new ConfigException(key + "[" + i + "]", "duplicate target " + ip.getHostAddress() + ":" + port + " (also at " + key + "[" + prev + "])");
            }
            out.add(new Target(ip, port, tags, stampKey(k, Target.STAMP.equals(tags.get(Target.PROTOCOL_TAG)))));
        }
        return List.copyOf(out);
    }

    /** The key of {@code stamp_key_file} in hex, read now so a problem names key and file; null without one. */
    private static String stampKey(Keys k, boolean stamp) {
        String file = k.string("stamp_key_file", "");
        if (file.isBlank()) {
            return null;
        }
        if (!stamp) {
            throw new ConfigException(k.key("stamp_key_file"), "only for targets with protocol: stamp");
        }
        try {
            return java.util.HexFormat.of().formatHex(StampKeyFile.read(java.nio.file.Path.of(file)));
        } catch (java.io.IOException e) {
            throw new ConfigException(k.key("stamp_key_file"), "cannot read " + file + ": " + e.getMessage());
        } catch (IllegalArgumentException e) {
            throw new ConfigException(k.key("stamp_key_file"), e.getMessage());
        }
    }

    /** A STAMP target carries the tag {@code protocol=stamp}; LLAMA targets keep their tags as they are. */
    private static Map<String, String> withProtocol(String key, String protocol, Map<String, String> tags) {
        if (protocol.equals(Target.LLAMA)) {
            return tags;
        }
        if (!protocol.equals(Target.STAMP)) {
            throw new ConfigException(key, "protocol must be llama or stamp, got \"" + protocol + "\"");
        }
        var out = new TreeMap<>(tags);
        out.put(Target.PROTOCOL_TAG, Target.STAMP);
        return Collections.unmodifiableMap(out);
    }

    private static Map<String, String> tags(String key, JsonObject o) {
        var out = new TreeMap<String, String>();
        for (String name : o.fieldNames()) {
            Object v = o.getValue(name);
            if (v instanceof JsonObject || v instanceof JsonArray) {
                throw new ConfigException(key + "." + name, "a tag value must be a string, got " + v);
            }
            if (name.isEmpty() || name.indexOf('\n') >= 0 || (v != null && String.valueOf(v).indexOf('\n') >= 0)) {
                throw new ConfigException(key + "." + name, "tag names and values cannot be empty names or contain newlines");
            }
            out.put(name, v == null ? "" : String.valueOf(v));
        }
        return Collections.unmodifiableMap(out);
    }

    private static List<Test> tests(JsonArray arr, Map<String, List<PortGroupEntry>> portGroups,
                                    Map<String, Double> rateLimits, Map<String, List<Target>> targets) {
        var out = new ArrayList<Test>();
        for (int i = 0; i < arr.size(); i++) {
            var k = Keys.of("tests[" + i + "]", arr.getValue(i), Set.of("targets", "port_group", "rate_limit"));
            out.add(new Test(reference(k, "targets", "target list", targets.keySet()),
                    reference(k, "port_group", "port group", portGroups.keySet()),
                    reference(k, "rate_limit", "rate limit", rateLimits.keySet())));
        }
        return List.copyOf(out);
    }

    private static String reference(Keys k, String field, String what, Set<String> known) {
        String name = k.name(field);
        if (!known.contains(name)) {
            throw new ConfigException(k.key(field), "unknown " + what + " \"" + name + "\" (known: " + new TreeSet<>(known) + ")");
        }
        return name;
    }
}
