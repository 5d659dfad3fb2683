package dev.llama.bench;

import dev.llama.localize.Localizer;
import dev.llama.localize.Suspect;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.SplittableRandom;

/**
 * The localizer's scenario set with known truth, and how its answers are scored: a suspect is right
 * when its kind is one the truth allows and it names the truth's element; precision is right suspects
 * over suspects reported (top k), recall is truths named over truths.
 */
public final class LocalizeScenarios {
    /** One injected element and the suspect kinds that name it correctly. */
    public record Truth(Set<String> kinds, String scope) {
        boolean named(Suspect s) {
            return kinds.contains(s.kind()) && scope.equals(s.scope());
        }
    }

    /** A scenario: its faults and their truth. */
    public record Scenario(String name, List<FleetSim.Fault> faults, List<Truth> truth) {
    }

    /** Counts over one or more runs. */
    public record Score(long right, long reported, long found, long truths, long noFaultSuspects) {
        public Score plus(Score o) {
            return new Score(right + o.right, reported + o.reported, found + o.found, truths + o.truths,
                    noFaultSuspects + o.noFaultSuspects);
        }

        /** Right over reported; 1 when nothing was reported. */
        public double precision() {
            return reported == 0 ? 1 : (double) right / reported;
        }

        /** Named over truths; 1 when there was nothing to find. */
        public double recall() {
            return truths == 0 ? 1 : (double) found / truths;
        }
    }

    private LocalizeScenarios() {
    }

    /** The six scenarios on {@code fleet}, their elements drawn from {@code seed}. */
    public static List<Scenario> of(FleetSim fleet, long seed) {
        var random = new SplittableRandom(seed);
        var shape = fleet.shape();
        int n = shape.size();
        int racks = shape.regions() * shape.pods() * shape.racks();
        int pods = shape.regions() * shape.pods();
        int dead = random.nextInt(n);
        int nic = random.nextInt(n);
        String rack = "rack" + random.nextInt(racks);
        String pod = "pod" + random.nextInt(pods);
        int deadElsewhere;
        do {
            deadElsewhere = random.nextInt(n);
        } while (fleet.pod(deadElsewhere).equals(pod));
        var host = Set.of("host");
        var list = new ArrayList<Scenario>();
        list.add(new Scenario("dead host", List.of(Faults.deadHost(dead)), List.of(new Truth(host, fleet.name(dead)))));
        list.add(new Scenario("host NIC 2%", List.of(Faults.hostNic(nic, 0.02)), List.of(new Truth(host, fleet.name(nic)))));
        list.add(new Scenario("rack ECMP member black hole", List.of(Faults.rackEcmp(rack, random.nextInt(shape.ecmp()))),
                List.of(new Truth(Set.of("path", "rack"), rack))));
        list.add(new Scenario("pod uplink 1%", List.of(Faults.podUplink(pod, 0.01)), List.of(new Truth(Set.of("pod", "path"), pod))));
        list.add(new Scenario("dead host + pod uplink 1%", List.of(Faults.deadHost(deadElsewhere), Faults.podUplink(pod, 0.01)),
                List.of(new Truth(host, fleet.name(deadElsewhere)), new Truth(Set.of("pod", "path"), pod))));
        list.add(new Scenario("no fault", List.of(), List.of()));
        return list;
    }

    /** Runs one scenario for one interval and scores the top {@code k} suspects. */
    public static Score run(FleetSim fleet, Localizer localizer, Scenario scenario, long seed, int k) {
        var suspects = localizer.localize(fleet.interval(scenario.faults(), seed));
        var top = suspects.subList(0, Math.min(k, suspects.size()));
        long right = top.stream().filter(s -> scenario.truth().stream().anyMatch(t -> t.named(s))).count();
        long found = scenario.truth().stream().filter(t -> top.stream().anyMatch(t::named)).count();
        return new Score(right, top.size(), found, scenario.truth().size(), scenario.truth().isEmpty() ? suspects.size() : 0);
    }
}
