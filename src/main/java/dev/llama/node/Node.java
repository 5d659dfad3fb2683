package dev.llama.node;

import com.hazelcast.config.ClasspathXmlConfig;
import com.hazelcast.config.Config;
import com.hazelcast.config.FileSystemXmlConfig;
import dev.llama.api.ApiVerticle;
import dev.llama.api.FaultCodec;
import dev.llama.cluster.ClusterSecurity;
import dev.llama.cluster.CollectorTargets;
import dev.llama.cluster.DiscoveryVerticle;
import dev.llama.cluster.NodeConfig.Role;
import dev.llama.cluster.NodeConfig;
import dev.llama.cluster.NodeSource;
import dev.llama.cluster.NodeVerticle;
import dev.llama.config.ConfigException;
import dev.llama.metrics.LlamaMetrics;
import dev.llama.probe.ProbeKeys;
import dev.llama.reflector.ReflectorOptions;
import dev.llama.reflector.StampOptions;
import dev.llama.registry.NodeRegistry;
import dev.llama.summary.SummaryCodec;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.eventbus.EventBusOptions;
import io.vertx.spi.cluster.hazelcast.HazelcastClusterManager;
import java.io.FileNotFoundException;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A cluster node: joins the Hazelcast cluster and deploys the verticles of its roles in a fixed order
 * (reflector, registry entry, scraper, collector and its discovery, API), so that what a role needs is
 * there before it starts. {@link NodeSource} reads its configuration.
 */
public final class Node {
    private static final Logger log = LoggerFactory.getLogger(Node.class);

    private final NodeConfig config;
    private final ProbeKeys probeKeys;
    private volatile boolean ready;

    private Node(NodeConfig config, ProbeKeys probeKeys) {
        this.config = config;
        this.probeKeys = probeKeys;
    }

    /** Joins the cluster and deploys the roles; completes when every role runs. */
    public static Future<Vertx> start(NodeConfig config) {
        HazelcastClusterManager manager;
        ProbeKeys probeKeys;
        try {
            probeKeys = config.reflector().authKeys() == null ? null : ProbeKeys.read(config.reflector().authKeys());
        } catch (IOException | IllegalArgumentException e) {
            return Future.failedFuture(new ConfigException("reflector.auth_keys", e.getMessage()));
        }
        var node = new Node(config, probeKeys);
        try {
            manager = new HazelcastClusterManager(hazelcast(config.cluster()));
        } catch (RuntimeException e) {
            return Future.failedFuture(e);
        }
        var security = config.cluster().security();
        SummaryCodec.useKey(security.secret() == null ? null : security.secret().keyBytes());
        FaultCodec.useKey(security.secret() == null ? null : security.secret().keyBytes());
        var options = new VertxOptions().setEventBusOptions(security.apply(new EventBusOptions()
                .setHost(config.cluster().host()).setPort(config.cluster().busPort())));
        return LlamaMetrics.vertxBuilder(options).withClusterManager(manager).buildClustered()
                .compose(vertx -> node.deploy(vertx, new NodeRegistry(vertx, () -> Set.copyOf(manager.getNodes()), manager.getNodeId(),
                                security.secret()))
                        .map(vertx)
                        .recover(err -> vertx.close().transform(ignored -> Future.failedFuture(err))));
    }

    public static Config hazelcast(NodeConfig.Cluster cluster) {
        Config hz;
        if (cluster.configFile() != null) {
            try {
                hz = new FileSystemXmlConfig(cluster.configFile().toFile());
            } catch (FileNotFoundException e) {
                throw new ConfigException("cluster.config", "no such file: " + cluster.configFile());
            }
        } else {
            hz = new ClasspathXmlConfig("llama/cluster.xml");
        }
        hz.setClusterName(cluster.name());
        ClusterSecurity.harden(hz);
        var network = hz.getNetworkConfig();
        network.setPort(cluster.port()).setPortAutoIncrement(false);
        network.getInterfaces().setEnabled(true).setInterfaces(List.of(cluster.host()));
        var join = network.getJoin();
        join.getMulticastConfig().setEnabled(false);
        join.getAutoDetectionConfig().setEnabled(false);
        join.getTcpIpConfig().setEnabled(true).setMembers(new ArrayList<>(cluster.members()));
        return hz;
    }

    private Future<Void> deploy(Vertx vertx, NodeRegistry registry) {
        var roles = config.roles();
        var id = config.identity();
        var labels = roles.stream().map(Role::label).toList();
        var steps = new Roles(vertx);
        var reflector = roles.contains(Role.REFLECTOR)
                ? steps.reflector(new ReflectorOptions(id.ip(), config.reflector().port(),
                        config.reflector().maxPps(), config.reflector().allow(), null, probeKeys))
                : null;
        if (roles.contains(Role.REFLECTOR) && config.reflector().stamp() != null) {
            steps.stampReflector(new ReflectorOptions(id.ip(), 0, config.reflector().maxPps(), config.reflector().allow(), null),
                    new StampOptions(config.reflector().stamp().port(), config.reflector().stamp().key(), StampOptions.DEFAULT_ERROR_ESTIMATE));
        }
        int apiPort = roles.contains(Role.API) ? config.api().bind().getPort() : 0;
        steps.then(() -> new NodeVerticle(registry, config, labels, reflector == null ? 0 : reflector.port(), apiPort));
        if (roles.contains(Role.SCRAPER)) {
            steps.scraper(config.scraper());
        }
        if (roles.contains(Role.COLLECTOR)) {
            steps.collector(CollectorTargets.config(config, List.of()), id.name())
                    .then(() -> new DiscoveryVerticle(config, registry));
        }
        if (roles.contains(Role.API)) {
            steps.then(() -> new ApiVerticle(config.api().bind(), registry, config.api().historyMinutes(), () -> ready,
                    config.api().options()));
        }
        return steps.deployed()
                .onSuccess(v -> {
                    ready = true;
                    log.info("node {} ready: roles {}, cluster {} via {}:{}", id.name(), labels, config.cluster().name(),
                            config.cluster().host(), config.cluster().port());
                });
    }
}
