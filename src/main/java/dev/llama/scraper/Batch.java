package dev.llama.scraper;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;

/**
 * Points from one source (a collector, or the event bus) in InfluxDB line protocol, one per line, as
 * stored in the disk queue.
 *
 * @param source where the points came from, for logs and the dead-letter file
 * @param points how many lines {@code lines} holds
 * @param lines UTF-8 line protocol, each line ending in {@code \n}
 */
public record Batch(String source, int points, byte[] lines) {
    private static final byte FORMAT = 1;

    /** The queue element: a format byte, the point count, the source, then the lines. */
    byte[] encode() {
        byte[] src = source.getBytes(StandardCharsets.UTF_8);
        var buf = ByteBuffer.allocate(1 + 4 + 2 + src.length + lines.length);
        buf.put(FORMAT).putInt(points).putShort((short) src.length).put(src).put(lines);
        return buf.array();
    }

    static Batch decode(byte[] element) {
        var buf = ByteBuffer.wrap(element);
        if (element.length < 7 || buf.get() != FORMAT) {
            throw new IllegalArgumentException("not a batch of this format");
        }
        int points = buf.getInt();
        byte[] src = new byte[Short.toUnsignedInt(buf.getShort())];
        buf.get(src);
        byte[] lines = new byte[buf.remaining()];
        buf.get(lines);
        return new Batch(new String(src, StandardCharsets.UTF_8), points, lines);
    }

    /** Bytes this batch takes in the queue file, with Tape's 4-byte element header. */
    int queuedSize() {
        return 4 + 1 + 4 + 2 + source.getBytes(StandardCharsets.UTF_8).length + lines.length;
    }
}
