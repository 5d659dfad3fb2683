package dev.llama.config;

import dev.llama.config.CollectorConfig.Port;
import dev.llama.config.CollectorConfig.PortGroupEntry;
import dev.llama.config.CollectorConfig.Target;
import dev.llama.config.CollectorConfig.Test;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
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
import java.util.function.BiFunction;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;

/**
 * Turns the JSON that vertx-config reads from a YAML file into a {@link CollectorConfig}, accepting
 * both of the original's formats and naming the key of the first problem found.
 *
 * <p>The legacy format is a map from target IP to tags; it takes everything else from the built-in
 * default and probes every target on the {@code -llama.dst-port} port.
 */
public final class ConfigParser {
    static final Set<String> SECTIONS =
            Set.of("summarization", "api", "ports", "port_groups", "rate_limits", "tests", "targets");
    private static final int MAX_TIMEOUT_MS = 60_000;
    private static final int MAX_COUNT = 1024;
    private static final double MAX_CPS = 100_000;

    private ConfigParser() {
    }

    /** The original's built-in default: one target, 127.0.0.1:8100, probed from 4 sockets at 4 cps. */
    public static JsonObject defaultJson() {
        return yamlResource("/llama/default-collector.yaml");
    }

    /** Reads a YAML classpath resource as JSON, the way vertx-config's YAML store does. */
    public static JsonObject yamlResource(String resource) {
        try (InputStream in = ConfigParser.class.getResourceAsStream(resource)) {
            if (in == null) {
                throw new IllegalStateException("missing resource " + resource);
            }
            return yamlToJson(new String(in.readAllBytes(), java.nio.charset.StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Parses YAML text to JSON (a top-level mapping), as vertx-config-yaml does. */
    @SuppressWarnings("unchecked")
    public static JsonObject yamlToJson(String yaml) {
        Object doc = new Yaml(new SafeConstructor(new LoaderOptions())).load(yaml);
        if (doc == null) {
            return new JsonObject();
        }
        if (!(doc instanceof Map)) {
            throw new ConfigException("(top level)", "expected a mapping, got " + doc.getClass().getSimpleName());
        }
        return new JsonObject(stringKeys((Map<Object, Object>) doc));
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> stringKeys(Map<Object, Object> map) {
        var out = new LinkedHashMap<String, Object>();
        map.forEach((k, v) -> out.put(String.valueOf(k), v instanceof Map ? stringKeys((Map<Object, Object>) v) : v));
        return out;
    }

    /** Whether {@code json} is in the legacy format (a map of target IP to tags). */
    public static boolean isLegacy(JsonObject json) {
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

    private static CollectorConfig parseFull(JsonObject json) {
        for (String key : json.fieldNames()) {
            if (!SECTIONS.contains(key)) {
                throw new ConfigException(key, "unknown section (known: " + new java.util.TreeSet<>(SECTIONS) + ")");
            }
        }
        var summarization = object(json, "summarization", new JsonObject());
        allowKeys("summarization", summarization, "interval", "handlers");
        int interval = integer(summarization, "summarization.interval", "interval", 30, 1, 86_400);
        int handlers = integer(summarization, "summarization.handlers", "handlers", 2, 1, 1024);
        var api = object(json, "api", new JsonObject());
        allowKeys("api", api, "bind");
        InetSocketAddress apiBind = hostPort("api.bind", api.getValue("bind", "0.0.0.0:5000"));

        var ports = namedMap(json, "ports", (key, o) -> port(key, o));
        var portGroups = namedMap(json, "port_groups", (key, o) -> portGroup(key, o, ports));
        var rateLimits = namedMap(json, "rate_limits", ConfigParser::rateLimit);
        var targets = namedMap(json, "targets", ConfigParser::targetList);
        var tests = tests(json, portGroups, rateLimits, targets);
        return new CollectorConfig(interval, handlers, apiBind, ports, portGroups, rateLimits, tests, targets);
    }

    private static <T> Map<String, T> namedMap(JsonObject json, String section, BiFunction<String, Object, T> parse) {
        var obj = object(json, section, new JsonObject());
        var out = new LinkedHashMap<String, T>();
        for (String name : obj.fieldNames()) {
            out.put(name, parse.apply(section + "." + name, obj.getValue(name)));
        }
        return Collections.unmodifiableMap(out);
    }

    private static Port port(String key, Object value) {
        var o = asObject(key, value);
        allowKeys(key, o, "ip", "port", "tos", "timeout");
        InetAddress ip = IpLiteral.require(key + ".ip", o.getValue("ip", "0.0.0.0"));
        int port = integer(o, key + ".port", "port", 0, 0, 65535);
        int tos = integer(o, key + ".tos", "tos", 0, 0, 255);
        int timeout = integer(o, key + ".timeout", "timeout", 1000, 1, MAX_TIMEOUT_MS);
        return new Port(key.substring("ports.".length()), ip, port, tos, timeout);
    }

    private static List<PortGroupEntry> portGroup(String key, Object value, Map<String, Port> ports) {
        if (!(value instanceof JsonArray arr) || arr.isEmpty()) {
            throw new ConfigException(key, "expected a non-empty list of {port, count}");
        }
        var out = new ArrayList<PortGroupEntry>();
        for (int i = 0; i < arr.size(); i++) {
            String k = key + "[" + i + "]";
            var o = asObject(k, arr.getValue(i));
            allowKeys(k, o, "port", "count");
            String port = string(o, k + ".port", "port");
            if (!ports.containsKey(port)) {
                throw new ConfigException(k + ".port", "unknown port \"" + port + "\" (known: " + ports.keySet() + ")");
            }
            int count = integer(o, k + ".count", "count", 1, 1, MAX_COUNT);
            if (count > 1 && ports.get(port).port() != 0) {
                throw new ConfigException(k + ".count", "port \"" + port + "\" has a fixed port number, so count must be 1");
            }
            out.add(new PortGroupEntry(port, count));
        }
        return List.copyOf(out);
    }

    private static Double rateLimit(String key, Object value) {
        var o = asObject(key, value);
        allowKeys(key, o, "cps");
        Object cps = o.getValue("cps");
        if (!(cps instanceof Number n) || !(n.doubleValue() > 0) || n.doubleValue() > MAX_CPS) {
            throw new ConfigException(key + ".cps", "must be a number above 0 and at most " + (long) MAX_CPS + ", got " + cps);
        }
        return n.doubleValue();
    }

    private static List<Target> targetList(String key, Object value) {
        if (!(value instanceof JsonArray arr)) {
            throw new ConfigException(key, "expected a list of {ip, port, tags}");
        }
        var out = new ArrayList<Target>();
        var seen = new HashMap<InetSocketAddress, Integer>();
        for (int i = 0; i < arr.size(); i++) {
            String k = key + "[" + i + "]";
            var o = asObject(k, arr.getValue(i));
            allowKeys(k, o, "ip", "port", "tags");
            InetAddress ip = IpLiteral.require(k + ".ip", o.getValue("ip"));
            int port = integer(o, k + ".port", "port", 8100, 1, 65535);
            var tags = tags(k + ".tags", o.getValue("tags"));
            var addr = new InetSocketAddress(ip, port);
            Integer prev = seen.putIfAbsent(addr, i);
            if (prev != null) {
                throw new ConfigException(k, "duplicate target " + ip.getHostAddress() + ":" + port + " (also at " + key + "[" + prev + "])");
            }
            out.add(new Target(ip, port, tags));
        }
        return List.copyOf(out);
    }

    private static Map<String, String> tags(String key, Object value) {
        if (value == null) {
            return Map.of();
        }
        var o = asObject(key, value);
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

    private static List<Test> tests(JsonObject json, Map<String, List<PortGroupEntry>> portGroups,
                                    Map<String, Double> rateLimits, Map<String, List<Target>> targets) {
        Object value = json.getValue("tests", new JsonArray());
        if (!(value instanceof JsonArray arr)) {
            throw new ConfigException("tests", "expected a list of {targets, port_group, rate_limit}");
        }
        var out = new ArrayList<Test>();
        for (int i = 0; i < arr.size(); i++) {
            String k = "tests[" + i + "]";
            var o = asObject(k, arr.getValue(i));
            allowKeys(k, o, "targets", "port_group", "rate_limit");
            out.add(new Test(reference(o, k, "targets", "target list", targets.keySet()),
                    reference(o, k, "port_group", "port group", portGroups.keySet()),
                    reference(o, k, "rate_limit", "rate limit", rateLimits.keySet())));
        }
        return List.copyOf(out);
    }

    private static String reference(JsonObject o, String key, String field, String what, Set<String> known) {
        String name = string(o, key + "." + field, field);
        if (!known.contains(name)) {
            throw new ConfigException(key + "." + field, "unknown " + what + " \"" + name + "\" (known: " + new java.util.TreeSet<>(known) + ")");
        }
        return name;
    }

    private static InetSocketAddress hostPort(String key, Object value) {
        if (!(value instanceof String s) || s.lastIndexOf(':') < 0) {
            throw new ConfigException(key, "expected IP:PORT, got " + value);
        }
        int colon = s.lastIndexOf(':');
        InetAddress ip = IpLiteral.parse(s.substring(0, colon));
        int port;
        try {
            port = Integer.parseInt(s.substring(colon + 1));
        } catch (NumberFormatException e) {
            port = -1;
        }
        if (ip == null || port < 0 || port > 65535) {
            throw new ConfigException(key, "expected IP:PORT, got " + value);
        }
        return new InetSocketAddress(ip, port);
    }

    /** Parses {@code IP:PORT} (IPv6 in brackets), failing with a message naming {@code key}. */
    public static InetSocketAddress parseHostPort(String key, String value) {
        return hostPort(key, value);
    }

    private static JsonObject object(JsonObject json, String key, JsonObject def) {
        Object v = json.getValue(key);
        if (v == null) {
            return def;
        }
        return asObject(key, v);
    }

    private static JsonObject asObject(String key, Object v) {
        if (!(v instanceof JsonObject o)) {
            throw new ConfigException(key, "expected a mapping, got " + v);
        }
        return o;
    }

    private static void allowKeys(String key, JsonObject o, String... allowed) {
        var ok = Set.of(allowed);
        for (String name : o.fieldNames()) {
            if (!ok.contains(name)) {
                throw new ConfigException(key + "." + name, "unknown key (known: " + String.join(", ", allowed) + ")");
            }
        }
    }

    private static String string(JsonObject o, String key, String field) {
        Object v = o.getValue(field);
        if (!(v instanceof String s) || s.isEmpty()) {
            throw new ConfigException(key, "expected a name, got " + v);
        }
        return s;
    }

    private static int integer(JsonObject o, String key, String field, int def, int min, int max) {
        Object v = o.getValue(field);
        if (v == null) {
            return def;
        }
        if (!(v instanceof Integer || v instanceof Long) || ((Number) v).longValue() < min || ((Number) v).longValue() > max) {
            throw new ConfigException(key, "must be an integer from " + min + " to " + max + ", got " + v);
        }
        return ((Number) v).intValue();
    }
}
