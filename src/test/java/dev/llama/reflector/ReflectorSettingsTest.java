package dev.llama.reflector;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.llama.cli.Launcher;
import dev.llama.cluster.NodeConfig;
import dev.llama.config.AllowList;
import dev.llama.config.ConfigException;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The reflector's settings from the command line and from a node's configuration. */
class ReflectorSettingsTest {

    private static NodeConfig node(Object allow) {
        var reflector = new JsonObject().put("port", 0);
        if (allow != null) {
            reflector.put("allow", allow);
        }
        return NodeConfig.parse(new JsonObject().put("roles", "reflector").put("reflector", reflector), null);
    }

    @Test
    void nodeConfigTakesAnAllowList() throws Exception {
        assertThat(node(null).reflector().allow().any()).isTrue();
        var fromList = node(new JsonArray().add("10.0.0.0/8").add("2001:db8::/32")).reflector().allow();
        assertThat(fromList.allows(InetAddress.getByName("10.1.2.3"))).isTrue();
        assertThat(fromList.allows(InetAddress.getByName("192.0.2.1"))).isFalse();
        assertThat(node("10.0.0.0/8, 2001:db8::/32").reflector().allow().toString()).isEqualTo("10.0.0.0/8,2001:db8::/32");
        assertThatThrownBy(() -> node("10.0.0.0/40")).isInstanceOf(ConfigException.class).hasMessageContaining("reflector.allow")
                .hasMessageContaining("not a CIDR");
        assertThatThrownBy(() -> node(7)).isInstanceOf(ConfigException.class).hasMessageContaining("reflector.allow");
    }

    @Test
    void denyPortsParse() {
        assertThat(ReflectorOptions.parseDenyPorts("8100, 8101")).containsExactly(8100, 8101);
        assertThat(ReflectorOptions.parseDenyPorts("")).isEmpty();
        for (String bad : List.of("0", "65536", "x", "8100,", "-1", "81 00")) {
            assertThatThrownBy(() -> ReflectorOptions.parseDenyPorts(bad)).hasMessageContaining("not a port");
        }
        assertThat(ReflectorOptions.defaultDenyPorts(8101)).containsExactly(8101, 8100);
        assertThat(ReflectorOptions.defaultDenyPorts(8100)).containsExactly(8100);
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "reflector -max-pps 1e8|invalid value \"1e8\" for flag -max-pps: must be 0 to 10000000",
        "reflector -max-pps 5k|invalid value \"5k\" for flag -max-pps",
        "reflector -allow 10.0.0.0/33|not a CIDR: \"10.0.0.0/33\"",
        "reflector -allow nowhere|not a CIDR: \"nowhere\"",
        "reflector -deny-ports 8100,abc|not a port: \"abc\"",
    })
    void badReflectorFlagsGiveOneLineAndExitTwo(String line, String message) {
        var err = new ByteArrayOutputStream();
        var out = new ByteArrayOutputStream();
        int rc = new Launcher(new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8))
                .run(line.split(" "));
        assertThat(rc).isEqualTo(2);
        assertThat(err.toString(StandardCharsets.UTF_8)).contains(message);
    }
}
