package dev.llama.bench;

import dev.llama.config.Flags;
import dev.llama.localize.Localizer;
import dev.llama.localize.Topology;
import java.io.PrintStream;
import java.util.Arrays;
import java.util.List;

/**
 * {@code llama bench localize}: the localizer against faults injected into a synthetic fleet, with
 * precision and recall of its top suspects per scenario and overall, then the time one interval takes
 * at 100, 1,000 and 10,000 hosts.
 */
public final class LocalizeBench {
    private static final Topology TOPOLOGY = new Topology(List.of("region", "pod", "rack"));

    private LocalizeBench() {
    }

    public static Flags flags() {
        return new Flags("bench localize", "Injects faults into a synthetic fleet and scores the localizer's suspects; times it at 100, 1,000 and 10,000 hosts.")
                .integer("trials", 5, "intervals per scenario, each with its own fault elements and draws")
                .integer("top", 5, "suspects scored per interval (top k)")
                .integer("fan-out", 60, "targets per host in the scenario fleet (2 regions x 4 pods x 5 racks x 10 hosts)")
                .integer("ports", 4, "source ports per pair")
                .integer("probes", 120, "probes per port per interval (4 cycles/s x 30 s)")
                .integer("seed", 1, "seed of the first trial")
                .bool("no-timing", "skip the timing at 100, 1,000 and 10,000 hosts");
    }

    public static int run(Flags flags, PrintStream out) {
        int trials = flags.integer("trials", 1, 1000);
        int top = flags.integer("top", 1, 100);
        int fanOut = flags.integer("fan-out", 1, 100_000);
        int ports = flags.integer("ports", 1, 64);
        int probes = flags.integer("probes", 1, 100_000);
        long seed = flags.integer("seed");
        var fleet = new FleetSim(new FleetSim.Shape(2, 4, 5, 10, fanOut, ports, probes, 4, 0.0001));
        var localizer = new Localizer(TOPOLOGY);
        out.printf("bench localize: %,d hosts (2 regions x 4 pods x 5 racks x 10), fan-out %d, %d ports x %d probes per pair,"
                + " 4 ECMP links, 0.01%% background loss; %d trials per scenario, top %d%n", fleet.shape().size(), fanOut, ports,
                probes, trials, top);
        out.printf("%-30s %9s %7s %9s %7s %10s%n", "scenario", "precision", "recall", "reported", "truths", "no-fault");
        var total = new LocalizeScenarios.Score(0, 0, 0, 0, 0);
        var perScenario = new java.util.LinkedHashMap<String, LocalizeScenarios.Score>();
        for (int t = 0; t < trials; t++) {
            for (var scenario : LocalizeScenarios.of(fleet, seed + t)) {
                var score = LocalizeScenarios.run(fleet, localizer, scenario, seed * 1000 + t, top);
                perScenario.merge(scenario.name(), score, LocalizeScenarios.Score::plus);
            }
        }
        for (var e : perScenario.entrySet()) {
            print(out, e.getKey(), e.getValue());
            total = total.plus(e.getValue());
        }
        print(out, "overall", total);
        if (!flags.bool("no-timing")) {
            out.printf("%n%-8s %8s %9s %10s %9s %11s %9s%n", "hosts", "fan-out", "pairs", "median_ms", "min_ms", "cpu_med_ms", "suspects");
            time(out, localizer, new FleetSim.Shape(1, 2, 5, 10, 99, ports, probes, 4, 0.0001));
            time(out, localizer, new FleetSim.Shape(2, 5, 10, 10, 100, ports, probes, 4, 0.0001));
            time(out, localizer, new FleetSim.Shape(4, 5, 25, 20, 50, ports, probes, 4, 0.0001));
        }
        return 0;
    }

    private static void print(PrintStream out, String name, LocalizeScenarios.Score s) {
        out.printf("%-30s %9.3f %7.3f %9d %7d %10d%n", name, s.precision(), s.recall(), s.reported(), s.truths(), s.noFaultSuspects());
    }

    /**
     * The median of several timed calls on one interval with a dead host and a lossy pod uplink: wall
     * time and the calling thread's CPU time (what the call would take on an idle core).
     */
    private static void time(PrintStream out, Localizer localizer, FleetSim.Shape shape) {
        var fleet = new FleetSim(shape);
        var pairs = fleet.interval(List.of(Faults.deadHost(3), Faults.podUplink("pod1", 0.01)), 42);
        int reps = 7;
        double[] ms = new double[reps];
        double[] cpu = new double[reps];
        var threads = java.lang.management.ManagementFactory.getThreadMXBean();
        int suspects = 0;
        for (int i = 0; i < 3; i++) {
            localizer.localize(pairs); // warm-up
        }
        for (int i = 0; i < reps; i++) {
            long cpuStart = threads.getCurrentThreadCpuTime();
            long start = System.nanoTime();
            suspects = localizer.localize(pairs).size();
            ms[i] = (System.nanoTime() - start) / 1e6;
            cpu[i] = (threads.getCurrentThreadCpuTime() - cpuStart) / 1e6;
        }
        Arrays.sort(ms);
        Arrays.sort(cpu);
        out.printf("%-8d %8d %,9d %10.1f %9.1f %11.1f %9d%n", shape.size(), Math.min(shape.fanOut(), shape.size() - 1), pairs.size(),
                ms[reps / 2], ms[0], cpu[reps / 2], suspects);
    }
}
