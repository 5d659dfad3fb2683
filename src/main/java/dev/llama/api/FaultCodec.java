package dev.llama.api;

import dev.llama.config.ClusterSecret;
import dev.llama.summary.SignedJsonCodec;
import io.vertx.core.eventbus.EventBus;
import io.vertx.core.json.JsonObject;

/**
 * Carries {@link FaultReport}s on the event bus the way {@link dev.llama.summary.SummaryCodec} carries
 * summary sets: the record inside one JVM, between JVMs its JSON (at most {@link #MAX_BYTES}) followed,
 * with a cluster key, by its HMAC-SHA256. A body that is too long, malformed, unsigned or wrongly signed
 * arrives as {@code null}, which the receiver counts as a rejection.
 */
public final class FaultCodec extends SignedJsonCodec<FaultReport> {
    public static final String NAME = "llama-fault-report";
    static final int MAX_BYTES = 16 << 20;
    private static volatile ClusterSecret defaultKey;

    /** A codec with the key set by {@link #useKey}, if any. */
    public FaultCodec() {
        super(defaultKey, MAX_BYTES, "fault report");
    }

    /** A codec that signs and verifies with {@code key}, or neither when it is null. */
    FaultCodec(byte[] key) {
        super(key == null ? null : ClusterSecret.of(key), MAX_BYTES, "fault report");
    }

    /** Sets the key codecs registered from now on use; null for none. Called once at node start. */
    public static void useKey(byte[] key) {
        defaultKey = key == null ? null : ClusterSecret.of(key);
    }

    /** Whether a key is set: then JSON bodies, which carry no MAC, are refused. */
    static boolean keyed() {
        return defaultKey != null;
    }

    /** Registers the codec as the default for {@link FaultReport} on {@code bus}; harmless when already there. */
    static void register(EventBus bus) {
        try {
            bus.registerDefaultCodec(FaultReport.class, new FaultCodec());
        } catch (IllegalStateException alreadyRegistered) {
            // one registration per Vert.x instance; every API verticle asks for it
        }
    }

    @Override
    protected JsonObject toJson(FaultReport report) {
        return FaultJson.encode(report, true);
    }

    @Override
    protected FaultReport fromJson(JsonObject json, long nowMillis) {
        return FaultJson.decode(json, nowMillis);
    }

    @Override
    public String name() {
        return NAME;
    }
}
