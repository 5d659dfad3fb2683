package dev.llama.cluster;

import dev.llama.config.ConfigException;
import dev.llama.config.YamlFile;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.Json;
import io.vertx.core.json.JsonObject;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.Set;

/**
 * A node's configuration as read: the YAML file, then environment variables
 * {@code LLAMA_<SECTION>__<KEY>}, then system properties {@code llama.<section>.<key>}, each layer
 * overriding the one before (deep merge). It remembers which variable set which key, so that
 * {@link #parse} blames a bad value on the variable that gave it rather than on the file.
 *
 * @param file    the YAML file
 * @param json    the merged configuration; the launcher may still add secrets to it
 * @param origins key path ({@code reflector.port}) to the variable or property that set it
 */
public record NodeSource(String file, JsonObject json, Map<String, String> origins) {
    /** Environment variables {@code LLAMA_<SECTION>__<KEY>} override keys; {@code __} separates levels. */
    public static final String ENV_PREFIX = "LLAMA_";
    /** System properties {@code llama.<section>.<key>} override keys. */
    public static final String SYS_PREFIX = "llama.";
    private static final Set<String> SECTIONS = Set.of("node", "roles", "cluster", "reflector", "collector", "api", "scraper", "localize");

    /**
     * Reads {@code path} with its overrides.
     *
     * @throws ConfigException naming the file (and the line of a YAML error)
     */
    public static NodeSource read(String path, Map<String, String> env, Properties sys) {
        var json = YamlFile.read(Path.of(path));
        var origins = new LinkedHashMap<String, String>();
        var fromEnv = new JsonObject();
        env.forEach((name, value) -> {
            if (name.startsWith(ENV_PREFIX)) {
                var keys = List.of(name.substring(ENV_PREFIX.length()).toLowerCase(Locale.ROOT).split("__"));
                if (SECTIONS.contains(keys.get(0))) {
                    put(fromEnv, keys, value);
                    origins.put(String.join(".", keys), "environment variable " + name);
                }
            }
        });
        var fromSys = new JsonObject();
        for (String name : sys.stringPropertyNames()) {
            if (name.startsWith(SYS_PREFIX)) {
                var keys = List.of(name.substring(SYS_PREFIX.length()).split("\\."));
                if (SECTIONS.contains(keys.get(0))) {
                    put(fromSys, keys, sys.getProperty(name));
                    origins.put(String.join(".", keys), "system property " + name);
                }
            }
        }
        return new NodeSource(path, json.mergeIn(fromEnv, true).mergeIn(fromSys, true), Map.copyOf(origins));
    }

    /**
     * Validates the configuration.
     *
     * @param rolesOverride the {@code --roles} flag, or null
     * @throws ConfigException whose source is the variable that set the offending key, else the file
     */
    public NodeConfig parse(String rolesOverride) {
        try {
            return NodeConfig.parse(json, rolesOverride);
        } catch (ConfigException e) {
            if (e.key() != null && e.key().startsWith("-")) {
                throw e;
            }
            throw e.from(originOf(e.key()));
        }
    }

    /** The variable that set {@code key} or a section above it, else the file. */
    String originOf(String key) {
        String best = null;
        for (String k : origins.keySet()) {
            boolean covers = key != null && (key.equals(k) || key.startsWith(k + ".") || key.startsWith(k + "["));
            if (covers && (best == null || k.length() > best.length())) {
                best = k;
            }
        }
        return best == null ? file : origins.get(best) + " (over " + file + ")";
    }

    private static void put(JsonObject root, List<String> path, String raw) {
        var at = root;
        for (String key : path.subList(0, path.size() - 1)) {
            if (!(at.getValue(key) instanceof JsonObject)) {
                at.put(key, new JsonObject());
            }
            at = at.getJsonObject(key);
        }
        at.put(path.get(path.size() - 1), scalar(raw));
    }

    /** A number, boolean, list or map when the text is one in JSON; otherwise the text. */
    private static Object scalar(String raw) {
        try {
            Object v = Json.decodeValue(raw);
            return v != null ? v : raw;
        } catch (DecodeException e) {
            return raw;
        }
    }
}
