package dev.llama.config;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Date;
import java.util.List;
import java.util.Map;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;
import org.yaml.snakeyaml.error.Mark;
import org.yaml.snakeyaml.error.MarkedYAMLException;
import org.yaml.snakeyaml.error.YAMLException;

/**
 * Reads a YAML configuration into JSON the way vertx-config's YAML store does (string keys, dates as
 * instants), but stricter: a duplicate key is an error, and every error names the file, and the line
 * and column where it has one; an empty file is an error too.
 */
public final class YamlFile {
    private YamlFile() {
    }

    /** The file's top-level mapping; every problem a {@link ConfigException} whose source is {@code path}. */
    public static JsonObject read(Path path) {
        String text;
        try {
            text = Files.readString(path, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw ConfigException.of(path.toString(), "cannot read: " + e);
        }
        return parse(path.toString(), text);
    }

    /** A YAML classpath resource's top-level mapping. */
    public static JsonObject resource(String resource) {
        try (InputStream in = YamlFile.class.getResourceAsStream(resource)) {
            if (in == null) {
                throw new IllegalStateException("missing resource " + resource);
            }
            return parse(resource, new String(in.readAllBytes(), StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Parses {@code text}, naming {@code source} in errors. */
    public static JsonObject parse(String source, String text) {
        var options = new LoaderOptions();
        options.setAllowDuplicateKeys(false);
        Object doc;
        try {
            doc = new Yaml(new SafeConstructor(options)).load(text);
        } catch (MarkedYAMLException e) {
            Mark mark = e.getProblemMark() != null ? e.getProblemMark() : e.getContextMark();
            String where = mark == null ? null : "line " + (mark.getLine() + 1) + ", column " + (mark.getColumn() + 1);
            String problem = e.getProblem() != null ? e.getProblem() : e.getMessage();
            if (problem.startsWith("found duplicate key ")) {
                problem = "duplicate key \"" + problem.substring("found duplicate key ".length()) + "\"";
            } else if (e.getContext() != null && e.getContextMark() != null && e.getContextMark() != mark) {
                problem = problem + " (" + e.getContext() + " from line " + (e.getContextMark().getLine() + 1) + ")";
            }
            throw where == null ? ConfigException.of(source, problem) : ConfigException.of(source, where + ": " + problem);
        } catch (YAMLException e) {
            throw ConfigException.of(source, "not YAML: " + e.getMessage());
        }
        if (doc == null) {
            throw ConfigException.of(source, "the file is empty");
        }
        if (!(doc instanceof Map<?, ?> map)) {
            throw ConfigException.of(source, "expected a mapping of keys at the top, got " + (doc instanceof List ? "a list" : "\"" + doc + "\""));
        }
        return object(map);
    }

    private static JsonObject object(Map<?, ?> map) {
        var out = new JsonObject();
        map.forEach((k, v) -> out.put(String.valueOf(k), json(v)));
        return out;
    }

    private static Object json(Object v) {
        if (v instanceof Map<?, ?> m) {
            return object(m);
        }
        if (v instanceof List<?> l) {
            var out = new JsonArray();
            l.forEach(e -> out.add(json(e)));
            return out;
        }
        if (v instanceof Date d) {
            return d.toInstant();
        }
        return v;
    }
}
