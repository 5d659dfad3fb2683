package dev.llama.metrics;

import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import java.util.ArrayList;
import java.util.List;
import java.util.function.ToDoubleFunction;

/**
 * Meters registered together and removed together, for a {@link io.micrometer.core.instrument.binder.MeterBinder}
 * whose owner stops: the registry is the process's, and a second verticle with the same tags must not
 * find the first one's meters still reading the old counters.
 */
public final class Meters implements AutoCloseable {
    private final MeterRegistry registry;
    private final List<Meter> meters = new ArrayList<>();

    public Meters(MeterRegistry registry) {
        this.registry = registry;
    }

    /** A counter read from {@code source} whenever the registry is scraped. */
    public <T> Meters counter(String name, String help, Tags tags, T source, ToDoubleFunction<T> value) {
        meters.add(FunctionCounter.builder(name, source, value).description(help).tags(tags).register(registry));
        return this;
    }

    /** A gauge read from {@code source} (held strongly) whenever the registry is scraped. */
    public <T> Meters gauge(String name, String help, Tags tags, T source, ToDoubleFunction<T> value) {
        meters.add(Gauge.builder(name, source, value).description(help).tags(tags).strongReference(true).register(registry));
        return this;
    }

    @Override
    public synchronized void close() {
        meters.forEach(registry::remove);
        meters.clear();
    }
}
