package dev.llama.cluster;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.core.shareddata.AsyncMap;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.function.Supplier;

/**
 * The cluster-wide registry of nodes (a Vert.x async map, a Hazelcast map when clustered), and which
 * of them are cluster members right now. Entries survive the death of their node: a collector goes on
 * probing such a reflector, which is what makes a dead node visible as loss, until it expires.
 */
public final class NodeRegistry {
    /** Name of the registry map: node name to {@link NodeInfo} JSON. */
    public static final String MAP = "llama.nodes";

    private final Vertx vertx;
    private final Supplier<Set<String>> members;
    private final String localNodeId;

    /**
     * @param members the Vert.x cluster node ids that are members now
     * @param localNodeId this JVM's cluster node id
     */
    public NodeRegistry(Vertx vertx, Supplier<Set<String>> members, String localNodeId) {
        this.vertx = vertx;
        this.members = members;
        this.localNodeId = localNodeId;
    }

    /** A registry for one JVM without a cluster: the only member is this one. */
    public static NodeRegistry standalone(Vertx vertx) {
        return new NodeRegistry(vertx, () -> Set.of("local"), "local");
    }

    public String localNodeId() {
        return localNodeId;
    }

    public boolean isMember(String nodeId) {
        return members.get().contains(nodeId);
    }

    private Future<AsyncMap<String, JsonObject>> map() {
        return vertx.sharedData().getAsyncMap(MAP);
    }

    public Future<Void> put(NodeInfo info) {
        return map().compose(m -> m.put(info.name(), info.toJson()));
    }

    /** Removes {@code info}'s entry unless a newer registration (a restarted node) replaced it. */
    public Future<Boolean> remove(NodeInfo info) {
        return map().compose(m -> m.get(info.name()).compose(current -> current != null
                && info.nodeId().equals(current.getString("node_id")) ? m.remove(info.name()).map(true) : Future.succeededFuture(false)));
    }

    public Future<List<NodeInfo>> nodes() {
        return map().compose(AsyncMap::entries).map(entries -> {
            var out = new ArrayList<NodeInfo>();
            entries.values().forEach(json -> out.add(NodeInfo.fromJson(json)));
            out.sort((a, b) -> a.name().compareTo(b.name()));
            return out;
        });
    }
}
