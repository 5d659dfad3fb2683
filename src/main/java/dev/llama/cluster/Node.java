package dev.llama.cluster;

import com.hazelcast.config.ClasspathXmlConfig;
import com.hazelcast.config.Config;
import com.hazelcast.config.FileSystemXmlConfig;
import dev.llama.api.ApiVerticle;
import dev.llama.cluster.NodeConfig.Role;
import dev.llama.collector.CollectorOptions;
import dev.llama.collector.CollectorVerticle;
import dev.llama.config.ConfigException;
import dev.llama.metrics.LlamaMetrics;
import dev.llama.reflector.ReflectorOptions;
import dev.llama.reflector.ReflectorVerticle;
import dev.llama.registry.NodeRegistry;
import dev.llama.scraper.ScraperVerticle;
import dev.llama.summary.SummaryCodec;
import io.vertx.config.ConfigRetriever;
import io.vertx.config.ConfigRetrieverOptions;
import io.vertx.config.ConfigStoreOptions;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.eventbus.EventBusOptions;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.Json;
import io.vertx.core.json.JsonObject;
import io.vertx.spi.cluster.hazelcast.HazelcastClusterManager;
import java.io.FileNotFoundException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A cluster node: reads its YAML with environment and system-property overrides, joins the Hazelcast
 * cluster, and deploys the verticles of its roles in a fixed order (reflector, registry entry, scraper,
 * collector and its discovery, API), so that what a role needs is there before it starts.
 */
public final class Node {
    /** Environment variables {@code LLAMA_<SECTION>__<KEY>} override keys; {@code __} separates levels. */
    public static final String ENV_PREFIX = "LLAMA_";
    /** System properties {@code llama.<section>.<key>} override keys. */
    public static final String SYS_PREFIX = "llama.";
    private static final Logger log = LoggerFactory.getLogger(Node.class);
    private static final Set<String> SECTIONS = Set.of("node", "roles", "cluster", "reflector", "collector", "api", "scraper");

    private final NodeConfig config;
    private volatile boolean ready;

    private Node(NodeConfig config) {
        this.config = config;
    }

    /**
     * Reads a node configuration through vertx-config: the YAML file, then environment variables, then
     * system properties, each layer overriding the one before.
     */
    public static JsonObject read(String path, Map<String, String> env, Properties sys) {
        var vertx = Vertx.vertx();
        try {
            var options = new ConfigRetrieverOptions().setIncludeDefaultStores(false)
                    .addStore(new ConfigStoreOptions().setType("file").setFormat("yaml").setConfig(new JsonObject().put("path", path)))
                    .addStore(new ConfigStoreOptions().setType("json").setConfig(fromEnv(env)))
                    .addStore(new ConfigStoreOptions().setType("json").setConfig(fromSystemProperties(sys)));
            return ConfigRetriever.create(vertx, options).getConfig().await(30, TimeUnit.SECONDS);
        } catch (Exception e) {
            Throwable cause = e.getCause() != null ? e.getCause() : e;
            throw new ConfigException(path, "cannot read: " + cause.getMessage());
        } finally {
            vertx.close();
        }
    }

    static JsonObject fromEnv(Map<String, String> env) {
        var out = new JsonObject();
        env.forEach((name, value) -> {
            if (name.startsWith(ENV_PREFIX)) {
                var path = List.of(name.substring(ENV_PREFIX.length()).toLowerCase(Locale.ROOT).split("__"));
                if (SECTIONS.contains(path.get(0))) {
                    put(out, path, value);
                }
            }
        });
        return out;
    }

    static JsonObject fromSystemProperties(Properties sys) {
        var out = new JsonObject();
        for (String name : sys.stringPropertyNames()) {
            if (name.startsWith(SYS_PREFIX)) {
                var path = List.of(name.substring(SYS_PREFIX.length()).split("\\."));
                if (SECTIONS.contains(path.get(0))) {
                    put(out, path, sys.getProperty(name));
                }
            }
        }
        return out;
    }

    private static void put(JsonObject root, List<String> path, String raw) {
        var at = root;
        for (String key : path.subList(0, path.size() - 1)) {
            if (!(at.getValue(key) instanceof JsonObject)) {
                at.put(key, new JsonObject());
            }
            at = at.getJsonObject(key);
        }
        at.put(path.get(path.size() - 1), scalar(raw));
    }

    /** A number, boolean, list or map when the text is one in JSON; otherwise the text. */
    private static Object scalar(String raw) {
        try {
            Object v = Json.decodeValue(raw);
            return v != null ? v : raw;
        } catch (DecodeException e) {
            return raw;
        }
    }

    /** Joins the cluster and deploys the roles; completes when every role runs. */
    public static Future<Vertx> start(NodeConfig config) {
        var node = new Node(config);
        HazelcastClusterManager manager;
        try {
            manager = new HazelcastClusterManager(hazelcast(config.cluster()));
        } catch (RuntimeException e) {
            return Future.failedFuture(e);
        }
        var security = config.cluster().security();
        SummaryCodec.useKey(security.secret() == null ? null : security.secret().keyBytes());
        var options = new VertxOptions().setEventBusOptions(security.apply(new EventBusOptions()
                .setHost(config.cluster().host()).setPort(config.cluster().busPort())));
        return LlamaMetrics.vertxBuilder(options).withClusterManager(manager).buildClustered()
                .compose(vertx -> node.deploy(vertx, new NodeRegistry(vertx, () -> Set.copyOf(manager.getNodes()), manager.getNodeId(),
                                security.secret()))
                        .map(vertx)
                        .recover(err -> vertx.close().transform(ignored -> Future.failedFuture(err))));
    }

    static Config hazelcast(NodeConfig.Cluster cluster) {
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
        Future<Integer> reflectorPort = Future.succeededFuture(0);
        if (roles.contains(Role.REFLECTOR)) {
            var reflector = new ReflectorVerticle(new ReflectorOptions(id.ip(), config.reflector().port(), config.reflector().maxPps()));
            reflectorPort = vertx.deployVerticle(reflector).map(d -> reflector.port());
        }
        int apiPort = roles.contains(Role.API) ? config.api().bind().getPort() : 0;
        return reflectorPort
                .compose(port -> vertx.deployVerticle(new NodeVerticle(registry, config, labels, port, apiPort)))
                .compose(v -> roles.contains(Role.SCRAPER) ? vertx.deployVerticle(new ScraperVerticle(config.scraper())) : Future.succeededFuture())
                .compose(v -> roles.contains(Role.COLLECTOR) ? deployCollector(vertx, registry) : Future.succeededFuture())
                .compose(v -> roles.contains(Role.API)
                        ? vertx.deployVerticle(new ApiVerticle(config.api().bind(), registry, config.api().historyMinutes(), () -> ready))
                        : Future.succeededFuture())
                .onSuccess(v -> {
                    ready = true;
                    log.info("node {} ready: roles {}, cluster {} via {}:{}", id.name(), labels, config.cluster().name(),
                            config.cluster().host(), config.cluster().port());
                })
                .mapEmpty();
    }

    private Future<?> deployCollector(Vertx vertx, NodeRegistry registry) {
        var json = CollectorTargets.config(config, List.of());
        var options = CollectorOptions.inline(json, config.identity().name()).delivering();
        return vertx.deployVerticle(new CollectorVerticle(options))
                .compose(v -> vertx.deployVerticle(new DiscoveryVerticle(config, registry)));
    }
}
