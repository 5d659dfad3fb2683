package dev.llama.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code protocol: stamp} on a collector target. */
class StampTargetConfigTest {
    private static final String CONFIG = """
            targets:
              default:
                - {ip: 192.0.2.1, port: 862, protocol: %s, tags: {dst_hostname: edge1}}
                - {ip: 192.0.2.2, port: 8100}
            """;

    @Test
    void stampTargetsCarryTheProtocolTag() {
        var config = ConfigParser.parse(YamlFile.parse("t.yaml", CONFIG.formatted("stamp")), 8100);
        var targets = config.targets().get("default");
        assertThat(targets.get(0).stamp()).isTrue();
        assertThat(targets.get(0).tags()).containsEntry("protocol", "stamp").containsEntry("dst_hostname", "edge1");
        assertThat(targets.get(1).stamp()).isFalse();
        assertThat(targets.get(1).tags()).doesNotContainKey("protocol");
        var llama = ConfigParser.parse(YamlFile.parse("t.yaml", CONFIG.formatted("llama")), 8100).targets().get("default");
        assertThat(llama.get(0).stamp()).isFalse();
        assertThat(llama.get(0).tags()).doesNotContainKey("protocol");
    }

    @Test
    void anotherProtocolIsRefusedNamingTheKey() {
        assertThatThrownBy(() -> ConfigParser.parse(YamlFile.parse("t.yaml", CONFIG.formatted("twamp")), 8100))
                .isInstanceOf(ConfigException.class)
                .hasMessageStartingWith("targets.default[0].protocol: protocol must be llama or stamp");
    }

    @Test
    void aStampKeyFileIsReadAtLoadAndItsProblemsNameKeyAndFile(@TempDir Path dir) throws Exception {
        Path key = Files.writeString(dir.resolve("stamp.key"), "# routers\n0F1E2D3C4B5A69788796A5B4C3D2E1F0\n");
        Path bad = Files.writeString(dir.resolve("bad.key"), "xyz\n");
        String yaml = """
                targets:
                  default:
                    - {ip: 192.0.2.1, port: 862, protocol: %s, stamp_key_file: '%s'}
                    - {ip: 192.0.2.2, port: 862, protocol: stamp}
                """;
        var targets = ConfigParser.parse(YamlFile.parse("t.yaml", yaml.formatted("stamp", key)), 8100).targets().get("default");
        assertThat(targets.get(0).stampKey()).isEqualTo("0f1e2d3c4b5a69788796a5b4c3d2e1f0");
        assertThat(targets.get(0).toString()).doesNotContain("0f1e2d");
        assertThat(targets.get(1).stampKey()).isNull();
        assertThatThrownBy(() -> ConfigParser.parse(YamlFile.parse("t.yaml", yaml.formatted("stamp", bad)), 8100))
                .isInstanceOf(ConfigException.class)
                .hasMessageStartingWith("targets.default[0].stamp_key_file: " + bad);
        assertThatThrownBy(() -> ConfigParser.parse(YamlFile.parse("t.yaml", yaml.formatted("stamp", dir.resolve("gone"))), 8100))
                .isInstanceOf(ConfigException.class)
                .hasMessageStartingWith("targets.default[0].stamp_key_file: cannot read " + dir.resolve("gone"));
        assertThatThrownBy(() -> ConfigParser.parse(YamlFile.parse("t.yaml", yaml.formatted("llama", key)), 8100))
                .isInstanceOf(ConfigException.class)
                .hasMessageStartingWith("targets.default[0].stamp_key_file: only for targets with protocol: stamp");
    }
}
