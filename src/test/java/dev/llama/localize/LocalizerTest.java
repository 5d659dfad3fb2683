package dev.llama.localize;

import static org.assertj.core.api.Assertions.assertThat;

import dev.llama.summary.PairSummary;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** The localizer on hand-built matrices: 16 hosts, 4 to a rack, 2 racks to a pod, 4 ports of 100 probes per pair. */
class LocalizerTest {
    private final Pairs fleet = new Pairs(16, 4, 2);
    private final Localizer localizer = new Localizer(Pairs.TOPOLOGY);

    /** 0.01 % background: one lost probe on one port of one pair in 25. */
    private static long background(int src, int dst, int port) {
        return (src * 31 + dst * 7 + port) % 100 == 0 ? 1 : 0;
    }

    @Test
    void backgroundNoiseNamesNothing() {
        assertThat(localizer.localize(fleet.mesh(100, LocalizerTest::background))).isEmpty();
    }

    @Test
    void oneLostOfFortyIsNotAFault() {
        var pair = Pairs.pair("10.0.0.1", "10.0.0.2", fleet.tags(1, 2), 10, port -> port == 0 ? 1 : 0);
        assertThat(localizer.localize(List.of(pair))).isEmpty();
        var mesh = new ArrayList<>(fleet.mesh(10, (s, d, p) -> 0));
        mesh.set(5, Pairs.pair(mesh.get(5).srcIp(), mesh.get(5).dstIp(), mesh.get(5).tags(), 10, port -> port == 0 ? 1 : 0));
        assertThat(localizer.localize(mesh)).isEmpty();
    }

    @Test
    void halfAPercentOfAHundredThousandIsAFault() {
        // h3's row: 15 pairs x 4 ports x 1,667 probes = 100,000 probes, 0.5 % of them lost, nothing else
        var suspects = localizer.localize(fleet.mesh(1667, (s, d, p) -> s == 3 ? 8 + (d + p) % 2 : 0));
        assertThat(suspects).hasSize(1);
        assertThat(suspects.get(0)).extracting(Suspect::kind, Suspect::scope, Suspect::side).containsExactly("host", "h3", "src");
        assertThat(suspects.get(0).evidence().pairs()).hasSize(15).allMatch(k -> k.startsWith("10.0.0.3>"));
    }

    @Test
    void aDeadHostIsItsColumnWhenItsOwnCollectorIsSilent() {
        var pairs = fleet.mesh(100, (s, d, p) -> d == 9 ? 100 : background(s, d, p)).stream()
                .filter(pair -> !pair.srcIp().equals("10.0.0.9")).toList();
        var suspects = localizer.localize(pairs);
        assertThat(suspects).extracting(Suspect::kind, Suspect::scope, Suspect::side).containsExactly(
                org.assertj.core.groups.Tuple.tuple("host", "h9", "dst"));
        assertThat(suspects.get(0).explainedLost()).isEqualTo(15 * 400);
        assertThat(suspects.get(0).evidence().loss()).isEqualTo(100.0);
    }

    @Test
    void aLossyNicIsBothItsRowAndItsColumn() {
        var suspects = localizer.localize(fleet.mesh(100, (s, d, p) -> s == 5 || d == 5 ? 4 : background(s, d, p)));
        assertThat(suspects).extracting(Suspect::kind, Suspect::scope, Suspect::side).containsExactly(
                org.assertj.core.groups.Tuple.tuple("host", "h5", "both"));
        assertThat(suspects.get(0).evidence().pairs()).hasSize(30);
    }

    @Test
    void lossOnEveryPairCrossingOneRackIsThatRacksBoundary() {
        var suspects = localizer.localize(fleet.mesh(100, (s, d, p) -> fleet.rack(s).equals("r1") != fleet.rack(d).equals("r1") ? 3 : 0));
        assertThat(suspects).extracting(Suspect::kind, Suspect::scope, Suspect::side).containsExactly(
                org.assertj.core.groups.Tuple.tuple("rack", "r1", "boundary"));
        assertThat(suspects.get(0).evidence().pairs()).hasSize(2 * 4 * 12);
        assertThat(suspects.get(0).evidence().restLost()).isZero();
    }

    @Test
    void lossOnlyInsideOneRackIsThatRacksInside() {
        var suspects = localizer.localize(fleet.mesh(100, (s, d, p) -> fleet.rack(s).equals("r2") && fleet.rack(d).equals("r2") ? 10 : 0));
        assertThat(suspects).extracting(Suspect::kind, Suspect::scope, Suspect::side).containsExactly(
                org.assertj.core.groups.Tuple.tuple("rack", "r2", "inside"));
    }

    @Test
    void oneLosingPortOfOnePairIsAPath() {
        var suspects = localizer.localize(fleet.mesh(100, (s, d, p) -> s == 1 && d == 6 && p == 2 ? 100 : background(s, d, p)));
        assertThat(suspects).extracting(Suspect::kind, Suspect::scope, Suspect::side).containsExactly(
                org.assertj.core.groups.Tuple.tuple("path", "10.0.0.1>10.0.0.6", "pair"));
        assertThat(suspects.get(0).evidence().srcPorts()).containsExactly(40002);
        assertThat(suspects.get(0).evidence().pairs()).containsExactly("10.0.0.1>10.0.0.6");
    }

    @Test
    void somePortsOfEveryPairCrossingARackAreAnEcmpMemberThere() {
        // the member a (pair, port) hashes onto: one port in four of every pair crossing r3 is black-holed
        var suspects = localizer.localize(fleet.mesh(100,
                (s, d, p) -> fleet.rack(s).equals("r3") != fleet.rack(d).equals("r3") && (s + d + p) % 4 == 0 ? 100 : 0));
        assertThat(suspects).extracting(Suspect::kind, Suspect::scope, Suspect::side).containsExactly(
                org.assertj.core.groups.Tuple.tuple("path", "r3", "rack"));
        assertThat(suspects.get(0).evidence().srcPorts()).containsExactly(40000, 40001, 40002, 40003);
        assertThat(suspects.get(0).evidence().loss()).isEqualTo(100.0);
    }

    @Test
    void lossEverywhereIsNetworkWide() {
        var suspects = localizer.localize(fleet.mesh(100, (s, d, p) -> 1 + (s + d + p) % 3));
        assertThat(suspects).extracting(Suspect::kind, Suspect::scope).containsExactly(org.assertj.core.groups.Tuple.tuple("network-wide", "*"));
        assertThat(suspects.get(0).evidence().restSent()).isZero();
    }

    @Test
    void twoFaultsAreTwoSuspectsStrongestFirst() {
        var suspects = localizer.localize(fleet.mesh(100, (s, d, p) -> d == 12 ? 100 : s == 2 || d == 2 ? 4 : background(s, d, p)));
        assertThat(suspects).extracting(Suspect::kind, Suspect::scope).containsExactly(
                org.assertj.core.groups.Tuple.tuple("host", "h12"), org.assertj.core.groups.Tuple.tuple("host", "h2"));
        assertThat(suspects.get(0).score()).isGreaterThan(suspects.get(1).score());
    }

    @Test
    void aPlainCollectorsUntaggedEndTakesItsTagsFromWhereItIsATarget() {
        // the source ends carry no tags; the targets' tags are unprefixed, as a plain collector writes them
        var pairs = new ArrayList<PairSummary>();
        for (var pair : fleet.mesh(100, (s, d, p) -> fleet.rack(s).equals("r1") != fleet.rack(d).equals("r1") ? 3 : 0)) {
            var tags = Map.of("rack", pair.tags().get("dst_rack"), "pod", pair.tags().get("dst_pod"));
            pairs.add(new PairSummary(pair.srcIp(), pair.dstIp(), tags, pair.sent(), pair.lost(), pair.loss(), pair.rtt(), pair.rttMin(),
                    pair.rttMax(), pair.rttP50(), pair.rttP90(), pair.rttP99(), pair.rttStddev(), pair.jitter(), 0, 0, pair.ports()));
        }
        var suspects = localizer.localize(pairs);
        assertThat(suspects).extracting(Suspect::kind, Suspect::scope, Suspect::side).containsExactly(
                org.assertj.core.groups.Tuple.tuple("rack", "r1", "boundary"));
    }

    @Test
    void theOrderOfTheInputDoesNotMatter() {
        var pairs = new ArrayList<>(fleet.mesh(100, (s, d, p) -> d == 12 ? 100 : s == 2 || d == 2 ? 4 : background(s, d, p)));
        var first = localizer.localize(pairs);
        Collections.shuffle(pairs, new Random(7));
        assertThat(localizer.localize(pairs)).isEqualTo(first);
    }

    @Test
    void ofAKeyGivenTwiceTheOneWithTheMostProbesCounts() {
        var pairs = new ArrayList<>(fleet.mesh(100, (s, d, p) -> 0));
        // a short copy of h9's row claiming total loss is outweighed by the full one, wherever it sits
        for (int d = 0; d < 16; d++) {
            if (d != 9) {
                int at = d * 3 % pairs.size();
                pairs.add(at, Pairs.pair(Pairs.ip(9), Pairs.ip(d), fleet.tags(9, d), 10, port -> 10));
            }
        }
        assertThat(localizer.localize(pairs)).isEmpty();
        var lossy = new ArrayList<>(fleet.mesh(100, (s, d, p) -> 0));
        for (int d = 0; d < 16; d++) {
            if (d != 9) {
                lossy.add(Pairs.pair(Pairs.ip(9), Pairs.ip(d), fleet.tags(9, d), 200, port -> 200));
            }
        }
        assertThat(localizer.localize(lossy)).extracting(Suspect::kind, Suspect::scope, Suspect::side).containsExactly(
                org.assertj.core.groups.Tuple.tuple("host", "h9", "src"));
    }

    @Test
    void invalidPairsAreLeftOut() {
        var pairs = new ArrayList<>(fleet.mesh(100, LocalizerTest::background));
        var tags = fleet.tags(0, 1);
        pairs.add(new PairSummary("10.0.0.0", "10.0.0.1", tags, 10, 20, 200, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, List.of()));
        pairs.add(new PairSummary("10.0.0.3", "10.0.0.3", tags, 1000, 1000, 100, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, List.of()));
        pairs.add(new PairSummary("10.0.0.4", "10.0.0.5", tags, -5, -5, 100, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, List.of()));
        assertThat(localizer.localize(pairs)).isEmpty();
        assertThat(localizer.localize(List.of())).isEmpty();
    }
}
