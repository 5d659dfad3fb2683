package dev.llama.collector;

import java.util.Arrays;
import org.HdrHistogram.PackedHistogram;

/**
 * Results of one summary interval, per path (socket, target) and, for percentiles, per pair (source
 * IP, destination IP). Written only by the engine's event loop; handed whole to a worker at the
 * interval boundary and swapped for a cleared spare, so the hot path never allocates.
 */
final class Accumulator {
    /** RTTs are recorded in nanoseconds; anything above is clamped (timeouts are at most 60 s). */
    static final long MAX_RTT_NANOS = 60_000_000_000L;
    /**
     * Histogram resolution: 256 ns steps below 0.5 ms, then three significant digits. Finer steps
     * only lengthen the walk to a percentile (about 2,000 buckets to 400 µs instead of 9,000).
     */
    static final long RTT_RESOLUTION_NANOS = 256;

    static PackedHistogram newHistogram() {
        return new PackedHistogram(RTT_RESOLUTION_NANOS, MAX_RTT_NANOS, 3);
    }

    final long[] sent;
    final long[] lost;
    final long[] late;
    final long[] duplicates;
    final long[] rttSum;
    final double[] rttSumSq;
    final long[] rttMin;
    final long[] rttMax;
    final long[] jitterSum;
    final long[] jitterCount;
    final PackedHistogram[] pairHistograms;

    Accumulator(int paths, int pairs) {
        sent = new long[paths];
        lost = new long[paths];
        late = new long[paths];
        duplicates = new long[paths];
        rttSum = new long[paths];
        rttSumSq = new double[paths];
        rttMin = new long[paths];
        rttMax = new long[paths];
        jitterSum = new long[paths];
        jitterCount = new long[paths];
        pairHistograms = new PackedHistogram[pairs];
        for (int i = 0; i < pairs; i++) {
            pairHistograms[i] = newHistogram();
        }
        clearRttBounds();
    }

    void answered(int path, int pair, long rtt, long previousRtt) {
        sent[path]++;
        rttSum[path] += rtt;
        double us = rtt / 1e3;
        rttSumSq[path] += us * us;
        if (rtt < rttMin[path]) {
            rttMin[path] = rtt;
        }
        if (rtt > rttMax[path]) {
            rttMax[path] = rtt;
        }
        if (previousRtt >= 0) {
            jitterSum[path] += Math.abs(rtt - previousRtt);
            jitterCount[path]++;
        }
        pairHistograms[pair].recordValue(Math.min(rtt, MAX_RTT_NANOS));
    }

    void lost(int path) {
        sent[path]++;
        lost[path]++;
    }

    long answered(int path) {
        return sent[path] - lost[path];
    }

    void clear() {
        Arrays.fill(sent, 0);
        Arrays.fill(lost, 0);
        Arrays.fill(late, 0);
        Arrays.fill(duplicates, 0);
        Arrays.fill(rttSum, 0);
        Arrays.fill(rttSumSq, 0);
        Arrays.fill(jitterSum, 0);
        Arrays.fill(jitterCount, 0);
        clearRttBounds();
        for (var h : pairHistograms) {
            h.reset();
        }
    }

    private void clearRttBounds() {
        Arrays.fill(rttMin, Long.MAX_VALUE);
        Arrays.fill(rttMax, 0);
    }
}
