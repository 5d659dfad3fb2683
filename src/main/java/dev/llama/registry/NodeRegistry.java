package dev.llama.registry;

import dev.llama.config.ClusterSecret;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.core.shareddata.AsyncMap;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The cluster-wide registry of nodes (a Vert.x async map, a Hazelcast map when clustered), and which
 * of them are cluster members right now. Entries survive the death of their node: a collector goes on
 * probing such a reflector, which is what makes a dead node visible as loss, until it expires.
 */
public final class NodeRegistry {
    private static final Logger log = LoggerFactory.getLogger(NodeRegistry.class);
    /** Name of the registry map: node name to {@link NodeInfo} JSON. */
    public static final String MAP = "llama.nodes";
    /** The field of an entry that holds the HMAC of its {@link NodeInfo#canonical()} form, with a cluster secret. */
    public static final String SIG = "sig";

    private final Vertx vertx;
    private final Supplier<Set<String>> members;
    private final String localNodeId;
    private final ClusterSecret secret;
    private final AtomicLong invalid = new AtomicLong();
    private final Set<String> reported = ConcurrentHashMap.newKeySet();

    /**
     * @param members the Vert.x cluster node ids that are members now
     * @param localNodeId this JVM's cluster node id
     */
    public NodeRegistry(Vertx vertx, Supplier<Set<String>> members, String localNodeId) {
        this(vertx, members, localNodeId, null);
    }

    /**
     * @param secret when not null, entries are written with their {@link #SIG} and read only when it verifies
     */
    public NodeRegistry(Vertx vertx, Supplier<Set<String>> members, String localNodeId, ClusterSecret secret) {
        this.vertx = vertx;
        this.members = members;
        this.localNodeId = localNodeId;
        this.secret = secret;
    }

    /** Registry entries ignored as invalid so far. */
    public long invalidEntries() {
        return invalid.get();
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
        var json = info.toJson();
        if (secret != null) {
            json.put(SIG, secret.sign(info.canonical()));
        }
        return map().compose(m -> m.put(info.name(), json));
    }

    /** Removes {@code info}'s entry unless a newer registration (a restarted node) replaced it. */
    public Future<Boolean> remove(NodeInfo info) {
        return map().compose(m -> m.get(info.name()).compose(current -> current != null
                && info.nodeId().equals(current.getString("node_id")) ? m.remove(info.name()).map(true) : Future.succeededFuture(false)));
    }

    /**
     * The valid entries, by name. An entry that fails validation (any member can write the map) is left
     * out, counted, and logged once per name and problem, so one bad entry cannot stop discovery. With a
     * cluster secret, so is an entry without a valid {@link #SIG}: one written by a member without the secret.
     */
    public Future<List<NodeInfo>> nodes() {
        return map().compose(AsyncMap::entries).map(entries -> {
            var out = new ArrayList<NodeInfo>();
            entries.forEach((key, value) -> {
                try {
                    var info = NodeInfo.fromJson(value);
                    if (!info.name().equals(key)) {
                        throw new IllegalArgumentException("name: " + info.name() + " is filed under another name");
                    }
                    if (secret != null && !secret.verify(info.canonical(), value.getValue(SIG))) {
                        throw new IllegalArgumentException(SIG + ": missing or wrong; not written by a node with the cluster secret");
                    }
                    out.add(info);
                } catch (IllegalArgumentException | ClassCastException e) {
                    invalid.incrementAndGet();
                    if (reported.add(key + ": " + e.getMessage()) && reported.size() < 1000) {
                        log.warn("registry entry {} ignored: {}", key.length() > 64 ? key.substring(0, 64) + "…" : key, e.getMessage());
                    }
                }
            });
            out.sort((a, b) -> a.name().compareTo(b.name()));
            return out;
        });
    }
}
