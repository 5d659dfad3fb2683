/**
 * The contract between the roles: the summary set a collector publishes every interval, its one JSON
 * encoding and validating decoder, its event-bus codec and addresses, and its mapping to the original's
 * {@code /influxdata} points. Collector, API, scraper and cluster import this package and not each other;
 * it imports nothing of theirs.
 */
package dev.llama.summary;
