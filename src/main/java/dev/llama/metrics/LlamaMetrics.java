package dev.llama.metrics;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.vertx.core.Vertx;
import io.vertx.core.VertxBuilder;
import io.vertx.core.VertxOptions;
import io.vertx.micrometer.MicrometerMetricsFactory;
import io.vertx.micrometer.MicrometerMetricsOptions;
import java.util.Optional;

/**
 * The process's one Prometheus registry, which {@code /metrics} serves: Vert.x's own metrics (event
 * bus, HTTP, pools) and the JVM's when Vert.x is built with {@link #vertxBuilder}, plus llama's meters
 * (per-pair results, and whatever each role's stats bind through {@link #registry(Vertx)}). Names follow
 * Prometheus conventions: base units, {@code _total} on counters. This package imports no role.
 */
public final class LlamaMetrics {
    private LlamaMetrics() {
    }

    /** Created on first use, so that asking {@link #registry(Vertx)} in a process without metrics creates nothing. */
    private static final class Holder {
        static final PrometheusMeterRegistry REGISTRY = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    }

    public static PrometheusMeterRegistry registry() {
        return Holder.REGISTRY;
    }

    /** A Vert.x builder reporting Vert.x and JVM metrics into {@link #registry()}. */
    public static VertxBuilder vertxBuilder(VertxOptions options) {
        options.setMetricsOptions(new MicrometerMetricsOptions().setEnabled(true).setJvmMetricsEnabled(true));
        return Vertx.builder().with(options).withMetrics(new MicrometerMetricsFactory(Holder.REGISTRY));
    }

    /**
     * How many worker threads a process without a cluster (one role, or the demo) has: its blocking work
     * is a summary, a config read or a disk-queue write at a time. Vert.x's default of 20 starts a new thread for each of the first 20
     * tasks, so a collector grew by a thread stack and a malloc arena every few intervals for minutes.
     */
    static final int WORKERS = 4;

    /** A plain Vert.x with metrics, for a process without a cluster. */
    public static Vertx vertx() {
        return vertxBuilder(new VertxOptions().setWorkerPoolSize(WORKERS).setInternalBlockingPoolSize(WORKERS)).build();
    }

    /**
     * The registry a verticle on {@code vertx} binds its meters to: present only where Vert.x reports
     * metrics (a process with an API), so a bare reflector or scraper never creates the registry.
     */
    public static Optional<MeterRegistry> registry(Vertx vertx) {
        return vertx.isMetricsEnabled() ? Optional.of(Holder.REGISTRY) : Optional.empty();
    }
}
