package dev.llama.collector;

import dev.llama.net.InetText;
import dev.llama.summary.PairSummary;
import dev.llama.summary.PortSummary;
import java.net.InetAddress;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.HdrHistogram.AbstractHistogram;
import org.HdrHistogram.PackedHistogram;

/**
 * Turns the accumulators of one interval (from one engine, or several across a reload) into the
 * per-pair summaries of the API, merging paths by (source IP, destination IP) as the original does.
 */
final class Summarizer {
    /** One engine's results for the interval, with the meaning of its path indexes. */
    record Part(PathTable paths, Accumulator acc) {
    }

    private Summarizer() {
    }

    static List<PairSummary> summarize(List<Part> parts) {
        var pairs = new LinkedHashMap<List<InetAddress>, PairTotals>();
        for (var part : parts) {
            var table = part.paths();
            var acc = part.acc();
            for (int p = 0; p < table.size(); p++) {
                var pair = table.pairs.get(table.pair[p]);
                var totals = pairs.computeIfAbsent(List.of(pair.src(), pair.dst()), k -> new PairTotals(pair));
                totals.add(acc, p, table.dst[p].getPort(), table.srcPort[p], table.tos[p]);
            }
            for (int i = 0; i < table.pairs.size(); i++) {
                var pair = table.pairs.get(i);
                var totals = pairs.get(List.of(pair.src(), pair.dst()));
                totals.rttHistogram.add(acc.pairHistograms[i]);
                totals.netHistogram.add(acc.pairNetHistograms[i]);
            }
        }
        var out = new ArrayList<PairSummary>(pairs.size());
        pairs.values().forEach(t -> out.add(t.toSummary()));
        return out;
    }

    /** Sums of one path or one pair. */
    private static class Totals {
        long sent;
        long lost;
        long late;
        long duplicates;
        long rttSum;
        double rttSumSq;
        long rttMin = Long.MAX_VALUE;
        long rttMax;
        long jitterSum;
        long jitterCount;
        long dwellCount;
        long dwellSum;
        long rttNetSum;
        long dwellInvalid;
        long tosKnown;
        long remarked;
        /** -2 before the first path, -1 once paths of different TOS were added. */
        int tosSent = -2;
        int tosMode = -1;
        long tosVotes;

        void add(Accumulator acc, int p, int pathTos) {
            sent += acc.sent[p];
            lost += acc.lost[p];
            late += acc.late[p];
            duplicates += acc.duplicates[p];
            rttSum += acc.rttSum[p];
            rttSumSq += acc.rttSumSq[p];
            rttMin = Math.min(rttMin, acc.rttMin[p]);
            rttMax = Math.max(rttMax, acc.rttMax[p]);
            jitterSum += acc.jitterSum[p];
            jitterCount += acc.jitterCount[p];
            dwellCount += acc.dwellCount[p];
            dwellSum += acc.dwellSum[p];
            rttNetSum += acc.rttNetSum[p];
            dwellInvalid += acc.dwellInvalid[p];
            tosKnown += acc.tosKnown[p];
            remarked += acc.remarked[p];
            tosSent = tosSent == -2 || tosSent == pathTos ? pathTos : -1;
            if (acc.tosKnown[p] > 0) {
                vote(acc.tosMode[p], acc.tosVotes[p]);
            }
        }

        /** Merges a path's majority-vote summary into this one's: the majority of the whole stays exact. */
        private void vote(int mode, long votes) {
            if (tosMode < 0 || tosVotes == 0 && votes > 0) {
                tosMode = mode;
                tosVotes = votes;
            } else if (mode == tosMode) {
                tosVotes += votes;
            } else if (votes > tosVotes) {
                tosMode = mode;
                tosVotes = votes - tosVotes;
            } else {
                tosVotes -= votes;
            }
        }

        int tosReceived() {
            return tosKnown == 0 ? -1 : tosMode;
        }

        int tosSentOrUnknown() {
            return Math.max(-1, tosSent);
        }

        /** Mean dwell and mean RTT minus dwell, ms; NaN when no reply carried reflector times. */
        double dwellMs() {
            return dwellCount == 0 ? Double.NaN : ms(dwellSum / (double) dwellCount);
        }

        double rttNetMs() {
            return dwellCount == 0 ? Double.NaN : ms(rttNetSum / (double) dwellCount);
        }

        long answered() {
            return sent - lost;
        }

        double loss() {
            return sent == 0 ? 0.0 : lost * 100.0 / sent;
        }

        /** The mean, minimum and maximum RTT in ms; NaN when nothing was answered. */
        double meanMs() {
            return answered() == 0 ? Double.NaN : ms(rttSum / (double) answered());
        }

        double minMs() {
            return answered() == 0 ? Double.NaN : ms(rttMin);
        }

        double maxMs() {
            return answered() == 0 ? Double.NaN : ms(rttMax);
        }

        PortSummary toPort(int srcPort, int dstPort) {
            return new PortSummary(srcPort, dstPort, sent, lost, loss(), meanMs(), minMs(), maxMs(), dwellMs(), rttNetMs(),
                    tosSentOrUnknown(), tosReceived(), remarked);
        }
    }

    private static final class PairTotals extends Totals {
        final PathTable.Pair pair;
        final HistogramSum rttHistogram = new HistogramSum();
        final HistogramSum netHistogram = new HistogramSum();
        final Map<List<Integer>, Totals> ports = new LinkedHashMap<>();

        PairTotals(PathTable.Pair pair) {
            this.pair = pair;
        }

        void add(Accumulator acc, int p, int dstPort, int srcPort, int pathTos) {
            super.add(acc, p, pathTos);
            ports.computeIfAbsent(List.of(srcPort, dstPort), k -> new Totals()).add(acc, p, pathTos);
        }

        PairSummary toSummary() {
            long n = answered();
            double meanUs = n == 0 ? 0 : rttSum / 1e3 / n;
            double variance = n == 0 ? 0 : Math.max(0, rttSumSq / n - meanUs * meanUs);
            double[] p = rttHistogram.percentilesMs(n, rttMax);
            double[] net = netHistogram.percentilesMs(dwellCount, rttMax);
            var portList = new ArrayList<PortSummary>(ports.size());
            ports.forEach((key, t) -> portList.add(t.toPort(key.get(0), key.get(1))));
            return new PairSummary(InetText.format(pair.src()), InetText.format(pair.dst()), pair.tags(), sent, lost, loss(),
                    meanMs(), minMs(), maxMs(), p[0], p[1], p[2], n == 0 ? Double.NaN : Math.sqrt(variance) / 1e3,
                    jitterCount == 0 ? Double.NaN : ms(jitterSum / (double) jitterCount), late, duplicates, portList,
                    dwellMs(), rttNetMs(), net[0], net[1], net[2], dwellInvalid, tosSentOrUnknown(), tosReceived(), remarked);
        }
    }

    /** The histograms of one pair across the parts of an interval. */
    private static final class HistogramSum {
        /** The part's own histogram while only one part has the pair, else a merged copy. */
        private AbstractHistogram histogram;
        private boolean merged;

        /**
         * Normally one engine probed the pair, and its histogram is read where it lies: copying it
         * (or {@code Histogram.add}, which walks every bucket of a 60 s range) cost about a
         * millisecond per pair. Only around a reload do two engines share a pair; their recorded
         * buckets are then merged.
         */
        void add(AbstractHistogram h) {
            if (h == null) {
                return;
            }
            if (histogram == null) {
                histogram = h;
                return;
            }
            if (!merged) {
                var copy = Accumulator.newHistogram();
                copyRecorded(histogram, copy);
                histogram = copy;
                merged = true;
            }
            copyRecorded(h, histogram);
        }

        private static void copyRecorded(AbstractHistogram from, AbstractHistogram to) {
            for (var v : from.recordedValues()) {
                to.recordValueWithCount(v.getValueIteratedTo(), v.getCountAtValueIteratedTo());
            }
        }

        /** p50, p90 and p99 in ms; NaN when {@code count} is 0. */
        double[] percentilesMs(long count, long max) {
            long[] q = percentiles(50, 90, 99);
            double[] p = new double[q.length];
            for (int i = 0; i < q.length; i++) {
                // a bucket's highest equivalent value can lie past the largest RTT actually seen
                p[i] = count == 0 ? Double.NaN : ms(Math.min(q[i], max));
            }
            return p;
        }

        /**
         * The values at ascending percentiles, in one walk over the buckets (as
         * {@code getValueAtPercentile}: the highest value equivalent to the bucket where the count
         * reaches the percentile); zeros when nothing was answered.
         */
        private long[] percentiles(double... ps) {
            var out = new long[ps.length];
            if (histogram == null || histogram.getTotalCount() == 0) {
                return out;
            }
            long total = histogram.getTotalCount();
            long seen = 0;
            int k = 0;
            for (var v : histogram.recordedValues()) {
                seen += v.getCountAtValueIteratedTo();
                while (k < ps.length && seen >= Math.max(1, (long) Math.ceil(ps[k] / 100 * total))) {
                    out[k++] = histogram.highestEquivalentValue(v.getValueIteratedTo());
                }
                if (k == ps.length) {
                    break;
                }
            }
            return out;
        }
    }

    private static double ms(double nanos) {
        return nanos / 1e6;
    }
}
