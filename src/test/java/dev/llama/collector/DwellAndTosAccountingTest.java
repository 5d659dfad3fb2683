package dev.llama.collector;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.llama.probe.ProbeView;
import dev.llama.summary.PairSummary;
import dev.llama.summary.PortSummary;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The accumulator and summarizer's reflector-dwell and DSCP accounting, fed directly. */
class DwellAndTosAccountingTest {
    private static final int EF = 0xb8;
    private static final int CS1 = 0x20;

    /** Pair 0: paths 0 and 1 (source ports 1000 and 1001, TOS EF); pair 1: paths 2 (TOS EF) and 3 (TOS 0). */
    private final PathTable table;
    private final Accumulator acc;

    DwellAndTosAccountingTest() throws Exception {
        var a = InetAddress.getByName("127.0.0.1");
        var b = InetAddress.getByName("127.0.0.2");
        var c = InetAddress.getByName("127.0.0.3");
        table = new PathTable(
                new InetSocketAddress[] {new InetSocketAddress(b, 8100), new InetSocketAddress(b, 8100),
                    new InetSocketAddress(c, 8100), new InetSocketAddress(c, 8100)},
                new int[] {1000, 1001, 1000, 1001}, new int[] {0, 0, 1, 1},
                List.of(new PathTable.Pair(a, b, Map.of()), new PathTable.Pair(a, c, Map.of())), new int[] {EF, EF, EF, 0});
        acc = new Accumulator(4, 2);
    }

    private void answer(int path, long rtt, long dwell, int tosReceived) {
        acc.answered(path, table.pair[path], rtt, -1);
        acc.dwell(path, table.pair[path], rtt, dwell);
        acc.tosReceived(path, table.tos[path], tosReceived);
    }

    private List<PairSummary> summarize() {
        return Summarizer.summarize(List.of(new Summarizer.Part(table, acc)));
    }

    @Test
    void dwellIsSubtractedAndInvalidDwellsAreCountedNotUsed() {
        for (int i = 0; i < 100; i++) {
            answer(0, 5_080_000 + i * 1_000L, 5_000_000, -1);
        }
        answer(1, 300_000, -1, -1);
        answer(1, 300_000, 300_001, -1);
        answer(1, 300_000, ProbeView.NO_DWELL, -1);
        var pair = summarize().get(0);
        assertThat(pair.dwell()).isCloseTo(5.0, within(1e-9));
        assertThat(pair.rttNet()).isCloseTo(0.1295, within(1e-9));
        assertThat(pair.rttNetP50()).isCloseTo(0.129, within(0.0005));
        assertThat(pair.rttNetP99()).isCloseTo(0.178, within(0.0005));
        assertThat(pair.rttNetP99()).isGreaterThanOrEqualTo(pair.rttNetP50());
        assertThat(pair.dwellInvalid()).isEqualTo(2);
        assertThat(pair.rtt()).as("RTT still counts every reply").isCloseTo((100 * 5.1295 + 0.9) / 103, within(1e-9));
        PortSummary p0 = pair.ports().get(0);
        assertThat(p0.dwell()).isCloseTo(5.0, within(1e-9));
        assertThat(p0.rttNet()).isCloseTo(0.1295, within(1e-9));
        PortSummary p1 = pair.ports().get(1);
        assertThat(p1.dwell()).as("no usable dwell on port 1001").isNaN();
        assertThat(p1.rttNet()).isNaN();
        var other = summarize().get(1);
        assertThat(other.dwell()).isNaN();
        assertThat(other.rttNetP50()).isNaN();
    }

    @Test
    void remarkedCountsDscpChangesNotEcnAndTheMostCommonTosIsReported() {
        for (int i = 0; i < 10; i++) {
            answer(0, 100_000, ProbeView.NO_DWELL, EF);
        }
        answer(0, 100_000, ProbeView.NO_DWELL, EF | 3); // ECN CE: the DSCP is unchanged
        for (int i = 0; i < 7; i++) {
            answer(1, 100_000, ProbeView.NO_DWELL, CS1);
        }
        answer(1, 100_000, ProbeView.NO_DWELL, EF);
        answer(1, 100_000, ProbeView.NO_DWELL, ProbeEngine.TOS_UNKNOWN);
        var pair = summarize().get(0);
        assertThat(pair.tosSent()).isEqualTo(EF);
        assertThat(pair.remarked()).isEqualTo(7);
        assertThat(pair.tosReceived()).as("11 of 19 arrived as EF").isEqualTo(EF);
        assertThat(pair.ports().get(0).remarked()).isZero();
        assertThat(pair.ports().get(0).tosReceived()).isEqualTo(EF);
        assertThat(pair.ports().get(1).remarked()).isEqualTo(7);
        assertThat(pair.ports().get(1).tosReceived()).isEqualTo(CS1);
        assertThat(pair.ports().get(1).tosSent()).isEqualTo(EF);
    }

    @Test
    void unknownTosIsNullAndPortsOfDifferentTosLeaveThePairsUnknown() {
        answer(2, 100_000, ProbeView.NO_DWELL, ProbeEngine.TOS_UNKNOWN);
        answer(3, 100_000, ProbeView.NO_DWELL, ProbeEngine.TOS_UNKNOWN);
        var pair = summarize().get(1);
        assertThat(pair.tosSent()).as("EF and 0 on one pair").isEqualTo(-1);
        assertThat(pair.tosReceived()).isEqualTo(-1);
        assertThat(pair.remarked()).isZero();
        assertThat(pair.ports().get(0).tosSent()).isEqualTo(EF);
        assertThat(pair.ports().get(1).tosSent()).isZero();
        assertThat(pair.ports().get(1).tosReceived()).isEqualTo(-1);
    }

    @Test
    void clearingForgetsEverything() {
        answer(0, 5_100_000, 5_000_000, CS1);
        answer(1, 100_000, -5, CS1);
        acc.clear();
        answer(0, 200_000, ProbeView.NO_DWELL, EF);
        var pair = summarize().get(0);
        assertThat(pair.dwell()).isNaN();
        assertThat(pair.rttNetP50()).isNaN();
        assertThat(pair.dwellInvalid()).isZero();
        assertThat(pair.remarked()).isZero();
        assertThat(pair.tosReceived()).isEqualTo(EF);
    }
}
