package dev.llama.cluster;

import dev.llama.net.InetText;
import dev.llama.registry.NodeInfo;
import dev.llama.registry.NodeRegistry;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Puts this node (identity, roles, reflector and API ports) in the {@link NodeRegistry}, refreshes its
 * last-seen time every heartbeat, and takes it out on a graceful stop, so collectors stop probing a
 * reflector that left on purpose at once.
 */
public class NodeVerticle extends VerticleBase {
    private static final Logger log = LoggerFactory.getLogger(NodeVerticle.class);

    private final NodeRegistry registry;
    private NodeInfo info;
    private long timer = -1;

    public NodeVerticle(NodeRegistry registry, NodeConfig config, List<String> roles, int reflectorPort, int apiPort) {
        this.registry = registry;
        long now = System.currentTimeMillis();
        this.info = new NodeInfo(config.identity().name(), InetText.format(config.identity().ip()), config.identity().tags(),
                List.copyOf(roles), registry.localNodeId(), now, now, reflectorPort, apiPort);
        this.heartbeatMs = config.identity().heartbeatMs();
    }

    private final long heartbeatMs;

    @Override
    public Future<?> start() {
        return registry.put(info).onSuccess(v -> {
            log.info("node {} registered: roles {}, ip {}{}", info.name(), info.roles(), info.ip(),
                    info.reflectorPort() > 0 ? ", reflector port " + info.reflectorPort() : "");
            timer = vertx.setPeriodic(heartbeatMs, id -> heartbeat());
        });
    }

    private void heartbeat() {
        info = info.seenAt(System.currentTimeMillis());
        registry.put(info).onFailure(err -> log.warn("heartbeat not recorded: {}", err.getMessage()));
    }

    @Override
    public Future<?> stop() {
        vertx.cancelTimer(timer);
        return registry.remove(info).onSuccess(removed -> log.info("node {} left the registry", info.name()))
                .otherwise(err -> {
                    log.warn("could not leave the registry: {}", err.getMessage());
                    return false;
                });
    }
}
