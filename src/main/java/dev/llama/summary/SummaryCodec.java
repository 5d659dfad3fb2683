package dev.llama.summary;

import dev.llama.config.ClusterSecret;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.eventbus.EventBus;
import io.vertx.core.eventbus.MessageCodec;
import io.vertx.core.json.DecodeException;
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
public final class SummaryCodec implements MessageCodec<SummarySet, SummarySet> {
    public static final String NAME = "llama-summary-set";
    private static final String REJECTED = "summary set from the event bus rejected: {}";
    private static final org.slf4j.Logger log = org.slf4j.LoggerFactory.getLogger(SummaryCodec.class);
    private static volatile ClusterSecret defaultKey;

    private final ClusterSecret key;

    /** A codec with the key set by {@link #useKey}, if any. */
    public SummaryCodec() {
        this.key = defaultKey;
    }

    /** A codec that signs and verifies with {@code key}, or neither when it is null. */
    public SummaryCodec(byte[] key) {
        this.key = key == null ? null : ClusterSecret.of(key);
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
    public void encodeToWire(Buffer buffer, SummarySet set) {
        Buffer json = SummaryJson.encode(set).toBuffer();
        buffer.appendInt(json.length()).appendBuffer(json);
        if (key != null) {
            buffer.appendBytes(key.mac(json.getBytes()));
        }
    }

    @Override
    public SummarySet decodeFromWire(int pos, Buffer buffer) {
        try {
            int length = buffer.getInt(pos);
            if (length < 0 || length > buffer.length() - pos - 4) {
                throw new InvalidSummaryException("body", "length " + length + " past the end of the message");
            }
            Buffer body = buffer.getBuffer(pos + 4, pos + 4 + length);
            if (key != null) {
                int at = pos + 4 + length;
                if (buffer.length() - at < ClusterSecret.MAC_LENGTH
                        || !key.verify(body.getBytes(), buffer.getBytes(at, at + ClusterSecret.MAC_LENGTH))) {
                    throw new InvalidSummaryException("mac", "missing or wrong: not sent by a node with the cluster secret");
                }
            }
            var json = new JsonObject(body);
            return SummaryDecoder.decode(json, System.currentTimeMillis());
        } catch (InvalidSummaryException | DecodeException | IndexOutOfBoundsException | ClassCastException e) {
            log.debug(REJECTED, e.getMessage());
            return null;
        }
    }

    @Override
    public SummarySet transform(SummarySet set) {
        return set;
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public byte systemCodecID() {
        return -1;
    }
}
