package dev.llama.scraper;

import dev.llama.config.ConfigException;
import dev.llama.config.HostPort;
import dev.llama.config.Keys;
import io.vertx.core.json.JsonObject;
import java.net.URI;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * What a scraper pulls, where it writes, and how it holds points while InfluxDB is away.
 *
 * <p>Built from a JSON object (the {@code scraper} section of a node's YAML, or the original's flags
 * turned into one by the launcher); {@link #parse} names the key of the first problem. The password and
 * token never appear in {@link #toString()}.
 *
 * <p>{@code influxdb.api} is {@code v1} (InfluxDB 1.x {@code /write}, database, user and password),
 * {@code v2} (InfluxDB 2.x {@code /api/v2/write}, org, bucket and token) or {@code v3}: InfluxDB 3 takes
 * writes on the same {@code /api/v2/write} with a token, so {@code v3} writes exactly like {@code v2}
 * ({@link Api#V2}), except that {@code org} may be left out (InfluxDB 3 ignores it) and {@code bucket}
 * defaults to {@code database}. Any other value is refused.
 *
 * @param interval scrape period, seconds; scrapes run at wall-clock multiples of it plus {@link #scrapeOffsetMs()}
 * @param collectors collector APIs to pull {@code /influxdata} from
 * @param bus whether to also take summary sets straight from collectors on the event bus
 */
public record ScraperConfig(int interval, List<Endpoint> collectors, long collectorTimeoutMs, boolean bus,
                            Influx influx, Path queueDir, long queueMaxBytes, long retryMinMs, long retryMaxMs) {
    /** Where the original's scraper writes by default (its {@code -llama.influxdb-port} is 5086). */
    public static final int ORIGINAL_INFLUX_PORT = 5086;
    static final Set<String> KEYS = Set.of("interval", "collectors", "collector_port", "collector_timeout_ms", "bus",
            "influxdb", "queue", "retry");
    static final Set<String> INFLUX_KEYS = Set.of("url", "api", "database", "user", "password", "org", "bucket",
            "token", "create_database", "timeout_ms", "batch_points");

    /** A collector's API, {@code host:port}. */
    public record Endpoint(String host, int port) {
        String url(String path) {
            return "http://" + this + path;
        }

        @Override
        public String toString() {
            return new HostPort(host, port).toString();
        }
    }

    /** Which InfluxDB write API to use: 1.x {@code /write} or {@code /api/v2/write} (2.x, and 3.x for {@code api: v3}). */
    public enum Api { V1, V2 }

    /** An InfluxDB to write to. */
    public record Influx(URI url, Api api, String database, String user, String password, String org, String bucket,
                         String token, boolean createDatabase, long timeoutMs, int batchPoints) {
        @Override
        public String toString() {
            return api == Api.V1 ? url + " database " + database : url + " org " + org + " bucket " + bucket;
        }
    }

    /** Time after each interval boundary before a scrape, so collectors have finished their summary. */
    public long scrapeOffsetMs() {
        return Math.min(2000, interval * 1000L / 4);
    }

    /** Parses and validates; the exception message starts with the offending key. */
    public static ScraperConfig parse(JsonObject json) {
        var k = new Keys(json, "scraper.", KEYS);
        int interval = (int) k.integer("interval", 30, 1, 86_400);
        int collectorPort = (int) k.integer("collector_port", 5000, 1, 65_535);
        var collectors = endpoints(k.value("collectors"), collectorPort);
        long collectorTimeout = k.integer("collector_timeout_ms", Math.min(10_000, interval * 1000L), 100, 600_000);
        boolean bus = k.bool("bus", false);
        var influx = influx(k.section("influxdb", INFLUX_KEYS));
        var queue = k.section("queue", Set.of("dir", "max_mb"));
        String dir = queue.string("dir", "llama-queue");
        if (dir.isBlank()) {
            throw new ConfigException("scraper.queue.dir", "must name a directory");
        }
        long maxMb = queue.integer("max_mb", 512, 1, 1_048_576);
        var retry = k.section("retry", Set.of("min_ms", "max_ms"));
        long retryMin = retry.integer("min_ms", 1000, 10, 3_600_000);
        long retryMax = retry.integer("max_ms", 60_000, retryMin, 3_600_000);
        if (collectors.isEmpty() && !bus) {
            throw new ConfigException("scraper.collectors", "no collectors to scrape and bus is off: nothing to do");
        }
        return new ScraperConfig(interval, collectors, collectorTimeout, bus, influx, Path.of(dir), maxMb << 20,
                retryMin, retryMax);
    }

    private static Influx influx(Keys k) {
        String rawUrl = k.string("url", "http://127.0.0.1:" + ORIGINAL_INFLUX_PORT);
        URI url;
        try {
            url = URI.create(rawUrl.endsWith("/") ? rawUrl.substring(0, rawUrl.length() - 1) : rawUrl);
        } catch (IllegalArgumentException e) {
            throw new ConfigException(k.key("url"), "not a URL: " + rawUrl);
        }
        if (!"http".equals(url.getScheme()) && !"https".equals(url.getScheme()) || url.getHost() == null
                || url.getRawQuery() != null || url.getRawUserInfo() != null) {
            throw new ConfigException(k.key("url"), "expected http(s)://host:port[/path] without credentials or query, got " + rawUrl);
        }
        String apiName = k.string("api", "v1");
        boolean v3 = apiName.equals("v3") || apiName.equals("3");
        Api api = switch (apiName) {
            case "v1", "1" -> Api.V1;
            case "v2", "2", "v3", "3" -> Api.V2;
            default -> throw new ConfigException(k.key("api"), "expected v1 (InfluxDB 1.x /write), v2 (2.x /api/v2/write)"
                    + " or v3 (3.x, through its /api/v2/write), got " + apiName);
        };
        String database = k.string("database", "llama");
        String org = k.string("org", "");
        String bucket = k.string("bucket", v3 ? database : "");
        if (api == Api.V1 && database.isEmpty()) {
            throw new ConfigException(k.key("database"), "must not be empty with api v1");
        }
        if (api == Api.V2) {
            if (bucket.isEmpty()) {
                throw new ConfigException(k.key("bucket"), "must be set with api " + apiName);
            }
            if (org.isEmpty() && !v3) {
                throw new ConfigException(k.key("org"), "must be set with api v2");
            }
        }
        return new Influx(url, api, database, k.string("user", ""), k.string("password", ""), org, bucket,
                k.string("token", ""), k.bool("create_database", true), k.integer("timeout_ms", 10_000, 100, 600_000),
                (int) k.integer("batch_points", 5000, 1, 1_000_000));
    }

    /** Parses {@code host}, {@code host:port}, {@code [v6]:port} or a bare IPv6 address, from a list or a comma-separated string. */
    static List<Endpoint> endpoints(Object value, int defaultPort) {
        var out = new ArrayList<Endpoint>();
        for (String item : Keys.commaList("scraper.collectors", value, "host or host:port strings")) {
            var hp = HostPort.parse("scraper.collectors", item, defaultPort);
            if (hp.port() == 0) {
                throw new ConfigException("scraper.collectors", "bad port in \"" + item + "\"");
            }
            out.add(new Endpoint(hp.host(), hp.port()));
        }
        return List.copyOf(out);
    }
}
