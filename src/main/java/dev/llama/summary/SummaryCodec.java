package dev.llama.summary;

import dev.llama.config.ClusterSecret;
import io.vertx.core.eventbus.EventBus;
import io.vertx.core.json.JsonObject;

/**
 * Carries {@link SummarySet}s on the event bus: inside one JVM the immutable record itself (no JSON at
 * all), between JVMs its {@link SummaryJson} encoding, decoded and validated on arrival. A body that
 * fails decoding arrives as {@code null}, so that a bad sender costs the receiver a counted rejection and
 * never an exception on the event loop; {@link SummaryReceiver} counts it.
 *
 * <p>With a cluster key ({@link #useKey}, set once at node start) the wire form carries an HMAC-SHA256 of
 * the JSON after it, and a set whose MAC is missing or wrong arrives as {@code null} too: a process that
 * reaches the event bus without the key cannot inject sets.
 */
public final class SummaryCodec extends SignedJsonCodec<SummarySet> {
    public static final String NAME = "llama-summary-set";
    /** Longest JSON body accepted from another JVM: 100,000 pairs with their ports fit. */
    static final int MAX_BYTES = 256 << 20;
    private static volatile ClusterSecret defaultKey;

    /** A codec with the key set by {@link #useKey}, if any. */
    public SummaryCodec() {
        super(defaultKey, MAX_BYTES, "summary set");
    }

    /** A codec that signs and verifies with {@code key}, or neither when it is null. */
    public SummaryCodec(byte[] key) {
        super(key == null ? null : ClusterSecret.of(key), MAX_BYTES, "summary set");
    }

    /** Sets the key the codecs registered from now on use; null for none. Called once at node start. */
    public static void useKey(byte[] key) {
        defaultKey = key == null ? null : ClusterSecret.of(key);
    }

    /** Whether a key is set: then only sets carried by this codec, with a valid MAC, come from another JVM. */
    public static boolean keyed() {
        return defaultKey != null;
    }

    /** Registers the codec as the default for {@link SummarySet} on {@code bus}; harmless when already there. */
    public static void register(EventBus bus) {
        try {
            bus.registerDefaultCodec(SummarySet.class, new SummaryCodec());
        } catch (IllegalStateException alreadyRegistered) {
            // one registration per Vert.x instance is enough; every role asks for it
        }
    }

    @Override
    protected JsonObject toJson(SummarySet set) {
        return SummaryJson.encode(set);
    }

    @Override
    protected SummarySet fromJson(JsonObject json, long nowMillis) {
        return SummaryDecoder.decode(json, nowMillis);
    }

    @Override
    public String name() {
        return NAME;
    }
}
