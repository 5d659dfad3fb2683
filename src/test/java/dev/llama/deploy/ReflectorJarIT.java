package dev.llama.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import dev.llama.testutil.Await;
import dev.llama.testutil.FreePorts;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.jar.JarFile;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * target/llama-reflector.jar, the reflector-only artifact: a fraction of the full jar, none of the other
 * roles' libraries, and a working reflector under the packaged launcher and the reflector's JVM options
 * that stays within its memory goal.
 */
class ReflectorJarIT {
    private static final Path FULL = Images.ROOT.resolve("target/llama.jar");
    private static final Path SMALL = Images.ROOT.resolve("target/llama-reflector.jar");

    @Test
    void theJarIsAThirdOfTheFullOneAndCarriesNoOtherRole() throws Exception {
        assertThat(Files.size(SMALL)).as("%d bytes against %d", Files.size(SMALL), Files.size(FULL)).isLessThan(Files.size(FULL) / 3);
        try (var zip = new JarFile(SMALL.toFile())) {
            var names = zip.stream().map(e -> e.getName()).toList();
            assertThat(names).contains("dev/llama/cli/ReflectorMain.class", "dev/llama/reflector/ReflectorVerticle.class",
                    "io/vertx/core/Vertx.class", "io/netty/channel/epoll/EpollDatagramChannel.class", "logback.xml");
            assertThat(names).noneMatch(n -> n.startsWith("com/hazelcast/") || n.startsWith("io/vertx/ext/web/")
                    || n.startsWith("io/micrometer/prometheus") || n.startsWith("dev/llama/collector/")
                    || n.startsWith("dev/llama/scraper/") || n.startsWith("dev/llama/api/") || n.equals("dev/llama/cli/Launcher.class"));
            assertThat(zip.getManifest().getMainAttributes().getValue("Main-Class")).isEqualTo("dev.llama.cli.ReflectorMain");
        }
    }

    @Test
    void itReflectsUnderThePackagedLauncherWithinItsMemoryGoal(@TempDir Path dir) throws Exception {
        Path home = Files.createDirectory(dir.resolve("home"));
        Files.createSymbolicLink(home.resolve("llama-reflector.jar"), SMALL);
        Files.createSymbolicLink(home.resolve("llama.jar"), FULL);
        Files.createSymbolicLink(home.resolve("jvm-options.sh"), Images.ROOT.resolve("packaging/jvm-options.sh"));
        int port = FreePorts.udp("127.0.0.1");
        Path log = dir.resolve("reflector.log");
        var builder = new ProcessBuilder(Images.ROOT.resolve("packaging/llama").toString(), "reflector", "-bind", "127.0.0.1", "-port", Integer.toString(port))
                .redirectErrorStream(true).redirectOutput(log.toFile());
        builder.environment().put("LLAMA_HOME", home.toString());
        builder.environment().remove("LLAMA_JAVA_OPTS");
        var process = builder.start();
        try {
            ImageIT.assertReflects(port, process, log);
            String command = process.info().commandLine().orElse("");
            assertThat(command).contains("-XX:+UseSerialGC", "-Xmx64m", home.resolve("llama-reflector.jar").toString());
            // the goal: at most 64 MB resident when idle, read a few seconds after the reply
            var status = Path.of("/proc", Long.toString(process.pid()), "status");
            Await.until(Duration.ofSeconds(30), () -> rssKb(status) > 0, () -> "RSS of " + process.pid());
            long rss = rssKb(status);
            Files.writeString(Images.ROOT.resolve("target/reflector-rss.txt"), rss + " kB\n");
            assertThat(rss).as("RSS in kB").isLessThanOrEqualTo(64 * 1024);
        } finally {
            Host.stop(process);
        }
    }

    @Test
    void aBadFlagExits2AndHelpExits0(@TempDir Path dir) {
        var bad = Host.run(Duration.ofMinutes(1), "java", "-jar", SMALL.toString(), "reflector", "-port", "70000");
        assertThat(bad.code()).as(bad.output()).isEqualTo(2);
        assertThat(bad.output()).contains("llama reflector:", "-port");
        var help = Host.run(Duration.ofMinutes(1), "java", "-jar", SMALL.toString(), "--help");
        assertThat(help.code()).as(help.output()).isZero();
        assertThat(help.output()).contains("-max-pps", "-auth-keys");
    }

    private static long rssKb(Path status) {
        try {
            return Files.readAllLines(status).stream().filter(l -> l.startsWith("VmRSS:"))
                    .map(l -> Long.parseLong(l.replaceAll("\\D", ""))).findFirst().orElse(0L);
        } catch (java.io.IOException e) {
            return 0;
        }
    }
}
