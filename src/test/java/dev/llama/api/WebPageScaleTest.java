package dev.llama.api;

import static org.assertj.core.api.Assertions.assertThat;

import dev.llama.testutil.Browser;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.VertxExtension;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.openqa.selenium.By;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * The page at 200 x 200 nodes: 200 collectors' summary sets of 200 pairs each reach the API on the
 * event bus; the page must show all 40,000 cells, switch to its dense layout and stay usable.
 */
@ExtendWith(VertxExtension.class)
class WebPageScaleTest {
    private static final int NODES = 200;

    @Test
    void twoHundredByTwoHundredNodesRenderAsADenseReadableGrid(Vertx vertx) throws Exception {
        var api = new ApiVerticle(new InetSocketAddress("127.0.0.1", 0));
        vertx.deployVerticle(api).await(10, TimeUnit.SECONDS);
        String end = Instant.now().truncatedTo(java.time.temporal.ChronoUnit.SECONDS).toString();
        for (int s = 0; s < NODES; s++) {
            vertx.eventBus().publish(dev.llama.summary.Addresses.SUMMARIES, set(s, end));
        }
        WebDriver browser = Browser.start(1600, 1000);
        try {
            browser.get("http://127.0.0.1:" + api.port() + "/");
            var wait = new WebDriverWait(browser, Duration.ofSeconds(60));
            wait.until(d -> d.findElements(By.cssSelector("#grid tbody tr")).size() == NODES);
            var js = (JavascriptExecutor) browser;
            assertThat(((Number) js.executeScript("return document.querySelectorAll('#grid td').length")).intValue())
                    .isEqualTo(NODES * NODES);
            assertThat(((Number) js.executeScript("return document.querySelectorAll('#grid td.nodata').length")).intValue()).isZero();
            assertThat(browser.findElement(By.id("grid")).getAttribute("class")).contains("dense");
            assertThat(browser.findElement(By.cssSelector("#grid td")).getSize().getWidth()).isBetween(5, 12);
            assertThat(((Number) js.executeScript("return document.querySelectorAll('#grid td.loss-100').length")).intValue())
                    .as("the dead column").isEqualTo(NODES);
            assertThat(browser.findElement(By.id("size")).getText()).startsWith("200 sources × 200 destinations shown");
            long started = System.nanoTime();
            new org.openqa.selenium.support.ui.Select(browser.findElement(By.id("group"))).selectByValue("region");
            wait.until(d -> d.findElements(By.cssSelector("#grid thead tr.groups th[scope=colgroup]")).size() == 4);
            long regroupMs = (System.nanoTime() - started) / 1_000_000;
            assertThat(regroupMs).as("re-rendering 40,000 cells grouped by region").isLessThan(10_000);
            Browser.screenshot(browser, "matrix-200x200.png");
        } finally {
            browser.quit();
        }
    }

    private static JsonObject set(int s, String end) {
        var pairs = new JsonArray();
        String[] regions = {"ams", "fra", "iad", "sjc"};
        for (int d = 0; d < NODES; d++) {
            boolean dead = d == 137;
            double loss = dead ? 100 : (s * 7 + d * 13) % 97 == 0 ? 12.5 : (s + d) % 41 == 0 ? 0.5 : 0;
            double rtt = 0.2 + Math.abs(s % 4 - d % 4) * 20 + (s + d) % 5 * 0.1;
            pairs.add(new JsonObject()
                    .put("src_ip", "10.1." + s / 250 + "." + s % 250).put("dst_ip", "10.2." + d / 250 + "." + d % 250)
                    .put("tags", new JsonObject().put("src_name", String.format("node-%03d", s)).put("src_region", regions[s % 4])
                            .put("dst_name", String.format("node-%03d", d)).put("dst_region", regions[d % 4]))
                    .put("sent", 40).put("lost", (int) (loss * 40 / 100)).put("loss", loss)
                    .put("rtt", dead ? 0 : rtt).put("rtt_min", dead ? 0 : rtt * 0.9).put("rtt_max", dead ? 0 : rtt * 2)
                    .put("rtt_p50", dead ? 0 : rtt).put("rtt_p90", dead ? 0 : rtt * 1.3).put("rtt_p99", dead ? 0 : rtt * 1.8)
                    .put("rtt_stddev", 0.01).put("jitter", 0.01).put("late", 0).put("duplicates", 0).put("ports", new JsonArray()));
        }
        return new JsonObject().put("version", 1).put("collector", String.format("node-%03d", s)).put("interval", 30)
                .put("interval_start", end).put("interval_end", end).put("pairs", pairs);
    }
}
