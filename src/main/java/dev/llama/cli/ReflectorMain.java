package dev.llama.cli;

import dev.llama.config.Flags;
import dev.llama.config.UsageException;
import dev.llama.reflector.ReflectorOptions;
import dev.llama.reflector.ReflectorVerticle;
import dev.llama.reflector.StampOptions;
import dev.llama.reflector.StampReflectorVerticle;
import io.vertx.core.Vertx;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Entry point of the reflector-only jar ({@code llama-reflector.jar}): the same command line as
 * {@code llama reflector}, with or without the leading {@code reflector}. It must not reach the
 * {@link Launcher}, which loads every role; the jar carries only Vert.x core, Netty and the reflector.
 */
public final class ReflectorMain {
    private static final Logger log = LoggerFactory.getLogger(ReflectorMain.class);

    private ReflectorMain() {
    }

    public static void main(String[] argv) {
        System.setProperty("vertx.logger-delegate-factory-class-name", "io.vertx.core.logging.SLF4JLogDelegateFactory");
        List<String> args = Arrays.asList(argv);
        if (!args.isEmpty() && args.get(0).equals("reflector")) {
            args = args.subList(1, args.size());
        }
        Flags flags = ReflectorCommand.flags();
        ReflectorOptions options;
        StampOptions stamp;
        try {
            flags.parse(args);
            options = ReflectorCommand.options(flags);
            stamp = ReflectorCommand.stampOptions(flags);
        } catch (Flags.HelpRequested e) {
            flags.usage(System.out);
            System.exit(0);
            return;
        } catch (UsageException e) {
            System.err.println("llama reflector: " + e.getMessage() + " (see llama reflector --help)");
            System.exit(2);
            return;
        }
        var vertx = Vertx.vertx();
        try {
            vertx.deployVerticle(new ReflectorVerticle(options)).await(60, TimeUnit.SECONDS);
            if (stamp != null) {
                vertx.deployVerticle(new StampReflectorVerticle(options, stamp)).await(60, TimeUnit.SECONDS);
            }
        } catch (Exception e) {
            Throwable cause = e.getCause() != null ? e.getCause() : e;
            System.err.println("llama: cannot start: " + (cause.getMessage() != null ? cause.getMessage() : cause));
            log.debug("start failure", e);
            vertx.close();
            System.exit(1);
        }
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            try {
                vertx.close().await(10, TimeUnit.SECONDS);
            } catch (Exception e) {
                log.debug("close", e);
            }
        }, "llama-shutdown"));
    }
}
