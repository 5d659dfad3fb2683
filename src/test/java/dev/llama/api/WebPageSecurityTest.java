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
import org.openqa.selenium.WebElement;
import org.openqa.selenium.interactions.Actions;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * Names and tags come from other nodes' configurations: the page must show them as text, never run
 * them, and it must work under a strict Content-Security-Policy.
 */
@ExtendWith(VertxExtension.class)
class WebPageSecurityTest {
    private static final String IMG = "<img src=x onerror=\"window.__xss=1\">";
    private static final String SCRIPT = "<script>window.__xss=2</script>";
    private static final String SRC = "src-a&b'\"<i>";
    /** Where a number belongs; an API that validates its input may drop this pair, the page must not run it either way. */
    private static final String NUMBER = "<img src=x onerror=\"window.__xss=3\">";

    @Test
    void markupInNamesAndTagsIsShownAsTextAndNothingBreaksThePolicy(Vertx vertx) throws Exception {
        var api = new ApiVerticle(new InetSocketAddress("127.0.0.1", 0));
        vertx.deployVerticle(api).await(10, TimeUnit.SECONDS);
        int port = StrictPage.serve(vertx, api);
        vertx.eventBus().publish(Addresses.SUMMARIES, markupNumbers());
        vertx.eventBus().publish(Addresses.SUMMARIES, set());
        var browser = Browser.start(1280, 900);
        try {
            StrictPage.recordViolations(browser);
            browser.get("http://127.0.0.1:" + port + "/");
            var js = (JavascriptExecutor) browser;
            var wait = new WebDriverWait(browser, Duration.ofSeconds(30));
            wait.until(d -> d.findElements(By.cssSelector("#grid td")).size() >= 2);
            var odd = (WebElement) js.executeScript("return document.querySelector('#grid td[data-dst=\"numbers\"]')");
            if (odd != null) {
                new Actions(browser).moveToElement(odd).perform();
                wait.until(d -> d.findElement(By.id("tip")).getText().contains("numbers"));
                odd.click();
                wait.until(d -> d.findElement(By.id("pair-h")).getText().endsWith("numbers"));
                wait.until(d -> d.findElement(By.id("pair-now")).getText().contains(NUMBER));
                assertThat(browser.findElement(By.id("ports")).getText()).contains(NUMBER);
            }
            var evil = (WebElement) js.executeScript(
                    "return [...document.querySelectorAll('#grid td')].find(td => td.dataset.dst === arguments[0])", IMG);

            new Actions(browser).moveToElement(evil).perform();
            wait.until(ExpectedConditions.visibilityOfElementLocated(By.id("tip")));
            assertThat(browser.findElement(By.id("tip")).getText()).contains(SRC + " → " + IMG).contains("10.9.0.1 → 10.9.0.3");

            new org.openqa.selenium.support.ui.Select(browser.findElement(By.id("group"))).selectByValue("region");
            wait.until(d -> d.findElements(By.cssSelector("#grid thead tr.groups th[scope=colgroup]")).size() == 2);
            assertThat(browser.findElement(By.cssSelector("#grid thead tr.groups")).getText()).contains("region=" + SCRIPT);
            assertThat(browser.findElement(By.cssSelector("#grid tbody th")).getText()).isEqualTo(SRC + " " + SCRIPT);
            assertThat(browser.findElement(By.id("worst-list")).getText()).contains(SRC + " to " + IMG + ": loss 25.00 %");

            evil = (WebElement) js.executeScript(
                    "return [...document.querySelectorAll('#grid td')].find(td => td.dataset.dst === arguments[0])", IMG);
            evil.click();
            wait.until(d -> d.findElement(By.id("pair-now")).getText().contains("interval"));
            assertThat(browser.findElement(By.id("pair-h")).getText()).isEqualTo(SRC + " → " + IMG);
            assertThat(browser.findElement(By.id("pair-now")).getText()).startsWith("10.9.0.1 → 10.9.0.3; newest interval: loss 25.00 %");
            assertThat(browser.findElements(By.cssSelector("#ports tbody tr"))).hasSize(1);

            js.executeScript("window.__samePage = true; document.getElementById('controls').requestSubmit()");
            assertThat(js.executeScript("return window.__samePage")).as("submitting the filters does not reload").isEqualTo(true);
            browser.findElement(By.id("rowFilter")).sendKeys("region=" + SCRIPT);
            wait.until(d -> d.findElement(By.id("size")).getText().startsWith("1 sources"));

            assertThat(js.executeScript("return typeof window.__xss")).isEqualTo("undefined");
            assertThat(((Number) js.executeScript("return document.querySelectorAll('img, script:not([src]), main i, #tip i, #pair i').length")).intValue())
                    .as("no element made from data").isZero();
            assertThat(StrictPage.violations(browser)).as("Content-Security-Policy violations").isEmpty();
            // the canary: the policy is in force and a violation would have been seen
            js.executeScript("const d = document.createElement('div'); d.setAttribute('style', 'color: red'); document.body.append(d);");
            wait.until(d -> !StrictPage.violations(browser).isEmpty());
            assertThat(StrictPage.violations(browser)).singleElement().asString().startsWith("style-src-attr");
            Browser.screenshot(browser, "markup-as-text.png");
        } finally {
            browser.quit();
        }
    }

    private static JsonObject set() {
        String end = Instant.now().truncatedTo(ChronoUnit.SECONDS).toString();
        var pairs = new JsonArray()
                .add(pair("10.9.0.2", new JsonObject().put("src_name", SRC).put("src_region", SCRIPT)
                        .put("dst_name", "plain").put("dst_region", "eu"), 0))
                .add(pair("10.9.0.3", new JsonObject().put("src_name", SRC).put("src_region", SCRIPT)
                        .put("dst_name", IMG).put("dst_region", SCRIPT), 10));
        return new JsonObject().put("version", 1).put("collector", SCRIPT).put("interval", 30)
                .put("interval_start", end).put("interval_end", end).put("pairs", pairs);
    }

    /** Markup where numbers belong: the decoder refuses the whole set, so none of it can reach the page. */
    private static JsonObject markupNumbers() {
        String end = Instant.now().truncatedTo(ChronoUnit.SECONDS).toString();
        var pairs = new JsonArray()
                .add(pair("10.9.0.4", new JsonObject().put("src_name", SRC).put("src_region", SCRIPT)
                        .put("dst_name", "numbers").put("dst_region", "eu"), 0)
                        .put("sent", NUMBER).put("lost", NUMBER).put("ports", new JsonArray().add(new JsonObject()
                                .put("src_port", NUMBER).put("dst_port", NUMBER).put("sent", NUMBER).put("lost", NUMBER))));
        return new JsonObject().put("version", 1).put("collector", SCRIPT).put("interval", 30)
                .put("interval_start", end).put("interval_end", end).put("pairs", pairs);
    }

    private static JsonObject pair(String dst, JsonObject tags, int lost) {
        return new JsonObject().put("src_ip", "10.9.0.1").put("dst_ip", dst).put("tags", tags)
                .put("sent", 40).put("lost", lost).put("loss", lost * 100.0 / 40)
                .put("rtt", 1.0).put("rtt_min", 0.5).put("rtt_max", 2.0).put("rtt_p50", 1.0).put("rtt_p90", 1.5)
                .put("rtt_p99", 2.0).put("rtt_stddev", 0.1).put("jitter", 0.1).put("late", 0).put("duplicates", 0)
                .put("ports", new JsonArray().add(new JsonObject().put("src_port", 40000).put("dst_port", 8100)
                        .put("sent", 40).put("lost", lost).put("loss", lost * 100.0 / 40).put("rtt", 1.0)
                        .put("rtt_min", 0.5).put("rtt_max", 2.0)));
    }
}
