package dev.llama.config;

/** A command line that cannot be run; the launcher prints the message on one line and exits 2. */
public class UsageException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public UsageException(String message) {
        super(message);
    }
}
