package dev.llama.collector;

import dev.llama.config.ConfigException;
import dev.llama.config.YamlFile;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import java.util.Objects;

/**
 * The collector's YAML file: read and parsed on request, and checked for changes by content, so a file
 * that stays broken is reported once per change instead of on every scan.
 */
final class ConfigFile {
    private final Vertx vertx;
    private final String path;
    /** The content last seen (a {@link Buffer}), or why it could not be read (a String). */
    private Object seen;

    ConfigFile(Vertx vertx, String path) {
        this.vertx = vertx;
        this.path = path;
    }

    /** Reads and parses the file; fails with a one-line {@link ConfigException}. */
    Future<JsonObject> read() {
        return vertx.fileSystem().readFile(path).transform(ar -> {
            if (ar.failed()) {
                seen = ar.cause().toString();
                return Future.failedFuture(new ConfigException(path, "cannot read: " + firstLine(ar.cause())));
            }
            var content = ar.result();
            seen = content;
            return vertx.executeBlocking(() -> {
                return YamlFile.parse(path, content.toString());
            }, false);
        });
    }

    /** Whether the content (or the reason it cannot be read) differs from what was last seen. */
    Future<Boolean> changed() {
        return vertx.fileSystem().readFile(path).transform(ar -> {
            Object now = ar.succeeded() ? ar.result() : ar.cause().toString();
            boolean changed = !Objects.equals(now, seen);
            seen = now;
            return Future.succeededFuture(changed);
        });
    }

    static String firstLine(Throwable err) {
        String message = err.getMessage() == null ? err.toString() : err.getMessage();
        int nl = message.indexOf('\n');
        return nl < 0 ? message : message.substring(0, nl).strip() + " …";
    }
}
