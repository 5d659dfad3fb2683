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
        var config = NodeSource.read("conf/node.yaml", Map.of(), new Properties()).parse(null);
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
        var config = NodeSource.read(file.toString(), env, sys).parse(null);
        assertThat(config.identity().name()).isEqualTo("from-sys");
        assertThat(config.identity().tags()).isEqualTo(Map.of("region", "west", "rack", "r9"));
        assertThat(config.collector().discovery().fanOut()).isEqualTo(3);
        assertThat(config.collector().interval()).isEqualTo(30);
        assertThat(config.roles()).containsExactlyInAnyOrder(Role.REFLECTOR, Role.API);
        assertThat(NodeSource.read(file.toString(), env, sys).parse("collector").roles()).containsExactly(Role.COLLECTOR);
    }

    @Test
    void aNodeCollectorSignsItsProbesWithTheConfiguredKeys(@TempDir Path dir) throws Exception {
        Path file = Files.writeString(dir.resolve("n.yaml"), "node: {name: a, ip: 127.0.0.1}\ncollector: {auth_keys: /etc/llama/probe-keys}\n");
        var config = NodeSource.read(file.toString(), Map.of(), new Properties()).parse(null);
        assertThat(CollectorTargets.config(config, java.util.List.of()).getString("auth_keys")).isEqualTo("/etc/llama/probe-keys");
        Path without = Files.writeString(dir.resolve("m.yaml"), "node: {name: a, ip: 127.0.0.1}\n");
        assertThat(CollectorTargets.config(NodeSource.read(without.toString(), Map.of(), new Properties()).parse(null), java.util.List.of())
                .containsKey("auth_keys")).isFalse();
    }

    @Test
    void aBadOverrideNamesItsVariable(@TempDir Path dir) throws Exception {
        Path file = Files.writeString(dir.resolve("n.yaml"), "node: {name: a, ip: 127.0.0.1}\nreflector: {port: 8100}\n");
        var env = Map.of("LLAMA_REFLECTOR__PORT", "eighty", "LLAMA_COLLECTOR__DISCOVERY__FAN_OUT", "2");
        assertThatThrownBy(() -> NodeSource.read(file.toString(), env, new Properties()).parse(null))
                .isInstanceOf(ConfigException.class)
                .hasMessageStartingWith("environment variable LLAMA_REFLECTOR__PORT (over " + file + "): reflector.port: ");
        var typo = Map.of("LLAMA_NODE__TAGS", "{\"bad tag\": \"x\"}");
        assertThatThrownBy(() -> NodeSource.read(file.toString(), typo, new Properties()).parse(null))
                .hasMessageStartingWith("environment variable LLAMA_NODE__TAGS (over " + file + "): node.tags.bad tag: ");
        var sys = new Properties();
        sys.setProperty("llama.api.bind", "nowhere");
        assertThatThrownBy(() -> NodeSource.read(file.toString(), Map.of(), sys).parse(null))
                .hasMessageStartingWith("system property llama.api.bind (over " + file + "): api.bind: ");
        Files.writeString(file, "node: {name: a, ip: 127.0.0.1}\nreflector: {port: -1}\n");
        assertThatThrownBy(() -> NodeSource.read(file.toString(), Map.of("LLAMA_API__BIND", "127.0.0.1:1"), new Properties()).parse(null))
                .hasMessageStartingWith(file + ": reflector.port: ");
    }

    @Test
    void fileProblemsNameTheFile(@TempDir Path dir) throws Exception {
        Path empty = Files.writeString(dir.resolve("empty.yaml"), "");
        assertThatThrownBy(() -> NodeSource.read(empty.toString(), Map.of(), new Properties())).hasMessage(empty + ": the file is empty");
        Path dup = Files.writeString(dir.resolve("dup.yaml"), "node: {name: a}\nroles: api\nnode: {name: b}\n");
        assertThatThrownBy(() -> NodeSource.read(dup.toString(), Map.of(), new Properties()))
                .hasMessage(dup + ": line 3, column 1: duplicate key \"node\"");
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

    @Test
    void stampPortAndKeyFileAreReadAndTheirProblemsNameKeyAndFile(@TempDir Path dir) throws Exception {
        Files.writeString(dir.resolve("stamp.key"), "# shared with the routers\n0f1e2d3c4b5a69788796a5b4c3d2e1f0\n");
        Files.writeString(dir.resolve("short.key"), "0f1e\n");
        assertThat(NodeConfig.parse(new JsonObject(), null).reflector().stamp()).as("off by default").isNull();
        var open = NodeConfig.parse(new JsonObject().put("reflector", new JsonObject().put("stamp_port", 862)), null).reflector().stamp();
        assertThat(open.port()).isEqualTo(862);
        assertThat(open.authenticated()).isFalse();
        var auth = NodeConfig.parse(new JsonObject().put("reflector", new JsonObject().put("stamp_port", 8862)
                .put("stamp_key_file", dir.resolve("stamp.key").toString())), null).reflector().stamp();
        assertThat(auth.authenticated()).isTrue();
        assertThat(auth.key()).hasSize(16);

        assertProblem(new JsonObject().put("reflector", new JsonObject().put("stamp_port", 70_000)), "reflector.stamp_port:");
        assertProblem(new JsonObject().put("reflector", new JsonObject().put("stamp_key_file", dir.resolve("stamp.key").toString())),
                "reflector.stamp_key_file: needs reflector.stamp_port");
        assertProblem(new JsonObject().put("reflector", new JsonObject().put("stamp_port", 862)
                .put("stamp_key_file", dir.resolve("gone").toString())), "reflector.stamp_key_file: cannot read " + dir.resolve("gone"));
        assertProblem(new JsonObject().put("reflector", new JsonObject().put("stamp_port", 862)
                .put("stamp_key_file", dir.resolve("short.key").toString())), "reflector.stamp_key_file: " + dir.resolve("short.key"));
    }

    private static void assertProblem(JsonObject json, String prefix) {
        assertThatThrownBy(() -> NodeConfig.parse(json, null)).isInstanceOf(ConfigException.class).hasMessageStartingWith(prefix);
    }
}
