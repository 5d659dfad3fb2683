package dev.llama.scraper;

import static org.assertj.core.api.Assertions.assertThat;

import dev.llama.bench.LocalInfluxd;
import dev.llama.testutil.Await;
import dev.llama.testutil.CollectorStack;
import dev.llama.testutil.Configs;
import dev.llama.testutil.Http;
import dev.llama.testutil.InfluxRows.Row;
import dev.llama.testutil.InfluxRows;
import dev.llama.testutil.Summaries;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.VertxExtension;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.HashSet;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * A pulling scraper stopped for several intervals and started again on the same queue directory asks
 * the collector's API {@code since} the last points it queued, and InfluxDB ends up with every interval.
 */
@ExtendWith(VertxExtension.class)
class ScraperResumeTest {
    private static final String DB = "resume";
    private LocalInfluxd influxd;

    @TempDir
    Path queue;

    @BeforeEach
    void startInfluxd() throws Exception {
        influxd = LocalInfluxd.start();
    }

    @AfterEach
    void stopInfluxd() throws Exception {
        if (influxd != null) {
            influxd.close();
        }
    }

    @Test
    void aRestartedScraperWritesTheIntervalsItMissed(Vertx vertx) throws Exception {
        var summaries = new Summaries(vertx);
        int api = CollectorStack.deploy(vertx, 1, "resume", "127.0.0.1:dst_hostname=live");
        var config = Configs.scraper(influxd.url(), DB, queue, 1, "127.0.0.1:" + api);
        String first = vertx.deployVerticle(new ScraperVerticle(config)).await(10, TimeUnit.SECONDS);
        Await.until(Duration.ofSeconds(20), () -> times().size() >= 2 && Files.exists(queue.resolve(PullState.FILE)),
                () -> "two intervals written and the pull state saved; have " + times());
        vertx.undeploy(first).await(10, TimeUnit.SECONDS);

        var cursor = Instant.parse(new JsonObject(Files.readString(queue.resolve(PullState.FILE)))
                .getJsonObject("collectors").getString("127.0.0.1:" + api));
        int setsAtStop = summaries.size();
        Await.until(Duration.ofSeconds(20), () -> ends(summaries, cursor, Instant.MAX).size() >= 4,
                () -> "four intervals after " + cursor + " while the scraper is down");
        var missed = ends(summaries, cursor, Instant.MAX);
        assertThat(times()).as("nothing written while the scraper is down").doesNotContainAnyElementsOf(missed);
        assertThat(summaries.size()).isGreaterThan(setsAtStop);

        vertx.deployVerticle(new ScraperVerticle(config)).await(10, TimeUnit.SECONDS);
        long restartedAt = Instant.now().getEpochSecond();
        Await.until(Duration.ofSeconds(20), () -> times().stream().anyMatch(t -> t >= restartedAt + 2),
                () -> "intervals after the restart; have " + times());

        long firstWritten = times().first();
        long lastWritten = times().last();
        var expected = ends(summaries, Instant.ofEpochSecond(firstWritten - 1), Instant.ofEpochSecond(lastWritten));
        assertThat(expected).as("every interval from before the stop to after the restart").containsAll(missed)
                .hasSizeGreaterThanOrEqualTo(7);
        Await.until(Duration.ofSeconds(10), () -> times().containsAll(expected),
                () -> "every interval in " + expected + "; have " + times());
        var rows = InfluxRows.rawStats(influxd, DB);
        assertThat(rows).as("one point per interval").hasSize(new HashSet<>(rows.stream().map(Row::time).toList()).size());
        for (long t = firstWritten; t <= lastWritten; t++) {
            assertThat(times()).as("no gap at %s", Instant.ofEpochSecond(t)).contains(t);
        }
    }

    @Test
    void sinceSelectsKeptSetsAndIsValidated(Vertx vertx) throws Exception {
        var summaries = new Summaries(vertx);
        int api = CollectorStack.deploy(vertx, 1, "resume", "127.0.0.1:dst_hostname=live");
        Await.until(Duration.ofSeconds(20), () -> summaries.size() >= 4, () -> "four summary sets");
        String base = "http://127.0.0.1:" + api;
        var all = summaries.all();
        var third = Instant.parse(all.get(2).getString("interval_end"));

        var points = new JsonArray(Http.get(base + "/influxdata?fields=all&since=" + third).body());
        var times = points.stream().map(p -> Instant.parse(((JsonObject) p).getString("time"))).toList();
        assertThat(times).as("after the third set, oldest first").isSorted().allMatch(t -> t.isAfter(third))
                .contains(Instant.parse(all.get(3).getString("interval_end")));
        var offset = third.minusSeconds(3).atOffset(java.time.ZoneOffset.ofHours(2)).toString();
        var summariesSince = new JsonObject(Http.get(base + "/api/v1/summaries?since=" + offset.replace("+", "%2B")).body());
        assertThat(summariesSince.getJsonArray("collectors").size()).as("every kept set, with an offset time").isGreaterThanOrEqualTo(4);
        assertThat(new JsonArray(Http.get(base + "/influxdata").body())).as("without since: the newest set only").hasSize(1);

        var bad = Http.get(base + "/influxdata?since=yesterday");
        assertThat(bad.statusCode()).isEqualTo(400);
        assertThat(bad.body()).contains("\\\"since\\\"").contains("RFC 3339");
        var twice = Http.get(base + "/api/v1/summaries?since=" + third + "&since=" + third);
        assertThat(twice.statusCode()).isEqualTo(400);
        assertThat(twice.body()).contains("since").contains("more than once");
        assertThat(Http.get(base + "/api/v1/summaries?since=2024-01-01").statusCode()).as("a date without time").isEqualTo(400);
    }

    private TreeSet<Long> times() {
        var out = new TreeSet<Long>();
        InfluxRows.rawStats(influxd, DB).forEach(r -> out.add(r.time()));
        return out;
    }

    /** Interval ends (seconds) of the published sets that ended after {@code after} and not after {@code upTo}. */
    private static Set<Long> ends(Summaries summaries, Instant after, Instant upTo) {
        var out = new TreeSet<Long>();
        for (JsonObject set : summaries.all()) {
            var end = Instant.parse(set.getString("interval_end"));
            if (end.isAfter(after) && !end.isAfter(upTo) && Summaries.pair(set, "127.0.0.1") != null) {
                out.add(end.getEpochSecond());
            }
        }
        return out;
    }
}
