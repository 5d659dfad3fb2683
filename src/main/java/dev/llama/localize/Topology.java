package dev.llama.localize;

import java.util.List;

/**
 * The hierarchy the operator names in config ({@code localize.levels}), outermost first, for example
 * {@code [region, pod, rack]}; each level is a tag both ends of a pair carry ({@code src_rack},
 * {@code dst_rack}). The host is implicit, below the last level.
 */
public record Topology(List<String> levels) {
    public Topology {
        levels = List.copyOf(levels);
    }

    /** No levels: only hosts, paths and the whole network can be suspects. */
    public static Topology flat() {
        return new Topology(List.of());
    }
}
