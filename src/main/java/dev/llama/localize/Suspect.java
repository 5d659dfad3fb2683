package dev.llama.localize;

/**
 * One named suspect of an interval.
 *
 * @param kind {@code host}, a level's name ({@code rack}, {@code pod}, …), {@code path} or {@code network-wide}
 * @param scope what is suspected, in words an operator can search for: a host's name or IP, a group's tag
 *        value ({@code r7}), for a path the pair key ({@code src>dst}) or the host or group its pairs share,
 *        {@code *} for the network
 * @param side for a host: {@code src} (its row), {@code dst} (its column) or {@code both}; for a group:
 *        {@code boundary} (pairs crossing it) or {@code inside}; for a path, what its pairs share:
 *        {@code pair}, {@code host} or the level's name ({@code rack}: pairs crossing that rack);
 *        null for the network
 * @param score how strongly the evidence points here, larger is stronger; suspects are ranked by it (the
 *        log-likelihood ratio of its loss against the rest's, in nats)
 * @param explainedLost the lost probes this suspect explains, counted once across the ranked list
 */
public record Suspect(String kind, String scope, String side, double score, long explainedLost, Evidence evidence) {
}
