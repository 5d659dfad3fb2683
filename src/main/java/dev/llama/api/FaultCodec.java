package dev.llama.api;

import dev.llama.config.ClusterSecret;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.eventbus.EventBus;
import io.vertx.core.eventbus.MessageCodec;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonObject;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Carries {@link FaultReport}s on the event bus the way {@link dev.llama.summary.SummaryCodec} carries
 * summary sets: the record inside one JVM, between JVMs its JSON (at most {@link #MAX_BYTES}) followed,
 * with a cluster key, by its HMAC-SHA256. A body that is too long, malformed, unsigned or wrongly signed
 * arrives as {@code null}, which the receiver counts as a rejection.
 */
public final class FaultCodec implements MessageCodec<FaultReport, FaultReport> {
    public static final String NAME = "llama-fault-report";
    static final int MAX_BYTES = 16 << 20;
    private static final Logger log = LoggerFactory.getLogger(FaultCodec.class);
    private static volatile ClusterSecret defaultKey;

    private final ClusterSecret key;

    /** A codec with the key set by {@link #useKey}, if any. */
    public FaultCodec() {
        this.key = defaultKey;
    }

    /** A codec that signs and verifies with {@code key}, or neither when it is null. */
    FaultCodec(byte[] key) {
        this.key = key == null ? null : ClusterSecret.of(key);
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
    public void encodeToWire(Buffer buffer, FaultReport report) {
        Buffer json = FaultJson.encode(report, true).toBuffer();
        buffer.appendInt(json.length()).appendBuffer(json);
        if (key != null) {
            buffer.appendBytes(key.mac(json.getBytes()));
        }
    }

    @Override
    public FaultReport decodeFromWire(int pos, Buffer buffer) {
        try {
            int length = buffer.getInt(pos);
            if (length < 0 || length > MAX_BYTES || length > buffer.length() - pos - 4) {
                throw new IllegalArgumentException("body: length " + length + " out of bounds");
            }
            Buffer body = buffer.getBuffer(pos + 4, pos + 4 + length);
            if (key != null) {
                int at = pos + 4 + length;
                if (buffer.length() - at < ClusterSecret.MAC_LENGTH
                        || !key.verify(body.getBytes(), buffer.getBytes(at, at + ClusterSecret.MAC_LENGTH))) {
                    throw new IllegalArgumentException("mac: missing or wrong: not sent by a node with the cluster secret");
                }
            }
            return FaultJson.decode(new JsonObject(body), System.currentTimeMillis());
        } catch (IllegalArgumentException | DecodeException | IndexOutOfBoundsException | ClassCastException e) {
            log.debug("fault report from the event bus rejected: {}", e.getMessage());
            return null;
        }
    }

    @Override
    public FaultReport transform(FaultReport report) {
        return report;
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
