package dev.llama.config;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

/**
 * Typed reads from one section of a JSON configuration, each failure a {@link ConfigException} that
 * names the full key ({@code prefix + key}).
 */
public final class Keys {
    private final JsonObject json;
    private final String prefix;

    /** Reads {@code json}, whose keys are reported as {@code prefix + key}, refusing keys not in {@code known}. */
    public Keys(JsonObject json, String prefix, Set<String> known) {
        this.json = json == null ? new JsonObject() : json;
        this.prefix = prefix;
        for (String key : this.json.fieldNames()) {
            if (!known.contains(key)) {
                throw new ConfigException(prefix + key, "unknown key (known: " + String.join(", ", new TreeSet<>(known)) + ")");
            }
        }
    }

    public String key(String key) {
        return prefix + key;
    }

    public boolean has(String key) {
        return json.getValue(key) != null;
    }

    public String string(String key, String def) {
        Object v = json.getValue(key);
        if (v == null) {
            return def;
        }
        if (!(v instanceof String s)) {
            throw new ConfigException(prefix + key, "expected a string, got " + v);
        }
        return s;
    }

    public long integer(String key, long def, long min, long max) {
        Object v = json.getValue(key);
        if (v == null) {
            return def;
        }
        if (!(v instanceof Integer || v instanceof Long)) {
            throw new ConfigException(prefix + key, "expected a whole number, got " + v);
        }
        long n = ((Number) v).longValue();
        if (n < min || n > max) {
            throw new ConfigException(prefix + key, "must be between " + min + " and " + max + ", got " + n);
        }
        return n;
    }

    public double number(String key, double def, double minExclusive, double max) {
        Object v = json.getValue(key);
        if (v == null) {
            return def;
        }
        if (!(v instanceof Number n) || !(n.doubleValue() > minExclusive) || n.doubleValue() > max) {
            throw new ConfigException(prefix + key, "must be a number above " + minExclusive + " and at most " + max + ", got " + v);
        }
        return n.doubleValue();
    }

    public boolean bool(String key, boolean def) {
        Object v = json.getValue(key);
        if (v == null) {
            return def;
        }
        if (!(v instanceof Boolean b)) {
            throw new ConfigException(prefix + key, "expected true or false, got " + v);
        }
        return b;
    }

    /** A sub-map, empty when absent. */
    public JsonObject object(String key) {
        Object v = json.getValue(key);
        if (v == null) {
            return new JsonObject();
        }
        if (!(v instanceof JsonObject o)) {
            throw new ConfigException(prefix + key, "expected a map");
        }
        return o;
    }

    /** A list, empty when absent. */
    public JsonArray list(String key) {
        Object v = json.getValue(key);
        if (v == null) {
            return new JsonArray();
        }
        if (!(v instanceof JsonArray a)) {
            throw new ConfigException(prefix + key, "expected a list");
        }
        return a;
    }

    /**
     * The entries of a list, or of a comma-separated string (as flags give them), trimmed, blanks
     * skipped; {@code entries} says what they should be, for the error message.
     */
    public static List<String> commaList(String key, Object value, String entries) {
        var out = new ArrayList<String>();
        if (value instanceof String s) {
            for (String part : s.split(",")) {
                if (!part.isBlank()) {
                    out.add(part.trim());
                }
            }
        } else if (value instanceof JsonArray a) {
            for (Object o : a) {
                if (!(o instanceof String s) || s.isBlank()) {
                    throw new ConfigException(key, "entries must be " + entries + ", got " + o);
                }
                out.add(s.trim());
            }
        } else if (value != null) {
            throw new ConfigException(key, "expected a list or a comma-separated string of " + entries);
        }
        return out;
    }
}
