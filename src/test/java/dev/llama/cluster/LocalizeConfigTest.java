package dev.llama.cluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.llama.config.ConfigException;
import dev.llama.config.ConfigParser;
import dev.llama.config.YamlFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code localize.levels} in a node's file, its environment override, and a standalone collector's file. */
class LocalizeConfigTest {
    @TempDir
    Path dir;

    private NodeConfig node(String yaml, Map<String, String> env) throws Exception {
        Path file = dir.resolve("node.yaml");
        Files.writeString(file, "node: {name: n1, ip: 127.0.0.1}\nroles: api\n" + yaml);
        return NodeSource.read(file.toString(), env, new Properties()).parse(null);
    }

    @Test
    void levelsAreReadInOrderAndDefaultToNone() throws Exception {
        assertThat(node("localize: {levels: [region, pod, rack]}\n", Map.of()).api().options().localizeLevels())
                .containsExactly("region", "pod", "rack");
        assertThat(node("", Map.of()).api().options().localizeLevels()).isEmpty();
        assertThat(node("", Map.of("LLAMA_LOCALIZE__LEVELS", "region,rack")).api().options().localizeLevels())
                .containsExactly("region", "rack");
    }

    @Test
    void badLevelsAreRefusedNamingTheFileAndTheKey() {
        String file = dir.resolve("node.yaml").toString();
        for (var bad : List.of("[rack, rack]", "[\"ra ck\"]", "[name]", "[a, b, c, d, e, f, g, h, i]", "{rack: 1}", "[1]")) {
            assertThatThrownBy(() -> node("localize: {levels: " + bad + "}\n", Map.of())).as(bad)
                    .isInstanceOf(ConfigException.class).hasMessageStartingWith(file + ": localize.levels: ");
        }
        assertThatThrownBy(() -> node("localize: {level: [rack]}\n", Map.of()))
                .hasMessageStartingWith(file + ": localize.level: unknown key");
        assertThatThrownBy(() -> node("", Map.of("LLAMA_LOCALIZE__LEVELS", "rack,rack")))
                .hasMessageStartingWith("environment variable LLAMA_LOCALIZE__LEVELS (over " + file + "): localize.levels: ")
                .hasMessageContaining("given twice");
    }

    @Test
    void aStandaloneCollectorFileTakesThemToo() throws Exception {
        Path file = dir.resolve("c.yaml");
        Files.writeString(file, "localize: {levels: [rack]}\ntargets: {t: [{ip: 127.0.0.1}]}\nports: {p: {}}\n"
                + "port_groups: {g: [{port: p}]}\nrate_limits: {r: {cps: 1}}\ntests: [{targets: t, port_group: g, rate_limit: r}]\n");
        assertThat(ConfigParser.parse(YamlFile.read(file), 8100).api().localizeLevels()).containsExactly("rack");
    }
}
