package dev.llama.api;

import io.netty.buffer.Unpooled;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.internal.buffer.BufferInternal;
import java.nio.ByteBuffer;
import java.util.HashMap;
import java.util.Map;
import java.util.function.Supplier;

/**
 * Encoded bodies of the large unfiltered answers ({@code /api/v1/summaries}, {@code /influxdata},
 * {@code /api/v1/matrix}), built once per change of what they show and shared: N requests (pipelined
 * by a client that never reads, say) hold N references to one buffer, not N copies, and cost no
 * encoding. Cleared on every accepted summary set; an entry also lapses when one of the sets it shows
 * stops being fresh. Used on the API verticle's event loop.
 */
final class BodyCache {
    private record Entry(Buffer body, long validUntil) {
    }

    private final Map<String, Entry> entries = new HashMap<>();
    private long builds;

    /** The body for {@code key}, built by {@code build} when missing or lapsed; valid until {@code validUntil} (ms). */
    Buffer get(String key, long nowMillis, long validUntil, Supplier<Buffer> build) {
        var entry = entries.get(key);
        if (entry == null || nowMillis >= entry.validUntil()) {
            builds++;
            entry = new Entry(build.get(), validUntil);
            entries.put(key, entry);
        }
        return entry.body();
    }

    /**
     * {@code body} copied into a direct buffer: Netty copies a heap buffer into a direct one for every write
     * to a socket, so only a direct body is really shared between responses. The JDK buffer is freed by
     * the garbage collector once no cache entry and no response holds it.
     */
    static Buffer direct(Buffer body) {
        var nio = ByteBuffer.allocateDirect(body.length());
        ((BufferInternal) body).getByteBuf().getBytes(0, nio);
        return BufferInternal.buffer(Unpooled.unreleasableBuffer(Unpooled.wrappedBuffer(nio.flip())));
    }

    void clear() {
        entries.clear();
    }

    /** How many bodies were built, for tests. */
    long builds() {
        return builds;
    }
}
