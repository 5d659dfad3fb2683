package dev.llama.api;

import static org.assertj.core.api.Assertions.assertThat;

import dev.llama.testutil.Await;
import dev.llama.testutil.Browser;
import dev.llama.testutil.ChildJvm;
import dev.llama.testutil.FreePorts;
import dev.llama.testutil.Http;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.Keys;
import org.openqa.selenium.StaleElementReferenceException;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.interactions.Actions;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * The matrix page in a real headless Chromium (Debian's chromium and chromium-driver, no download),
 * against a demo process: three sites probing three live reflectors and one address where nothing
 * answers. Screenshots go to {@code target/screenshots/} (the README shows them).
 */
class WebPageTest {
    private static Process demo;
    private static WebDriver browser;
    private static String page;

    @BeforeAll
    static void startDemoAndBrowser(@org.junit.jupiter.api.io.TempDir Path dir) throws Exception {
        int api = FreePorts.tcp();
        int udp = FreePorts.udp("127.0.0.1");
        int noInflux = FreePorts.tcp();
        demo = new ProcessBuilder(ChildJvm.command("demo", "-api", "127.0.0.1:" + api, "-port", String.valueOf(udp),
                "-interval", "2", "-influxdb", "http://127.0.0.1:" + noInflux, "-queue-dir", dir.resolve("queue").toString()))
                .redirectErrorStream(true).redirectOutput(dir.resolve("demo.log").toFile()).start();
        page = "http://127.0.0.1:" + api + "/";
        Await.until(Duration.ofSeconds(60), () -> Http.ok(page + "health"),
                () -> "the demo's API; it said: " + ChildJvm.output(dir.resolve("demo.log")));
        browser = Browser.start(1280, 900);
    }

    @AfterAll
    static void stopAll() throws Exception {
        if (browser != null) {
            browser.quit();
        }
        ChildJvm.stop(demo);
    }

    @Test
    void theMatrixShowsEveryPairColoursLossOpensAPairFiltersRowsAndUpdatesLive() throws Exception {
        browser.get(page);
        var wait = new WebDriverWait(browser, Duration.ofSeconds(40));
        wait.until(d -> d.findElements(By.cssSelector("#grid td:not(.nodata)")).size() == 12);

        assertThat(names("#grid tbody th")).containsExactly("fra-1", "lon-1", "nyc-1");
        assertThat(names("#grid thead th.col")).containsExactly("nobody-home", "reflector-1", "reflector-2", "reflector-3");
        for (String src : List.of("fra-1", "lon-1", "nyc-1")) {
            assertThat(attr(src, "nobody-home", "class")).contains("loss-100");
            for (String dst : List.of("reflector-1", "reflector-2", "reflector-3")) {
                assertThat(attr(src, dst, "class")).as(src + " to " + dst).contains("loss-0");
            }
        }
        assertThat(attr("lon-1", "nobody-home", "aria-label")).startsWith("lon-1 to nobody-home: loss 100.00 %");
        assertThat(browser.findElement(By.id("legend")).getText()).contains("0 %").contains("100 %");
        assertThat(browser.findElement(By.id("when")).getText()).startsWith("Data of the interval ending");
        hoverCell("fra-1", "reflector-2");
        wait.until(ExpectedConditions.visibilityOfElementLocated(By.id("tip")));
        assertThat(browser.findElement(By.id("tip")).getText()).contains("fra-1 → reflector-2").contains("RTT p50");
        screenshot("matrix.png");

        new Select(browser, "metric").choose("rtt_p50");
        assertThat(attr("lon-1", "reflector-1", "class")).containsPattern("rtt-\\d");
        assertThat(browser.findElement(By.id("legend")).getText()).contains("RTT p50").contains("all lost");
        new Select(browser, "metric").choose("loss");

        var filter = browser.findElement(By.id("rowFilter"));
        filter.sendKeys("region=us");
        wait.until(d -> names("#grid tbody th").equals(List.of("nyc-1")));
        new Select(browser, "group").choose("region");
        screenshot("filtered.png");
        assertThat(browser.getCurrentUrl()).endsWith("#group=region&rowFilter=region%3Dus");
        browser.navigate().refresh();
        wait.until(d -> names("#grid tbody th").equals(List.of("nyc-1")));
        assertThat(browser.findElement(By.id("group")).getAttribute("value")).as("the view from the link").isEqualTo("region");
        filter = browser.findElement(By.id("rowFilter"));
        filter.sendKeys(Keys.chord(Keys.CONTROL, "a"), Keys.BACK_SPACE);
        wait.until(d -> names("#grid tbody th").size() == 3);

        var when = browser.findElement(By.id("when"));
        String interval = when.getAttribute("data-interval-end");
        ((org.openqa.selenium.JavascriptExecutor) browser).executeScript("window.llamaTestMarker = 'same page';");
        wait.until(d -> !interval.equals(d.findElement(By.id("when")).getAttribute("data-interval-end")));
        assertThat(((org.openqa.selenium.JavascriptExecutor) browser).executeScript("return window.llamaTestMarker"))
                .as("updated without a reload").isEqualTo("same page");
        assertThat(browser.findElement(By.id("live")).getText()).isEqualTo("live");
        assertThat(browser.findElements(By.cssSelector("#grid td:not(.nodata)"))).hasSize(12);
        assertThat(attr("nyc-1", "nobody-home", "class")).contains("loss-100");

        clickCell("lon-1", "reflector-1");
        wait.until(ExpectedConditions.visibilityOfElementLocated(By.id("pair")));
        wait.until(d -> !d.findElements(By.cssSelector("#chart-rtt polyline.s-p50")).isEmpty());
        wait.until(d -> d.findElement(By.id("pair-now")).getText().matches(".*; ([3-9]|\\d\\d+) intervals"));
        assertThat(browser.findElement(By.id("pair-h")).getText()).isEqualTo("lon-1 → reflector-1");
        assertThat(browser.findElements(By.cssSelector("#chart-loss polyline.s-loss"))).hasSize(1);
        wait.until(d -> d.findElements(By.cssSelector("#ports tbody tr")).size() == 4);
        screenshot("pair.png");
        browser.findElement(By.id("pair-close")).click();
        wait.until(ExpectedConditions.invisibilityOfElementLocated(By.id("pair")));

    }

    @Test
    void keyboardMovesThroughTheGridKeepsFocusAcrossUpdatesAndEnterOpensThePair() {
        browser.get(page);
        var wait = new WebDriverWait(browser, Duration.ofSeconds(40));
        wait.until(d -> d.findElements(By.cssSelector("#grid td:not(.nodata)")).size() == 12);
        assertThat(browser.findElements(By.cssSelector("#grid td[tabindex='0']"))).hasSize(1);
        ((org.openqa.selenium.JavascriptExecutor) browser).executeScript("document.querySelector('#grid td[tabindex=\"0\"]').focus()");
        new Actions(browser).sendKeys(Keys.ARROW_RIGHT).sendKeys(Keys.ARROW_DOWN).perform();
        assertThat(active("data-r")).isEqualTo("1");
        assertThat(active("data-c")).isEqualTo("1");
        var before = browser.findElement(By.id("when")).getAttribute("data-updates");
        wait.until(d -> !before.equals(d.findElement(By.id("when")).getAttribute("data-updates")));
        assertThat(active("data-c")).as("focus kept across a live update").isEqualTo("1");
        new Actions(browser).sendKeys(Keys.ENTER).perform();
        wait.until(ExpectedConditions.visibilityOfElementLocated(By.id("pair")));
        assertThat(browser.findElement(By.id("pair-h")).getText()).isEqualTo("lon-1 → reflector-1");
        new Actions(browser).sendKeys(Keys.ESCAPE).perform();
        wait.until(ExpectedConditions.invisibilityOfElementLocated(By.id("pair")));
    }

    @Test
    void aDeadPairShowsNoRttAndClickingACellClosesTheTooltip() {
        browser.get(page);
        var wait = new WebDriverWait(browser, Duration.ofSeconds(40));
        wait.until(d -> d.findElements(By.cssSelector("#grid td:not(.nodata)")).size() == 12);
        hoverCell("lon-1", "nobody-home");
        wait.until(ExpectedConditions.visibilityOfElementLocated(By.id("tip")));
        assertThat(text(browser, "tip")).contains("no answer").doesNotContain("0.000");

        clickCell("lon-1", "nobody-home");
        wait.until(d -> text(d, "pair-h").equals("lon-1 → nobody-home")
                && text(d, "pair-now").contains("interval"));
        assertThat(browser.findElement(By.id("tip")).isDisplayed()).as("the tooltip once the pair opens").isFalse();
        assertThat(text(browser, "pair-now")).doesNotContain("0.000 ms").contains("no answer");
        assertThat(browser.findElements(By.cssSelector("#chart-rtt polyline, #chart-rtt circle"))).as("an RTT line at 0").isEmpty();
        wait.until(d -> !d.findElements(By.cssSelector("#ports tbody tr")).isEmpty());
        // read in one script call: a live update may replace the table between two WebDriver calls
        @SuppressWarnings("unchecked")
        var rtts = (List<String>) ((JavascriptExecutor) browser).executeScript(
                "return Array.from(document.querySelectorAll('#ports tbody td:last-child'), td => td.textContent.trim())");
        assertThat(rtts).isNotEmpty().allMatch("—"::equals);
        var before = browser.findElement(By.id("when")).getAttribute("data-updates");
        wait.until(d -> !before.equals(d.findElement(By.id("when")).getAttribute("data-updates")));
        assertThat(browser.findElement(By.id("tip")).isDisplayed()).as("the tooltip after a live update under the pointer").isFalse();
        assertThat(text(browser, "pair-now")).doesNotContain("0.000 ms");
        new Actions(browser).sendKeys(Keys.ESCAPE).perform();
        wait.until(ExpectedConditions.invisibilityOfElementLocated(By.id("pair")));
    }

    @Test
    void eachFilterShowsItsOwnErrorWorstPairsFollowTheFiltersAndNoMatchIsAReadableMessage() throws Exception {
        browser.get(page);
        var wait = new WebDriverWait(browser, Duration.ofSeconds(40));
        wait.until(d -> d.findElements(By.cssSelector("#grid td:not(.nodata)")).size() == 12);
        browser.findElement(By.id("rowFilter")).sendKeys("region");
        wait.until(d -> d.findElement(By.id("rowFilterError")).getText().startsWith("\"region\" is not tag=value"));
        assertThat(browser.findElement(By.id("rowFilter")).getAttribute("aria-invalid")).isEqualTo("true");
        assertThat(browser.findElement(By.id("colFilterError")).getText()).isEmpty();
        assertThat(browser.findElement(By.id("rowFilterError")).getAttribute("aria-live")).isEqualTo("polite");

        browser.findElement(By.id("rowFilter")).sendKeys(Keys.chord(Keys.CONTROL, "a"), "name=nyc-1");
        wait.until(d -> names("#grid tbody th").equals(List.of("nyc-1")));
        assertThat(browser.findElement(By.id("rowFilterError")).getText()).isEmpty();
        List<String> worst = patiently().until(d -> d.findElements(By.cssSelector("#worst-list li")).stream().map(e -> e.getText()).toList());
        assertThat(worst).isNotEmpty().allSatisfy(w -> assertThat(w).startsWith("nyc-1 to "));
        assertThat(worst.get(0)).startsWith("nyc-1 to nobody-home: loss 100.00 %");
        browser.findElement(By.id("colFilter")).sendKeys("name=reflector-2");
        wait.until(d -> d.findElements(By.cssSelector("#worst-list li")).size() == 1);
        assertThat(browser.findElement(By.id("worst-list")).getText()).startsWith("nyc-1 to reflector-2:");

        browser.findElement(By.id("colFilter")).sendKeys(Keys.chord(Keys.CONTROL, "a"), "name=nowhere");
        wait.until(ExpectedConditions.visibilityOfElementLocated(By.id("empty")));
        var empty = browser.findElement(By.id("empty"));
        assertThat(empty.getText()).isEqualTo("No pair matches the filters.");
        assertThat(empty.getSize().getWidth()).as("the message's width").isGreaterThan(300);
        assertThat(empty.getSize().getHeight()).as("the message's height: one line").isLessThan(60);
        assertThat(browser.findElement(By.id("worst-list")).getText()).isEqualTo("No pair matches the filters.");
        screenshot("no-match.png");
    }

    private static By cellAt(String src, String dst) {
        return By.cssSelector("#grid tr[data-src='" + src + "'] td[data-dst='" + dst + "']");
    }

    /** A cell's attribute; the page replaces its cells on every interval, so a stale cell is looked up again. */
    private static String attr(String src, String dst, String name) {
        return patiently().until(d -> d.findElement(cellAt(src, dst)).getAttribute(name));
    }

    private static void clickCell(String src, String dst) {
        patiently().until(d -> {
            d.findElement(cellAt(src, dst)).click();
            return true;
        });
    }

    private static void hoverCell(String src, String dst) {
        patiently().until(d -> {
            new Actions(d).moveToElement(d.findElement(cellAt(src, dst))).perform();
            return true;
        });
    }

    private static String active(String name) {
        return patiently().until(d -> d.switchTo().activeElement().getAttribute(name));
    }

    private static WebDriverWait patiently() {
        var wait = new WebDriverWait(browser, Duration.ofSeconds(10));
        wait.ignoring(StaleElementReferenceException.class);
        return wait;
    }

    private static List<String> names(String css) {
        return patiently().until(d -> d.findElements(By.cssSelector(css)).stream()
                .map(e -> e.getTagName().equals("th") && e.getAttribute("class").contains("col")
                        ? e.getAttribute("title").split(" ")[0] : e.getText().split(" ")[0])
                .toList());
    }

    private static void screenshot(String name) throws Exception {
        Browser.screenshot(browser, name);
    }

    /** A select element chosen by its option value. */
    private record Select(WebDriver driver, String id) {
        void choose(String value) {
            new org.openqa.selenium.support.ui.Select(driver.findElement(By.id(id))).selectByValue(value);
        }
    }

    /** An element's visible text, read in one script call so a live update cannot make it stale mid-read. */
    private static String text(WebDriver driver, String id) {
        Object t = ((JavascriptExecutor) driver).executeScript("const e = document.getElementById(arguments[0]); return e ? e.innerText : ''", id);
        return String.valueOf(t);
    }
}
