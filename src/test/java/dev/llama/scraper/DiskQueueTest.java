package dev.llama.scraper;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DiskQueueTest {
    @TempDir
    Path dir;

    private static Batch batch(String source, int points) {
        var lines = new StringBuilder();
        for (int i = 0; i < points; i++) {
            lines.append("m,src=").append(source).append(" v=").append(i).append(".0 ").append(1_700_000_000 + i).append('\n');
        }
        return new Batch(source, points, lines.toString().getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void keepsBatchesInOrderAcrossReopening() throws IOException {
        try (var q = DiskQueue.open(dir, 1 << 20)) {
            q.add(batch("a", 2));
            q.add(batch("b", 3));
        }
        try (var q = DiskQueue.open(dir, 1 << 20)) {
            assertThat(q.batches()).isEqualTo(2);
            assertThat(q.points()).isEqualTo(5);
            var peeked = q.peek(100);
            assertThat(peeked.batches()).extracting(Batch::source).containsExactly("a", "b");
            assertThat(peeked.batches().get(1).lines()).isEqualTo(batch("b", 3).lines());
            q.remove(peeked.first(), 1);
            assertThat(q.peek(100).batches()).extracting(Batch::source).containsExactly("b");
        }
    }

    @Test
    void peekStopsAtThePointLimitButAlwaysReturnsOneBatch() throws IOException {
        try (var q = DiskQueue.open(dir, 1 << 20)) {
            q.add(batch("big", 10));
            q.add(batch("small", 1));
            assertThat(q.peek(5).batches()).extracting(Batch::source).containsExactly("big");
            assertThat(q.peek(11).batches()).hasSize(2);
        }
    }

    @Test
    void dropsTheOldestWhenFullAndRemovesOnlyWhatASenderPeeked() throws IOException {
        int size = batch("x", 10).queuedSize();
        try (var q = DiskQueue.open(dir, size * 3L)) {
            q.add(batch("1", 10));
            q.add(batch("2", 10));
            var peeked = q.peek(20);
            assertThat(peeked.batches()).hasSize(2);
            q.add(batch("3", 10));
            var dropped = q.add(batch("4", 10));
            assertThat(dropped).isEqualTo(new DiskQueue.Dropped(1, 10));
            assertThat(q.bytes()).isLessThanOrEqualTo(size * 3L);
            // The sender wrote batches 1 and 2; batch 1 is already gone, so only batch 2 may go now.
            q.remove(peeked.first(), peeked.batches().size());
            assertThat(q.peek(100).batches()).extracting(Batch::source).containsExactly("3", "4");
        }
    }

    @Test
    void aBatchLargerThanTheWholeQueueIsDroppedAndCounted() throws IOException {
        try (var q = DiskQueue.open(dir, 100)) {
            assertThat(q.add(batch("huge", 50))).isEqualTo(new DiskQueue.Dropped(1, 50));
            assertThat(q.batches()).isZero();
        }
    }

    @Test
    void oneDirectoryServesOneScraperAtATime() throws IOException {
        try (var q = DiskQueue.open(dir, 1 << 20)) {
            assertThatThrownBy(() -> DiskQueue.open(dir, 1 << 20)).isInstanceOf(IOException.class).hasMessageContaining("in use");
        }
        DiskQueue.open(dir, 1 << 20).close();
    }
}
