package dev.llama.registry;

import dev.llama.config.IpLiteral;
import dev.llama.net.InetText;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.regex.Pattern;

/**
 * A node's entry in the cluster-wide registry {@link NodeRegistry#MAP}: its identity, roles, Vert.x
 * cluster node id, and where its reflector and API listen (0 when it has none).
 */
public record NodeInfo(String name, String ip, Map<String, String> tags, List<String> roles, String nodeId, long started,
                       long lastSeen, int reflectorPort, int apiPort) {
    /** The roles a node can have. */
    public static final Set<String> ROLES = Set.of("reflector", "collector", "scraper", "api");
    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,63}");
    private static final Pattern TAG_KEY = Pattern.compile("[A-Za-z0-9_.-]{1,64}");
    private static final Pattern NODE_ID = Pattern.compile("[A-Za-z0-9._:-]{1,128}");
    private static final int MAX_TAGS = 32;
    private static final int MAX_TAG_VALUE = 256;

    public JsonObject toJson() {
        return new JsonObject()
                .put("name", name)
                .put("ip", ip)
                .put("tags", new JsonObject(new LinkedHashMap<>(new TreeMap<>(tags))))
                .put("roles", new JsonArray(new ArrayList<>(roles)))
                .put("node_id", nodeId)
                .put("started", started)
                .put("last_seen", lastSeen)
                .put("reflector_port", reflectorPort)
                .put("api_port", apiPort);
    }

    /**
     * The text a registry entry's signature covers: {@link #toJson()} encoded, fields in a fixed order and
     * tags sorted, so every JVM derives the same bytes from the same entry.
     */
    public String canonical() {
        return toJson().encode();
    }

    /**
     * Reads an entry, checking every field: a name, an IP literal (returned in its RFC 5952 form), at most
     * 32 short tags, known roles, ports. Anything else fails with an {@link IllegalArgumentException} naming
     * the field.
     */
    public static NodeInfo fromJson(JsonObject json) {
        String name = matching(json, "name", NAME);
        var addr = json.getValue("ip") instanceof String s && s.length() <= 64 ? IpLiteral.parse(s) : null;
        if (addr == null) {
            throw new IllegalArgumentException("ip: not an IP address");
        }
        var tags = new LinkedHashMap<String, String>();
        if (json.getValue("tags") != null) {
            if (!(json.getValue("tags") instanceof JsonObject t) || t.size() > MAX_TAGS) {
                throw new IllegalArgumentException("tags: not an object of at most " + MAX_TAGS + " tags");
            }
            for (var e : t) {
                if (!TAG_KEY.matcher(e.getKey()).matches() || !(e.getValue() instanceof String v) || v.length() > MAX_TAG_VALUE
                        || v.chars().anyMatch(c -> c < 0x20 || c == 0x7f)) {
                    throw new IllegalArgumentException("tags." + e.getKey() + ": not a short printable string");
                }
                tags.put(e.getKey(), v);
            }
        }
        var roles = new ArrayList<String>();
        if (!(json.getValue("roles") instanceof JsonArray r) || r.size() > ROLES.size()) {
            throw new IllegalArgumentException("roles: not a list of roles");
        }
        for (Object role : r) {
            if (!(role instanceof String s) || !ROLES.contains(s)) {
                throw new IllegalArgumentException("roles: unknown role " + role);
            }
            roles.add(s);
        }
        return new NodeInfo(name, InetText.format(addr), java.util.Collections.unmodifiableMap(new java.util.TreeMap<>(tags)), List.copyOf(roles), matching(json, "node_id", NODE_ID),
                number(json, "started", Long.MAX_VALUE), number(json, "last_seen", Long.MAX_VALUE),
                (int) number(json, "reflector_port", 65_535), (int) number(json, "api_port", 65_535));
    }

    private static String matching(JsonObject json, String key, Pattern pattern) {
        if (!(json.getValue(key) instanceof String s) || !pattern.matcher(s).matches()) {
            throw new IllegalArgumentException(key + ": missing or malformed");
        }
        return s;
    }

    private static long number(JsonObject json, String key, long max) {
        if (!(json.getValue(key) instanceof Number n) || n.doubleValue() != Math.rint(n.doubleValue()) || n.longValue() < 0
                || n.longValue() > max) {
            throw new IllegalArgumentException(key + ": not a whole number from 0 to " + max);
        }
        return n.longValue();
    }

    public boolean has(String role) {
        return roles.contains(role);
    }

    public NodeInfo seenAt(long millis) {
        return new NodeInfo(name, ip, tags, roles, nodeId, started, millis, reflectorPort, apiPort);
    }
}
