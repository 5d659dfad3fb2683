package dev.llama.cli;

import dev.llama.api.ApiVerticle;
import dev.llama.bench.LocalizeBench;
import dev.llama.bench.ScraperBench;
import dev.llama.cluster.Certs;
import dev.llama.cluster.NodeConfig;
import dev.llama.cluster.NodeSource;
import dev.llama.collector.CollectorOptions;
import dev.llama.collector.CollectorVerticle;
import dev.llama.config.ConfigException;
import dev.llama.config.ConfigParser;
import dev.llama.config.Flags;
import dev.llama.config.HostPort;
import dev.llama.config.UsageException;
import dev.llama.config.YamlFile;
import dev.llama.metrics.LlamaMetrics;
import dev.llama.node.Node;
import dev.llama.node.Roles;
import dev.llama.reflector.ReflectorOptions;
import dev.llama.reflector.ReflectorVerticle;
import dev.llama.reflector.StampOptions;
import dev.llama.reflector.StampReflectorVerticle;
import dev.llama.scraper.ScraperConfig;
import dev.llama.scraper.ScraperVerticle;
import dev.llama.summary.Addresses;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.PrintStream;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Parses a command line and deploys the verticles it asks for. Exit codes: 0 for help, 2 for a bad
 * command line, 1 when the roles cannot start; otherwise the process keeps running until signalled.
 */
public final class Launcher {
    /** What {@link #run} returns when the roles are up and the process must not exit. */
    public static final int KEEP_RUNNING = -1;
    /** Where the scraper looks for the InfluxDB password when no flag gives it. */
    public static final String PASS_ENV = "LLAMA_INFLUXDB_PASS";
    /** Where the scraper looks for the InfluxDB API token when no flag gives it. */
    public static final String TOKEN_ENV = "LLAMA_INFLUXDB_TOKEN";
    private static final Logger log = LoggerFactory.getLogger(Launcher.class);
    private static final String COMMANDS = """
            Usage: llama <command> [flags]

            Commands:
              reflector   answer llama probes on a UDP port
              collector   probe reflectors, summarize loss and RTT, serve them over HTTP
              scraper     pull summaries from collectors and write them to InfluxDB
              node        a cluster node running any mix of the roles (conf/node.yaml)
              demo        reflectors on 127.0.0.1-3, collectors probing them, page and API on 127.0.0.1:5000,
                          and a scraper writing to an InfluxDB on 127.0.0.1:8086 when one answers
              certs       make a CA, node certificates and a cluster secret for a lab or test cluster
              bench       benchmarks (bench scraper: write 100,000 points to a local influxd;
                          bench localize: score the fault localizer on a synthetic fleet)

            Run 'llama <command> --help' for the flags of a command.""";

    private final PrintStream out;
    private final PrintStream err;

    public Launcher(PrintStream out, PrintStream err) {
        this.out = out;
        this.err = err;
    }

    public int run(String[] argv) {
        if (argv.length == 0 || List.of("-h", "-help", "--help", "help").contains(argv[0])) {
            out.println(COMMANDS);
            return argv.length == 0 ? 2 : 0;
        }
        String command = argv[0];
        var args = Arrays.asList(argv).subList(1, argv.length);
        if (command.equals("bench")) {
            if (args.isEmpty() || !List.of("scraper", "localize").contains(args.get(0))) {
                err.println("llama bench: name a benchmark (benchmarks: scraper, localize)");
                return 2;
            }
            command = "bench " + args.get(0);
            args = args.subList(1, args.size());
        }
        Flags flags = switch (command) {
            case "reflector" -> reflectorFlags();
            case "collector" -> collectorFlags();
            case "scraper" -> scraperFlags();
            case "node" -> nodeFlags();
            case "demo" -> Demo.flags();
            case "bench scraper" -> ScraperBench.flags();
            case "bench localize" -> LocalizeBench.flags();
            case "certs" -> Certs.flags();
            default -> null;
        };
        if (flags == null) {
            err.println("llama: unknown command \"" + command + "\" (commands: reflector, collector, scraper, node, demo, certs, bench)");
            return 2;
        }
        try {
            flags.parse(args);
            return switch (command) {
                case "reflector" -> reflector(flags);
                case "collector" -> collector(flags);
                case "scraper" -> scraper(flags);
                case "node" -> node(flags);
                case "bench scraper" -> ScraperBench.run(flags, out);
                case "bench localize" -> LocalizeBench.run(flags, out);
                case "certs" -> Certs.run(flags, out);
                default -> demo(flags);
            };
        } catch (Flags.HelpRequested e) {
            flags.usage(out);
            return 0;
        } catch (UsageException e) {
            err.println("llama " + command + ": " + e.getMessage() + " (see llama " + command + " --help)");
            return 2;
        }
    }

    static Flags reflectorFlags() {
        return ReflectorCommand.flags();
    }

    static Flags collectorFlags() {
        return new Flags("collector", "Probes reflectors, summarizes loss and RTT per interval, serves them over HTTP.")
                .string("llama.config", "", "YAML config, full or legacy format (default: built-in, one target 127.0.0.1:8100)")
                .integer("llama.dst-port", CollectorOptions.DEFAULT_DST_PORT, "reflector port for targets of a legacy-format config")
                .string("llama.name", "", "name of this collector in summaries (default: host name)")
                .integer("llama.reload-scan-ms", 5000, "how often the config file is checked for changes, ms");
    }

    static Flags scraperFlags() {
        return new Flags("scraper", "Pulls /influxdata from collectors every interval and writes the points to InfluxDB,\n"
                + "through a disk queue, so an InfluxDB outage delays points but loses none.")
                .string("llama.collector-hosts", "localhost", "collectors to scrape, comma-separated (host or host:port)")
                .integer("llama.collector-port", 5000, "collector API port, for hosts given without one")
                .integer("llama.interval", 30, "seconds between scrapes; match the collectors' summarization interval")
                .string("llama.influxdb-host", "127.0.0.1", "InfluxDB host")
                .integer("llama.influxdb-port", ScraperConfig.ORIGINAL_INFLUX_PORT, "InfluxDB port")
                .string("llama.influxdb-name", "llama", "InfluxDB database (1.x API)")
                .string("llama.influxdb-user", "", "InfluxDB user (1.x API)")
                .string("llama.influxdb-pass", "", "InfluxDB password; better: the environment variable " + PASS_ENV)
                .string("llama.influxdb-url", "", "InfluxDB base URL, e.g. https://influx:8086 (instead of -host and -port)")
                .string("llama.influxdb-api", "v1", "write API: v1 (/write, InfluxDB 1.x), v2 (/api/v2/write, 2.x) or v3 (3.x through /api/v2/write; bucket defaults to -llama.influxdb-name)")
                .string("llama.influxdb-org", "", "organization (v2 API)")
                .string("llama.influxdb-bucket", "", "bucket (v2 API)")
                .string("llama.influxdb-token", "", "API token; better: the environment variable " + TOKEN_ENV)
                .bool("llama.influxdb-no-create", "do not create the 1.x database when it is missing")
                .string("llama.queue-dir", "llama-queue", "directory of the disk queue and the dead-letter file")
                .integer("llama.queue-max-mb", 512, "queue size limit; when full, the oldest points are dropped")
                .integer("llama.retry-max-ms", 60_000, "longest wait between write attempts while InfluxDB is away");
    }

    static Flags nodeFlags() {
        return new Flags("node", "A cluster node: joins the Hazelcast cluster and runs the roles its config names.\n"
                + "Environment variables LLAMA_<SECTION>__<KEY> and system properties llama.<section>.<key> override the file.")
                .string("config", "conf/node.yaml", "the node's YAML configuration")
                .string("roles", "", "roles to run instead of the config's, e.g. reflector,collector,scraper,api");
    }

    private int reflector(Flags flags) {
        ReflectorOptions options = ReflectorCommand.options(flags);
        StampOptions stamp = ReflectorCommand.stampOptions(flags);
        var vertx = Vertx.vertx();
        return deploy(vertx, vertx.deployVerticle(new ReflectorVerticle(options))
                .compose(id -> stamp == null ? Future.succeededFuture(id) : vertx.deployVerticle(new StampReflectorVerticle(options, stamp))));
    }

    private int collector(Flags flags) {
        String path = flags.string("llama.config");
        if (!path.isEmpty() && !Files.isReadable(Path.of(path))) {
            throw new UsageException("invalid value \"" + path + "\" for flag -llama.config: no readable file");
        }
        int dstPort = flags.integer("llama.dst-port", 1, 65535);
        long scan = flags.integer("llama.reload-scan-ms", 100, 3_600_000);
        if (!path.isEmpty()) {
            try {
                ConfigParser.requireTargets(ConfigParser.parse(YamlFile.read(Path.of(path)), dstPort));
            } catch (ConfigException e) {
                err.println("llama collector: " + e.from(path).getMessage());
                return 1;
            }
        }
        String name = flags.string("llama.name").isEmpty() ? NodeConfig.hostName() : flags.string("llama.name");
        var options = new CollectorOptions(path.isEmpty() ? null : path, null, dstPort, name, scan, 1000, false);
        var vertx = LlamaMetrics.vertx();
        var collector = new CollectorVerticle(options);
        Signals.onHangup(() -> vertx.eventBus().publish(Addresses.RELOAD, null));
        return deploy(vertx, vertx.deployVerticle(collector)
                .compose(id -> vertx.deployVerticle(new ApiVerticle(collector.apiBind(), collector.apiOptions()))));
    }

    private int scraper(Flags flags) {
        String url = flags.string("llama.influxdb-url");
        if (url.isEmpty()) {
            String host = flags.string("llama.influxdb-host");
            url = "http://" + new HostPort(host, flags.integer("llama.influxdb-port", 1, 65535));
        }
        var influx = new JsonObject()
                .put("url", url)
                .put("api", flags.string("llama.influxdb-api"))
                .put("database", flags.string("llama.influxdb-name"))
                .put("user", flags.string("llama.influxdb-user"))
                .put("password", secret(flags, "llama.influxdb-pass", PASS_ENV))
                .put("org", flags.string("llama.influxdb-org"))
                .put("bucket", flags.string("llama.influxdb-bucket"))
                .put("token", secret(flags, "llama.influxdb-token", TOKEN_ENV))
                .put("create_database", !flags.bool("llama.influxdb-no-create"));
        var json = new JsonObject()
                .put("interval", flags.integer("llama.interval", 1, 86_400))
                .put("collectors", flags.string("llama.collector-hosts"))
                .put("collector_port", flags.integer("llama.collector-port", 1, 65535))
                .put("influxdb", influx)
                .put("queue", new JsonObject().put("dir", flags.string("llama.queue-dir"))
                        .put("max_mb", flags.integer("llama.queue-max-mb", 1, 1_048_576)))
                .put("retry", new JsonObject().put("max_ms", flags.integer("llama.retry-max-ms", 1000, 3_600_000)));
        ScraperConfig config;
        try {
            config = ScraperConfig.parse(json);
        } catch (ConfigException e) {
            String flag = SCRAPER_FLAGS.getOrDefault(e.key(), flags.given("llama.influxdb-url") ? "llama.influxdb-url" : "llama.influxdb-host");
            throw new UsageException("-" + flag + ": " + e.problem());
        }
        var vertx = LlamaMetrics.vertx();
        return deploy(vertx, vertx.deployVerticle(new ScraperVerticle(config)));
    }

    /** The scraper flag behind each key of the JSON that {@link #scraper} builds, so errors name the flag. */
    private static final Map<String, String> SCRAPER_FLAGS = Map.ofEntries(
            Map.entry("scraper.interval", "llama.interval"),
            Map.entry("scraper.collectors", "llama.collector-hosts"),
            Map.entry("scraper.collector_port", "llama.collector-port"),
            Map.entry("scraper.influxdb.api", "llama.influxdb-api"),
            Map.entry("scraper.influxdb.database", "llama.influxdb-name"),
            Map.entry("scraper.influxdb.user", "llama.influxdb-user"),
            Map.entry("scraper.influxdb.password", "llama.influxdb-pass"),
            Map.entry("scraper.influxdb.org", "llama.influxdb-org"),
            Map.entry("scraper.influxdb.bucket", "llama.influxdb-bucket"),
            Map.entry("scraper.influxdb.token", "llama.influxdb-token"),
            Map.entry("scraper.queue.dir", "llama.queue-dir"),
            Map.entry("scraper.queue.max_mb", "llama.queue-max-mb"),
            Map.entry("scraper.retry.max_ms", "llama.retry-max-ms"));

    private int node(Flags flags) {
        String path = flags.string("config");
        if (!Files.isReadable(Path.of(path))) {
            throw new UsageException("invalid value \"" + path + "\" for flag -config: no readable file");
        }
        NodeConfig config;
        try {
            var source = NodeSource.read(path, System.getenv(), System.getProperties());
            var scraper = source.json().getJsonObject("scraper");
            if (scraper != null) {
                var influx = scraper.getJsonObject("influxdb", new JsonObject());
                if (!influx.containsKey("password") && System.getenv(PASS_ENV) != null) {
                    scraper.put("influxdb", influx.put("password", System.getenv(PASS_ENV)));
                }
                if (!influx.containsKey("token") && System.getenv(TOKEN_ENV) != null) {
                    scraper.put("influxdb", influx.put("token", System.getenv(TOKEN_ENV)));
                }
            }
            config = source.parse(flags.string("roles").isEmpty() ? null : flags.string("roles"));
        } catch (ConfigException e) {
            err.println("llama node: " + e.getMessage());
            return 1;
        }
        try {
            var vertx = Node.start(config).await(120, TimeUnit.SECONDS);
            Runtime.getRuntime().addShutdownHook(new Thread(() -> closeQuietly(vertx), "llama-shutdown"));
            return KEEP_RUNNING;
        } catch (Exception e) {
            Throwable cause = e.getCause() != null ? e.getCause() : e;
            err.println("llama: cannot start node: " + (cause.getMessage() != null ? cause.getMessage() : cause));
            log.debug("start failure", e);
            return 1;
        }
    }

    /** A secret from its flag if given, else from the environment, so it need not show in the process list. */
    private static String secret(Flags flags, String flag, String env) {
        if (flags.given(flag)) {
            return flags.string(flag);
        }
        String value = System.getenv(env);
        return value == null ? "" : value;
    }

    private int demo(Flags flags) {
        var vertx = LlamaMetrics.vertx();
        return deploy(vertx, Demo.deploy(vertx, flags));
    }

    /** Waits for the deployment; on failure prints why, closes Vert.x and returns 1. */
    private int deploy(Vertx vertx, Future<?> deployment) {
        try {
            deployment.await(60, TimeUnit.SECONDS);
        } catch (Exception e) {
            Throwable cause = e.getCause() != null && !(e instanceof ConfigException) ? e.getCause() : e;
            err.println("llama: cannot start: " + (cause.getMessage() != null ? cause.getMessage() : cause));
            log.debug("start failure", e);
            closeQuietly(vertx);
            return 1;
        }
        Runtime.getRuntime().addShutdownHook(new Thread(() -> closeQuietly(vertx), "llama-shutdown"));
        return KEEP_RUNNING;
    }

    private static void closeQuietly(Vertx vertx) {
        try {
            vertx.close().await(10, TimeUnit.SECONDS);
        } catch (Exception e) {
            log.debug("close after failure", e);
        }
    }
}
