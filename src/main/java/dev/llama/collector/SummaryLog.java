package dev.llama.collector;

import dev.llama.summary.PairSummary;
import dev.llama.summary.SummarySet;
import java.util.Locale;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** One line per interval, so an operator sees the collector working (and its worst pair) live. */
final class SummaryLog {
    /** The verticle's logger, so the line keeps the name operators filter on. */
    private static final Logger log = LoggerFactory.getLogger(CollectorVerticle.class);

    private SummaryLog() {
    }

    static void log(SummarySet set) {
        long sent = 0;
        long lost = 0;
        PairSummary worst = null;
        for (var pair : set.pairs()) {
            sent += pair.sent();
            lost += pair.lost();
            if (pair.sent() > 0 && (worst == null || pair.loss() > worst.loss())) {
                worst = pair;
            }
        }
        if (worst == null || worst.lost() == 0) {
            log.info("interval ending {}: {} pairs, {} sent, {} lost", set.intervalEnd(), set.pairs().size(), sent, lost);
        } else {
            log.info("interval ending {}: {} pairs, {} sent, {} lost; worst {} -> {} {}% lost", set.intervalEnd(), set.pairs().size(),
                    sent, lost, worst.srcIp(), worst.dstIp(), String.format(Locale.ROOT, "%.1f", worst.loss()));
        }
    }
}
