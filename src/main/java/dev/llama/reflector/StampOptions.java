package dev.llama.reflector;

import dev.llama.stamp.ErrorEstimate;

/**
 * The STAMP Session-Reflector's own settings; bind address, rate limit, allow-list and deny-ports are the
 * LLAMA reflector's ({@link ReflectorOptions}).
 *
 * @param port          UDP port, 0 for one the OS picks (862 is STAMP's registered port)
 * @param key           the HMAC key of authenticated mode (RFC 8762 §4.4), or null for unauthenticated mode
 * @param errorEstimate this host's clock error estimate as it goes into replies (RFC 4656 §4.1.2)
 */
public record StampOptions(int port, byte[] key, int errorEstimate) {
    /** STAMP's well-known port (RFC 8762 §4.1). */
    public static final int WELL_KNOWN_PORT = 862;
    /** Not known to be synchronized, 1 ms: what an NTP-disciplined host without PTP honestly has. */
    public static final int DEFAULT_ERROR_ESTIMATE = ErrorEstimate.ofNanos(1_000_000, false);

    public StampOptions {
        if (port < 0 || port > 65535) {
            throw new IllegalArgumentException("stamp port must be 0-65535, got " + port);
        }
        key = key == null ? null : key.clone();
    }

    /** Unauthenticated mode, the default error estimate. */
    public StampOptions(int port) {
        this(port, null, DEFAULT_ERROR_ESTIMATE);
    }

    public boolean authenticated() {
        return key != null;
    }
}
