package dev.llama.collector;

import dev.llama.testutil.FallbackPath;
import org.junit.jupiter.api.extension.ExtendWith;

/** {@link KernelTimestampRttTest} on Netty's path: shows the stall does move the RTT there, so the test can fail. */
@ExtendWith(FallbackPath.class)
class KernelTimestampRttFallbackTest extends KernelTimestampRttTest {
}
