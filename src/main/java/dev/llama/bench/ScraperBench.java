package dev.llama.bench;

import dev.llama.config.Flags;
import dev.llama.scraper.Points;
import dev.llama.scraper.ScraperConfig;
import dev.llama.scraper.ScraperVerticle;
import dev.llama.summary.Addresses;
import dev.llama.summary.InfluxPoints;
import dev.llama.summary.PairSummary;
import dev.llama.summary.SummaryCodec;
import dev.llama.summary.SummarySet;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.io.PrintStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * {@code llama bench scraper}: how much the scraper adds to writing points into InfluxDB. It hands
 * summary sets to a {@link ScraperVerticle} on the event bus (as collectors do) (conversion, disk queue, writes) and times
 * until InfluxDB has taken every point; then it POSTs the same line protocol, in writes of the same
 * size, with the JDK's HTTP client, and prints both rates side by side, per repeat and as medians.
 */
public final class ScraperBench {
    private ScraperBench() {
    }

    public static Flags flags() {
        return new Flags("bench scraper", "Writes points through the scraper and directly, and prints points per second.")
                .integer("points", 100_000, "points to write per run")
                .integer("pairs", 1000, "points per summary set (pairs per collector interval)")
                .integer("batch", 5000, "points per InfluxDB write, for both the scraper and the direct client")
                .integer("reps", 3, "repeats; the medians are printed last")
                .string("influxdb", "", "an InfluxDB 1.x base URL to use (default: start a throwaway influxd)");
    }

    public static int run(Flags flags, PrintStream out) {
        int points = flags.integer("points", 1, 100_000_000);
        int pairs = flags.integer("pairs", 1, 1_000_000);
        int batch = flags.integer("batch", 1, 1_000_000);
        int reps = flags.integer("reps", 1, 100);
        LocalInfluxd local = null;
        Vertx vertx = Vertx.vertx();
        try {
            String url = flags.string("influxdb");
            if (url.isEmpty()) {
                local = LocalInfluxd.start();
                url = local.url();
            }
            var sets = summarySets(points, pairs);
            var bodies = lineProtocol(sets, batch);
            out.printf("bench scraper: %,d points as %d summary sets of %,d pairs, writes of up to %,d points, InfluxDB at %s%n",
                    points, sets.size(), pairs, batch, url);
            out.printf("%-6s %12s %14s %12s %14s %8s%n", "rep", "scraper_s", "scraper_pts/s", "direct_s", "direct_pts/s", "ratio");
            double[] scraper = new double[reps];
            double[] direct = new double[reps];
            var http = HttpClient.newHttpClient();
            for (int rep = 0; rep < reps; rep++) {
                scraper[rep] = throughScraper(vertx, url, "bench_scraper_" + rep, sets, points, batch);
                direct[rep] = directly(http, url, "bench_direct_" + rep, bodies);
                out.printf("%-6d %12.3f %,14.0f %12.3f %,14.0f %8.2f%n", rep + 1, scraper[rep], points / scraper[rep],
                        direct[rep], points / direct[rep], direct[rep] / scraper[rep]);
            }
            double s = median(scraper);
            double d = median(direct);
            out.printf("%-6s %12.3f %,14.0f %12.3f %,14.0f %8.2f%n", "median", s, points / s, d, points / d, d / s);
            out.println("ratio = direct time / scraper time (1.00: the scraper adds nothing)");
            return 0;
        } catch (Exception e) {
            out.println("bench scraper failed: " + e);
            return 1;
        } finally {
            vertx.close().await();
            if (local != null) {
                try {
                    local.close();
                } catch (Exception e) {
                    out.println("cannot stop influxd: " + e);
                }
            }
        }
    }

    private static double throughScraper(Vertx vertx, String url, String database, List<SummarySet> sets, int points,
                                         int batch) throws Exception {
        create(url, database);
        Path queue = Files.createTempDirectory("llama-bench-queue-");
        try {
            var scraper = new ScraperVerticle(ScraperConfig.parse(new JsonObject()
                    .put("bus", true)
                    .put("influxdb", new JsonObject().put("url", url).put("database", database).put("batch_points", batch))
                    .put("queue", new JsonObject().put("dir", queue.toString()))));
            String id = vertx.deployVerticle(scraper).await(30, TimeUnit.SECONDS);
            SummaryCodec.register(vertx.eventBus());
            long start = System.nanoTime();
            for (var set : sets) {
                vertx.eventBus().request(Addresses.SCRAPE, set);
            }
            long deadline = start + TimeUnit.MINUTES.toNanos(10);
            while (scraper.counters().pointsWritten() < points) {
                if (System.nanoTime() > deadline || scraper.counters().pointsRejected() > 0) {
                    throw new IOException("scraper stalled: " + scraper.stats().encode());
                }
                Thread.sleep(1);
            }
            double seconds = (System.nanoTime() - start) / 1e9;
            vertx.undeploy(id).await(30, TimeUnit.SECONDS);
            return seconds;
        } finally {
            try (Stream<Path> paths = Files.walk(queue)) {
                paths.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            }
        }
    }

    private static double directly(HttpClient http, String url, String database, List<byte[]> bodies) throws Exception {
        create(url, database);
        var uri = URI.create(url + "/write?db=" + database + "&precision=s");
        long start = System.nanoTime();
        for (byte[] body : bodies) {
            var response = http.send(HttpRequest.newBuilder(uri).POST(HttpRequest.BodyPublishers.ofByteArray(body)).build(),
                    HttpResponse.BodyHandlers.ofString());
            if (response.statusCode() != 204) {
                throw new IOException("direct write answered " + response.statusCode() + ": " + response.body());
            }
        }
        return (System.nanoTime() - start) / 1e9;
    }

    private static void create(String url, String database) throws Exception {
        var response = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(url + "/query?q=CREATE%20DATABASE%20" + database))
                .POST(HttpRequest.BodyPublishers.noBody()).build(), HttpResponse.BodyHandlers.ofString());
        if (response.statusCode() != 200) {
            throw new IOException("CREATE DATABASE answered " + response.statusCode() + ": " + response.body());
        }
    }

    /** Summary sets as a collector publishes them: {@code pairs} pairs each, one interval apart. */
    static List<SummarySet> summarySets(int points, int pairs) {
        var sets = new ArrayList<SummarySet>();
        long t0 = 1_700_000_000L;
        for (int made = 0, i = 0; made < points; i++) {
            int n = Math.min(pairs, points - made);
            var list = new ArrayList<PairSummary>();
            for (int p = 0; p < n; p++) {
                list.add(new PairSummary("10.0." + (p / 250) + "." + (p % 250 + 1), "10.1." + (p % 7) + "." + (p % 200 + 1),
                        Map.of("dst_hostname", "host-" + p, "dst_rack", "rack-" + (p % 40)), 120L, p % 3, (p % 3) / 1.2,
                        0.1 + p * 1e-4, 0.05, 0.9, 0.1, 0.2, 0.5, 0.03, 0.01, 0, 0, List.of()));
            }
            var end = java.time.Instant.ofEpochSecond(t0 + 30L * i);
            sets.add(new SummarySet(SummarySet.VERSION, "bench", 30, end.minusSeconds(30), end, Map.of(), list));
            made += n;
        }
        return sets;
    }

    /** The same points as the scraper writes them, cut into bodies of {@code batch} lines. */
    static List<byte[]> lineProtocol(List<SummarySet> sets, int batch) {
        var points = new Points();
        var lines = new ArrayList<String>();
        for (var set : sets) {
            var array = new JsonArray();
            InfluxPoints.points(set, array, true);
            var converted = points.convert("bench", array, 0, false);
            lines.addAll(Arrays.asList(new String(converted.batch().lines(), StandardCharsets.UTF_8).split("\n")));
        }
        var bodies = new ArrayList<byte[]>();
        for (int i = 0; i < lines.size(); i += batch) {
            bodies.add((String.join("\n", lines.subList(i, Math.min(lines.size(), i + batch))) + "\n").getBytes(StandardCharsets.UTF_8));
        }
        return bodies;
    }

    private static double median(double[] values) {
        double[] sorted = values.clone();
        Arrays.sort(sorted);
        return sorted.length % 2 == 1 ? sorted[sorted.length / 2] : (sorted[sorted.length / 2 - 1] + sorted[sorted.length / 2]) / 2;
    }
}
