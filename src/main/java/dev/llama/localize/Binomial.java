package dev.llama.localize;

/**
 * The statistical test: how unlikely {@code lost} of {@code sent} probes are if each is lost with
 * probability {@code ref}. The log-likelihood ratio of the observed rate against {@code ref} bounds the
 * binomial tail (Chernoff: P(X ≥ lost) ≤ e^-llr), so comparing it with ln(candidates / alpha) keeps the
 * false alarms of a whole interval under alpha without a table or a normal approximation, and it
 * holds at any count: 1 lost of 40 is nothing, 0.5 % of 100,000 is a lot.
 */
final class Binomial {
    private Binomial() {
    }

    /** The log-likelihood ratio for an excess of loss; 0 when the observed rate is not above {@code ref}. */
    static double llr(long lost, long sent, double ref) {
        if (sent <= 0 || lost <= 0) {
            return 0;
        }
        double p = (double) lost / sent;
        if (p <= ref) {
            return 0;
        }
        double kept = sent - lost;
        double value = lost * Math.log(p / ref);
        if (kept > 0) { // with every probe lost the second term is 0 · log 0 = 0
            value += kept * Math.log((1 - p) / (1 - ref));
        }
        return value;
    }

    /** The rate {@code lost / sent}, 0 when nothing was sent. */
    static double rate(long lost, long sent) {
        return sent <= 0 ? 0 : (double) lost / sent;
    }
}
