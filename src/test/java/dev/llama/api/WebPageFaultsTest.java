package dev.llama.api;

import static org.assertj.core.api.Assertions.assertThat;

import dev.llama.localize.Evidence;
import dev.llama.localize.Suspect;
import dev.llama.summary.Addresses;
import dev.llama.testutil.Browser;
import io.vertx.core.Vertx;
import io.vertx.junit5.VertxExtension;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.openqa.selenium.By;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * The Suspects panel in a real headless Chromium: the suspects a localizer double names are listed
 * (kind, scope, side, loss against the rest, score) as text, and clicking one highlights its row,
 * column and cells in the matrix; clicking it again clears the highlight.
 */
@ExtendWith(VertxExtension.class)
class WebPageFaultsTest {
    private static final String HOSTILE = "<img src=x id=pwned>";

    @Test
    void thePanelListsTheSuspectsAndAClickHighlightsTheirCells(Vertx vertx) throws Exception {
        var hostile = new Suspect("rack", HOSTILE, "boundary", 1.0, 1, new Evidence(List.of("<b>>x"), List.of(), 10, 1, 10, 0));
        var api = new ApiVerticle(new InetSocketAddress("127.0.0.1", 0))
                .localizer(pairs -> List.of(FaultsApiTest.HOST, FaultsApiTest.PATH, hostile));
        vertx.deployVerticle(api).await(10, TimeUnit.SECONDS);
        int port = StrictPage.serve(vertx, api);
        vertx.eventBus().publish(Addresses.SUMMARIES, FaultsApiTest.set(Instant.now().truncatedTo(ChronoUnit.SECONDS).minusSeconds(5)));
        WebDriver browser = Browser.start(1280, 900);
        try {
            StrictPage.recordViolations(browser);
            browser.get("http://127.0.0.1:" + port + "/");
            var wait = new WebDriverWait(browser, Duration.ofSeconds(30));
            wait.until(d -> d.findElements(By.cssSelector("#grid td:not(.nodata)")).size() == 3
                    && d.findElements(By.cssSelector("#suspect-list button")).size() == 3);
            var items = browser.findElements(By.cssSelector("#suspect-list button"));
            assertThat(items.get(0).getText()).isEqualTo("host h2 (both): loss 37.50 % (30 of 80) vs 0.00 % elsewhere, score 7.50");
            assertThat(items.get(1).getText())
                    .isEqualTo("path 10.9.0.1>10.9.0.3: loss 25.00 % (10 of 40) vs 37.50 % elsewhere, source ports 40001, score 3.00");
            assertThat(items.get(2).getText()).startsWith("rack " + HOSTILE + " (boundary)");
            assertThat(browser.findElements(By.id("pwned"))).as("data is text, never markup").isEmpty();
            assertThat(browser.findElement(By.id("suspects")).getLocation().getY())
                    .as("above the worst pairs").isLessThan(browser.findElement(By.id("worst")).getLocation().getY());
            assertThat(highlighted(browser)).isEmpty();

            items.get(0).click();
            wait.until(d -> !highlighted(d).isEmpty());
            assertThat(highlighted(browser)).containsExactlyInAnyOrder("row h2", "col h2", "cell h1>h2", "cell h2>h1");
            assertThat(browser.findElement(By.id("grid")).getAttribute("class")).contains("highlighting");
            Browser.screenshot(browser, "suspects.png");

            browser.findElements(By.cssSelector("#suspect-list button")).get(1).click();
            wait.until(d -> highlighted(d).equals(List.of("cell h1>h3")));
            assertThat(browser.findElements(By.cssSelector("#suspect-list button")).get(1).getAttribute("aria-pressed")).isEqualTo("true");

            browser.findElements(By.cssSelector("#suspect-list button")).get(1).click();
            wait.until(d -> highlighted(d).isEmpty());
            assertThat(browser.findElement(By.id("grid")).getAttribute("class")).doesNotContain("highlighting");
            assertThat(StrictPage.violations(browser)).isEmpty();
        } finally {
            browser.quit();
        }
    }

    @SuppressWarnings("unchecked")
    private static List<String> highlighted(WebDriver browser) {
        return (List<String>) ((JavascriptExecutor) browser).executeScript("""
                const out = [];
                document.querySelectorAll('#grid tbody tr.hl').forEach((tr) => out.push('row ' + tr.dataset.src));
                document.querySelectorAll('#grid thead th.col.hl').forEach((th) => out.push('col ' + th.textContent));
                document.querySelectorAll('#grid td.hl').forEach((td) => out.push('cell ' + td.closest('tr').dataset.src + '>' + td.dataset.dst));
                return out;""");
    }
}
