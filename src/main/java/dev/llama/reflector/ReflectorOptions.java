package dev.llama.reflector;

import java.net.InetAddress;

/**
 * What a reflector listens on and how fast it may answer.
 *
 * @param bind   local address ({@code 0.0.0.0} for all)
 * @param port   UDP port, 0 for one the OS picks
 * @param maxPps replies per second at most; 0 means no limit
 */
public record ReflectorOptions(InetAddress bind, int port, long maxPps) {
    public static final int DEFAULT_PORT = 8100;
    public static final long DEFAULT_MAX_PPS = 5000;

    public ReflectorOptions {
        if (port < 0 || port > 65535) {
            throw new IllegalArgumentException("port must be 0-65535, got " + port);
        }
        if (maxPps < 0) {
            throw new IllegalArgumentException("max-pps must be 0 (no limit) or positive, got " + maxPps);
        }
    }
}
