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
    /** Replies that carried a usable reflector dwell, their dwells and their RTTs minus dwell (ns). */
    final long[] dwellCount;
    final long[] dwellSum;
    final long[] rttNetSum;
    /** Replies whose dwell was negative or longer than their RTT: not used. */
    final long[] dwellInvalid;
    /** Per pair, RTT minus dwell; made at a pair's first dwell, so replies without reflector times cost nothing. */
    final PackedHistogram[] pairNetHistograms;
    /** Replies whose received TOS was known, and those of them whose DSCP differs from the one sent. */
    final long[] tosKnown;
    final long[] remarked;
    /** Received TOS, by majority vote (Boyer-Moore): the most common one whenever one value is over half. */
    final int[] tosMode;
    final long[] tosVotes;

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
        dwellCount = new long[paths];
        dwellSum = new long[paths];
        rttNetSum = new long[paths];
        dwellInvalid = new long[paths];
        pairNetHistograms = new PackedHistogram[pairs];
        tosKnown = new long[paths];
        remarked = new long[paths];
        tosMode = new int[paths];
        tosVotes = new long[paths];
        pairHistograms = new PackedHistogram[pairs];
        for (int i = 0; i < pairs; i++) {
            pairHistograms[i] = newHistogram();
        }
        Arrays.fill(tosMode, -1);
        clearRttBounds();
    }

    /**
     * Takes the reflector's dwell ({@link dev.llama.probe.ProbeView#NO_DWELL} when the reply had none) of a
     * reply answered in {@code rtt} ns.
     */
    void dwell(int path, int pair, long rtt, long dwell) {
        if (dwell == dev.llama.probe.ProbeView.NO_DWELL) {
            return;
        }
        if (dwell < 0 || dwell > rtt) {
            dwellInvalid[path]++;
            return;
        }
        long net = rtt - dwell;
        dwellCount[path]++;
        dwellSum[path] += dwell;
        rttNetSum[path] += net;
        var h = pairNetHistograms[pair];
        if (h == null) {
            h = pairNetHistograms[pair] = newHistogram();
        }
        h.recordValue(Math.min(net, MAX_RTT_NANOS));
    }

    /** Takes the TOS a reply arrived with (negative: unknown, as on Netty's path) against the one sent. */
    void tosReceived(int path, int tosSent, int tosReceived) {
        if (tosReceived < 0) {
            return;
        }
        tosKnown[path]++;
        if (tosSent >= 0 && (tosReceived >> 2) != (tosSent >> 2)) {
            remarked[path]++;
        }
        if (tosVotes[path] == 0) {
            tosMode[path] = tosReceived;
            tosVotes[path] = 1;
        } else {
            tosVotes[path] += tosMode[path] == tosReceived ? 1 : -1;
        }
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
        Arrays.fill(dwellCount, 0);
        Arrays.fill(dwellSum, 0);
        Arrays.fill(rttNetSum, 0);
        Arrays.fill(dwellInvalid, 0);
        Arrays.fill(tosKnown, 0);
        Arrays.fill(remarked, 0);
        Arrays.fill(tosVotes, 0);
        clearRttBounds();
        for (var h : pairHistograms) {
            h.reset();
        }
        for (var h : pairNetHistograms) {
            if (h != null) {
                h.reset();
            }
        }
    }

    private void clearRttBounds() {
        Arrays.fill(rttMin, Long.MAX_VALUE);
        Arrays.fill(rttMax, 0);
    }
}
