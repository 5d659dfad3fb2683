package dev.llama.cluster;

import dev.llama.node.Node;
import dev.llama.registry.NodeInfo;
import dev.llama.registry.NodeRegistry;
import dev.llama.summary.Addresses;
import dev.llama.summary.PairSummary;
import dev.llama.summary.SummaryCodec;
import dev.llama.summary.SummaryJson;
import dev.llama.summary.SummarySet;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.eventbus.EventBusOptions;
import io.vertx.core.json.JsonObject;
import io.vertx.spi.cluster.hazelcast.HazelcastClusterManager;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A process that reaches the Hazelcast port and knows the cluster name, with the shipped {@code cluster.xml},
 * but has no certificate and no secret. Once a second it writes a fake reflector into the registry,
 * publishes a forged summary set (as the record and as JSON), sends one to the scrapers, and listens on
 * the scrapers' address; it logs what came of each for the test to read. (Its own requests reach its own
 * consumer half the time, which never answers: they time out.)
 *
 * <p>Arguments: cluster name, its Hazelcast port, the members (comma-separated host:port), the fake
 * reflector's UDP port on 127.0.0.99, the name of the node whose pair it forges.
 */
public final class RogueMember {
    private static final Logger log = LoggerFactory.getLogger(RogueMember.class);

    private RogueMember() {
    }

    public static void main(String[] args) {
        var cluster = new NodeConfig.Cluster(args[0], null, "127.0.0.1", Integer.parseInt(args[1]), List.of(args[2].split(",")), 0,
                ClusterSecurity.NONE);
        int fakePort = Integer.parseInt(args[3]);
        String victim = args[4];
        var manager = new HazelcastClusterManager(Node.hazelcast(cluster));
        var options = new VertxOptions().setEventBusOptions(new EventBusOptions().setHost("127.0.0.1"));
        Vertx vertx = Vertx.builder().with(options).withClusterManager(manager).buildClustered().await();
        SummaryCodec.register(vertx.eventBus());
        log.info("rogue joined: {} members", manager.getNodes().size());
        // Its own forged sets reach it too (local delivery); only a set from another collector is a catch.
        vertx.eventBus().consumer(Addresses.SCRAPE, msg -> log.info("rogue consumer got a set from {}",
                msg.body() instanceof SummarySet s ? s.collector() : String.valueOf(msg.body())));
        var rounds = new AtomicLong();
        vertx.setPeriodic(1000, id -> round(vertx, manager.getNodeId(), fakePort, victim, rounds.incrementAndGet()));
    }

    private static void round(Vertx vertx, String nodeId, int fakePort, String victim, long round) {
        long now = System.currentTimeMillis();
        var fake = new NodeInfo("evil", "127.0.0.99", Map.of("region", "nowhere"), List.of("reflector", "collector"), nodeId, now, now,
                fakePort, 0);
        vertx.sharedData().<String, JsonObject>getAsyncMap(NodeRegistry.MAP)
                .compose(m -> m.put("evil", fake.toJson()))
                .onComplete(ar -> log.info("rogue registry put: {}", ar.succeeded() ? "written" : ar.cause().getMessage()));
        var end = Instant.ofEpochSecond(now / 1000 - 1);
        var pair = new PairSummary("127.0.0.99", "127.0.0.1", Map.of("src_name", "forged", "dst_name", victim), 100, 100, 100.0,
                Double.NaN, Double.NaN, Double.NaN, Double.NaN, Double.NaN, Double.NaN, Double.NaN, Double.NaN, 0, 0, List.of());
        var set = new SummarySet(SummarySet.VERSION, "forged", 2, end.minusSeconds(2), end, Map.of(), List.of(pair));
        vertx.eventBus().publish(Addresses.SUMMARIES, set);
        vertx.eventBus().publish(Addresses.SUMMARIES, SummaryJson.encode(set));
        vertx.eventBus().request(Addresses.SCRAPE, set, new DeliveryOptions().setSendTimeout(2000))
                .onComplete(ar -> log.info("rogue scrape request: {}", ar.succeeded() ? "ANSWERED" : "failed: " + ar.cause().getMessage()));
        log.info("rogue round {}", round);
    }
}
