package dev.llama.api;

import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.chrome.ChromeDriver;

/**
 * The page served by an {@link ApiVerticle}'s own routes under the strict Content-Security-Policy it
 * must work with, and a record of every violation the browser reports, kept from before the page's
 * first script runs.
 */
final class StrictPage {
    static final String CSP = "default-src 'self'; img-src 'self' data:; style-src 'self'; script-src 'self'; "
            + "connect-src 'self'; frame-ancestors 'none'; base-uri 'none'";

    private StrictPage() {
    }

    /** Serves the API's routes with the policy on every response; returns the port. */
    static int serve(Vertx vertx, ApiVerticle api) throws Exception {
        var router = api.router();
        router.route().order(-1).handler(ctx -> {
            ctx.response().putHeader("Content-Security-Policy", CSP);
            ctx.next();
        });
        HttpServer server = vertx.createHttpServer().requestHandler(router).listen(0, "127.0.0.1").await(10, TimeUnit.SECONDS);
        return server.actualPort();
    }

    /** From now on, each page the browser opens records its policy violations in {@code window.__csp}. */
    static void recordViolations(WebDriver browser) {
        ((ChromeDriver) browser).executeCdpCommand("Page.addScriptToEvaluateOnNewDocument", Map.of("source",
                "window.__csp = []; document.addEventListener('securitypolicyviolation', e => window.__csp.push("
                        + "e.violatedDirective + ' blocked ' + e.blockedURI + ' at ' + e.sourceFile + ':' + e.lineNumber));"));
    }

    /** The violations recorded so far on the open page. */
    @SuppressWarnings("unchecked")
    static List<String> violations(WebDriver browser) {
        return (List<String>) ((JavascriptExecutor) browser).executeScript("return window.__csp");
    }
}
