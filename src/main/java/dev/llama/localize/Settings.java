package dev.llama.localize;

/**
 * How sure the localizer must be before it names a suspect.
 *
 * @param floor the loss rate (fraction, not percent) taken as normal: a candidate is compared with the
 *        rest of the interval's probes or with this floor, whichever is higher, so a quiet network does
 *        not make 0.02 % look like a fault
 * @param alpha the false-alarm rate per interval over all candidates (split Bonferroni-style)
 * @param minLost the fewest lost probes a suspect must explain
 * @param ratio how many times the reference rate a candidate's loss must be
 * @param maxSuspects the most suspects one interval names
 * @param maxEvidencePairs the most pair keys one suspect's evidence lists (the counts cover all)
 */
public record Settings(double floor, double alpha, long minLost, double ratio, int maxSuspects, int maxEvidencePairs) {
    public Settings {
        if (!(floor > 0 && floor < 1) || !(alpha > 0 && alpha < 1) || minLost < 1 || !(ratio >= 1) || maxSuspects < 1
                || maxEvidencePairs < 1) {
            throw new IllegalArgumentException("localizer settings out of range");
        }
    }

    /** 0.1 % normal loss, one false alarm in a thousand intervals, 5 lost probes and twice the reference at least. */
    public static Settings defaults() {
        return new Settings(0.001, 0.001, 5, 2, 20, 1000);
    }
}
