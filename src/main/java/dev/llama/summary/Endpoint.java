package dev.llama.summary;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * One end of a pair as the matrix shows it: {@code name} and {@code tags} from the pair's
 * {@code side_name} and {@code side_<tag>} tags (what cluster nodes put there), the IP otherwise.
 */
public record Endpoint(String name, String ip, Map<String, String> tags) {
    static Endpoint of(String side, String ip, Map<String, String> pairTags) {
        String prefix = side + "_";
        var tags = new LinkedHashMap<String, String>();
        String name = null;
        for (var e : pairTags.entrySet()) {
            if (e.getKey().startsWith(prefix)) {
                String tag = e.getKey().substring(prefix.length());
                if (tag.equals("name")) {
                    name = e.getValue();
                } else {
                    tags.put(tag, e.getValue());
                }
            }
        }
        return new Endpoint(name != null ? name : ip, ip, java.util.Collections.unmodifiableMap(tags));
    }

    /** Whether {@code wanted} is this end's IP or name. */
    public boolean matches(String wanted) {
        return wanted.equals(ip) || wanted.equals(name);
    }

    /** The value of {@code name}, {@code ip} or a tag, or null. */
    public String attribute(String key) {
        return switch (key) {
            case "name" -> name;
            case "ip" -> ip;
            default -> tags.get(key);
        };
    }
}
