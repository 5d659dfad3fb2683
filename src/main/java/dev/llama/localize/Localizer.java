package dev.llama.localize;

import dev.llama.summary.PairSummary;
import java.util.List;

/**
 * Names the suspects of one interval. Stateless between calls and safe to share: every call reads
 * only its arguments. See {@code docs/localize.md} for how it decides.
 */
public final class Localizer {
    private final Topology topology;
    private final Settings settings;

    public Localizer(Topology topology) {
        this(topology, Settings.defaults());
    }

    public Localizer(Topology topology, Settings settings) {
        this.topology = topology;
        this.settings = settings;
    }

    /** The topology this localizer groups by. */
    public Topology topology() {
        return topology;
    }

    /** The suspects of one interval's pairs (with their per-port detail), strongest first; empty when nothing is wrong. */
    public List<Suspect> localize(List<PairSummary> pairs) {
        var matrix = new Matrix(topology, pairs);
        if (matrix.size == 0) {
            return List.of();
        }
        long sent = 0, lost = 0;
        for (int p = 0; p < matrix.size; p++) {
            sent += matrix.sent[p];
            lost += matrix.lost[p];
        }
        if (lost == 0) {
            return List.of();
        }
        double ref = Math.max(settings.floor(), Binomial.rate(lost, sent));
        var pool = new Pool(matrix, new PortSplit(matrix, settings, ref));
        return new Explainer(topology, settings, pool).explain();
    }
}
