package dev.llama.localize;

import static org.assertj.core.api.Assertions.assertThat;

import dev.llama.bench.FleetSim;
import dev.llama.bench.LocalizeScenarios;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The benchmark's scenario set on a small fleet (2 regions x 2 pods x 3 racks x 6 hosts, 40 targets
 * each), three seeded trials: the goals, precision at least 0.95 and recall at least 0.90 of the
 * top five suspects, and nothing named when nothing is broken.
 */
class SimulatedFaultsTest {
    @Test
    void theScenarioSetMeetsThePrecisionAndRecallGoals() {
        var fleet = new FleetSim(new FleetSim.Shape(2, 2, 3, 6, 40, 4, 120, 4, 0.0001));
        var localizer = new Localizer(new Topology(List.of("region", "pod", "rack")));
        var total = new LocalizeScenarios.Score(0, 0, 0, 0, 0);
        for (long trial = 1; trial <= 3; trial++) {
            for (var scenario : LocalizeScenarios.of(fleet, trial)) {
                var score = LocalizeScenarios.run(fleet, localizer, scenario, 1000 + trial, 5);
                assertThat(score.noFaultSuspects()).as(scenario.name() + ", trial " + trial).isZero();
                total = total.plus(score);
            }
        }
        assertThat(total.truths()).isEqualTo(3 * 6);
        assertThat(total.precision()).as("precision").isGreaterThanOrEqualTo(0.95);
        assertThat(total.recall()).as("recall").isGreaterThanOrEqualTo(0.90);
    }

    @Test
    void theScoreCountsWhatIsWrong() {
        // the scorer itself: a localizer that names nothing finds none of the truths
        var fleet = new FleetSim(new FleetSim.Shape(1, 2, 2, 4, 15, 4, 120, 4, 0.0001));
        var blind = new Localizer(new Topology(List.of("region", "pod", "rack")), new Settings(0.999, 0.001, 5, 2, 20, 1000));
        var total = new LocalizeScenarios.Score(0, 0, 0, 0, 0);
        for (var scenario : LocalizeScenarios.of(fleet, 1)) {
            total = total.plus(LocalizeScenarios.run(fleet, blind, scenario, 1, 5));
        }
        assertThat(total.recall()).isZero();
    }
}
