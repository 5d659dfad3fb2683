package dev.llama.cli;

import dev.llama.api.ApiVerticle;
import dev.llama.collector.CollectorOptions;
import dev.llama.collector.CollectorVerticle;
import dev.llama.config.ConfigException;
import dev.llama.config.ConfigParser;
import dev.llama.config.IpLiteral;
import dev.llama.reflector.ReflectorOptions;
import dev.llama.reflector.ReflectorVerticle;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.PrintStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
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
    private static final Logger log = LoggerFactory.getLogger(Launcher.class);
    private static final String COMMANDS = """
            Usage: llama <command> [flags]

            Commands:
              reflector   answer llama probes on a UDP port
              collector   probe reflectors, summarize loss and RTT, serve them over HTTP
              demo        reflectors on 127.0.0.1-3, a collector probing them, API on 127.0.0.1:5000

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
        Flags flags = switch (command) {
            case "reflector" -> reflectorFlags();
            case "collector" -> collectorFlags();
            case "demo" -> demoFlags();
            default -> null;
        };
        if (flags == null) {
            err.println("llama: unknown command \"" + command + "\" (commands: reflector, collector, demo)");
            return 2;
        }
        try {
            flags.parse(args);
            return switch (command) {
                case "reflector" -> reflector(flags);
                case "collector" -> collector(flags);
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
        return new Flags("reflector", "Sends every valid llama probe straight back to its sender.")
                .integer("port", ReflectorOptions.DEFAULT_PORT, "UDP port to listen on")
                .integer("max-pps", ReflectorOptions.DEFAULT_MAX_PPS, "replies per second at most; 0 for no limit")
                .string("bind", "0.0.0.0", "local IP address to listen on");
    }

    static Flags collectorFlags() {
        return new Flags("collector", "Probes reflectors, summarizes loss and RTT per interval, serves them over HTTP.")
                .string("llama.config", "", "YAML config, full or legacy format (default: built-in, one target 127.0.0.1:8100)")
                .integer("llama.dst-port", CollectorOptions.DEFAULT_DST_PORT, "reflector port for targets of a legacy-format config")
                .string("llama.name", "", "name of this collector in summaries (default: host name)")
                .integer("llama.reload-scan-ms", 5000, "how often the config file is checked for changes, ms");
    }

    static Flags demoFlags() {
        return new Flags("demo", "One JVM: reflectors on 127.0.0.1, .2 and .3, a collector probing them (and 127.0.0.4,\n"
                + "where nothing answers), and the API.")
                .string("api", "127.0.0.1:5000", "where the API listens")
                .integer("port", ReflectorOptions.DEFAULT_PORT, "UDP port of the demo reflectors")
                .integer("interval", 10, "summary interval, seconds");
    }

    private int reflector(Flags flags) {
        InetAddress bind = IpLiteral.parse(flags.string("bind"));
        if (bind == null) {
            throw new UsageException("invalid value \"" + flags.string("bind") + "\" for flag -bind: not an IP address");
        }
        int port = flags.integer("port", 1, 65535);
        long maxPps = flags.integer("max-pps", 0, 10_000_000);
        var vertx = Vertx.vertx();
        return deploy(vertx, vertx.deployVerticle(new ReflectorVerticle(new ReflectorOptions(bind, port, maxPps))));
    }

    private int collector(Flags flags) {
        String path = flags.string("llama.config");
        if (!path.isEmpty() && !Files.isReadable(Path.of(path))) {
            throw new UsageException("invalid value \"" + path + "\" for flag -llama.config: no readable file");
        }
        int dstPort = flags.integer("llama.dst-port", 1, 65535);
        long scan = flags.integer("llama.reload-scan-ms", 100, 3_600_000);
        String name = flags.string("llama.name").isEmpty() ? hostName() : flags.string("llama.name");
        var options = new CollectorOptions(path.isEmpty() ? null : path, null, dstPort, name, scan, 1000);
        var vertx = Vertx.vertx();
        var collector = new CollectorVerticle(options);
        Signals.onHangup(() -> vertx.eventBus().publish(CollectorVerticle.RELOAD, null));
        return deploy(vertx, vertx.deployVerticle(collector)
                .compose(id -> vertx.deployVerticle(new ApiVerticle(collector.apiBind()))));
    }

    private int demo(Flags flags) {
        InetSocketAddress api;
        try {
            api = ConfigParser.parseHostPort("-api", flags.string("api"));
        } catch (ConfigException e) {
            throw new UsageException("invalid value \"" + flags.string("api") + "\" for flag -api: expected IP:PORT");
        }
        int port = flags.integer("port", 1, 65535);
        int interval = flags.integer("interval", 1, 3600);
        var config = ConfigParser.yamlResource("/llama/demo-collector.yaml");
        config.getJsonObject("summarization").put("interval", interval);
        config.getJsonObject("api").put("bind", api.getAddress().getHostAddress() + ":" + api.getPort());
        for (Object t : config.getJsonObject("targets").getJsonArray("demo", new JsonArray())) {
            ((JsonObject) t).put("port", port);
        }
        var vertx = Vertx.vertx();
        Future<?> reflectors = Future.succeededFuture();
        for (int i = 1; i <= 3; i++) {
            var options = new ReflectorOptions(IpLiteral.parse("127.0.0." + i), port, ReflectorOptions.DEFAULT_MAX_PPS);
            reflectors = reflectors.compose(v -> vertx.deployVerticle(new ReflectorVerticle(options)));
        }
        var deployed = reflectors
                .compose(v -> vertx.deployVerticle(new CollectorVerticle(CollectorOptions.inline(config, hostName()))))
                .compose(v -> vertx.deployVerticle(new ApiVerticle(api)))
                .onSuccess(v -> log.info("demo running: open http://{}:{}/influxdata or /api/v1/summaries; first summary within {} s",
                        api.getAddress().getHostAddress(), api.getPort(), interval));
        return deploy(vertx, deployed);
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

    static String hostName() {
        try {
            return InetAddress.getLocalHost().getHostName();
        } catch (Exception e) {
            return "localhost";
        }
    }
}
