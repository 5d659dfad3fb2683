package dev.llama.scraper;

import java.io.Closeable;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The {@link DiskQueue}, with memory behind it for when the disk refuses a write (a full or failing
 * disk): batches then wait in memory, up to {@code memoryCap} points (the oldest are dropped beyond
 * it), and move to the disk, oldest first, once it takes writes again, which is tried at most every
 * {@link #DISK_RETRY_MS}. Memory only ever holds batches newer than every one on disk, so the sender
 * takes from the disk first and from memory when the disk is empty.
 *
 * <p>Blocks on file I/O: callers run it on a worker. The sizes are readable from any thread without waiting.
 */
final class BatchQueue implements Closeable {
    /** Points kept in memory at most while the disk refuses writes: about 20 MB of line protocol. */
    static final int DEFAULT_MEMORY_CAP = 100_000;
    static final long DISK_RETRY_MS = 1_000;
    private static final Logger log = LoggerFactory.getLogger(BatchQueue.class);

    /** Entries handed to the sender: from the disk at {@code first}, or from memory. */
    record Taken(boolean memory, long first, List<Batch> batches) {
        int points() {
            return batches.stream().mapToInt(Batch::points).sum();
        }
    }

    private final DiskQueue disk;
    private final Path dir;
    private final int memoryCap;
    private final ArrayDeque<Batch> memory = new ArrayDeque<>();
    private long memoryHead;
    private volatile long memoryPoints;
    private boolean memoryTaken;
    private long lastDiskTry;

    BatchQueue(DiskQueue disk, Path dir, int memoryCap) {
        this.disk = disk;
        this.dir = dir;
        this.memoryCap = memoryCap;
    }

    /** Queues a batch; what had to be dropped for room comes back (nothing is lost unless a cap is reached). */
    synchronized DiskQueue.Dropped add(Batch batch) {
        if (!memory.isEmpty()) {
            toDisk(false);
        }
        if (memory.isEmpty()) {
            try {
                return disk.add(batch);
            } catch (IOException | RuntimeException | AssertionError e) {
                log.warn("queue disk {} refused {} points ({}); keeping new points in memory (up to {}) until it takes them",
                        dir, batch.points(), e.toString(), memoryCap);
                lastDiskTry = System.currentTimeMillis();
            }
        }
        memory.addLast(batch);
        memoryPoints += batch.points();
        int droppedBatches = 0;
        long droppedPoints = 0;
        // while the sender holds the oldest ones, the cap waits for its answer (one request's time)
        while (memoryPoints > memoryCap && memory.size() > 1 && !memoryTaken) {
            var oldest = memory.removeFirst();
            memoryHead++;
            memoryPoints -= oldest.points();
            droppedBatches++;
            droppedPoints += oldest.points();
        }
        return new DiskQueue.Dropped(droppedBatches, droppedPoints);
    }

    /** Moves batches from memory to the disk, oldest first, while it takes them; {@code force} skips the rate limit. */
    private void toDisk(boolean force) {
        long now = System.currentTimeMillis();
        if (memoryTaken || (!force && now - lastDiskTry < DISK_RETRY_MS)) {
            return;
        }
        lastDiskTry = now;
        while (!memory.isEmpty()) {
            try {
                disk.add(memory.peekFirst());
            } catch (IOException | RuntimeException | AssertionError e) {
                log.debug("queue disk {} still refuses writes: {}", dir, e.toString());
                return;
            }
            memoryPoints -= memory.removeFirst().points();
            memoryHead++;
        }
        log.info("queue disk {} takes writes again; no points are held in memory any more", dir);
    }

    /** The oldest entries, as many as fit in {@code maxPoints} (at least one): from the disk, or from memory when it is empty. */
    synchronized Taken peek(int maxPoints) throws IOException {
        var peeked = disk.peek(maxPoints);
        if (!peeked.batches().isEmpty() || memory.isEmpty()) {
            return new Taken(false, peeked.first(), peeked.batches());
        }
        var out = new ArrayList<Batch>();
        int total = 0;
        for (var batch : memory) {
            if (!out.isEmpty() && total + batch.points() > maxPoints) {
                break;
            }
            out.add(batch);
            total += batch.points();
        }
        memoryTaken = true;
        return new Taken(true, memoryHead, out);
    }

    /** Removes what the sender took, except entries dropped since; then gives memory a chance to move to the freed disk. */
    synchronized void remove(Taken taken) throws IOException {
        if (taken.memory()) {
            memoryTaken = false;
            long n = taken.first() + taken.batches().size() - memoryHead;
            for (long i = 0; i < n && !memory.isEmpty(); i++) {
                memoryPoints -= memory.removeFirst().points();
                memoryHead++;
            }
            if (memory.isEmpty()) {
                log.info("the points held in memory are written; queue disk {} is used again", dir);
            }
        } else {
            disk.remove(taken.first(), taken.batches().size());
            if (!memory.isEmpty()) {
                toDisk(true);
            }
        }
    }

    /** The sender gives back what it took without writing it (it will retry later). */
    synchronized void release(Taken taken) {
        if (taken.memory()) {
            memoryTaken = false;
        }
    }

    long diskPoints() {
        return disk.points();
    }

    long memoryPoints() {
        return memoryPoints;
    }

    DiskQueue disk() {
        return disk;
    }

    @Override
    public synchronized void close() throws IOException {
        if (!memory.isEmpty()) {
            log.warn("stopping with {} points held in memory that the queue disk {} would not take: they are lost", memoryPoints, dir);
        }
        disk.close();
    }
}
