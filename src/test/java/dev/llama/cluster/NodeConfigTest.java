package dev.llama.cluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.llama.cluster.NodeConfig.Role;
import dev.llama.config.ConfigException;
import io.vertx.core.json.JsonObject;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.EnumSet;
import java.util.Map;
import java.util.Properties;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class NodeConfigTest {
    @Test
    void theShippedNodeYamlLoads() {
        var json = Node.read("conf/node.yaml", Map.of(), new Properties());
        var config = NodeConfig.parse(json, null);
        assertThat(config.identity().name()).isEqualTo("node-a");
        assertThat(config.roles()).isEqualTo(EnumSet.allOf(Role.class));
        assertThat(config.cluster().members()).hasSize(3);
        assertThat(config.scraper().bus()).isTrue();
        assertThat(config.collector().discovery().fanOut()).isZero();
    }

    @Test
    void environmentThenSystemPropertiesOverrideTheFile(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("n.yaml");
        Files.writeString(file, "node: {name: from-file, ip: 127.0.0.1, tags: {region: west}}\ncollector: {interval: 30}\n");
        var env = Map.of("LLAMA_NODE__NAME", "from-env", "LLAMA_COLLECTOR__DISCOVERY__FAN_OUT", "3",
                "LLAMA_ROLES", "reflector,api", "LLAMA_INFLUXDB_PASS", "not-a-key", "PATH", "/bin");
        var sys = new Properties();
        sys.setProperty("llama.node.name", "from-sys");
        sys.setProperty("llama.node.tags.rack", "r9");
        sys.setProperty("java.version", "17");
        var config = NodeConfig.parse(Node.read(file.toString(), env, sys), null);
        assertThat(config.identity().name()).isEqualTo("from-sys");
        assertThat(config.identity().tags()).isEqualTo(Map.of("region", "west", "rack", "r9"));
        assertThat(config.collector().discovery().fanOut()).isEqualTo(3);
        assertThat(config.collector().interval()).isEqualTo(30);
        assertThat(config.roles()).containsExactlyInAnyOrder(Role.REFLECTOR, Role.API);
        assertThat(NodeConfig.parse(Node.read(file.toString(), env, sys), "collector").roles()).containsExactly(Role.COLLECTOR);
    }

    @Test
    void problemsNameTheKey() {
        assertProblem(new JsonObject().put("nodes", new JsonObject()), "nodes:");
        assertProblem(new JsonObject().put("node", new JsonObject().put("ip", "host.example")), "node.ip:");
        assertProblem(new JsonObject().put("node", new JsonObject().put("tags", new JsonObject().put("bad tag", "x"))), "node.tags.bad tag:");
        assertProblem(new JsonObject().put("roles", "reflector,mystery"), "roles:");
        assertProblem(new JsonObject().put("cluster", new JsonObject().put("members", "127.0.0.1")), "cluster.members:");
        assertProblem(new JsonObject().put("collector", new JsonObject().put("discovery", new JsonObject().put("fanout", 2))),
                "collector.discovery.fanout:");
        assertProblem(new JsonObject().put("collector", new JsonObject().put("discovery", new JsonObject()
                .put("rules", new io.vertx.core.json.JsonArray().add(new JsonObject())))), "collector.discovery.rules[0]:");
        assertProblem(new JsonObject().put("collector", new JsonObject().put("targets", new io.vertx.core.json.JsonArray()
                .add(new JsonObject().put("ip", "nope")))), "collector.targets:");
        assertProblem(new JsonObject().put("roles", "scraper").put("scraper", new JsonObject().put("influxdb",
                new JsonObject().put("api", "v5"))), "scraper.influxdb.api:");
        assertProblem(new JsonObject().put("api", new JsonObject().put("bind", "nowhere")), "api.bind:");
    }

    @Test
    void tlsAndSecretFileAreReadAndTheirProblemsNameKeyAndFile(@TempDir Path dir) throws Exception {
        Files.writeString(dir.resolve("c.pem"), "-----BEGIN CERTIFICATE-----\n");
        Files.writeString(dir.resolve("secret"), "0123456789abcdef0123456789abcdef\n");
        Files.writeString(dir.resolve("short"), "tooshort");
        var tls = new JsonObject().put("cert", dir.resolve("c.pem").toString()).put("key", dir.resolve("c.pem").toString())
                .put("ca", dir.resolve("c.pem").toString());
        var config = NodeConfig.parse(new JsonObject().put("cluster", new JsonObject().put("tls", tls)
                .put("secret_file", dir.resolve("secret").toString())), null);
        assertThat(config.cluster().security().tls()).isTrue();
        assertThat(config.cluster().security().secret()).isNotNull();
        assertThat(NodeConfig.parse(new JsonObject(), null).cluster().security()).isEqualTo(ClusterSecurity.NONE);

        assertProblem(new JsonObject().put("cluster", new JsonObject().put("tls", tls.copy().put("ca", dir.resolve("nope.pem").toString()))),
                "cluster.tls.ca: cannot read " + dir.resolve("nope.pem"));
        assertProblem(new JsonObject().put("cluster", new JsonObject().put("tls", tls.copy().put("key", dir.resolve("secret").toString()))),
                "cluster.tls.key: " + dir.resolve("secret") + " is not a PEM file");
        var noKey = tls.copy();
        noKey.remove("key");
        assertProblem(new JsonObject().put("cluster", new JsonObject().put("tls", noKey)), "cluster.tls.key: missing");
        assertProblem(new JsonObject().put("cluster", new JsonObject().put("tls", tls.copy().put("crt", "x"))), "cluster.tls.crt:");
        assertProblem(new JsonObject().put("cluster", new JsonObject().put("secret_file", dir.resolve("short").toString())),
                "cluster.secret_file: " + dir.resolve("short"));
        assertProblem(new JsonObject().put("cluster", new JsonObject().put("secret_file", dir.resolve("gone").toString())),
                "cluster.secret_file: cannot read " + dir.resolve("gone"));
    }

    private static void assertProblem(JsonObject json, String prefix) {
        assertThatThrownBy(() -> NodeConfig.parse(json, null)).isInstanceOf(ConfigException.class).hasMessageStartingWith(prefix);
    }
}
