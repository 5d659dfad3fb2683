package dev.llama.scraper;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.llama.config.ConfigException;
import dev.llama.scraper.ScraperConfig.Api;
import dev.llama.scraper.ScraperConfig.Endpoint;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;

class ScraperConfigTest {
    @Test
    void defaultsAreTheOriginals() {
        var c = ScraperConfig.parse(new JsonObject().put("collectors", "a,b:5001, [::1]:7 ,::2"));
        assertThat(c.interval()).isEqualTo(30);
        assertThat(c.collectors()).containsExactly(new Endpoint("a", 5000), new Endpoint("b", 5001), new Endpoint("::1", 7),
                new Endpoint("::2", 5000));
        assertThat(c.collectors().get(2).url("/x")).isEqualTo("http://[::1]:7/x");
        assertThat(c.influx().url()).hasToString("http://127.0.0.1:5086");
        assertThat(c.influx().api()).isEqualTo(Api.V1);
        assertThat(c.influx().database()).isEqualTo("llama");
        assertThat(c.scrapeOffsetMs()).isEqualTo(2000);
    }

    @Test
    void secretsStayOutOfToString() {
        var c = ScraperConfig.parse(new JsonObject().put("collectors", "a").put("influxdb",
                new JsonObject().put("user", "u").put("password", "hunter2").put("token", "tok-123")));
        assertThat(c.toString()).doesNotContain("hunter2").doesNotContain("tok-123");
        assertThat(c.influx().password()).isEqualTo("hunter2");
    }

    @Test
    void v2NeedsOrgAndBucket() {
        var influx = new JsonObject().put("api", "v2").put("org", "o");
        assertThatThrownBy(() -> ScraperConfig.parse(new JsonObject().put("bus", true).put("influxdb", influx)))
                .isInstanceOf(ConfigException.class).hasMessageStartingWith("scraper.influxdb.bucket:");
        var c = ScraperConfig.parse(new JsonObject().put("bus", true).put("influxdb", influx.copy().put("bucket", "b")));
        assertThat(c.influx().api()).isEqualTo(Api.V2);
    }

    @Test
    void v3WritesThroughTheV2ApiWithoutAnOrg() {
        var c = ScraperConfig.parse(new JsonObject().put("bus", true).put("influxdb", new JsonObject().put("api", "v3")
                .put("url", "http://127.0.0.1:8181").put("database", "net").put("token", "t")));
        assertThat(c.influx().api()).isEqualTo(Api.V2);
        assertThat(c.influx().bucket()).isEqualTo("net");
        assertThat(c.influx().org()).isEmpty();
        assertThatThrownBy(() -> ScraperConfig.parse(new JsonObject().put("bus", true).put("influxdb", new JsonObject().put("api", "v4"))))
                .hasMessageStartingWith("scraper.influxdb.api:").hasMessageContaining("v3").hasMessageEndingWith("got v4");
    }

    @Test
    void problemsNameTheKey() {
        assertProblem(new JsonObject().put("collectors", "a").put("intervall", 3), "scraper.intervall:");
        assertProblem(new JsonObject().put("collectors", "a").put("interval", 0), "scraper.interval:");
        assertProblem(new JsonObject().put("collectors", "a:99999"), "scraper.collectors:");
        assertProblem(new JsonObject().put("collectors", "a/b"), "scraper.collectors:");
        assertProblem(new JsonObject(), "scraper.collectors:");
        assertProblem(new JsonObject().put("collectors", "a").put("influxdb", new JsonObject().put("url", "ftp://x")), "scraper.influxdb.url:");
        assertProblem(new JsonObject().put("collectors", "a").put("influxdb", new JsonObject().put("url", "http://u:p@x:1")), "scraper.influxdb.url:");
        assertProblem(new JsonObject().put("collectors", "a").put("influxdb", new JsonObject().put("api", "v9")), "scraper.influxdb.api:");
        assertProblem(new JsonObject().put("collectors", "a").put("influxdb", new JsonObject().put("pasword", "x")), "scraper.influxdb.pasword:");
        assertProblem(new JsonObject().put("collectors", "a").put("queue", new JsonObject().put("max_mb", "big")), "scraper.queue.max_mb:");
        assertProblem(new JsonObject().put("collectors", "a").put("retry", new JsonObject().put("min_ms", 5000).put("max_ms", 10)),
                "scraper.retry.max_ms:");
    }

    private static void assertProblem(JsonObject json, String prefix) {
        assertThatThrownBy(() -> ScraperConfig.parse(json)).isInstanceOf(ConfigException.class).hasMessageStartingWith(prefix);
    }
}
