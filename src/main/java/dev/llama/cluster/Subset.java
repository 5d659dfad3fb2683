package dev.llama.cluster;

import dev.llama.config.ConfigException;
import dev.llama.config.Keys;
import dev.llama.registry.NodeInfo;
import io.vertx.core.json.JsonObject;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Which reflectors a collector probes when a full mesh would be too many probes.
 *
 * <p>With a fan-out of {@code k}, collectors sit on a hash ring (SHA-256 of the node name), and each
 * reflector is probed by the {@code k} collectors that follow its own position on the ring, skipping
 * its own node. Every collector computes the same answer from the same registry, every reflector is
 * probed by {@code min(k, collectors - 1)} collectors (plain rendezvous hashing per collector cannot
 * promise that every reflector is probed at all), and a node joining or leaving moves only its
 * neighbours' work. Rules add reflectors whatever the fan-out: {@code same: [region]} picks every
 * reflector whose {@code region} tag equals the collector's, {@code match: {service: web}} every
 * reflector with those tags.
 */
public final class Subset {
    private Subset() {
    }

    /** A tag rule; both parts must hold when both are given. */
    public record Rule(List<String> same, Map<String, String> match) {
        static Rule parse(String key, Object value) {
            if (!(value instanceof JsonObject json)) {
                throw new ConfigException(key, "expected a map with same: [tags] and/or match: {tag: value}");
            }
            var k = new Keys(json, key + ".", Set.of("same", "match"));
            var same = new ArrayList<String>();
            for (Object o : k.list("same")) {
                if (!(o instanceof String s) || !NodeConfig.TAG_NAME.matcher(s).matches()) {
                    throw new ConfigException(key + ".same", "expected tag names, got " + o);
                }
                same.add(s);
            }
            var match = new LinkedHashMap<String, String>();
            for (var e : k.object("match")) {
                if (!(e.getValue() instanceof String s)) {
                    throw new ConfigException(key + ".match." + e.getKey(), "expected a string");
                }
                match.put(e.getKey(), s);
            }
            if (same.isEmpty() && match.isEmpty()) {
                throw new ConfigException(key, "a rule needs same or match");
            }
            return new Rule(List.copyOf(same), Map.copyOf(match));
        }

        /** Whether a reflector with {@code theirs} tags is picked by a collector with {@code mine}. */
        public boolean selects(Map<String, String> mine, Map<String, String> theirs) {
            for (String tag : same) {
                if (mine.get(tag) == null || !mine.get(tag).equals(theirs.get(tag))) {
                    return false;
                }
            }
            for (var e : match.entrySet()) {
                if (!e.getValue().equals(theirs.get(e.getKey()))) {
                    return false;
                }
            }
            return true;
        }
    }

    /**
     * The reflectors {@code me} probes, in the order given.
     *
     * @param collectors names of the collectors that share the work (including {@code me})
     */
    public static List<NodeInfo> choose(NodeInfo me, List<String> collectors, List<NodeInfo> reflectors, int fanOut,
                                        List<Rule> rules, boolean includeSelf) {
        var chosen = new LinkedHashSet<NodeInfo>();
        List<String> ring = collectors.stream().distinct().sorted(Comparator.comparing(Subset::position, Long::compareUnsigned)
                .thenComparing(Comparator.naturalOrder())).toList();
        for (NodeInfo reflector : reflectors) {
            boolean self = reflector.name().equals(me.name());
            if (self) {
                if (includeSelf) {
                    chosen.add(reflector);
                }
                continue;
            }
            if (fanOut == 0 || probers(reflector.name(), ring, fanOut).contains(me.name())
                    || rules.stream().anyMatch(r -> r.selects(me.tags(), reflector.tags()))) {
                chosen.add(reflector);
            }
        }
        return List.copyOf(chosen);
    }

    /** The {@code k} collectors after {@code reflector}'s position on the ring, not counting its own node. */
    static List<String> probers(String reflector, List<String> ring, int k) {
        var out = new ArrayList<String>();
        if (ring.isEmpty()) {
            return out;
        }
        long pos = position(reflector);
        int start = 0;
        while (start < ring.size() && Long.compareUnsigned(position(ring.get(start)), pos) <= 0) {
            start++;
        }
        for (int i = 0; i < ring.size() && out.size() < k; i++) {
            String c = ring.get((start + i) % ring.size());
            if (!c.equals(reflector)) {
                out.add(c);
            }
        }
        return out;
    }

    /** A name's place on the ring: the first 8 bytes of its SHA-256. */
    static long position(String name) {
        try {
            byte[] d = MessageDigest.getInstance("SHA-256").digest(name.getBytes(StandardCharsets.UTF_8));
            long v = 0;
            for (int i = 0; i < 8; i++) {
                v = v << 8 | (d[i] & 0xff);
            }
            return v;
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
