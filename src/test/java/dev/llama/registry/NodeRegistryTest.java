package dev.llama.registry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.VertxExtension;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** Any member can write the registry map: what it reads is checked field by field. */
@ExtendWith(VertxExtension.class)
class NodeRegistryTest {
    private static final NodeInfo GOOD = new NodeInfo("a", "127.0.0.1", Map.of("region", "eu"), List.of("reflector", "collector"),
            "id-a", 1, 2, 8100, 0);

    @Test
    void invalidEntriesAreLeftOutAndCountedWithoutStoppingTheScan(Vertx vertx) throws Exception {
        var registry = new NodeRegistry(vertx, () -> Set.of("id-a"), "id-a");
        registry.put(GOOD).await(5, TimeUnit.SECONDS);
        var map = vertx.sharedData().<String, JsonObject>getAsyncMap(NodeRegistry.MAP).await(5, TimeUnit.SECONDS);
        map.put("bad-ip", GOOD.toJson().put("name", "bad-ip").put("ip", "not-an-ip")).await(5, TimeUnit.SECONDS);
        map.put("evil", GOOD.toJson().put("name", "evil").put("roles", new io.vertx.core.json.JsonArray().add("root")))
                .await(5, TimeUnit.SECONDS);
        map.put("other", GOOD.toJson().put("name", "a")).await(5, TimeUnit.SECONDS);

        var nodes = registry.nodes().await(5, TimeUnit.SECONDS);
        assertThat(nodes).containsExactly(GOOD);
        assertThat(registry.invalidEntries()).isEqualTo(3);
    }

    @Test
    void readsEachFieldStrictly() {
        assertThat(NodeInfo.fromJson(GOOD.toJson())).isEqualTo(GOOD);
        assertThat(NodeInfo.fromJson(GOOD.toJson().put("ip", "0:0:0:0:0:0:0:1")).ip()).isEqualTo("::1");
        for (var bad : List.of(GOOD.toJson().put("name", "<script>"), GOOD.toJson().put("ip", "example.com"),
                GOOD.toJson().put("reflector_port", 70_000), GOOD.toJson().put("reflector_port", "8100"),
                GOOD.toJson().put("tags", new JsonObject().put("region", "x\ny")), GOOD.toJson().put("started", -1),
                GOOD.toJson().put("node_id", ""))) {
            assertThatThrownBy(() -> NodeInfo.fromJson(bad)).as(bad.encode()).isInstanceOf(IllegalArgumentException.class);
        }
    }
}
