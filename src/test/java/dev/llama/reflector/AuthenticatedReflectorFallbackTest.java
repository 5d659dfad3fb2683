package dev.llama.reflector;

import dev.llama.testutil.FallbackPath;
import org.junit.jupiter.api.extension.ExtendWith;

/** {@link AuthenticatedReflectorTest} on Netty's datagram path (the fallback where the native library does not load). */
@ExtendWith(FallbackPath.class)
class AuthenticatedReflectorFallbackTest extends AuthenticatedReflectorTest {
}
