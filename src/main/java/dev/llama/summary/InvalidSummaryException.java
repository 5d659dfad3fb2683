package dev.llama.summary;

/** A summary set that fails validation; the message names the field, e.g. {@code pairs[3].src_ip: not an IP address}. */
public final class InvalidSummaryException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public InvalidSummaryException(String field, String problem) {
        super(field + ": " + problem, null, false, false);
    }
}
