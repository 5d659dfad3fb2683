package dev.llama.localize;

import dev.llama.summary.PairSummary;
import java.util.List;

/**
 * Names the suspects of one interval. Stateless between calls and safe to share: every call reads
 * only its arguments.
 */
public final class Localizer {
    private final Topology topology;

    public Localizer(Topology topology) {
        this.topology = topology;
    }

    /** The topology this localizer groups by. */
    public Topology topology() {
        return topology;
    }

    /** The suspects of one interval's pairs (with their per-port detail), strongest first; empty when nothing is wrong. */
    public List<Suspect> localize(List<PairSummary> pairs) {
        return List.of();
    }
}
