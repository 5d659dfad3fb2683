package dev.llama.summary;

/** The event-bus addresses the roles talk on, in one place. */
public final class Addresses {
    /** Every summary set, published to every API node ({@link SummarySet}). */
    public static final String SUMMARIES = "llama.summaries";
    /**
     * Summary sets for exactly one scraper (request-reply, competing consumers); the scraper replies once
     * the points are in its disk queue.
     */
    public static final String SCRAPE = "llama.summaries.scrape";
    /** Every interval's fault suspects, published by each API node to the others (the API's {@code FaultReport}). */
    public static final String FAULTS = "llama.faults";
    /** Local: makes the collectors of this JVM re-read their configuration (sent on SIGHUP). */
    public static final String RELOAD = "llama.collector.reload";
    /** Local: where a node's discovery sends the collector configuration (JSON) to run. */
    public static final String TARGETS = "llama.collector.targets";

    private Addresses() {
    }
}
