package dev.llama.testutil;

import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * Runs a test class on Netty's datagram path: sets {@code llama.native=false} before its tests and
 * clears it after, so a subclass of a native-path test covers the fallback with the same tests.
 */
public final class FallbackPath implements BeforeAllCallback, AfterAllCallback {
    @Override
    public void beforeAll(ExtensionContext context) {
        System.setProperty("llama.native", "false");
    }

    @Override
    public void afterAll(ExtensionContext context) {
        System.clearProperty("llama.native");
    }
}
