package dev.llama.cluster;

import dev.llama.cluster.NodeConfig.Role;
import dev.llama.net.InetText;
import dev.llama.registry.NodeInfo;
import dev.llama.registry.NodeRegistry;
import dev.llama.summary.Addresses;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps this node's collector probing the registered reflectors it should: every scan it reads the
 * {@link NodeRegistry}, keeps reflectors whose node is a cluster member, keeps those whose node died
 * until the expiry (their loss is the signal) and then removes them from the registry, applies the
 * subset rule, and sends a new configuration to the local collector on {@link Addresses#TARGETS}
 * when the chosen set changed.
 */
public class DiscoveryVerticle extends VerticleBase {
    private static final Logger log = LoggerFactory.getLogger(DiscoveryVerticle.class);

    private final NodeConfig config;
    private final NodeRegistry registry;
    private final Map<String, Long> goneSince = new HashMap<>();
    private Set<String> current = Set.of();
    private JsonObject sent;
    private long timer = -1;
    private boolean scanning;

    public DiscoveryVerticle(NodeConfig config, NodeRegistry registry) {
        this.config = config;
        this.registry = registry;
    }

    @Override
    public Future<?> start() {
        return scan().onSuccess(v -> timer = vertx.setPeriodic(config.collector().discovery().scanMs(), id -> scan()));
    }

    @Override
    public Future<?> stop() {
        vertx.cancelTimer(timer);
        return Future.succeededFuture();
    }

    private Future<Void> scan() {
        if (scanning) {
            return Future.succeededFuture();
        }
        scanning = true;
        return registry.nodes()
                .compose(this::choose)
                .onFailure(err -> log.warn("registry scan failed: {}", err.getMessage()))
                .eventually(() -> {
                    scanning = false;
                    return Future.succeededFuture();
                })
                .mapEmpty();
    }

    private Future<Void> choose(List<NodeInfo> nodes) {
        long now = System.currentTimeMillis();
        var discovery = config.collector().discovery();
        var live = new ArrayList<NodeInfo>();
        var removals = new ArrayList<Future<?>>();
        for (NodeInfo node : nodes) {
            if (registry.isMember(node.nodeId())) {
                goneSince.remove(node.name() + "/" + node.nodeId());
                live.add(node);
                continue;
            }
            long since = goneSince.computeIfAbsent(node.name() + "/" + node.nodeId(), k -> {
                log.warn("node {} ({}) left the cluster without leaving the registry; probing it for {} s more",
                        node.name(), node.ip(), discovery.expirySeconds());
                return now;
            });
            if (now - since >= discovery.expirySeconds() * 1000) {
                removals.add(registry.remove(node).onSuccess(removed -> {
                    if (removed) {
                        log.warn("dropped node {} ({}): gone from the cluster for {} s", node.name(), node.ip(), discovery.expirySeconds());
                    }
                }));
                goneSince.remove(node.name() + "/" + node.nodeId());
            } else {
                live.add(node);
            }
        }
        NodeInfo me = new NodeInfo(config.identity().name(), InetText.format(config.identity().ip()), config.identity().tags(),
                List.of(), registry.localNodeId(), 0, 0, 0, 0);
        var collectors = live.stream().filter(n -> n.has(Role.COLLECTOR.label()) && registry.isMember(n.nodeId()))
                .map(NodeInfo::name).collect(Collectors.toCollection(ArrayList::new));
        if (!collectors.contains(me.name())) {
            collectors.add(me.name());
        }
        var reflectors = discovery.enabled()
                ? live.stream().filter(n -> n.has(Role.REFLECTOR.label()) && n.reflectorPort() > 0).toList() : List.<NodeInfo>of();
        var chosen = Subset.choose(me, collectors, reflectors, discovery.fanOut(), discovery.rules(), discovery.includeSelf());
        var json = CollectorTargets.config(config, chosen);
        if (!json.equals(sent)) {
            var names = chosen.stream().map(n -> n.name() + "@" + n.ip() + ":" + n.reflectorPort()).collect(Collectors.toCollection(TreeSet::new));
            var added = new TreeSet<>(names);
            added.removeAll(current);
            var removed = new TreeSet<>(current);
            removed.removeAll(names);
            log.info("probing {} discovered reflectors (added {}, removed {})", names.size(), added, removed);
            current = names;
            sent = json;
            vertx.eventBus().send(Addresses.TARGETS, json);
        }
        return Future.all(removals).mapEmpty();
    }
}
