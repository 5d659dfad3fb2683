package dev.llama.summary;

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
 */
public final class SummaryCodec implements MessageCodec<SummarySet, SummarySet> {
    public static final String NAME = "llama-summary-set";
    private static final String REJECTED = "summary set from the event bus rejected: {}";
    private static final org.slf4j.Logger log = org.slf4j.LoggerFactory.getLogger(SummaryCodec.class);

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
    }

    @Override
    public SummarySet decodeFromWire(int pos, Buffer buffer) {
        try {
            int length = buffer.getInt(pos);
            if (length < 0 || length > buffer.length() - pos - 4) {
                throw new InvalidSummaryException("body", "length " + length + " past the end of the message");
            }
            var json = new JsonObject(buffer.getBuffer(pos + 4, pos + 4 + length));
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
