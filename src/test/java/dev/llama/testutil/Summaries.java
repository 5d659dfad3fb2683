package dev.llama.testutil;

import dev.llama.summary.Addresses;
import dev.llama.summary.SummaryCodec;
import dev.llama.summary.SummaryJson;
import dev.llama.summary.SummarySet;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Predicate;

/** Records every summary set published on the event bus, in its JSON encoding, for tests to wait on. */
public final class Summaries {
    private final List<JsonObject> sets = new CopyOnWriteArrayList<>();

    public Summaries(Vertx vertx) {
        SummaryCodec.register(vertx.eventBus());
        vertx.eventBus().<Object>consumer(Addresses.SUMMARIES, msg -> {
            if (msg.body() instanceof SummarySet set) {
                sets.add(SummaryJson.encode(set));
            }
        });
    }

    public List<JsonObject> all() {
        return List.copyOf(sets);
    }

    /** Waits for a set, published after the first {@code skip}, that matches. */
    public JsonObject await(Duration timeout, int skip, Predicate<JsonObject> match, String what) {
        Await.until(timeout, () -> sets.stream().skip(skip).anyMatch(match), () -> what + "; got " + sets.size() + " sets, last " + (sets.isEmpty() ? "none" : sets.get(sets.size() - 1).encode()));
        return sets.stream().skip(skip).filter(match).findFirst().orElseThrow();
    }

    public int size() {
        return sets.size();
    }

    /** The pair to {@code dst} in a set, or null. */
    public static JsonObject pair(JsonObject set, String dst) {
        return set.getJsonArray("pairs").stream().map(JsonObject.class::cast)
                .filter(p -> p.getString("dst_ip").equals(dst)).findFirst().orElse(null);
    }

    /** Whether the set has a pair to {@code dst} that sent at least {@code minSent} probes. */
    public static boolean hasPair(JsonObject set, String dst, long minSent) {
        var p = pair(set, dst);
        return p != null && p.getLong("sent") >= minSent;
    }
}
