package dev.llama.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.llama.testutil.ChildJvm;
import dev.llama.testutil.FreePorts;
import dev.llama.testutil.Probes;
import dev.llama.testutil.UdpPeer;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class LauncherTest {
    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private final ByteArrayOutputStream err = new ByteArrayOutputStream();

    private int run(String... args) {
        return new Launcher(new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8)).run(args);
    }

    private String err() {
        return err.toString(StandardCharsets.UTF_8);
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "reflector -bogus 1|flag provided but not defined: -bogus",
        "reflector -port abc|invalid value \"abc\" for flag -port",
        "reflector -port=70000|invalid value \"70000\" for flag -port: must be 1 to 65535",
        "reflector -max-pps -5|invalid value \"-5\" for flag -max-pps",
        "reflector -bind nowhere|invalid value \"nowhere\" for flag -bind",
        "reflector -port|flag needs an argument: -port",
        "reflector extra|unexpected argument: extra",
        "collector -llama.dst-port 0|invalid value \"0\" for flag -llama.dst-port",
        "collector -llama.config /does/not/exist|no readable file",
        "collector --llama.bogus=1|flag provided but not defined: -llama.bogus",
        "demo -api nowhere|invalid value \"nowhere\" for flag -api",
        "scraper -llama.interval 0|invalid value \"0\" for flag -llama.interval",
        "scraper -llama.collector-hosts a:b|llama scraper: -llama.collector-hosts: bad port in \"a:b\"",
        "scraper -llama.influxdb-api v7|llama scraper: -llama.influxdb-api: expected v1",
        "scraper -llama.influxdb-api v2 -llama.influxdb-org o|llama scraper: -llama.influxdb-bucket: must be set with api v2",
        "scraper -llama.influxdb-url ftp://x|llama scraper: -llama.influxdb-url: expected http",
        "scraper -llama.influxdb-port 0|invalid value \"0\" for flag -llama.influxdb-port",
        "bench scraper -points 0|invalid value \"0\" for flag -points",
        "bench nothing|name a benchmark",
    })
    void badCommandLinesGiveOneLineAndExitTwo(String line, String message) {
        assertThat(run(line.split(" "))).isEqualTo(2);
        assertThat(err()).contains(message);
        assertThat(err().strip().lines()).hasSize(1);
    }

    @Test
    void unknownCommand() {
        assertThat(run("scrapper")).isEqualTo(2);
        assertThat(err()).contains("unknown command \"scrapper\"");
    }

    @ParameterizedTest
    @CsvSource({"reflector,-max-pps", "collector,-llama.config", "demo,-influxdb", "scraper,-llama.influxdb-pass",
        "scraper,-llama.queue-dir"})
    void helpListsTheFlags(String command, String flag) {
        assertThat(run(command, "--help")).isZero();
        assertThat(out.toString(StandardCharsets.UTF_8)).contains("Usage: llama " + command).contains(flag);
        assertThat(run(command, "-h")).isZero();
    }

    @Test
    void topLevelHelp() {
        assertThat(run("--help")).isZero();
        assertThat(out.toString(StandardCharsets.UTF_8)).contains("reflector").contains("collector").contains("demo");
    }

    @Test
    void badConfigStopsStartupNamingTheKey(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("bad.yaml");
        Files.writeString(file, "ports: {p: {timeout: -1}}\n");
        assertThat(run("collector", "-llama.config", file.toString())).isEqualTo(1);
        assertThat(err()).contains("ports.p.timeout");
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "collector|tests: [{targets: t, port_group: nope, rate_limit: r}]|: tests[0].port_group: unknown port group \"nope\"",
        "collector|ports: {p: {ip: 127.0.0.1}}\\ntests: [{targets: t|: line 2, column 20: expected ',' or '}'",
        "collector|''|: the file is empty",
        "collector|targets: {t: []}\\nports: {}\\ntargets: {u: []}|: line 3, column 1: duplicate key \"targets\"",
        "collector|summarization: {interval: 30}|: tests: no tests, so nothing would be probed",
        "node|''|: the file is empty",
        "node|node: {name: a}\\nnode: {name: b}|: line 2, column 1: duplicate key \"node\"",
        "node|reflector: {port: 70000}|: reflector.port: must be an integer from 0 to 65535",
    })
    void configErrorsNameTheCommandAndTheFile(String command, String yaml, String message, @TempDir Path dir) throws Exception {
        String base = "ports: {p: {ip: 127.0.0.1}}\nport_groups: {g: [{port: p}]}\nrate_limits: {r: {cps: 1}}\n"
                + "targets: {t: [{ip: 127.0.0.1}]}\n";
        String text = yaml.replace("\\n", "\n");
        if (text.startsWith("tests:")) {
            text = base + text;
        }
        Path file = Files.writeString(dir.resolve("x.yaml"), text);
        assertThat(run(command, command.equals("node") ? "-config" : "-llama.config", file.toString())).isEqualTo(1);
        assertThat(err().strip()).startsWith("llama " + command + ": " + file + message);
        assertThat(err().strip().lines()).hasSize(1);
    }

    /** The original's command line, in a real process, answering a real probe. */
    @Test
    void reflectorProcessTakesTheOriginalFlags(@TempDir Path dir) throws Exception {
        int port = FreePorts.udp("0.0.0.0");
        var process = new ProcessBuilder(ChildJvm.command("reflector", "-port", Integer.toString(port), "-max-pps", "5000"))
                .redirectErrorStream(true).redirectOutput(dir.resolve("reflector.log").toFile()).start();
        try (var peer = new UdpPeer()) {
            byte[] probe = Probes.original(0);
            UdpPeer.Received reply = null;
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
            while (reply == null && System.nanoTime() < deadline && process.isAlive()) {
                peer.send(probe, new InetSocketAddress("127.0.0.1", port));
                reply = peer.receive(200);
            }
            assertThat(reply).as(Files.readString(dir.resolve("reflector.log"))).isNotNull();
            assertThat(reply.data()).isEqualTo(probe);
        } finally {
            ChildJvm.stop(process);
        }
        assertThat(List.of(Files.readString(dir.resolve("reflector.log")))).anyMatch(l -> l.contains("reflector listening on udp"));
    }
}
