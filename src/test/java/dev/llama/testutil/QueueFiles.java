package dev.llama.testutil;

import java.io.RandomAccessFile;
import java.nio.file.Files;
import java.nio.file.Path;

/** Reads a scraper's queue from outside the process that holds it. */
public final class QueueFiles {
    private QueueFiles() {
    }

    /** The element count in a Tape queue file's header (bytes 12 to 15 of the versioned format); 0 when absent. */
    public static int elements(Path file) {
        if (!Files.exists(file)) {
            return 0;
        }
        try (var raf = new RandomAccessFile(file.toFile(), "r")) {
            raf.seek(12);
            return raf.readInt();
        } catch (Exception e) {
            return 0;
        }
    }
}
