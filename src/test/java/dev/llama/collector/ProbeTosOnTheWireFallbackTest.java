package dev.llama.collector;

import dev.llama.testutil.FallbackPath;
import org.junit.jupiter.api.extension.ExtendWith;

/** {@link ProbeTosOnTheWireTest} on Netty's datagram path (the fallback where the native library does not load). */
@ExtendWith(FallbackPath.class)
class ProbeTosOnTheWireFallbackTest extends ProbeTosOnTheWireTest {
}
