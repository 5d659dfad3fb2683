package dev.llama.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import dev.llama.registry.NodeInfo;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class SubsetTest {
    private static NodeInfo node(String name, Map<String, String> tags) {
        return new NodeInfo(name, "127.0.0.1", tags, List.of("reflector", "collector"), name, 0, 0, 8100, 0);
    }

    @Test
    void everyReflectorIsProbedByExactlyKOtherCollectorsForAnyClusterSize() {
        for (int n = 1; n <= 40; n++) {
            var nodes = new ArrayList<NodeInfo>();
            for (int i = 0; i < n; i++) {
                nodes.add(node("host-" + i, Map.of()));
            }
            var names = nodes.stream().map(NodeInfo::name).toList();
            for (int k = 1; k <= 4; k++) {
                var probedBy = new HashMap<String, Integer>();
                for (var me : nodes) {
                    var chosen = Subset.choose(me, names, nodes, k, List.of(), false);
                    assertThat(chosen).doesNotContain(me);
                    chosen.forEach(r -> probedBy.merge(r.name(), 1, Integer::sum));
                }
                for (var r : nodes) {
                    assertThat(probedBy.getOrDefault(r.name(), 0)).as("n=%d k=%d %s", n, k, r.name()).isEqualTo(Math.min(k, n - 1));
                }
            }
        }
    }

    @Test
    void rulesAddReflectorsWhateverTheFanOutAndFullMeshIncludesSelf() {
        var rule = Subset.Rule.parse("r", new JsonObject().put("same", new JsonArray().add("region")));
        var match = Subset.Rule.parse("m", new JsonObject().put("match", new JsonObject().put("service", "web")));
        var me = node("me", Map.of("region", "west"));
        var nodes = new ArrayList<NodeInfo>(List.of(me));
        for (int i = 0; i < 20; i++) {
            nodes.add(node("w" + i, Map.of("region", "west")));
            nodes.add(node("e" + i, Map.of("region", "east", "service", i == 3 ? "web" : "db")));
        }
        var names = nodes.stream().map(NodeInfo::name).toList();
        var chosen = Subset.choose(me, names, nodes, 1, List.of(rule, match), true);
        assertThat(chosen).contains(me);
        assertThat(chosen.stream().filter(n -> n.name().startsWith("w"))).hasSize(20);
        assertThat(chosen).contains(nodes.stream().filter(n -> n.name().equals("e3")).findFirst().orElseThrow());
        assertThat(Subset.choose(me, names, nodes, 0, List.of(), true)).hasSize(nodes.size());
        assertThat(Subset.choose(me, names, nodes, 0, List.of(), false)).hasSize(nodes.size() - 1);
    }
}
