package dev.llama.cli;

import dev.llama.api.ApiVerticle;
import dev.llama.cluster.NodeConfig;
import dev.llama.config.ConfigException;
import dev.llama.config.Flags;
import dev.llama.config.HostPort;
import dev.llama.config.IpLiteral;
import dev.llama.config.UsageException;
import dev.llama.config.YamlFile;
import dev.llama.node.Roles;
import dev.llama.reflector.ReflectorOptions;
import dev.llama.scraper.ScraperConfig;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.net.InetSocketAddress;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code llama demo}: in one JVM, reflectors on 127.0.0.1-3, three collectors ("sites") probing them and
 * 127.0.0.4, the API and page, and a scraper writing to a local InfluxDB when one answers.
 */
final class Demo {
    private static final Logger log = LoggerFactory.getLogger(Demo.class);

    private Demo() {
    }

    static Flags flags() {
        return new Flags("demo", "One JVM: reflectors on 127.0.0.1, .2 and .3; collectors on the same three addresses\n"
                + "(sites lon-1, fra-1, nyc-1) probing them and 127.0.0.4, where nothing answers; the API and page.")
                .string("api", "127.0.0.1:5000", "where the API listens")
                .integer("port", ReflectorOptions.DEFAULT_PORT, "UDP port of the demo reflectors")
                .integer("interval", 10, "summary interval, seconds")
                .string("influxdb", "http://127.0.0.1:8086", "InfluxDB 1.x the demo's scraper writes to (database llama)")
                .string("queue-dir", "llama-queue", "the scraper's disk queue");
    }

    /** Deploys the demo's roles on {@code vertx}; a bad flag value throws {@link UsageException}. */
    static Future<Void> deploy(Vertx vertx, Flags flags) {
        InetSocketAddress api;
        try {
            api = HostPort.address("-api", flags.string("api"));
        } catch (ConfigException e) {
            throw new UsageException("invalid value \"" + flags.string("api") + "\" for flag -api: expected IP:PORT");
        }
        int port = flags.integer("port", 1, 65535);
        int interval = flags.integer("interval", 1, 3600);
        var config = YamlFile.resource("/llama/demo-collector.yaml");
        config.getJsonObject("summarization").put("interval", interval);
        config.getJsonObject("api").put("bind", api.getAddress().getHostAddress() + ":" + api.getPort());
        for (Object t : config.getJsonObject("targets").getJsonArray("demo", new JsonArray())) {
            ((JsonObject) t).put("port", port);
        }
        ScraperConfig scraper;
        try {
            scraper = ScraperConfig.parse(new JsonObject()
                    .put("interval", interval)
                    .put("bus", true)
                    .put("influxdb", new JsonObject().put("url", flags.string("influxdb")).put("database", "llama"))
                    .put("queue", new JsonObject().put("dir", flags.string("queue-dir")))
                    .put("retry", new JsonObject().put("max_ms", 30_000)));
        } catch (ConfigException e) {
            throw new UsageException(e.getMessage());
        }
        var roles = new Roles(vertx);
        for (int i = 1; i <= 3; i++) {
            roles.reflector(new ReflectorOptions(IpLiteral.parse("127.0.0." + i), port, ReflectorOptions.DEFAULT_MAX_PPS));
        }
        for (var site : DEMO_SITES) {
            roles.collector(demoSite(config, site), NodeConfig.hostName() + "/" + site[1]);
        }
        return roles.then(() -> new ApiVerticle(api)).scraper(scraper).deployed()
                .onSuccess(v -> log.info("demo running: open http://{}:{}/ for the matrix (also /influxdata, /api/v1/summaries, /metrics);"
                                + " first summary within {} s,"
                                + " written to InfluxDB {} when it answers", api.getAddress().getHostAddress(), api.getPort(), interval,
                        scraper.influx()))
                .mapEmpty();
    }

    /** The demo's probing sites: source address, name, region. */
    private static final String[][] DEMO_SITES = {{"127.0.0.1", "lon-1", "eu"}, {"127.0.0.2", "fra-1", "eu"}, {"127.0.0.3", "nyc-1", "us"}};

    /** The demo collector's config as one site runs it: its own source address and src_* tags on every target. */
    private static JsonObject demoSite(JsonObject template, String[] site) {
        var config = template.copy();
        config.getJsonObject("ports").getJsonObject("default").put("ip", site[0]);
        for (Object t : config.getJsonObject("targets").getJsonArray("demo")) {
            ((JsonObject) t).getJsonObject("tags").put("src_name", site[1]).put("src_region", site[2]);
        }
        return config;
    }

}
