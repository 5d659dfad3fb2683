package dev.llama.cli;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** SIGHUP handling, which the JDK offers only through {@code sun.misc.Signal}. */
final class Signals {
    private static final Logger log = LoggerFactory.getLogger(Signals.class);

    private Signals() {
    }

    @SuppressWarnings("restriction")
    static void onHangup(Runnable action) {
        try {
            sun.misc.Signal.handle(new sun.misc.Signal("HUP"), sig -> action.run());
        } catch (IllegalArgumentException | UnsupportedOperationException e) {
            log.warn("SIGHUP reload unavailable here: {}", e.getMessage());
        }
    }
}
