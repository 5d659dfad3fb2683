package dev.llama.testutil;

import dev.llama.api.ApiVerticle;
import dev.llama.collector.CollectorOptions;
import dev.llama.collector.CollectorVerticle;
import dev.llama.reflector.ReflectorOptions;
import dev.llama.reflector.ReflectorVerticle;
import io.vertx.core.Vertx;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.Arrays;
import java.util.concurrent.TimeUnit;

/** A reflector, a collector probing it and the collector's API, deployed on loopback for a scraper to pull. */
public final class CollectorStack {
    private CollectorStack() {
    }

    /**
     * Deploys them and returns the API's port.
     *
     * @param targets {@code ip[:tag=value...]}, each probed at the reflector's port
     */
    public static int deploy(Vertx vertx, int interval, String id, String... targets) throws Exception {
        var reflector = new ReflectorVerticle(new ReflectorOptions(InetAddress.getLoopbackAddress(), 0, 0));
        vertx.deployVerticle(reflector).await(10, TimeUnit.SECONDS);
        var withPort = Arrays.stream(targets).map(t -> t.replaceFirst("^([^:]+)", "$1:" + reflector.port())).toArray(String[]::new);
        var config = Configs.collector(interval, 2, 10, 300, withPort);
        vertx.deployVerticle(new CollectorVerticle(CollectorOptions.inline(config, id))).await(10, TimeUnit.SECONDS);
        var api = new ApiVerticle(new InetSocketAddress("127.0.0.1", 0));
        vertx.deployVerticle(api).await(10, TimeUnit.SECONDS);
        return api.port();
    }
}
