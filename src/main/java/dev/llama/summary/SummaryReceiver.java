package dev.llama.summary;

import io.vertx.core.json.JsonObject;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Turns what arrives on a summary address into a {@link SummarySet} or a counted rejection. A set may
 * come as the record (this JVM, or another through {@link SummaryCodec}), as JSON (a sender without the
 * codec), or as anything else a rogue sender puts there; only a set that passes {@link SummaryDecoder}
 * comes out; with a cluster key ({@link SummaryCodec#useKey}) JSON is refused, since only the codec's
 * wire form carries a MAC. The first rejection is logged with its reason, then one line per 1,000.
 */
public final class SummaryReceiver {
    private static final Logger log = LoggerFactory.getLogger(SummaryReceiver.class);

    private final String role;
    private final AtomicLong accepted = new AtomicLong();
    private final AtomicLong rejected = new AtomicLong();

    /** {@code role} names the receiver in log lines ({@code api}, {@code scraper}). */
    public SummaryReceiver(String role) {
        this.role = role;
    }

    /** The set in {@code body}, or null when it is not a valid one (counted and logged). */
    public SummarySet receive(Object body, long nowMillis) {
        try {
            SummarySet set;
            if (body instanceof SummarySet s) {
                // decoded by the codec on arrival, or made in this JVM: only its date is left to check against our clock
                SummaryDecoder.checkNotAhead(s.intervalEnd(), nowMillis);
                set = s;
            } else if (body instanceof JsonObject && SummaryCodec.keyed()) {
                throw new InvalidSummaryException("body", "JSON without a MAC, while the cluster has a secret");
            } else if (body instanceof JsonObject json) {
                set = SummaryDecoder.decode(json, nowMillis);
            } else {
                throw new InvalidSummaryException("body", body == null ? "not a valid summary set" : "a " + body.getClass().getSimpleName() + ", not a summary set");
            }
            accepted.incrementAndGet();
            return set;
        } catch (InvalidSummaryException e) {
            long n = rejected.incrementAndGet();
            if (n == 1 || n % 1000 == 0) {
                log.warn("{}: rejected a summary set ({} rejected so far): {}", role, n, e.getMessage());
            }
            return null;
        }
    }

    /** Sets accepted so far. */
    public long accepted() {
        return accepted.get();
    }

    /** Sets rejected so far. */
    public long rejected() {
        return rejected.get();
    }
}
