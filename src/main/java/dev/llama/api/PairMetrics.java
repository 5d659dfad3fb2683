package dev.llama.api;

import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import dev.llama.summary.PairSummary;
import dev.llama.summary.SummarySet;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Per-pair Prometheus series from the summary sets the API receives: {@code llama_pair_loss_ratio},
 * {@code llama_probe_rtt_seconds{quantile}}, {@code llama_probes_sent_total} and
 * {@code llama_probes_lost_total}, the reflector's mean dwell {@code llama_pair_dwell_seconds}, the median
 * RTT minus dwell {@code llama_pair_rtt_net_seconds{quantile="0.5"}} and, from a pair's first remarked
 * reply on, {@code llama_pair_remarked_total} (replies whose DSCP changed on the way), labelled {@code src}, {@code dst} (names) and {@code src_ip},
 * {@code dst_ip}. At most {@code maxPairs} pairs are exported, so a big mesh cannot blow up a
 * Prometheus server; pairs past the cap are counted in {@code llama_metrics_pairs_dropped}. A pair
 * whose collector stops reporting for three of its intervals is removed. The RTT of an interval in
 * which nothing was answered, and the loss of one in which no probe was resolved, are NaN, not 0.
 * Used on one thread (the API verticle's event loop).
 */
final class PairMetrics implements AutoCloseable {
    private final MeterRegistry registry;
    private final int maxPairs;
    private final Map<String, Series> pairs = new HashMap<>();
    private final Map<String, Long> dropped = new HashMap<>();
    private final List<Meter> own = new ArrayList<>();

    /** One pair's newest values and running totals, read by the meters. */
    private static final class Series {
        double loss;
        final double[] rtt = new double[3];
        double sent;
        double lost;
        double dwell;
        double rttNet;
        double remarked;
        Tags tags;
        long expires;
        final List<Meter> meters = new ArrayList<>();
    }

    PairMetrics(MeterRegistry registry, int maxPairs) {
        this.registry = registry;
        this.maxPairs = maxPairs;
        own.add(Gauge.builder("llama.metrics.pairs", pairs, Map::size)
                .description("Pairs exported as per-pair series").register(registry));
        own.add(Gauge.builder("llama.metrics.pairs.dropped", dropped, Map::size)
                .description("Pairs not exported because of the cap of " + maxPairs).register(registry));
    }

    void accept(SummarySet set, long nowMillis) {
        long expires = set.freshUntilMillis();
        for (var pair : set.pairs()) {
            String key = pair.key();
            var series = pairs.get(key);
            if (series == null) {
                if (pairs.size() >= maxPairs) {
                    dropped.put(key, expires);
                    continue;
                }
                series = register(pair);
                pairs.put(key, series);
            }
            series.expires = expires;
            series.loss = pair.sent() > 0 ? pair.loss() / 100 : Double.NaN;
            series.rtt[0] = pair.rttP50() / 1000;
            series.rtt[1] = pair.rttP90() / 1000;
            series.rtt[2] = pair.rttP99() / 1000;
            series.sent += pair.sent();
            series.lost += pair.lost();
            series.dwell = pair.dwell() / 1000;
            series.rttNet = pair.rttNetP50() / 1000;
            if (pair.remarked() > 0 && series.remarked == 0) {
                // rare, and a mesh has 10,000 pairs: the counter exists where there is something to count
                series.meters.add(FunctionCounter.builder("llama.pair.remarked", series, x -> x.remarked).tags(series.tags)
                        .description("Replies whose DSCP differed from the probe's, summed over the intervals this node received")
                        .register(registry));
            }
            series.remarked += pair.remarked();
        }
        pairs.values().removeIf(s -> {
            if (s.expires < nowMillis) {
                s.meters.forEach(registry::remove);
                return true;
            }
            return false;
        });
        dropped.values().removeIf(e -> e < nowMillis);
    }

    private Series register(PairSummary pair) {
        var src = pair.src();
        var dst = pair.dst();
        var tags = Tags.of("src", src.name(), "dst", dst.name(), "src_ip", src.ip(), "dst_ip", dst.ip());
        var s = new Series();
        s.meters.add(Gauge.builder("llama.pair.loss.ratio", s, x -> x.loss).tags(tags).strongReference(true)
                .description("Share of probes lost in the newest interval (0 to 1)").register(registry));
        String[] quantiles = {"0.5", "0.9", "0.99"};
        for (int i = 0; i < quantiles.length; i++) {
            int q = i;
            s.meters.add(Gauge.builder("llama.probe.rtt", s, x -> x.rtt[q]).baseUnit("seconds")
                    .tags(tags.and("quantile", quantiles[i])).strongReference(true)
                    .description("Round-trip time quantile of the newest interval").register(registry));
        }
        s.tags = tags;
        s.meters.add(Gauge.builder("llama.pair.rtt.net", s, x -> x.rttNet).baseUnit("seconds").tags(tags.and("quantile", "0.5"))
                .strongReference(true).description("Round-trip time minus the reflector's dwell, median of the newest interval")
                .register(registry));
        s.meters.add(Gauge.builder("llama.pair.dwell", s, x -> x.dwell).baseUnit("seconds").tags(tags).strongReference(true)
                .description("Mean time the reflector held a probe in the newest interval (NaN without reflector times)")
                .register(registry));
        s.meters.add(FunctionCounter.builder("llama.probes.sent", s, x -> x.sent).tags(tags)
                .description("Probes sent, summed over the intervals this node received").register(registry));
        s.meters.add(FunctionCounter.builder("llama.probes.lost", s, x -> x.lost).tags(tags)
                .description("Probes lost, summed over the intervals this node received").register(registry));
        return s;
    }

    @Override
    public void close() {
        pairs.values().forEach(s -> s.meters.forEach(registry::remove));
        pairs.clear();
        own.forEach(registry::remove);
    }
}
