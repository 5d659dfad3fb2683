package dev.llama.scraper;

import static org.assertj.core.api.Assertions.assertThat;

import dev.llama.scraper.ScraperConfig.Endpoint;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PullStateTest {
    private static final Endpoint A = new Endpoint("127.0.0.1", 5000);
    private static final Endpoint B = new Endpoint("127.0.0.2", 5000);

    @TempDir
    Path dir;

    private static JsonObject point(String src, Object time) {
        return new JsonObject().put("measurement", "raw_stats").put("tags", new JsonObject().put("src_ip", src))
                .put("fields", new JsonObject().put("sent", 1.0)).put("time", time);
    }

    @Test
    void resumesAfterTheOldestOfEachSourcesNewestTime() {
        var points = new JsonArray().add(point("10.0.0.1", "2030-01-01T00:00:10Z")).add(point("10.0.0.1", "2030-01-01T00:00:20Z"))
                .add(point("10.0.0.2", "2030-01-01T00:00:12+00:00")).add("not a point").add(point("10.0.0.3", 17))
                .add(point("10.0.0.3", "0001-01-01T00:00:00Z")).add(point("10.0.0.3", "yesterday"))
                .add(point("10.0.0.3", "9".repeat(100)));
        assertThat(PullState.resumeAfter(points)).isEqualTo(Instant.parse("2030-01-01T00:00:12Z"));
        assertThat(PullState.resumeAfter(new JsonArray().add(point("10.0.0.1", "0001-01-01T00:00:00Z"))))
                .as("the original collector's zero time").isNull();
        assertThat(PullState.resumeAfter(new JsonArray())).isNull();
    }

    @Test
    void savedStateIsReadBackForTheCollectorsStillPulled() throws Exception {
        var state = PullState.load(dir, List.of(A, B));
        assertThat(state.cursor(A)).isNull();
        state.put(B, Instant.parse("2030-01-01T00:00:05Z"));
        state.save(state.put(A, Instant.parse("2030-01-01T00:00:10Z")));
        assertThat(Files.list(dir).map(p -> p.getFileName().toString()).toList()).containsExactly(PullState.FILE);

        var again = PullState.load(dir, List.of(A));
        assertThat(again.cursor(A)).isEqualTo(Instant.parse("2030-01-01T00:00:10Z"));
        assertThat(again.cursor(B)).as("no longer pulled").isNull();
        assertThat(new JsonObject(again.put(A, null)).getJsonObject("collectors")).isEmpty();
    }

    @Test
    void aBrokenFileIsAnEmptyState() throws Exception {
        for (String content : List.of("{", "[]", "{\"collectors\":[1]}", "{\"collectors\":{\"127.0.0.1:5000\":\"soon\"}}",
                "{\"collectors\":{\"127.0.0.1:5000\":42}}")) {
            Files.writeString(dir.resolve(PullState.FILE), content);
            assertThat(PullState.load(dir, List.of(A)).cursor(A)).as(content).isNull();
        }
        Files.write(dir.resolve(PullState.FILE), new byte[(1 << 20) + 1]);
        assertThat(PullState.load(dir, List.of(A)).cursor(A)).isNull();
    }
}
