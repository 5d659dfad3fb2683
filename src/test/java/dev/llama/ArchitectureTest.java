package dev.llama;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The data path in the package graph: the roles (reflector, collector, scraper, api) talk through the
 * contract ({@code summary}, {@code registry}) and never import each other; lower packages never import
 * higher ones. Read from the sources, so a forbidden import fails the build, wherever it is written
 * (import line or fully qualified name).
 */
class ArchitectureTest {
    /** What each package may import, besides itself. A new package must be placed here. */
    private static final Map<String, Set<String>> ALLOWED = Map.ofEntries(
            Map.entry("net", Set.of()),
            Map.entry("probe", Set.of("net")),
            Map.entry("config", Set.of("net")),
            Map.entry("metrics", Set.of()),
            Map.entry("summary", Set.of("net", "config")),
            Map.entry("registry", Set.of("net", "config")),
            Map.entry("localize", Set.of("summary")),
            Map.entry("stamp", Set.of("net")),
            Map.entry("reflector", Set.of("net", "probe", "stamp", "config", "metrics")),
            Map.entry("collector", Set.of("net", "probe", "stamp", "config", "metrics", "summary")),
            Map.entry("scraper", Set.of("net", "config", "metrics", "summary")),
            Map.entry("api", Set.of("net", "config", "metrics", "summary", "registry", "localize")),
            // a node's settings include the scraper's; membership and discovery reach the collector only through the contract
            Map.entry("cluster", Set.of("net", "config", "metrics", "summary", "registry", "scraper")),
            Map.entry("node", Set.of("net", "probe", "stamp", "localize", "config", "metrics", "summary", "registry", "reflector", "collector", "scraper",
                    "api", "cluster")),
            Map.entry("bench", Set.of("net", "probe", "stamp", "config", "metrics", "summary", "localize", "scraper")),
            Map.entry("cli", Set.of("net", "probe", "stamp", "localize", "config", "metrics", "summary", "registry", "reflector", "collector", "scraper",
                    "api", "cluster", "node", "bench")));
    private static final Pattern REFERENCE = Pattern.compile("\\bdev\\.llama\\.([a-z]+)\\.[A-Z]");
    private static final Path ROOT = Path.of("src/main/java/dev/llama");

    @Test
    void noPackageImportsOneItMayNot() throws IOException {
        var forbidden = new TreeSet<String>();
        var unplaced = new TreeSet<String>();
        try (Stream<Path> files = Files.walk(ROOT)) {
            for (Path file : files.filter(f -> f.toString().endsWith(".java")).toList()) {
                Path rel = ROOT.relativize(file);
                if (rel.getNameCount() < 2) {
                    continue; // Main, in the root package, starts the CLI
                }
                String pkg = rel.getName(0).toString();
                var allowed = ALLOWED.get(pkg);
                if (allowed == null) {
                    unplaced.add(pkg);
                    continue;
                }
                for (String target : references(file)) {
                    if (!target.equals(pkg) && !allowed.contains(target)) {
                        forbidden.add(pkg + " -> " + target + " (" + rel + ")");
                    }
                }
            }
        }
        assertThat(unplaced).as("packages not placed in ALLOWED").isEmpty();
        assertThat(forbidden).as("forbidden arrows").isEmpty();
    }

    @Test
    void theRulesThemselvesHaveNoCycle() {
        for (var from : ALLOWED.keySet()) {
            for (var to : ALLOWED.get(from)) {
                assertThat(ALLOWED.get(to)).as(from + " -> " + to + " and back").doesNotContain(from);
            }
        }
        assertThat(ALLOWED.get("collector")).as("the issue's rule: roles reach the collector only through the contract")
                .isNotNull();
        for (var role : List.of("api", "scraper", "cluster", "reflector")) {
            assertThat(ALLOWED.get(role)).doesNotContain("collector");
        }
        assertThat(ALLOWED.get("scraper")).doesNotContain("api");
    }

    private static List<String> references(Path file) throws IOException {
        var out = new ArrayList<String>();
        for (String line : Files.readAllLines(file)) {
            if (line.startsWith("package ")) {
                continue;
            }
            var m = REFERENCE.matcher(line);
            while (m.find()) {
                out.add(m.group(1));
            }
        }
        return out;
    }
}
