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
 * @param deliver           whether every summary set is also handed to one scraper on {@link CollectorVerticle#SCRAPE}, with retries
 * @param acceptOtherSource whether a reply from another address than the target's (a multi-homed reflector bound to
 *                          the wildcard) counts as the target's answer; off by default, since anyone who can send from
 *                          the target's port on another host would otherwise answer for a dead target
 * @param keptSets          how many of the latest summary sets {@link CollectorVerticle#recentSets()} keeps
 */
public record CollectorOptions(String configPath, JsonObject inlineConfig, int dstPort, String collectorId,
                               long scanPeriodMs, int padding, boolean deliver, boolean acceptOtherSource, int keptSets) {
    public static final int DEFAULT_DST_PORT = 8100;
    public static final int DEFAULT_KEPT_SETS = 20;

    public CollectorOptions {
        if (keptSets < 1) {
            throw new IllegalArgumentException("keptSets must be at least 1: " + keptSets);
        }
    }

    /** Options with the defaults for the newer settings: replies only from the target's own address, 20 sets kept. */
    public CollectorOptions(String configPath, JsonObject inlineConfig, int dstPort, String collectorId,
                            long scanPeriodMs, int padding, boolean deliver) {
        this(configPath, inlineConfig, dstPort, collectorId, scanPeriodMs, padding, deliver, false, DEFAULT_KEPT_SETS);
    }

    /** A collector running {@code config} (null: the built-in default). */
    public static CollectorOptions inline(JsonObject config, String collectorId) {
        return new CollectorOptions(null, config, DEFAULT_DST_PORT, collectorId, 5000, 1000, false);
    }

    public CollectorOptions withPadding(int bytes) {
        return new CollectorOptions(configPath, inlineConfig, dstPort, collectorId, scanPeriodMs, bytes, deliver, acceptOtherSource, keptSets);
    }

    /** The same options, handing summary sets to scrapers. */
    public CollectorOptions delivering() {
        return new CollectorOptions(configPath, inlineConfig, dstPort, collectorId, scanPeriodMs, padding, true, acceptOtherSource, keptSets);
    }

    /** The same options, taking (or not) a reply from another address of the target as its answer. */
    public CollectorOptions acceptingOtherSource(boolean accept) {
        return new CollectorOptions(configPath, inlineConfig, dstPort, collectorId, scanPeriodMs, padding, deliver, accept, keptSets);
    }

    /** The same options, keeping the latest {@code sets} summary sets. */
    public CollectorOptions keeping(int sets) {
        return new CollectorOptions(configPath, inlineConfig, dstPort, collectorId, scanPeriodMs, padding, deliver, acceptOtherSource, sets);
    }
}
