package dev.llama.config;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * The {@code localize} section: {@code levels}, the topology hierarchy the fault localizer groups pairs
 * by, outermost first ({@code [region, pod, rack]}), each a node tag name. Absent: no levels, so only
 * hosts, paths and the whole network can be suspects.
 */
public final class LocalizeLevels {
    /** The keys of a {@code localize} section. */
    public static final Set<String> KEYS = Set.of("levels");
    /** More levels than this is a mistake, not a topology. */
    public static final int MAX_LEVELS = 8;
    private static final Pattern TAG = Pattern.compile("[A-Za-z0-9_]{1,64}");
    private static final Set<String> RESERVED = Set.of("name", "ip", "host");

    private LocalizeLevels() {
    }

    /** The levels of the top-level {@code localize} section of {@code top}; errors name the key. */
    public static List<String> parse(Keys top) {
        var section = top.section("localize", KEYS);
        String key = section.key("levels");
        var names = Keys.commaList(key, section.value("levels"), "tag names");
        if (names.size() > MAX_LEVELS) {
            throw new ConfigException(key, "at most " + MAX_LEVELS + " levels, got " + names.size());
        }
        var seen = new HashSet<String>();
        var out = new ArrayList<String>();
        for (String name : names) {
            if (!TAG.matcher(name).matches()) {
                throw new ConfigException(key, "a level is a tag name (letters, digits and _, at most 64), got \""
                        + printable(name) + "\"");
            }
            if (RESERVED.contains(name)) {
                throw new ConfigException(key, "\"" + name + "\" is not a tag (the host is implicit, below the last level)");
            }
            if (!seen.add(name)) {
                throw new ConfigException(key, "level \"" + name + "\" given twice");
            }
            out.add(name);
        }
        return List.copyOf(out);
    }

    private static String printable(String s) {
        var b = new StringBuilder();
        s.codePoints().limit(64).forEach(c -> b.append(c < 0x20 || c == 0x7f ? '?' : (char) c));
        return b + (s.length() > 64 ? "…" : "");
    }
}
