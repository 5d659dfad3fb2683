package dev.llama.config;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

/**
 * Typed reads from one mapping of a JSON configuration, the only way the configurations read values:
 * each failure is a {@link ConfigException} that names the full key path ({@code prefix + key}).
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

    /** Reads {@code value}, found at {@code key}, which must be a mapping with keys among {@code known}. */
    public static Keys of(String key, Object value, Set<String> known) {
        if (!(value instanceof JsonObject o)) {
            throw new ConfigException(key, "expected a mapping, got " + value);
        }
        return new Keys(o, key + ".", known);
    }

    /** The mapping at {@code key} (empty when absent), its keys among {@code known}. */
    public Keys section(String key, Set<String> known) {
        return new Keys(object(key), prefix + key + ".", known);
    }

    /** The full path of {@code key}. */
    public String key(String key) {
        return prefix + key;
    }

    public boolean has(String key) {
        return json.getValue(key) != null;
    }

    /** The raw value, null when absent. */
    public Object value(String key) {
        return json.getValue(key);
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

    /** A required non-empty string, such as the name of another entry. */
    public String name(String key) {
        Object v = json.getValue(key);
        if (!(v instanceof String s) || s.isEmpty()) {
            throw new ConfigException(prefix + key, "expected a name, got " + v);
        }
        return s;
    }

    public long integer(String key, long def, long min, long max) {
        Object v = json.getValue(key);
        if (v == null) {
            return def;
        }
        if (!(v instanceof Integer || v instanceof Long) || ((Number) v).longValue() < min || ((Number) v).longValue() > max) {
            throw new ConfigException(prefix + key, "must be an integer from " + min + " to " + max + ", got " + v);
        }
        return ((Number) v).longValue();
    }

    /** A number above {@code minExclusive} and at most {@code max}, {@code def} when absent. */
    public double number(String key, double def, double minExclusive, double max) {
        return has(key) ? number(key, minExclusive, max) : def;
    }

    /** A required number above {@code minExclusive} and at most {@code max}. */
    public double number(String key, double minExclusive, double max) {
        Object v = json.getValue(key);
        if (!(v instanceof Number n) || !(n.doubleValue() > minExclusive) || n.doubleValue() > max) {
            throw new ConfigException(prefix + key, "must be a number above " + plain(minExclusive) + " and at most " + plain(max) + ", got " + v);
        }
        return n.doubleValue();
    }

    private static String plain(double d) {
        return d == Math.rint(d) ? Long.toString((long) d) : Double.toString(d);
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

    /** An IP address literal (never a DNS lookup). */
    public InetAddress ip(String key, String def) {
        return IpLiteral.require(prefix + key, json.getValue(key, def));
    }

    /** An {@code IP:PORT} address, see {@link HostPort#address}. */
    public InetSocketAddress address(String key, String def) {
        return HostPort.address(prefix + key, string(key, def));
    }

    /** A sub-map, empty when absent. */
    public JsonObject object(String key) {
        Object v = json.getValue(key);
        if (v == null) {
            return new JsonObject();
        }
        if (!(v instanceof JsonObject o)) {
            throw new ConfigException(prefix + key, "expected a mapping, got " + v);
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
            throw new ConfigException(prefix + key, "expected a list, got " + v);
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
