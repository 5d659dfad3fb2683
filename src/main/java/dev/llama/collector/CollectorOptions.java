package dev.llama.collector;

import io.vertx.core.json.JsonObject;

/**
 * How a collector finds its configuration.
 *
 * @param configPath        YAML file (either format), watched for changes; null for {@code inlineConfig}
 * @param inlineConfig      the configuration when there is no file; null for the built-in default
 * @param dstPort           reflector port for targets of a legacy-format config ({@code -llama.dst-port})
 * @param collectorId       the name this collector's summaries carry
 * @param scanPeriodMs      how often the file is checked for changes
 * @param padding           bytes of padding per probe (the original's 1000 gives 1,028-byte probes)
 * @param deliver           whether every summary set is also handed to one scraper on {@link dev.llama.summary.Addresses#SCRAPE}, with retries
 */
public record CollectorOptions(String configPath, JsonObject inlineConfig, int dstPort, String collectorId,
                               long scanPeriodMs, int padding, boolean deliver) {
    public static final int DEFAULT_DST_PORT = 8100;

    /** A collector running {@code config} (null: the built-in default). */
    public static CollectorOptions inline(JsonObject config, String collectorId) {
        return new CollectorOptions(null, config, DEFAULT_DST_PORT, collectorId, 5000, 1000, false);
    }

    /** The same options, handing summary sets to scrapers. */
    public CollectorOptions delivering() {
        return new CollectorOptions(configPath, inlineConfig, dstPort, collectorId, scanPeriodMs, padding, true);
    }
}
