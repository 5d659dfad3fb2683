package dev.llama.config;

import java.nio.file.Path;
import java.util.List;

/**
 * How the HTTP API protects itself: bearer tokens, TLS, the {@code Host} names it answers to, and its
 * limits on connections. {@link #defaults()} is what an API without configuration gets: no tokens, no
 * TLS, the bind address and loopback names as hosts, 1,000 connections, 60 s idle timeout.
 *
 * @param tokensFile a file of bearer tokens (one per line, {@code #} comments); null for no tokens
 * @param metricsTokenRequired whether {@code /metrics} needs a token too when tokens are on
 * @param tlsCert a PEM certificate chain; null for plain HTTP (then {@code tlsKey} is null too)
 * @param tlsKey the PEM private key of {@code tlsCert}
 * @param allowedHosts host names answered besides the defaults (bind address, {@code localhost}, loopback IPs)
 * @param maxConnections connections open at once; the next ones are closed at once and counted
 * @param idleTimeoutSeconds a connection that neither reads nor writes for this long is closed
 * @param headerTimeoutSeconds a connection must send a whole request head within this long of opening
 *        or of its previous response (slowloris)
 * @param maxEventListeners {@code /api/v1/events} streams open at once; the next get 503
 * @param localizeLevels the fault localizer's topology levels ({@code localize.levels}), outermost first; empty: flat
 * @param metricsPairs how many pairs get per-pair series on {@code /metrics} (0: none); each costs eight series
 *        and about 3 KB of heap, so a mesh of 10,000 pairs would spend 30 MB of a collector's heap on them
 */
public record ApiOptions(Path tokensFile, boolean metricsTokenRequired, Path tlsCert, Path tlsKey, List<String> allowedHosts,
        int maxConnections, int idleTimeoutSeconds, int headerTimeoutSeconds, int maxEventListeners, List<String> localizeLevels,
        int metricsPairs) {
    public static final int DEFAULT_MAX_CONNECTIONS = 1_000;
    public static final int DEFAULT_IDLE_TIMEOUT_S = 60;
    public static final int DEFAULT_HEADER_TIMEOUT_S = 10;
    public static final int DEFAULT_MAX_EVENT_LISTENERS = 100;
    public static final int DEFAULT_METRICS_PAIRS = 2_000;
    public static final int MAX_METRICS_PAIRS = 100_000;

    public ApiOptions {
        if ((tlsCert == null) != (tlsKey == null)) {
            throw new IllegalArgumentException("api.tls.cert and api.tls.key go together");
        }
        allowedHosts = List.copyOf(allowedHosts);
        localizeLevels = List.copyOf(localizeLevels);
        positive("api.max_connections", maxConnections);
        positive("api.idle_timeout_s", idleTimeoutSeconds);
        positive("api.header_timeout_s", headerTimeoutSeconds);
        positive("api.max_event_listeners", maxEventListeners);
        if (metricsPairs < 0 || metricsPairs > MAX_METRICS_PAIRS) {
            throw new IllegalArgumentException("api.metrics_pairs must be 0-" + MAX_METRICS_PAIRS + ", got " + metricsPairs);
        }
    }

    private static void positive(String name, int value) {
        if (value <= 0) {
            throw new IllegalArgumentException(name + " must be positive, got " + value);
        }
    }

    /** No tokens, no TLS, default hosts and limits. */
    /** The keys of an {@code api} section besides {@code bind} (and a node's {@code history_minutes}). */
    public static final java.util.Set<String> KEYS = java.util.Set.of("tokens_file", "metrics_token_required", "tls", "allowed_hosts",
            "max_connections", "idle_timeout_s", "header_timeout_s", "max_event_listeners", "metrics_pairs");

    /** Reads the protections from an {@code api} section; errors name the key. */
    public static ApiOptions parse(Keys api) {
        var tls = api.section("tls", java.util.Set.of("cert", "key"));
        String tokens = api.string("tokens_file", null);
        String cert = tls.string("cert", null);
        String key = tls.string("key", null);
        if ((cert == null) != (key == null)) {
            throw new ConfigException(tls.key(cert == null ? "cert" : "key"), "api.tls.cert and api.tls.key go together");
        }
        return new ApiOptions(tokens == null ? null : Path.of(tokens), api.bool("metrics_token_required", true),
                cert == null ? null : Path.of(cert), key == null ? null : Path.of(key),
                Keys.commaList(api.key("allowed_hosts"), api.value("allowed_hosts"), "host names"),
                (int) api.integer("max_connections", DEFAULT_MAX_CONNECTIONS, 1, 1_000_000),
                (int) api.integer("idle_timeout_s", DEFAULT_IDLE_TIMEOUT_S, 1, 86_400),
                (int) api.integer("header_timeout_s", DEFAULT_HEADER_TIMEOUT_S, 1, 3_600),
                (int) api.integer("max_event_listeners", DEFAULT_MAX_EVENT_LISTENERS, 1, 100_000), List.of(),
                (int) api.integer("metrics_pairs", DEFAULT_METRICS_PAIRS, 0, MAX_METRICS_PAIRS));
    }

    public static ApiOptions defaults() {
        return new ApiOptions(null, true, null, null, List.of(), DEFAULT_MAX_CONNECTIONS, DEFAULT_IDLE_TIMEOUT_S,
                DEFAULT_HEADER_TIMEOUT_S, DEFAULT_MAX_EVENT_LISTENERS, List.of(), DEFAULT_METRICS_PAIRS);
    }

    public ApiOptions withTokens(Path file, boolean metricsTokenRequired) {
        return new ApiOptions(file, metricsTokenRequired, tlsCert, tlsKey, allowedHosts, maxConnections, idleTimeoutSeconds,
                headerTimeoutSeconds, maxEventListeners, localizeLevels, metricsPairs);
    }

    public ApiOptions withTls(Path cert, Path key) {
        return new ApiOptions(tokensFile, metricsTokenRequired, cert, key, allowedHosts, maxConnections, idleTimeoutSeconds,
                headerTimeoutSeconds, maxEventListeners, localizeLevels, metricsPairs);
    }

    public ApiOptions withAllowedHosts(List<String> hosts) {
        return new ApiOptions(tokensFile, metricsTokenRequired, tlsCert, tlsKey, hosts, maxConnections, idleTimeoutSeconds,
                headerTimeoutSeconds, maxEventListeners, localizeLevels, metricsPairs);
    }

    public ApiOptions withLimits(int connections, int idleSeconds, int headerSeconds, int eventListeners) {
        return new ApiOptions(tokensFile, metricsTokenRequired, tlsCert, tlsKey, allowedHosts, connections, idleSeconds,
                headerSeconds, eventListeners, localizeLevels, metricsPairs);
    }

    public ApiOptions withLocalizeLevels(List<String> levels) {
        return new ApiOptions(tokensFile, metricsTokenRequired, tlsCert, tlsKey, allowedHosts, maxConnections, idleTimeoutSeconds,
                headerTimeoutSeconds, maxEventListeners, levels, metricsPairs);
    }

    public ApiOptions withMetricsPairs(int pairs) {
        return new ApiOptions(tokensFile, metricsTokenRequired, tlsCert, tlsKey, allowedHosts, maxConnections, idleTimeoutSeconds,
                headerTimeoutSeconds, maxEventListeners, localizeLevels, pairs);
    }

    /** Whether bearer tokens are required. */
    public boolean tokensOn() {
        return tokensFile != null;
    }
}
