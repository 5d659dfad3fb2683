package dev.llama.localize;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.TreeSet;

/**
 * The greedy explanation, in the spirit of 007 and NetBouncer: weigh every candidate against the
 * probes not yet explained, accept the strongest one that passes the test, take away what it covers,
 * and weigh again, until nothing left stands out. Strongest means the largest log-likelihood ratio,
 * which grows with the lost probes a candidate explains and with how few probes it needs for them, so
 * a dead host beats its rack and one ECMP member beats the whole rack boundary it sits on. What is left
 * at the end is tested against the floor as a whole: loss spread over everything is network-wide.
 */
final class Explainer {
    private final Topology topology;
    private final Settings settings;
    private final Pool pool;
    private final double threshold;

    Explainer(Topology topology, Settings settings, Pool pool) {
        this.topology = topology;
        this.settings = settings;
        this.pool = pool;
        this.threshold = Math.log(Tally.candidates(pool.m, pool.split) / settings.alpha());
    }

    List<Suspect> explain() {
        var suspects = new ArrayList<Suspect>();
        var tally = new Tally(pool);
        while (suspects.size() < settings.maxSuspects()) {
            var best = new Best[1];
            tally.forEach(w -> {
                var scored = score(w, tally.totalSent, tally.totalLost, false);
                if (scored != null && (best[0] == null || scored.beats(best[0], pool.m))) {
                    best[0] = scored;
                }
            });
            if (best[0] == null) {
                networkWide(tally).ifPresent(suspects::add);
                break;
            }
            suspects.add(suspect(best[0], tally));
            pool.remove(best[0].w.candidate(), tally);
        }
        suspects.sort(Comparator.comparingDouble(Suspect::score).reversed().thenComparing(Suspect::kind)
                .thenComparing(Suspect::scope));
        return suspects;
    }

    /** The candidate's test, or null when it does not pass: enough lost, well above the reference, unlikely by chance. */
    private Best score(Tally.Weighed w, long totalSent, long totalLost, boolean againstFloor) {
        if (w.lost() < settings.minLost() || w.sent() <= 0) {
            return null;
        }
        double ref = settings.floor();
        if (!againstFloor) {
            ref = Math.max(ref, Binomial.rate(totalLost - w.lost(), totalSent - w.sent()));
        }
        if (Binomial.rate(w.lost(), w.sent()) < settings.ratio() * ref) {
            return null;
        }
        double llr = Binomial.llr(w.lost(), w.sent(), ref);
        return llr >= threshold ? new Best(w, llr) : null;
    }

    private java.util.Optional<Suspect> networkWide(Tally tally) {
        var all = new Tally.Weighed(new Candidate(Candidate.Family.NETWORK, -1, 0), tally.totalSent, tally.totalLost);
        var scored = score(all, tally.totalSent, tally.totalLost, true);
        if (scored == null || !spread(Binomial.rate(tally.totalLost, tally.totalSent))) {
            return java.util.Optional.empty();
        }
        return java.util.Optional.of(suspect(scored, tally));
    }

    /** Whether at least half as many hosts lost a probe as would with the loss spread evenly at {@code rate}. */
    private boolean spread(double rate) {
        Matrix m = pool.m;
        long[] sent = new long[m.hosts()];
        long[] lost = new long[m.hosts()];
        for (int p = 0; p < m.size; p++) {
            for (int h : new int[] {m.src[p], m.dst[p]}) {
                sent[h] += pool.wholeSent(p);
                lost[h] += pool.wholeLost(p);
            }
        }
        double expected = 0;
        int seen = 0;
        for (int h = 0; h < sent.length; h++) {
            expected += sent[h] == 0 ? 0 : 1 - Math.pow(1 - rate, sent[h]);
            seen += lost[h] > 0 ? 1 : 0;
        }
        return seen >= 0.5 * expected;
    }

    private Suspect suspect(Best best, Tally tally) {
        Matrix m = pool.m;
        Candidate c = best.w.candidate();
        var covered = new ArrayList<Integer>();
        var ports = new TreeSet<Integer>();
        long sent = 0, lost = 0;
        for (int p = 0; p < m.size; p++) {
            if (pool.sentOf(c, p) > 0 && c.covers(m, p)) {
                covered.add(p);
                sent += pool.sentOf(c, p);
                lost += pool.lostOf(c, p);
                if (c.family().path() && pool.split.split[p]) {
                    for (int port : pool.split.badPorts[p]) {
                        ports.add(port);
                    }
                }
            }
        }
        var keys = evidencePairs(c, covered);
        var evidence = new Evidence(keys, List.copyOf(ports), sent, lost, tally.totalSent - sent, tally.totalLost - lost);
        return new Suspect(c.kind(topology), c.scope(m), c.side(topology), Math.round(best.llr * 10) / 10.0, lost, evidence);
    }

    /** The covered pairs' keys, most lost first, then by source and destination IP; at most the settings' number. */
    private List<String> evidencePairs(Candidate c, List<Integer> covered) {
        Matrix m = pool.m;
        int[] rank = pool.m.hostRanks();
        long[] lost = new long[m.size];
        for (int p : covered) {
            lost[p] = pool.lostOf(c, p);
        }
        covered.sort((a, b) -> {
            int order = Long.compare(lost[b], lost[a]);
            if (order == 0) {
                order = Integer.compare(rank[m.src[a]], rank[m.src[b]]);
            }
            return order != 0 ? order : Integer.compare(rank[m.dst[a]], rank[m.dst[b]]);
        });
        return covered.stream().limit(settings.maxEvidencePairs()).map(m::key).toList();
    }

    private record Best(Tally.Weighed w, double llr) {
        /** Larger ratio first; on a tie the narrower candidate, then the name, so the output never depends on order. */
        boolean beats(Best other, Matrix m) {
            if (llr != other.llr) {
                return llr > other.llr;
            }
            int s = Integer.compare(w.candidate().specificity(), other.w.candidate().specificity());
            if (s != 0) {
                return s < 0;
            }
            int n = w.candidate().scope(m).compareTo(other.w.candidate().scope(m));
            return n != 0 ? n < 0 : w.candidate().family().ordinal() < other.w.candidate().family().ordinal();
        }
    }
}
