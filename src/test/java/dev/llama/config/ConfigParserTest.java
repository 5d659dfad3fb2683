package dev.llama.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.vertx.config.ConfigRetriever;
import io.vertx.config.ConfigRetrieverOptions;
import io.vertx.config.ConfigStoreOptions;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.VertxExtension;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

@ExtendWith(VertxExtension.class)
class ConfigParserTest {

    /** Reads a YAML file exactly as the collector does: through vertx-config's YAML file store. */
    private static JsonObject read(Vertx vertx, Path file) throws Exception {
        var store = new ConfigStoreOptions().setType("file").setFormat("yaml")
                .setConfig(new JsonObject().put("path", file.toString()));
        var retriever = ConfigRetriever.create(vertx, new ConfigRetrieverOptions().setIncludeDefaultStores(false).addStore(store));
        try {
            return retriever.getConfig().await(10, TimeUnit.SECONDS);
        } finally {
            retriever.close();
        }
    }

    @Test
    void everyExampleInConfLoads(Vertx vertx) throws Exception {
        List<Path> examples;
        try (var files = Files.list(Path.of("conf"))) {
            // node.yaml is a cluster node's file, checked by NodeConfigTest.
            examples = files.filter(p -> p.toString().endsWith(".yaml") && !p.endsWith("node.yaml")).sorted().toList();
        }
        assertThat(examples).extracting(p -> p.getFileName().toString()).contains("collector.yaml", "legacy.yaml");
        for (Path example : examples) {
            var config = ConfigParser.parse(read(vertx, example), 8100);
            assertThat(config.tests()).as(example.toString()).isNotEmpty();
        }
    }

    @Test
    void fullExampleMeansWhatItSays(Vertx vertx) throws Exception {
        var config = ConfigParser.parse(read(vertx, Path.of("conf/collector.yaml")), 8100);
        assertThat(config.interval()).isEqualTo(30);
        assertThat(config.apiBind().getPort()).isEqualTo(5000);
        var mixed = config.socketsOf(config.tests().get(1));
        assertThat(mixed).extracting(CollectorConfig.Port::tos).containsExactly(0, 0, 184, 184);
        assertThat(config.cpsOf(config.tests().get(0))).isEqualTo(4.0);
        assertThat(config.targetsOf(config.tests().get(1)).get(0).tags()).containsEntry("dst_rack", "r1");
    }

    @Test
    void legacyFormatTakesTheDefaultsAndTheDstPort(Vertx vertx) throws Exception {
        var config = ConfigParser.parse(read(vertx, Path.of("conf/legacy.yaml")), 9100);
        assertThat(config.interval()).isEqualTo(30);
        assertThat(config.socketsOf(config.tests().get(0))).hasSize(4);
        var targets = config.targetsOf(config.tests().get(0));
        assertThat(targets).extracting(CollectorConfig.Target::port).containsOnly(9100);
        assertThat(targets).extracting(t -> t.ip().getHostAddress()).containsExactly("127.0.0.1", "127.0.0.2");
        assertThat(targets.get(0).tags()).containsEntry("src_hostname", "probe-1");
    }

    @Test
    void apiProtectionsAreReadAndCheckedByKey() {
        var json = ConfigParser.defaultJson();
        json.getJsonObject("api").put("bind", "0.0.0.0:5000").put("tokens_file", "/etc/llama/tokens").put("max_connections", 10)
                .put("allowed_hosts", "a.example, b.example").put("tls", new io.vertx.core.json.JsonObject().put("cert", "c.pem").put("key", "k.pem"));
        var api = ConfigParser.parse(json, 8100).api();
        assertThat(api.tokensOn()).isTrue();
        assertThat(api.maxConnections()).isEqualTo(10);
        assertThat(api.allowedHosts()).containsExactly("a.example", "b.example");
        assertThat(api.metricsPairs()).as("default").isEqualTo(ApiOptions.DEFAULT_METRICS_PAIRS);
        json.getJsonObject("api").put("metrics_pairs", 0);
        assertThat(ConfigParser.parse(json, 8100).api().metricsPairs()).isZero();
        json.getJsonObject("api").put("metrics_pairs", 100_001);
        assertThatThrownBy(() -> ConfigParser.parse(json, 8100)).hasMessageContaining("api.metrics_pairs");
        json.getJsonObject("api").remove("metrics_pairs");
        json.getJsonObject("api").put("max_connections", 0);
        assertThatThrownBy(() -> ConfigParser.parse(json, 8100)).hasMessageContaining("api.max_connections");
        json.getJsonObject("api").put("max_connections", 10).put("tls", new io.vertx.core.json.JsonObject().put("cert", "c.pem"));
        assertThatThrownBy(() -> ConfigParser.parse(json, 8100)).hasMessageContaining("api.tls.key");
        json.getJsonObject("api").remove("tls");
        json.getJsonObject("api").put("token_file", "x");
        assertThatThrownBy(() -> ConfigParser.parse(json, 8100)).hasMessageContaining("api.token_file");
    }

    @Test
    void builtInDefaultIsTheOriginals() {
        var config = ConfigParser.parse(ConfigParser.defaultJson(), 8100);
        assertThat(config.interval()).isEqualTo(30);
        assertThat(config.handlers()).isEqualTo(2);
        assertThat(config.apiBind().toString()).as("this host only until an operator opens it").contains("127.0.0.1:5000");
        assertThat(config.api()).isEqualTo(ApiOptions.defaults());
        var test = config.tests().get(0);
        assertThat(config.socketsOf(test)).hasSize(4).allMatch(p -> p.port() == 0 && p.timeoutMs() == 1000 && p.tos() == 0);
        assertThat(config.cpsOf(test)).isEqualTo(4.0);
        assertThat(config.targetsOf(test)).singleElement().satisfies(t -> {
            assertThat(t.ip().getHostAddress()).isEqualTo("127.0.0.1");
            assertThat(t.port()).isEqualTo(8100);
            assertThat(t.tags()).isEmpty();
        });
    }

    static Stream<Arguments> invalid() {
        String base = """
                ports: {p: {ip: 0.0.0.0, port: 0, tos: 0, timeout: 1000}}
                port_groups: {g: [{port: p, count: 2}]}
                rate_limits: {r: {cps: 2.0}}
                targets: {t: [{ip: 127.0.0.1, port: 8100}]}
                """;
        String test = "tests: [{targets: t, port_group: g, rate_limit: r}]\n";
        return Stream.of(
                Arguments.of(base + "tests: [{targets: t, port_group: nope, rate_limit: r}]", "tests[0].port_group: unknown port group \"nope\""),
                Arguments.of(base + "tests: [{targets: x, port_group: g, rate_limit: r}]", "tests[0].targets: unknown target list \"x\""),
                Arguments.of(base + "tests: [{targets: t, port_group: g, rate_limit: fast}]", "tests[0].rate_limit: unknown rate limit \"fast\""),
                Arguments.of(base.replace("cps: 2.0", "cps: -1") + test, "rate_limits.r.cps: must be a number above 0"),
                Arguments.of(base.replace("cps: 2.0", "cps: 0") + test, "rate_limits.r.cps: must be a number above 0"),
                Arguments.of(base.replace("timeout: 1000", "timeout: 0") + test, "ports.p.timeout: must be an integer from 1 to 60000"),
                Arguments.of(base.replace("timeout: 1000", "timeout: -5") + test, "ports.p.timeout: must be an integer from 1 to 60000, got -5"),
                Arguments.of(base.replace("count: 2", "count: 0") + test, "port_groups.g[0].count: must be an integer from 1"),
                Arguments.of(base.replace("port: p,", "port: q,") + test, "port_groups.g[0].port: unknown port \"q\""),
                Arguments.of(base.replace("tos: 0", "tos: 256") + test, "ports.p.tos: must be an integer from 0 to 255"),
                Arguments.of(base.replace("ip: 0.0.0.0", "ip: 300.1.1.1") + test, "ports.p.ip: not an IP address: 300.1.1.1"),
                Arguments.of(base.replace("ip: 127.0.0.1", "ip: example.com") + test, "targets.t[0].ip: not an IP address: example.com"),
                Arguments.of(base.replace("port: 8100}", "port: 70000}") + test, "targets.t[0].port: must be an integer from 1 to 65535"),
                Arguments.of(base.replace("port: 8100}]", "port: 8100}, {ip: 127.0.0.1, port: 8100}]") + test,
                        "targets.t[1]: duplicate target 127.0.0.1:8100 (also at targets.t[0])"),
                Arguments.of(base.replace("port: 0, tos", "port: 9999, tos") + test, "port_groups.g[0].count: port \"p\" has a fixed port number"),
                Arguments.of(base + test + "summarization: {interval: 0}", "summarization.interval: must be an integer from 1"),
                Arguments.of(base + test + "summarization: {interval: 30, handlerz: 2}", "summarization.handlerz: unknown key"),
                Arguments.of(base + test + "api: {bind: nowhere}", "api.bind: expected IP:PORT"),
                Arguments.of(base + test + "extra: 1", "extra: unknown key"),
                Arguments.of(base.replace("timeout: 1000", "timout: 1000") + test, "ports.p.timout: unknown key"),
                Arguments.of("10.1.2.3: [a, b]", "10.1.2.3: legacy format maps a target IP to its tags"),
                Arguments.of("web-1: {dst_hostname: web-1}", "targets.default[0].ip: not an IP address: web-1"),
                Arguments.of("{}", "(top level): the configuration is empty"));
    }

    @ParameterizedTest(name = "{1}")
    @MethodSource("invalid")
    void validationNamesTheKey(String yaml, String message) {
        assertThatThrownBy(() -> ConfigParser.parse(YamlFile.parse("t.yaml", yaml), 8100))
                .isInstanceOf(ConfigException.class)
                .hasMessageStartingWith(message);
    }

    @Test
    void aStandaloneConfigMustProbeSomething() {
        String sections = "ports: {p: {ip: 127.0.0.1}}\nport_groups: {g: [{port: p}]}\nrate_limits: {r: {cps: 1}}\n";
        var noTests = ConfigParser.parse(YamlFile.parse("t.yaml", sections + "targets: {t: [{ip: 127.0.0.1}]}"), 8100);
        assertThatThrownBy(() -> ConfigParser.requireTargets(noTests)).hasMessageStartingWith("tests: no tests");
        var noTargets = ConfigParser.parse(YamlFile.parse("t.yaml", sections + "targets: {t: []}\n"
                + "tests: [{targets: t, port_group: g, rate_limit: r}]"), 8100);
        assertThatThrownBy(() -> ConfigParser.requireTargets(noTargets)).hasMessageStartingWith("targets.t: empty");
        assertThat(ConfigParser.requireTargets(ConfigParser.parse(ConfigParser.defaultJson(), 8100)).tests()).hasSize(1);
    }
}
