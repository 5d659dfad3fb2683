package dev.llama.summary;

import dev.llama.config.ClusterSecret;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.eventbus.MessageCodec;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonObject;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * An event-bus codec for an immutable record: the record itself inside one JVM, between JVMs its JSON
 * (length-prefixed, at most {@code maxBytes}) followed, with a cluster key, by an HMAC-SHA256 of it. A
 * body that is too long, malformed, unsigned, wrongly signed or invalid arrives as {@code null}, so a bad
 * sender costs the receiver a counted rejection and never an exception on the event loop.
 */
public abstract class SignedJsonCodec<T> implements MessageCodec<T, T> {
    private static final Logger log = LoggerFactory.getLogger(SignedJsonCodec.class);

    private final ClusterSecret key;
    private final int maxBytes;
    private final String what;

    /** @param key signs and verifies, or neither when null; @param what names the record in log lines */
    protected SignedJsonCodec(ClusterSecret key, int maxBytes, String what) {
        this.key = key;
        this.maxBytes = maxBytes;
        this.what = what;
    }

    /** The record's JSON encoding. */
    protected abstract JsonObject toJson(T value);

    /** The record a JSON body decodes to; throws a runtime exception naming the field when it is invalid. */
    protected abstract T fromJson(JsonObject json, long nowMillis);

    @Override
    public final void encodeToWire(Buffer buffer, T value) {
        Buffer json = toJson(value).toBuffer();
        buffer.appendInt(json.length()).appendBuffer(json);
        if (key != null) {
            buffer.appendBytes(key.mac(json.getBytes()));
        }
    }

    @Override
    public final T decodeFromWire(int pos, Buffer buffer) {
        try {
            int length = buffer.getInt(pos);
            if (length < 0 || length > maxBytes || length > buffer.length() - pos - 4) {
                throw new InvalidSummaryException("body", "length " + length + " out of bounds");
            }
            Buffer body = buffer.getBuffer(pos + 4, pos + 4 + length);
            if (key != null) {
                int at = pos + 4 + length;
                if (buffer.length() - at < ClusterSecret.MAC_LENGTH
                        || !key.verify(body.getBytes(), buffer.getBytes(at, at + ClusterSecret.MAC_LENGTH))) {
                    throw new InvalidSummaryException("mac", "missing or wrong: not sent by a node with the cluster secret");
                }
            }
            return fromJson(new JsonObject(body), System.currentTimeMillis());
        } catch (InvalidSummaryException | IllegalArgumentException | DecodeException | IndexOutOfBoundsException
                | ClassCastException e) {
            log.debug("{} from the event bus rejected: {}", what, e.getMessage());
            return null;
        }
    }

    @Override
    public final T transform(T value) {
        return value;
    }

    @Override
    public final byte systemCodecID() {
        return -1;
    }
}
