package dev.llama.api;

import static org.assertj.core.api.Assertions.assertThat;

import dev.llama.summary.Addresses;
import dev.llama.testutil.Browser;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.VertxExtension;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.openqa.selenium.By;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * A pair's charts from an hour of history put on the bus: a warm-up spike must not flatten the rest,
 * an interval where nothing answered is a gap, and a pair that never answered shows no RTT at all,
 * whether the API sends null (as it does) or 0 with every probe lost (as it did).
 */
@ExtendWith(VertxExtension.class)
class WebPageChartTest {
    private static final int INTERVALS = 12;
    private static final int SPIKE = 2;
    private static final int SILENT = 5;

    @Test
    void aSpikeIsClippedASilentIntervalIsAGapAndADeadPairHasNoRtt(Vertx vertx) throws Exception {
        var api = new ApiVerticle(new InetSocketAddress("127.0.0.1", 0));
        vertx.deployVerticle(api).await(10, TimeUnit.SECONDS);
        int port = StrictPage.serve(vertx, api);
        Instant now = Instant.now().truncatedTo(ChronoUnit.SECONDS);
        for (int i = 0; i < INTERVALS; i++) {
            vertx.eventBus().publish(Addresses.SUMMARIES, set(now.minusSeconds(30L * (INTERVALS - 1 - i)), i));
        }
        WebDriver browser = Browser.start(1280, 900);
        try {
            StrictPage.recordViolations(browser);
            browser.get("http://127.0.0.1:" + port + "/");
            var js = (JavascriptExecutor) browser;
            var wait = new WebDriverWait(browser, Duration.ofSeconds(30));
            wait.until(d -> d.findElements(By.cssSelector("#grid td")).size() == 2);

            cell(browser, "b").click();
            wait.until(d -> d.findElement(By.id("pair-now")).getText().endsWith(INTERVALS + " intervals"));
            double top = ((Number) js.executeScript("return Math.max(...[...document.querySelectorAll('#chart-rtt text')]"
                    + ".map(t => Number(t.textContent)).filter(Number.isFinite))")).doubleValue();
            assertThat(top).as("the RTT axis's top label, with values near 1.5 ms and one of 5000 ms").isBetween(1.5, 10.0);
            assertThat(browser.findElements(By.cssSelector("#chart-rtt .clipped"))).as("the spike's marks").hasSize(3);
            assertThat(browser.findElement(By.cssSelector("#chart-rtt text.clip-note")).getText())
                    .isEqualTo("▲ 3 above the scale, up to 5000.000 ms");
            assertThat(browser.findElements(By.cssSelector("#chart-rtt polyline.s-p50"))).as("a gap where nothing answered").hasSize(2);
            assertThat(browser.findElements(By.cssSelector("#chart-loss polyline.s-loss"))).hasSize(1);
            Browser.screenshot(browser, "pair-spike.png");

            cell(browser, "dead").click();
            wait.until(d -> d.findElement(By.id("pair-h")).getText().equals("a → dead")
                    && d.findElement(By.id("pair-now")).getText().endsWith(INTERVALS + " intervals"));
            assertThat(browser.findElement(By.id("pair-now")).getText()).doesNotContain("0.000").contains("no answer");
            assertThat(browser.findElements(By.cssSelector("#chart-rtt polyline, #chart-rtt circle"))).isEmpty();
            assertThat(browser.findElement(By.cssSelector("#chart-rtt text.none")).getText()).isEqualTo("no answer in this hour");
            assertThat(browser.findElement(By.cssSelector("#ports tbody td:last-child")).getText()).isEqualTo("—");
            new org.openqa.selenium.support.ui.Select(browser.findElement(By.id("metric"))).selectByValue("rtt_p99");
            wait.until(d -> cell(d, "dead").getAttribute("class").contains("loss-100"));
            assertThat(cell(browser, "dead").getText()).isEqualTo("×");
            assertThat(StrictPage.violations(browser)).isEmpty();
        } finally {
            browser.quit();
        }
    }

    private static WebElement cell(WebDriver browser, String dst) {
        return (WebElement) ((JavascriptExecutor) browser).executeScript(
                "return document.querySelector('#grid td[data-dst=\"' + arguments[0] + '\"]')", dst);
    }

    private static JsonObject set(Instant end, int i) {
        double base = 1.0 + (i % 3) * 0.01;
        var live = i == SPIKE ? pair("10.8.0.2", "b", 0, 4000.0, 4500.0, 5000.0)
                : i == SILENT ? pair("10.8.0.2", "b", 40, null, null, null)
                : pair("10.8.0.2", "b", 0, base, base * 1.2, base * 1.5);
        var pairs = new JsonArray().add(live).add(pair("10.8.0.3", "dead", 40, 0.0, 0.0, 0.0));
        return new JsonObject().put("version", 1).put("collector", "a").put("interval", 30)
                .put("interval_start", end.minusSeconds(30).toString()).put("interval_end", end.toString()).put("pairs", pairs);
    }

    private static JsonObject pair(String dstIp, String dst, int lost, Double p50, Double p90, Double p99) {
        return new JsonObject().put("src_ip", "10.8.0.1").put("dst_ip", dstIp)
                .put("tags", new JsonObject().put("src_name", "a").put("dst_name", dst))
                .put("sent", 40).put("lost", lost).put("loss", lost * 100.0 / 40)
                .put("rtt", p50).put("rtt_min", p50).put("rtt_max", p99).put("rtt_p50", p50).put("rtt_p90", p90)
                .put("rtt_p99", p99).put("rtt_stddev", p50 == null ? null : 0.01).put("jitter", p50 == null ? null : 0.01)
                .put("late", 0).put("duplicates", 0)
                .put("ports", new JsonArray().add(new JsonObject().put("src_port", 40000).put("dst_port", 8100)
                        .put("sent", 40).put("lost", lost).put("loss", lost * 100.0 / 40).put("rtt", p50)
                        .put("rtt_min", p50).put("rtt_max", p99)));
    }
}
