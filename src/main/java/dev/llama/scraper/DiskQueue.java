package dev.llama.scraper;

import com.squareup.tape2.QueueFile;
import java.io.Closeable;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The scraper's bounded, crash-safe queue of {@link Batch}es on disk: a Tape {@link QueueFile} in a
 * directory that one scraper holds locked. Every method blocks on file I/O, so callers run them on a
 * worker thread; they are synchronized because the scraper and its sender may call from different ones.
 *
 * <p>Entries carry a position that grows by one per entry ever added, so a sender that peeked entries
 * can remove exactly those even if some of them were dropped for space in the meantime.
 */
public final class DiskQueue implements Closeable {
    private static final Logger log = LoggerFactory.getLogger(DiskQueue.class);

    /** Entries from {@code first} on, as handed to a sender. */
    public record Peeked(long first, List<Batch> batches) {
        public int points() {
            return batches.stream().mapToInt(Batch::points).sum();
        }
    }

    /** What {@link #add} had to drop, oldest first, to make room; empty when nothing was dropped. */
    public record Dropped(int batches, long points) {
    }

    private final long maxBytes;
    private final FileChannel lockChannel;
    private final FileLock lock;
    private final QueueFile file;
    /** Per entry, {queued bytes, points}, in queue order: Tape keeps no sizes we can ask for. */
    private final ArrayDeque<long[]> sizes = new ArrayDeque<>();
    private long head;
    /*
     * Written only under the lock, read without it: metrics and log lines on an event loop must not
     * wait for a worker's file I/O to learn the queue's size.
     */
    private volatile int count;
    private volatile long bytes;
    private volatile long points;

    private DiskQueue(long maxBytes, FileChannel lockChannel, FileLock lock, QueueFile file) {
        this.maxBytes = maxBytes;
        this.lockChannel = lockChannel;
        this.lock = lock;
        this.file = file;
    }

    /**
     * Opens (or creates) the queue in {@code dir}, taking its lock; an existing queue's entries are kept
     * and come out first.
     *
     * @throws IOException if the directory cannot be used or another process holds it
     */
    public static DiskQueue open(Path dir, long maxBytes) throws IOException {
        Files.createDirectories(dir);
        var channel = FileChannel.open(dir.resolve("lock"), StandardOpenOption.CREATE, StandardOpenOption.WRITE);
        FileLock lock;
        try {
            lock = channel.tryLock();
        } catch (OverlappingFileLockException e) {
            lock = null;
        } catch (IOException e) {
            channel.close();
            throw e;
        }
        if (lock == null) {
            channel.close();
            throw new IOException("queue directory " + dir + " is in use by another scraper");
        }
        try {
            var queue = new DiskQueue(maxBytes, channel, lock, new QueueFile.Builder(dir.resolve("queue").toFile()).zero(false).build());
            queue.index(dir);
            return queue;
        } catch (IOException | RuntimeException e) {
            lock.release();
            channel.close();
            throw e;
        }
    }

    private void index(Path dir) throws IOException {
        int unreadable = 0;
        for (byte[] element : file) {
            try {
                var batch = Batch.decode(element);
                sizes.add(new long[] {batch.queuedSize(), batch.points()});
                bytes += batch.queuedSize();
                points += batch.points();
            } catch (IllegalArgumentException e) {
                unreadable++;
                sizes.add(new long[] {element.length + 4L, 0});
                bytes += element.length + 4L;
            }
        }
        count = sizes.size();
        if (unreadable > 0) {
            log.warn("{} entries in {} are not batches this version can read; they will be moved to the dead-letter file", unreadable, dir);
        }
    }

    /** Appends a batch, first dropping the oldest entries if it would not fit in the size limit. */
    public synchronized Dropped add(Batch batch) throws IOException {
        int size = batch.queuedSize();
        int droppedBatches = 0;
        long droppedPoints = 0;
        while (!sizes.isEmpty() && bytes + size > maxBytes) {
            droppedPoints += sizes.peekFirst()[1];
            droppedBatches++;
            removeFirst(1);
        }
        if (size > maxBytes) {
            return new Dropped(droppedBatches + 1, droppedPoints + batch.points());
        }
        file.add(batch.encode());
        sizes.addLast(new long[] {size, batch.points()});
        count = sizes.size();
        bytes += size;
        points += batch.points();
        return new Dropped(droppedBatches, droppedPoints);
    }

    /**
     * The oldest entries, as many as fit in {@code maxPoints} (always at least one); an entry that
     * cannot be decoded comes back as a batch with no points and its raw bytes, for the dead-letter file.
     */
    public synchronized Peeked peek(int maxPoints) throws IOException {
        var out = new ArrayList<Batch>();
        int total = 0;
        for (byte[] element : file) {
            Batch batch;
            try {
                batch = Batch.decode(element);
            } catch (IllegalArgumentException e) {
                batch = new Batch("unreadable queue entry", 0, element);
            }
            if (!out.isEmpty() && total + batch.points() > maxPoints) {
                break;
            }
            out.add(batch);
            total += batch.points();
        }
        return new Peeked(head, out);
    }

    /** Removes the entries a sender peeked at {@code first}, except those already dropped since. */
    public synchronized void remove(long first, int count) throws IOException {
        long n = first + count - head;
        if (n > 0) {
            removeFirst((int) Math.min(n, sizes.size()));
        }
    }

    private void removeFirst(int n) throws IOException {
        file.remove(n);
        for (int i = 0; i < n; i++) {
            long[] s = sizes.removeFirst();
            bytes -= s[0];
            points -= s[1];
        }
        count = sizes.size();
        head += n;
    }

    public int batches() {
        return count;
    }

    public long points() {
        return points;
    }

    public long bytes() {
        return bytes;
    }

    @Override
    public synchronized void close() throws IOException {
        try {
            file.close();
        } finally {
            lock.release();
            lockChannel.close();
        }
    }
}
