package dev.llama.scraper;

/**
 * How InfluxDB answered a write.
 *
 * @param outcome what the sender must do with the points
 * @param status the HTTP status, or 0 when no answer came
 * @param reason the server's message, or why no answer came, on one line and shortened for logs
 * @param error the server's whole message as it sent it (it may name the refused lines), or "" without one
 */
public record WriteResult(Outcome outcome, int status, String reason, String error) {
    /** What a write's answer means for the points in it. */
    public enum Outcome {
        /** 2xx: the points are stored and can leave the queue. */
        WRITTEN,
        /** The server refused these points (400, 413, 422): retrying them as they are cannot help. */
        REJECTED,
        /** No answer, a 5xx, 429, or a problem with the database or credentials rather than the points: try again later. */
        RETRY
    }

    static final WriteResult WRITTEN = new WriteResult(Outcome.WRITTEN, 204, "");

    public WriteResult(Outcome outcome, int status, String reason) {
        this(outcome, status, reason, "");
    }

    public boolean written() {
        return outcome == Outcome.WRITTEN;
    }

    @Override
    public String toString() {
        return status == 0 ? reason : "HTTP " + status + (reason.isEmpty() ? "" : " " + reason);
    }
}
