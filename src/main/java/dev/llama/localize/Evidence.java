package dev.llama.localize;

import java.util.List;

/**
 * Why a suspect was named: the pairs (keys {@code src>dst}, most lost first, at most
 * {@link Settings#maxEvidencePairs()} of them) and, for a path, the source ports that show it, the
 * probes sent and lost on them (all of them, listed or not), and the same counts on the rest: the
 * probes that neither it nor a suspect accepted before it explains.
 */
public record Evidence(List<String> pairs, List<Integer> srcPorts, long sent, long lost, long restSent, long restLost) {
    public Evidence {
        pairs = List.copyOf(pairs);
        srcPorts = List.copyOf(srcPorts);
    }

    /** Loss on the suspect's pairs, percent; 0 when nothing was sent. */
    public double loss() {
        return sent == 0 ? 0 : 100.0 * lost / sent;
    }

    /** Loss on every other pair, percent; 0 when nothing was sent. */
    public double restLoss() {
        return restSent == 0 ? 0 : 100.0 * restLost / restSent;
    }
}
