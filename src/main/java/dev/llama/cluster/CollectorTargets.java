package dev.llama.cluster;

import dev.llama.config.ConfigParser;
import dev.llama.registry.NodeInfo;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.HashSet;
import java.util.List;
import java.util.Map;

/**
 * Writes the full-format collector configuration a node's collector runs: its own IP as the source,
 * its port group and rate, the static targets and the chosen reflectors. Pair tags say who is at each
 * end: {@code src_name} and {@code src_<tag>} from this node, {@code dst_name} and {@code dst_<tag>}
 * from the reflector's registration.
 */
public final class CollectorTargets {
    private CollectorTargets() {
    }

    /** The configuration JSON; parsed once here so a bad static target fails with its key. */
    public static JsonObject config(NodeConfig node, List<NodeInfo> reflectors) {
        var c = node.collector();
        var src = new JsonObject().put("src_name", node.identity().name());
        node.identity().tags().forEach((k, v) -> src.put("src_" + k, v));
        var targets = new JsonArray();
        var seen = new HashSet<String>();
        for (Object o : c.staticTargets()) {
            var target = o instanceof JsonObject t ? t.copy() : new JsonObject().put("ip", o);
            var tags = target.getValue("tags") instanceof JsonObject t ? t.copy() : new JsonObject();
            src.forEach(e -> tags.put(e.getKey(), e.getValue()));
            targets.add(target.put("tags", tags));
            seen.add(target.getValue("ip") + ":" + target.getValue("port", 8100));
        }
        for (NodeInfo r : reflectors) {
            if (!seen.add(r.ip() + ":" + r.reflectorPort())) {
                continue;
            }
            var tags = src.copy().put("dst_name", r.name());
            for (Map.Entry<String, String> tag : r.tags().entrySet()) {
                tags.put("dst_" + tag.getKey(), tag.getValue());
            }
            targets.add(new JsonObject().put("ip", r.ip()).put("port", r.reflectorPort()).put("tags", tags));
        }
        var json = new JsonObject()
                .put("summarization", new JsonObject().put("interval", c.interval()))
                .put("api", new JsonObject().put("bind", "127.0.0.1:0"))
                .put("ports", new JsonObject().put("node", new JsonObject()
                        .put("ip", dev.llama.net.InetText.format(node.identity().ip())).put("port", 0).put("tos", c.tos()).put("timeout", c.timeoutMs())))
                .put("port_groups", new JsonObject().put("node", new JsonArray().add(new JsonObject().put("port", "node").put("count", c.sockets()))))
                .put("rate_limits", new JsonObject().put("node", new JsonObject().put("cps", c.cps())))
                .put("tests", new JsonArray().add(new JsonObject().put("targets", "cluster").put("port_group", "node").put("rate_limit", "node")))
                .put("targets", new JsonObject().put("cluster", targets));
        if (c.authKeys() != null) {
            json.put("auth_keys", c.authKeys());
        }
        try {
            ConfigParser.parse(json, 8100);
        } catch (dev.llama.config.ConfigException e) {
            throw new dev.llama.config.ConfigException("collector.targets", e.getMessage());
        }
        return json;
    }
}
