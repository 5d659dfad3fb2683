package dev.llama.localize;

/**
 * One named suspect of an interval.
 *
 * @param kind {@code host}, a level's name ({@code rack}, {@code pod}, …), {@code path} or {@code network-wide}
 * @param scope what is suspected, in words an operator can search for: a host's name or IP, a group's tag
 *        value ({@code r7}), a pair key for a path, {@code *} for the network
 * @param side for a host: {@code src} (its row), {@code dst} (its column) or {@code both}; for a group:
 *        {@code boundary} (pairs crossing it) or {@code inside}; null otherwise
 * @param score how strongly the evidence points here, larger is stronger; suspects are ranked by it
 * @param explainedLost the lost probes this suspect explains, counted once across the ranked list
 */
public record Suspect(String kind, String scope, String side, double score, long explainedLost, Evidence evidence) {
}
