package dev.llama.registry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.llama.config.ClusterSecret;
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

    @Test
    void withASecretOnlySignedEntriesAreRead(Vertx vertx) throws Exception {
        var secret = ClusterSecret.of("0123456789abcdef0123456789abcdef".getBytes(java.nio.charset.StandardCharsets.US_ASCII));
        var other = ClusterSecret.of("fedcba9876543210fedcba9876543210".getBytes(java.nio.charset.StandardCharsets.US_ASCII));
        var registry = new NodeRegistry(vertx, () -> Set.of("id-a"), "id-a", secret);
        var tagged = new NodeInfo("a", "127.0.0.1", Map.of("z", "1", "a", "2", "m", "3"), List.of("reflector"), "id-a", 1, 2, 8100, 0);
        registry.put(tagged).await(5, TimeUnit.SECONDS);
        var map = vertx.sharedData().<String, JsonObject>getAsyncMap(NodeRegistry.MAP).await(5, TimeUnit.SECONDS);
        var signed = map.get("a").await(5, TimeUnit.SECONDS);
        assertThat(signed.getString(NodeRegistry.SIG)).hasSize(64);

        var unsigned = GOOD.toJson().put("name", "evil").put("ip", "127.0.0.99");
        map.put("evil", unsigned).await(5, TimeUnit.SECONDS);
        map.put("copied", signed.copy().put("name", "copied")).await(5, TimeUnit.SECONDS);
        var moved = signed.copy().put("ip", "127.0.0.99").put("name", "moved");
        map.put("moved", moved).await(5, TimeUnit.SECONDS);
        var foreign = new NodeInfo("foreign", "127.0.0.99", Map.of(), List.of("reflector"), "id-a", 1, 2, 8100, 0);
        map.put("foreign", foreign.toJson().put(NodeRegistry.SIG, other.sign(foreign.canonical()))).await(5, TimeUnit.SECONDS);
        map.put("junk", unsigned.copy().put("name", "junk").put(NodeRegistry.SIG, "zz")).await(5, TimeUnit.SECONDS);

        assertThat(registry.nodes().await(5, TimeUnit.SECONDS)).containsExactly(tagged);
        assertThat(registry.invalidEntries()).isEqualTo(5);
        var reordered = signed.copy().put("tags", new JsonObject().put("m", "3").put("a", "2").put("z", "1"));
        map.put("a", reordered).await(5, TimeUnit.SECONDS);
        assertThat(registry.nodes().await(5, TimeUnit.SECONDS)).as("the order of tags does not matter").containsExactly(tagged);
        assertThat(new NodeRegistry(vertx, () -> Set.of(), "x").nodes().await(5, TimeUnit.SECONDS)).as("without a secret").hasSize(6);
    }
}
