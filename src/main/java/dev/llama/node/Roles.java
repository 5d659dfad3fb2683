package dev.llama.node;

import dev.llama.collector.CollectorOptions;
import dev.llama.collector.CollectorVerticle;
import dev.llama.reflector.ReflectorOptions;
import dev.llama.reflector.ReflectorVerticle;
import dev.llama.reflector.StampOptions;
import dev.llama.reflector.StampReflectorVerticle;
import dev.llama.scraper.ScraperConfig;
import dev.llama.scraper.ScraperVerticle;
import io.vertx.core.Deployable;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import java.util.function.Supplier;

/**
 * Deploys the verticles of llama's roles on one Vert.x, one after another in the order they are
 * added, each only once the one before runs: the wiring that a cluster node and {@code llama demo}
 * share. The first failure stops the rest and fails {@link #deployed()}.
 */
public final class Roles {
    private final Vertx vertx;
    private Future<?> chain = Future.succeededFuture();

    public Roles(Vertx vertx) {
        this.vertx = vertx;
    }

    /** A reflector; its {@link ReflectorVerticle#port()} is valid for the steps added after it. */
    public ReflectorVerticle reflector(ReflectorOptions options) {
        var reflector = new ReflectorVerticle(options);
        then(() -> reflector);
        return reflector;
    }

    /** A STAMP Session-Reflector on {@code stamp}'s port, behind {@code options}' address and guards. */
    public StampReflectorVerticle stampReflector(ReflectorOptions options, StampOptions stamp) {
        var reflector = new StampReflectorVerticle(options, stamp);
        then(() -> reflector);
        return reflector;
    }

    /** A scraper. */
    public Roles scraper(ScraperConfig config) {
        return then(() -> new ScraperVerticle(config));
    }

    /** A collector named {@code name} running {@code config}, handing every summary set to a scraper. */
    public Roles collector(JsonObject config, String name) {
        return then(() -> new CollectorVerticle(CollectorOptions.inline(config, name).delivering()));
    }

    /** Any other verticle, made when its turn comes, so it can use what the steps before it started. */
    public Roles then(Supplier<? extends Deployable> verticle) {
        chain = chain.compose(v -> vertx.deployVerticle(verticle.get()));
        return this;
    }

    /** Completes when every verticle added so far runs. */
    public Future<Void> deployed() {
        return chain.mapEmpty();
    }
}
