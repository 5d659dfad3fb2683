package dev.llama.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import dev.llama.testutil.FreePorts;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * target/llama.deb installed with dpkg into a throwaway Debian root (the cached mmdebstrap base, with
 * Java), then used as an operator would: {@code llama --help}, a reflector as the llama user, and the
 * systemd units it installed checked by {@code systemd-analyze verify}.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class PackageIT {
    private static final List<String> UNITS = List.of("llama-reflector.service", "llama-reflector@.service",
            "llama-collector.service", "llama-collector@.service", "llama-scraper.service", "llama-node.service", "llama-node@.service");
    private Path root;

    @BeforeAll
    void install(@TempDir Path dir) throws Exception {
        Images.assumeTools("mmdebstrap", "chroot", "unshare");
        root = Files.createDirectory(dir.resolve("root"));
        Host.ok(Duration.ofMinutes(3), "tar", "-C", root.toString(), "-xf", ImageCache.rootfs(ImageCache.JRE_ROOT).toString());
        Files.copy(Images.ROOT.resolve("target/llama.deb"), root.resolve("tmp/llama.deb"));
        Host.ok(Duration.ofMinutes(2), "chroot", root.toString(), "dpkg", "-i", "/tmp/llama.deb");
    }

    @AfterAll
    void removeRoot() throws Exception {
        if (root != null) {
            ImageCache.delete(root);
        }
    }

    /** {@code command} in the root, with its own /proc (Java finds its libraries through /proc/self/exe). */
    private String[] inRoot(String user, String... command) {
        var argv = new ArrayList<>(List.of("unshare", "--mount", "--pid", "--fork", "--mount-proc=" + root.resolve("proc"),
                "chroot", "--userspec=" + user + ":" + user, root.toString()));
        argv.addAll(List.of(command));
        return argv.toArray(String[]::new);
    }

    @Test
    void thePackageInstallsTheLauncherJarsConfigAndUser() throws Exception {
        assertThat(root.resolve("usr/share/llama/llama.jar")).isRegularFile();
        assertThat(root.resolve("usr/share/llama/llama-reflector.jar")).isRegularFile();
        assertThat(Files.readSymbolicLink(root.resolve("usr/bin/llama"))).hasToString("../share/llama/llama");
        String passwd = Host.ok(Duration.ofMinutes(1), "chroot", root.toString(), "getent", "passwd", "llama");
        assertThat(passwd).contains(":/var/lib/llama:/usr/sbin/nologin");
        String conffiles = Host.ok(Duration.ofMinutes(1), "chroot", root.toString(), "dpkg-query", "-W", "-f", "${Conffiles}", "llama");
        assertThat(conffiles).contains("/etc/llama/collector.yaml", "/etc/llama/node.yaml", "/etc/llama/cluster.xml");
        for (String unit : UNITS) {
            assertThat(root.resolve("lib/systemd/system").resolve(unit)).isRegularFile();
        }
        var help = Host.run(Duration.ofMinutes(1), inRoot("llama", "/usr/bin/llama", "--help"));
        assertThat(help.code()).as(help.output()).isZero();
        assertThat(help.output()).contains("Usage: llama <command>", "reflector", "collector", "scraper", "node");
    }

    @Test
    void aReflectorRunsFromThePackageAsTheLlamaUser(@TempDir Path dir) throws Exception {
        int port = FreePorts.udp("127.0.0.1");
        Path log = dir.resolve("reflector.log");
        var process = Host.start(log, inRoot("llama", "/usr/bin/llama", "reflector", "-bind", "127.0.0.1", "-port", Integer.toString(port)));
        try {
            ImageIT.assertReflects(port, process, log);
            assertThat(ImageIT.javaCommand(process)).contains("-XX:+UseSerialGC", "-Xmx64m", "/usr/share/llama/llama-reflector.jar");
            String uid = Host.ok(Duration.ofMinutes(1), "chroot", root.toString(), "id", "-u", "llama").strip();
            long java = process.descendants().filter(p -> p.info().commandLine().orElse("").contains("/bin/java "))
                    .findFirst().orElseThrow().pid();
            assertThat(Files.readAllLines(Path.of("/proc", Long.toString(java), "status")))
                    .anyMatch(l -> l.matches("Uid:\\s+" + uid + "\\s.*"));
        } finally {
            Host.stop(process);
        }
    }

    @Test
    void theUnitsPassSystemdAnalyzeVerify(@TempDir Path dir) throws Exception {
        Images.assumeTools("systemd-analyze");
        // the host's systemd checks them; ExecStart= must name an existing binary, so point it at the installed one
        var files = new ArrayList<String>(List.of("systemd-analyze", "verify"));
        for (String unit : UNITS) {
            String text = Files.readString(root.resolve("lib/systemd/system").resolve(unit));
            assertThat(text).contains("NoNewPrivileges=yes", "ProtectSystem=strict", "Restart=on-failure", "User=llama");
            files.add(Files.writeString(dir.resolve(unit), text.replace("/usr/bin/llama", root.resolve("usr/bin/llama").toString())).toString());
        }
        var verify = Host.run(Duration.ofMinutes(2), files.toArray(String[]::new));
        assertThat(verify.code()).as(verify.output()).isZero();
        // other units on the host may draw warnings of their own; ours must draw none
        assertThat(verify.output().lines().filter(l -> l.contains("llama")).toList()).as(verify.output()).isEmpty();
        String collector = Files.readString(root.resolve("lib/systemd/system/llama-collector.service"));
        assertThat(collector).contains("ExecReload=/bin/kill -HUP $MAINPID");
        assertThat(Files.readString(root.resolve("lib/systemd/system/llama-scraper.service")))
                .contains("StateDirectory=llama/scraper", "-llama.queue-dir /var/lib/llama/scraper");

        // and verify can fail: a unit whose program is missing
        Path broken = Files.writeString(dir.resolve("llama-broken.service"), "[Service]\nExecStart=" + dir.resolve("no-such-llama") + "\n");
        assertThat(Host.run(Duration.ofMinutes(1), "systemd-analyze", "verify", broken.toString()).code()).isNotZero();
        try (Stream<Path> s = Files.list(dir)) {
            assertThat(s.count()).isEqualTo(UNITS.size() + 1);
        }
    }
}
