package dev.llama.scraper;

import dev.llama.config.ConfigException;
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
            return "http://" + (host.contains(":") ? "[" + host + "]" : host) + ":" + port + path;
        }

        @Override
        public String toString() {
            return (host.contains(":") ? "[" + host + "]" : host) + ":" + port;
        }
    }

    /** Which InfluxDB write API to use: 1.x {@code /write} or 2.x/3.x {@code /api/v2/write}. */
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
        var collectors = endpoints(json.getValue("collectors"), collectorPort);
        long collectorTimeout = k.integer("collector_timeout_ms", Math.min(10_000, interval * 1000L), 100, 600_000);
        boolean bus = k.bool("bus", false);
        var influx = influx(new Keys(k.object("influxdb"), "scraper.influxdb.", INFLUX_KEYS));
        var queue = new Keys(k.object("queue"), "scraper.queue.", Set.of("dir", "max_mb"));
        String dir = queue.string("dir", "llama-queue");
        if (dir.isBlank()) {
            throw new ConfigException("scraper.queue.dir", "must name a directory");
        }
        long maxMb = queue.integer("max_mb", 512, 1, 1_048_576);
        var retry = new Keys(k.object("retry"), "scraper.retry.", Set.of("min_ms", "max_ms"));
        long retryMin = retry.integer("min_ms", 1000, 10, 3_600_000);
        long retryMax = retry.integer("max_ms", 60_000, retryMin, 3_600_000);
        if (collectors.isEmpty() && !bus) {
            throw new ConfigException("scraper.collectors", "no collectors to scrape and bus is off: nothing to do");
        }
        return new ScraperConfig(interval, collectors, collectorTimeout, bus, influx, Path.of(dir), maxMb << 20,
                retryMin, retryMax);
    }

    private static Influx influx(Keys k) {
        String p = "scraper.influxdb.";
        String rawUrl = k.string("url", "http://127.0.0.1:" + ORIGINAL_INFLUX_PORT);
        URI url;
        try {
            url = URI.create(rawUrl.endsWith("/") ? rawUrl.substring(0, rawUrl.length() - 1) : rawUrl);
        } catch (IllegalArgumentException e) {
            throw new ConfigException(p + "url", "not a URL: " + rawUrl);
        }
        if (!"http".equals(url.getScheme()) && !"https".equals(url.getScheme()) || url.getHost() == null
                || url.getRawQuery() != null || url.getRawUserInfo() != null) {
            throw new ConfigException(p + "url", "expected http(s)://host:port[/path] without credentials or query, got " + rawUrl);
        }
        String apiName = k.string("api", "v1");
        Api api = switch (apiName) {
            case "v1", "1" -> Api.V1;
            case "v2", "2", "v3", "3" -> Api.V2;
            default -> throw new ConfigException(p + "api", "expected v1 (InfluxDB 1.x /write) or v2 (2.x/3.x /api/v2/write), got " + apiName);
        };
        String database = k.string("database", "llama");
        String org = k.string("org", "");
        String bucket = k.string("bucket", "");
        if (api == Api.V1 && database.isEmpty()) {
            throw new ConfigException(p + "database", "must not be empty with api v1");
        }
        if (api == Api.V2) {
            if (bucket.isEmpty()) {
                throw new ConfigException(p + "bucket", "must be set with api v2");
            }
            if (org.isEmpty()) {
                throw new ConfigException(p + "org", "must be set with api v2");
            }
        }
        return new Influx(url, api, database, k.string("user", ""), k.string("password", ""), org, bucket,
                k.string("token", ""), k.bool("create_database", true), k.integer("timeout_ms", 10_000, 100, 600_000),
                (int) k.integer("batch_points", 5000, 1, 1_000_000));
    }

    /** Parses {@code host}, {@code host:port}, {@code [v6]:port} or a bare IPv6 address, from a list or a comma-separated string. */
    static List<Endpoint> endpoints(Object value, int defaultPort) {
        var items = Keys.commaList("scraper.collectors", value, "host or host:port strings");
        var out = new ArrayList<Endpoint>();
        for (String item : items) {
            String host = item;
            int port = defaultPort;
            if (item.startsWith("[")) {
                int close = item.indexOf(']');
                if (close < 0 || close + 1 < item.length() && item.charAt(close + 1) != ':') {
                    throw new ConfigException("scraper.collectors", "cannot read \"" + item + "\"");
                }
                host = item.substring(1, close);
                if (close + 1 < item.length()) {
                    port = port(item.substring(close + 2), item);
                }
            } else if (item.indexOf(':') >= 0 && item.indexOf(':') == item.lastIndexOf(':')) {
                host = item.substring(0, item.indexOf(':'));
                port = port(item.substring(item.indexOf(':') + 1), item);
            }
            if (host.isEmpty() || host.chars().anyMatch(c -> c <= ' ' || c == '/' || c == '?' || c == '#' || c == '@')) {
                throw new ConfigException("scraper.collectors", "not a host name or address: \"" + item + "\"");
            }
            out.add(new Endpoint(host, port));
        }
        return List.copyOf(out);
    }

    private static int port(String s, String item) {
        try {
            int port = Integer.parseInt(s);
            if (port >= 1 && port <= 65_535) {
                return port;
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        throw new ConfigException("scraper.collectors", "bad port in \"" + item + "\"");
    }
}
