package dev.llama.api;

import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.Json;
import io.vertx.core.json.JsonObject;
import java.util.ArrayDeque;

/**
 * A JSON answer written element by element into one buffer. A 10,000-pair summary set with its ports is
 * some 20 MB of JSON; built as one tree of {@link JsonObject}s and then one String, it took five times
 * that of heap at once, more than a collector's whole heap holds beside its tables. Here only one pair's
 * objects exist at a time. The bytes are those {@link JsonObject#encode} gives for the whole tree.
 */
final class JsonBody {
    private final Buffer out;
    /** Per array open, innermost first: what ends it, and whether nothing has been written into it yet. */
    private final ArrayDeque<String> closing = new ArrayDeque<>();
    private final ArrayDeque<Boolean> empty = new ArrayDeque<>();

    JsonBody(int sizeHint) {
        out = Buffer.buffer(Math.max(256, sizeHint));
    }

    /**
     * Writes {@code head}'s fields and opens the array {@code key} as its last field (as the next element
     * of the array already open, if any); {@link #close} ends both.
     */
    JsonBody open(JsonObject head, String key) {
        separate();
        var h = head.toBuffer();
        out.appendBuffer(h, 0, h.length() - 1);
        if (!head.isEmpty()) {
            out.appendByte((byte) ',');
        }
        out.appendString(Json.encode(key)).appendString(":[");
        closing.push("]}");
        empty.push(true);
        return this;
    }

    /** Opens an array (as the next element of the array already open, if any); {@link #close} ends it. */
    JsonBody openArray() {
        separate();
        out.appendByte((byte) '[');
        closing.push("]");
        empty.push(true);
        return this;
    }

    /** Appends one element to the array open. */
    JsonBody add(JsonObject element) {
        separate();
        out.appendBuffer(element.toBuffer());
        return this;
    }

    /** Ends the array opened last (and the object around it, from {@link #open}). */
    JsonBody close() {
        empty.pop();
        out.appendString(closing.pop());
        return this;
    }

    /** The answer; every array opened must have been closed. */
    Buffer buffer() {
        if (!empty.isEmpty()) {
            throw new IllegalStateException(empty.size() + " arrays still open");
        }
        return out;
    }

    private void separate() {
        if (empty.isEmpty()) {
            return;
        }
        if (empty.peek()) {
            empty.pop();
            empty.push(false);
        } else {
            out.appendByte((byte) ',');
        }
    }
}
