package dev.llama.api;

import dev.llama.localize.Suspect;
import java.time.Instant;
import java.util.List;

/**
 * The suspects of one interval as an API node computed them: what {@code /api/v1/faults} serves and what
 * goes on {@link dev.llama.summary.Addresses#FAULTS}. Immutable.
 *
 * @param publisher the API instance that computed it (random per start); of two reports for the same
 *        interval every node serves the one whose publisher sorts first, so all nodes agree
 * @param intervalEnd the newest interval end among the pairs the localizer read
 */
public record FaultReport(String publisher, Instant intervalEnd, List<Suspect> suspects) {
    public FaultReport {
        suspects = List.copyOf(suspects);
    }

    /** Whether this report should be served instead of {@code other}, a report for the same interval. */
    boolean preferredOver(FaultReport other) {
        return publisher.equals(other.publisher) || publisher.compareTo(other.publisher) < 0;
    }
}
