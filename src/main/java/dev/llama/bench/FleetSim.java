package dev.llama.bench;

import dev.llama.summary.PairSummary;
import dev.llama.summary.PortSummary;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * A synthetic fleet for the localizer: regions × pods × racks × hosts, each host probing {@code fanOut}
 * others (all of them when {@code fanOut} reaches the fleet) from {@code ports} source ports, each
 * (pair, port) hashed onto one of {@code ecmp} links out of and into every rack in each direction.
 * One interval's outcomes are drawn binomially from each path's survival probability: background
 * loss on every traversal times whatever the injected faults take.
 */
public final class FleetSim {
    /** The fleet's shape and probe counts. */
    public record Shape(int regions, int pods, int racks, int hosts, int fanOut, int ports, int probesPerPort, int ecmp,
            double background) {
        public int size() {
            return regions * pods * racks * hosts;
        }
    }

    /** What a fault does to one probe path: the fraction of its probes that survive. */
    public interface Fault {
        /** Survival of (src, dst, path) where {@code fwd} and {@code rev} are the ECMP links the probe and reply take. */
        double survival(FleetSim fleet, int src, int dst, int fwd, int rev);

        /** Whether the source's collector is down, so its row is not reported at all. */
        default boolean silences(int src) {
            return false;
        }
    }

    private final Shape shape;

    public FleetSim(Shape shape) {
        this.shape = shape;
    }

    public Shape shape() {
        return shape;
    }

    public String name(int host) {
        return "h" + host;
    }

    public String ip(int host) {
        return "10." + (host >> 16 & 255) + "." + (host >> 8 & 255) + "." + (host & 255);
    }

    public String rack(int host) {
        return "rack" + (host / shape.hosts());
    }

    public String pod(int host) {
        return "pod" + (host / (shape.hosts() * shape.racks()));
    }

    public String region(int host) {
        return "region" + (host / (shape.hosts() * shape.racks() * shape.pods()));
    }

    /** One interval's pairs with every fault applied, drawn from {@code seed}. */
    public List<PairSummary> interval(List<Fault> faults, long seed) {
        var random = new SplittableRandom(seed);
        var targets = new SplittableRandom(shape.size() * 31L + 7);
        int n = shape.size();
        var pairs = new ArrayList<PairSummary>(n * Math.min(shape.fanOut(), n - 1));
        var tags = new ArrayList<Map<String, String>>();
        for (int h = 0; h < n; h++) {
            tags.add(Map.of("name", name(h), "region", region(h), "pod", pod(h), "rack", rack(h)));
        }
        for (int src = 0; src < n; src++) {
            int[] dsts = targets(src, targets);
            if (silenced(faults, src)) {
                continue;
            }
            for (int dst : dsts) {
                pairs.add(pair(src, dst, faults, random, tags));
            }
        }
        return pairs;
    }

    private static boolean silenced(List<Fault> faults, int src) {
        return faults.stream().anyMatch(f -> f.silences(src));
    }

    private int[] targets(int src, SplittableRandom random) {
        int n = shape.size();
        if (shape.fanOut() >= n - 1) {
            int[] all = new int[n - 1];
            for (int i = 0, d = 0; d < n; d++) {
                if (d != src) {
                    all[i++] = d;
                }
            }
            return all;
        }
        var chosen = new java.util.LinkedHashSet<Integer>();
        while (chosen.size() < shape.fanOut()) {
            int d = random.nextInt(n);
            if (d != src) {
                chosen.add(d);
            }
        }
        return chosen.stream().mapToInt(Integer::intValue).toArray();
    }

    private PairSummary pair(int src, int dst, List<Fault> faults, SplittableRandom random, List<Map<String, String>> tags) {
        var ports = new ArrayList<PortSummary>(shape.ports());
        long sent = 0, lost = 0;
        double keep = Math.pow(1 - shape.background(), 2);
        for (int i = 0; i < shape.ports(); i++) {
            int srcPort = 40000 + i;
            int fwd = link(src, dst, srcPort, 0);
            int rev = link(src, dst, srcPort, 1);
            double survival = keep;
            for (var fault : faults) {
                survival *= fault.survival(this, src, dst, fwd, rev);
            }
            int n = shape.probesPerPort();
            int l = binomial(random, n, 1 - survival);
            sent += n;
            lost += l;
            ports.add(new PortSummary(srcPort, 8100, n, l, 100.0 * l / n, l == n ? Double.NaN : 0.25, l == n ? Double.NaN : 0.2,
                    l == n ? Double.NaN : 0.4));
        }
        var pairTags = new LinkedHashMap<String, String>();
        tags.get(src).forEach((k, v) -> pairTags.put("src_" + k, v));
        tags.get(dst).forEach((k, v) -> pairTags.put("dst_" + k, v));
        boolean answered = lost < sent;
        double rtt = answered ? 0.25 : Double.NaN;
        return new PairSummary(ip(src), ip(dst), pairTags, sent, lost, 100.0 * lost / sent, rtt, rtt, rtt, rtt, rtt, rtt,
                answered ? 0.01 : Double.NaN, answered ? 0.01 : Double.NaN, 0, 0, ports);
    }

    /** The ECMP link a (pair, port) takes in one direction, as a switch's hash would pick it. */
    int link(int src, int dst, int srcPort, int direction) {
        long x = src * 0x9E3779B97F4A7C15L ^ dst * 0xC2B2AE3D27D4EB4FL ^ srcPort * 0x165667B19E3779F9L ^ direction;
        x = (x ^ x >>> 30) * 0xBF58476D1CE4E5B9L;
        x = (x ^ x >>> 27) * 0x94D049BB133111EBL;
        x ^= x >>> 31;
        return (int) Math.floorMod(x, (long) shape.ecmp());
    }

    /** Binomial(n, p) by inversion, O(n·p) for the small p of loss; symmetric for large p. */
    static int binomial(SplittableRandom random, int n, double p) {
        if (p <= 0) {
            return 0;
        }
        if (p >= 1) {
            return n;
        }
        if (p > 0.5) {
            return n - binomial(random, n, 1 - p);
        }
        double u = random.nextDouble();
        double pk = Math.pow(1 - p, n);
        double cdf = pk;
        int k = 0;
        while (u > cdf && k < n) {
            k++;
            pk *= (double) (n - k + 1) / k * p / (1 - p);
            cdf += pk;
        }
        return k;
    }
}
