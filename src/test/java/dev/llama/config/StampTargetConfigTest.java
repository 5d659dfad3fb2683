package dev.llama.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

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
}
