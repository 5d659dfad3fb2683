package dev.llama;

import dev.llama.cli.Launcher;

/** Entry point of the one jar: {@code llama <reflector|collector|demo> [flags]}. */
public final class Main {
    private Main() {
    }

    public static void main(String[] args) {
        System.setProperty("vertx.logger-delegate-factory-class-name", "io.vertx.core.logging.SLF4JLogDelegateFactory");
        System.setProperty("hazelcast.logging.type", "slf4j");
        int code = new Launcher(System.out, System.err).run(args);
        if (code != Launcher.KEEP_RUNNING) {
            System.exit(code);
        }
    }
}
