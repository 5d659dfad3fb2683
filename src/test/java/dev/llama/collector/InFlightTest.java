package dev.llama.collector;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The in-flight ring both collector sockets keep: matching, expiry in order, eviction when full. */
class InFlightTest {
    private final List<String> expired = new ArrayList<>();
    private final InFlight ring = new InFlight(1, 0, (target, evicted) -> expired.add(target + (evicted ? " evicted" : " lost")));

    @Test
    void holdsWhatItHandedOutAndNothingElse() {
        long seq = ring.add(7, 1_000);
        assertThat(seq).isEqualTo(1);
        assertThat(ring.holds(seq)).isTrue();
        assertThat(ring.target(seq)).isEqualTo(7);
        assertThat(ring.sentAt(seq)).isEqualTo(1_000);
        assertThat(ring.state(seq)).isEqualTo(InFlight.PENDING);
        assertThat(ring.holds(0)).isFalse();
        assertThat(ring.holds(2)).as("not sent yet").isFalse();
        assertThat(ring.holds(seq + ring.capacity())).as("same slot, other sequence").isFalse();
    }

    @Test
    void sweepsUnansweredProbesInOrderAndSkipsAnsweredOnes() {
        var late = new InFlight(1, 1, (target, evicted) -> expired.add(target + (evicted ? " evicted" : " lost")));
        long a = late.add(1, 0);
        long b = late.add(2, 0);
        late.add(3, 5_000_000);
        late.resolve(a, InFlight.ANSWERED);
        late.sweep(1_000_000);
        assertThat(expired).containsExactly("2 lost");
        assertThat(late.state(b)).isEqualTo(InFlight.LOST);
        late.sweep(5_500_000);
        assertThat(expired).as("the third is within its timeout").containsExactly("2 lost");
    }

    @Test
    void aFullRingEvictsItsOldestPendingProbe() {
        for (int i = 0; i < ring.capacity(); i++) {
            ring.add(i, 0);
        }
        ring.resolve(2, InFlight.ANSWERED); // target 1
        assertThat(expired).isEmpty();
        ring.add(99, 1);
        assertThat(expired).containsExactly("0 evicted");
        assertThat(ring.holds(1)).as("the slot now holds the new probe").isFalse();
        ring.add(100, 1);
        ring.add(101, 1);
        assertThat(expired).as("an answered probe is not evicted as lost").containsExactly("0 evicted", "2 evicted");
    }
}
