package dev.llama.scraper;

import dev.llama.metrics.Meters;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.binder.MeterBinder;
import io.vertx.core.json.JsonObject;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongSupplier;

/**
 * A scraper's counters since it started; safe to read from any thread. Bound to a registry, they are
 * meters labelled with the InfluxDB the scraper writes to.
 */
public final class ScraperStats implements MeterBinder, AutoCloseable {
    final AtomicLong scrapesFailed = new AtomicLong();
    final AtomicLong pointsInvalid = new AtomicLong();
    final AtomicLong pointsUnchanged = new AtomicLong();
    final AtomicLong pointsWritten = new AtomicLong();
    final AtomicLong pointsRejected = new AtomicLong();
    final AtomicLong pointsDropped = new AtomicLong();
    final AtomicLong pointsUnqueued = new AtomicLong();
    final AtomicLong writesOk = new AtomicLong();
    final AtomicLong writesFailed = new AtomicLong();
    final AtomicLong writeRequests = new AtomicLong();
    private final String influx;
    private final LongSupplier queuePoints;
    private final LongSupplier memoryPoints;
    private Meters meters;

    /**
     * @param influx the label: where the scraper writes
     * @param queuePoints points in the disk queue; must not wait for file I/O
     * @param memoryPoints points held in memory because the disk refused them
     */
    ScraperStats(String influx, LongSupplier queuePoints, LongSupplier memoryPoints) {
        this.influx = influx;
        this.queuePoints = queuePoints;
        this.memoryPoints = memoryPoints;
    }

    public long pointsWritten() {
        return pointsWritten.get();
    }

    public long pointsRejected() {
        return pointsRejected.get();
    }

    public long writesFailed() {
        return writesFailed.get();
    }

    public long scrapesFailed() {
        return scrapesFailed.get();
    }

    /** Write requests sent to InfluxDB, whatever their answer. */
    public long writeRequests() {
        return writeRequests.get();
    }

    public JsonObject toJson() {
        return new JsonObject()
                .put("scrapes_failed", scrapesFailed.get())
                .put("points_invalid", pointsInvalid.get())
                .put("points_unchanged", pointsUnchanged.get())
                .put("points_written", pointsWritten.get())
                .put("points_rejected", pointsRejected.get())
                .put("points_dropped", pointsDropped.get())
                .put("points_unqueued", pointsUnqueued.get())
                .put("writes_ok", writesOk.get())
                .put("writes_failed", writesFailed.get())
                .put("write_requests", writeRequests.get());
    }

    @Override
    public synchronized void bindTo(MeterRegistry registry) {
        close();
        var tags = Tags.of("influxdb", influx);
        meters = new Meters(registry)
                .gauge("llama.scraper.queue.points", "Points in the disk queue, not yet written", tags, queuePoints,
                        LongSupplier::getAsLong)
                .gauge("llama.scraper.queue.memory.points", "Points held in memory because the queue's disk refused them",
                        tags, memoryPoints, LongSupplier::getAsLong)
                .counter("llama.scraper.points.written", "Points InfluxDB accepted", tags, this, ScraperStats::pointsWritten)
                .counter("llama.scraper.points.rejected", "Points InfluxDB refused (moved to the dead-letter file)", tags, this,
                        ScraperStats::pointsRejected)
                .counter("llama.scraper.write.failures", "Writes that failed and will be retried", tags, this, ScraperStats::writesFailed)
                .counter("llama.scraper.scrape.failures", "Collector scrapes that failed", tags, this, ScraperStats::scrapesFailed);
    }

    /** Removes the meters {@link #bindTo} registered. */
    @Override
    public synchronized void close() {
        if (meters != null) {
            meters.close();
            meters = null;
        }
    }
}
