package dev.llama.cluster;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A node's entry in the cluster-wide registry {@link NodeRegistry#MAP}: its identity, roles, Vert.x
 * cluster node id, and where its reflector and API listen (0 when it has none).
 */
public record NodeInfo(String name, String ip, Map<String, String> tags, List<String> roles, String nodeId, long started,
                       long lastSeen, int reflectorPort, int apiPort) {

    public JsonObject toJson() {
        return new JsonObject()
                .put("name", name)
                .put("ip", ip)
                .put("tags", new JsonObject(new LinkedHashMap<>(tags)))
                .put("roles", new JsonArray(new ArrayList<>(roles)))
                .put("node_id", nodeId)
                .put("started", started)
                .put("last_seen", lastSeen)
                .put("reflector_port", reflectorPort)
                .put("api_port", apiPort);
    }

    public static NodeInfo fromJson(JsonObject json) {
        var tags = new LinkedHashMap<String, String>();
        json.getJsonObject("tags", new JsonObject()).forEach(e -> tags.put(e.getKey(), String.valueOf(e.getValue())));
        var roles = new ArrayList<String>();
        json.getJsonArray("roles", new JsonArray()).forEach(r -> roles.add(String.valueOf(r)));
        return new NodeInfo(json.getString("name"), json.getString("ip"), Map.copyOf(tags), List.copyOf(roles),
                json.getString("node_id"), json.getLong("started", 0L), json.getLong("last_seen", 0L),
                json.getInteger("reflector_port", 0), json.getInteger("api_port", 0));
    }

    public boolean has(NodeConfig.Role role) {
        return roles.contains(role.label());
    }

    public NodeInfo seenAt(long millis) {
        return new NodeInfo(name, ip, tags, roles, nodeId, started, millis, reflectorPort, apiPort);
    }
}
