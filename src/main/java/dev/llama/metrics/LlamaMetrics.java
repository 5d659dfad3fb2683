package dev.llama.metrics;

import dev.llama.reflector.ReflectorStats;
import dev.llama.scraper.ScraperVerticle;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.vertx.core.Vertx;
import io.vertx.core.VertxBuilder;
import io.vertx.core.VertxOptions;
import io.vertx.micrometer.MicrometerMetricsFactory;
import io.vertx.micrometer.MicrometerMetricsOptions;
import java.util.ArrayList;
import java.util.List;
import java.util.function.ToDoubleFunction;

/**
 * The process's one Prometheus registry, which {@code /metrics} serves: Vert.x's own metrics (event
 * bus, HTTP, pools) and the JVM's when Vert.x is built with {@link #vertxBuilder}, plus llama's meters
 * (per-pair results, reflector and scraper counters). Names follow Prometheus conventions: base units,
 * {@code _total} on counters.
 */
public final class LlamaMetrics {
    private static final PrometheusMeterRegistry REGISTRY = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);

    private LlamaMetrics() {
    }

    public static PrometheusMeterRegistry registry() {
        return REGISTRY;
    }

    /** A Vert.x builder reporting Vert.x and JVM metrics into {@link #registry()}. */
    public static VertxBuilder vertxBuilder(VertxOptions options) {
        options.setMetricsOptions(new MicrometerMetricsOptions().setEnabled(true).setJvmMetricsEnabled(true));
        return Vertx.builder().with(options).withMetrics(new MicrometerMetricsFactory(REGISTRY));
    }

    /** A plain Vert.x with metrics. */
    public static Vertx vertx() {
        return vertxBuilder(new VertxOptions()).build();
    }

    /** Meters registered together and removed together (when their verticle stops). */
    public static final class Binding implements AutoCloseable {
        private final MeterRegistry registry;
        private final List<Meter> meters = new ArrayList<>();

        Binding(MeterRegistry registry) {
            this.registry = registry;
        }

        <T> Binding counter(String name, String help, Tags tags, T source, ToDoubleFunction<T> value) {
            meters.add(FunctionCounter.builder(name, source, value).description(help).tags(tags).register(registry));
            return this;
        }

        <T> Binding gauge(String name, String help, Tags tags, T source, ToDoubleFunction<T> value) {
            meters.add(Gauge.builder(name, source, value).description(help).tags(tags).strongReference(true).register(registry));
            return this;
        }

        @Override
        public void close() {
            meters.forEach(registry::remove);
            meters.clear();
        }
    }

    /** The reflector's counters, labelled with the address it listens on. */
    public static Binding reflector(ReflectorStats stats, String listen) {
        var tags = Tags.of("listen", listen);
        return new Binding(REGISTRY)
                .counter("llama.reflector.packets.received", "Datagrams the reflector read", tags, stats, ReflectorStats::received)
                .counter("llama.reflector.packets.reflected", "Probes sent back", tags, stats, ReflectorStats::reflected)
                .counter("llama.reflector.packets.invalid", "Datagrams dropped as not a valid probe", tags, stats, ReflectorStats::invalid)
                .counter("llama.reflector.packets.throttled", "Probes delayed by -max-pps", tags, stats, ReflectorStats::throttled)
                .counter("llama.reflector.packets.overflow", "Probes dropped because the -max-pps queue was full", tags, stats,
                        ReflectorStats::overflow);
    }

    /** The scraper's queue and write counters, labelled with the InfluxDB it writes to. */
    public static Binding scraper(ScraperVerticle scraper, String influx) {
        var tags = Tags.of("influxdb", influx);
        var stats = scraper.counters();
        return new Binding(REGISTRY)
                .gauge("llama.scraper.queue.points", "Points in the disk queue, not yet written", tags, scraper,
                        ScraperVerticle::queuePoints)
                .counter("llama.scraper.points.written", "Points InfluxDB accepted", tags, stats, s -> s.pointsWritten())
                .counter("llama.scraper.points.rejected", "Points InfluxDB refused (moved to the dead-letter file)", tags, stats,
                        s -> s.pointsRejected())
                .counter("llama.scraper.write.failures", "Writes that failed and will be retried", tags, stats, s -> s.writesFailed())
                .counter("llama.scraper.scrape.failures", "Collector scrapes that failed", tags, stats, s -> s.scrapesFailed());
    }
}
