package dev.llama.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import dev.llama.cluster.NodeConfig;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;

/** The event bus listens on a port a firewall rule can name: Hazelcast's port + 100 unless set, 0 only when asked. */
class EventBusPortTest {
    private static NodeConfig.Cluster cluster(JsonObject cluster) {
        return NodeConfig.parse(new JsonObject().put("roles", "reflector").put("cluster", cluster), null).cluster();
    }

    @Test
    void theDefaultIsFixed() {
        assertThat(cluster(new JsonObject()).port()).isEqualTo(5701);
        assertThat(cluster(new JsonObject()).busPort()).isEqualTo(5801);
    }

    @Test
    void aSecondNodeOnTheHostGetsItsOwn() {
        assertThat(cluster(new JsonObject().put("port", 5702)).busPort()).isEqualTo(5802);
    }

    @Test
    void anExplicitPortWinsAndZeroStillMeansAnyFreeOne() {
        assertThat(cluster(new JsonObject().put("bus_port", 6000)).busPort()).isEqualTo(6000);
        assertThat(cluster(new JsonObject().put("bus_port", 0)).busPort()).isZero();
        assertThat(cluster(new JsonObject().put("port", 65_500)).busPort()).as("no room above: any free port").isZero();
    }
}
