package dev.llama.scraper;

import io.vertx.core.json.JsonObject;
import java.util.concurrent.atomic.AtomicLong;

/** A scraper's counters since it started; safe to read from any thread. */
public final class ScraperStats {
    final AtomicLong scrapesOk = new AtomicLong();
    final AtomicLong scrapesFailed = new AtomicLong();
    final AtomicLong pointsInvalid = new AtomicLong();
    final AtomicLong pointsUnchanged = new AtomicLong();
    final AtomicLong pointsQueued = new AtomicLong();
    final AtomicLong pointsWritten = new AtomicLong();
    final AtomicLong pointsRejected = new AtomicLong();
    final AtomicLong pointsDropped = new AtomicLong();
    final AtomicLong pointsUnqueued = new AtomicLong();
    final AtomicLong writesOk = new AtomicLong();
    final AtomicLong writesFailed = new AtomicLong();

    public long pointsWritten() {
        return pointsWritten.get();
    }

    public long pointsRejected() {
        return pointsRejected.get();
    }

    public long pointsQueued() {
        return pointsQueued.get();
    }

    public long writesFailed() {
        return writesFailed.get();
    }

    public long scrapesFailed() {
        return scrapesFailed.get();
    }

    public long scrapesOk() {
        return scrapesOk.get();
    }

    public JsonObject toJson() {
        return new JsonObject()
                .put("scrapes_ok", scrapesOk.get())
                .put("scrapes_failed", scrapesFailed.get())
                .put("points_invalid", pointsInvalid.get())
                .put("points_unchanged", pointsUnchanged.get())
                .put("points_queued", pointsQueued.get())
                .put("points_written", pointsWritten.get())
                .put("points_rejected", pointsRejected.get())
                .put("points_dropped", pointsDropped.get())
                .put("points_unqueued", pointsUnqueued.get())
                .put("writes_ok", writesOk.get())
                .put("writes_failed", writesFailed.get());
    }
}
