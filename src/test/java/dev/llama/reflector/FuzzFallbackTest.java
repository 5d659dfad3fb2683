package dev.llama.reflector;

import dev.llama.testutil.FallbackPath;
import org.junit.jupiter.api.extension.ExtendWith;

/** {@link FuzzTest} on Netty's datagram path (the fallback where the native library does not load). */
@ExtendWith(FallbackPath.class)
class FuzzFallbackTest extends FuzzTest {
}
