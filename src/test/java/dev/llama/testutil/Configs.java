package dev.llama.testutil;

import dev.llama.scraper.ScraperConfig;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.nio.file.Path;

/** Small full-format collector configurations for tests. */
public final class Configs {
    private Configs() {
    }

    /** One test probing {@code targets} ("ip:port" or "ip:port:tag=value") from {@code sockets} sockets. */
    public static JsonObject collector(int interval, int sockets, double cps, int timeoutMs, String... targets) {
        var list = new JsonArray();
        for (String t : targets) {
            String[] parts = t.split(":");
            var tags = new JsonObject();
            for (int i = 2; i < parts.length; i++) {
                String[] kv = parts[i].split("=", 2);
                tags.put(kv[0], kv[1]);
            }
            list.add(new JsonObject().put("ip", parts[0]).put("port", Integer.parseInt(parts[1])).put("tags", tags));
        }
        return new JsonObject()
                .put("summarization", new JsonObject().put("interval", interval).put("handlers", 2))
                .put("api", new JsonObject().put("bind", "127.0.0.1:0"))
                .put("ports", new JsonObject().put("default", new JsonObject()
                        .put("ip", "127.0.0.1").put("port", 0).put("tos", 0).put("timeout", timeoutMs)))
                .put("port_groups", new JsonObject().put("default", new JsonArray()
                        .add(new JsonObject().put("port", "default").put("count", sockets))))
                .put("rate_limits", new JsonObject().put("default", new JsonObject().put("cps", cps)))
                .put("tests", new JsonArray().add(new JsonObject()
                        .put("targets", "default").put("port_group", "default").put("rate_limit", "default")))
                .put("targets", new JsonObject().put("default", list));
    }

    /** A scraper pulling {@code collectors} every {@code interval} s into database {@code db}, retrying quickly. */
    public static ScraperConfig scraper(String influxUrl, String db, Path queue, int interval, String... collectors) {
        return ScraperConfig.parse(scraperJson(influxUrl, db, queue, interval, collectors));
    }

    public static JsonObject scraperJson(String influxUrl, String db, Path queue, int interval, String... collectors) {
        return new JsonObject()
                .put("interval", interval)
                .put("collectors", new JsonArray(java.util.List.of((Object[]) collectors)))
                .put("collector_timeout_ms", 2000)
                .put("influxdb", new JsonObject().put("url", influxUrl).put("database", db).put("timeout_ms", 3000))
                .put("queue", new JsonObject().put("dir", queue.toString()))
                .put("retry", new JsonObject().put("min_ms", 100).put("max_ms", 500));
    }
}
