package dev.llama.reflector;

import static org.assertj.core.api.Assertions.assertThat;

import dev.llama.config.AllowList;
import dev.llama.stamp.Ntp;
import dev.llama.stamp.StampReply;
import dev.llama.stamp.StampSend;
import dev.llama.testutil.Await;
import dev.llama.testutil.UdpPeer;
import io.netty.buffer.Unpooled;
import io.vertx.core.Vertx;
import io.vertx.junit5.VertxExtension;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * An independent decoder: Wireshark's TWAMP-Test dissector reads our unauthenticated STAMP packets
 * (captured on loopback by dumpcap) and must find the sequence numbers, timestamps and error estimates
 * we sent and reflected. Needs {@code tshark} (Debian package; bin/test installs it) and capture rights.
 */
@ExtendWith(VertxExtension.class)
class StampTsharkTest {
    private static final DateTimeFormatter TSHARK_TIME = DateTimeFormatter.ofPattern("MMM ppd, yyyy HH:mm:ss.SSSSSSSSS 'UTC'", Locale.US);
    private static final String[] FIELDS = {"udp.srcport", "twamp.test.seq_number", "twamp.test.timestamp", "twamp.test.error_estimate",
        "twamp.test.receive_timestamp", "twamp.test.sender_seq_number", "twamp.test.sender_timestamp",
        "twamp.test.sender_error_estimate", "twamp.test.sender_ttl"};

    @Test
    void tsharkDecodesOurPacketsAsWeWroteThem(Vertx vertx, @TempDir Path dir) throws Exception {
        Assumptions.assumeTrue(Files.isExecutable(Path.of("/usr/bin/tshark")) && Files.isExecutable(Path.of("/usr/bin/dumpcap")),
                "tshark not installed");
        var reflector = StampReflectorTest.deploy(vertx, null, AllowList.ANY);
        int port = reflector.port();
        Path pcap = dir.resolve("stamp.pcapng");
        Process dumpcap = new ProcessBuilder("/usr/bin/dumpcap", "-i", "lo", "-f", "udp port " + port,
                        "-c", "10", "-a", "duration:60", "-w", pcap.toString())
                .redirectErrorStream(true).start();
        var started = new AtomicBoolean();
        var output = new StringBuilder();
        var watcher = new Thread(() -> watch(dumpcap, started, output), "dumpcap-output");
        watcher.setDaemon(true);
        watcher.start();
        try {
            Await.until(java.time.Duration.ofSeconds(20), () -> started.get() || !dumpcap.isAlive(), () -> text(output));
            Assumptions.assumeTrue(started.get(), "dumpcap cannot capture on lo here: " + text(output));
            var sent = new ArrayList<long[]>();
            var replies = new ArrayList<StampReply>();
            try (var peer = new UdpPeer()) {
                for (int i = 0; i < 5; i++) {
                    long seq = 0xfffffffdL + i & 0xffffffffL;
                    long t1 = Ntp.now();
                    peer.send(StampReflectorTest.request(false, seq, t1, -1, null), StampReflectorTest.at(reflector));
                    var received = peer.receive(5000);
                    assertThat(received).as("reply %d, reflector %s", i, reflector.stats().toJson()).isNotNull();
                    var reply = new StampReply();
                    assertThat(StampSend.parseReply(Unpooled.wrappedBuffer(received.data()), false, null, reply)).isTrue();
                    sent.add(new long[] {seq, t1});
                    replies.add(reply);
                }
            }
            // it stops by itself after the 10 packets: a signal could cut off packets still in its buffer
            assertThat(dumpcap.waitFor(60, TimeUnit.SECONDS)).as(() -> text(output)).isTrue();

            List<String[]> rows = decode(pcap, port);
            var fromSender = rows.stream().filter(r -> Integer.parseInt(r[0]) != port).toList();
            var reflected = rows.stream().filter(r -> Integer.parseInt(r[0]) == port).toList();
            assertThat(fromSender).hasSize(5);
            assertThat(reflected).hasSize(5);
            for (int i = 0; i < 5; i++) {
                String[] s = fromSender.get(i);
                assertThat(Long.parseLong(s[1])).isEqualTo(sent.get(i)[0]);
                assertTime(s[2], sent.get(i)[1]);
                assertThat(Integer.parseInt(s[3])).isEqualTo(StampReflectorTest.EE);

                String[] r = reflected.get(i);
                StampReply reply = replies.get(i);
                assertThat(Long.parseLong(r[1])).isEqualTo(reply.sequence()).isEqualTo(sent.get(i)[0]);
                assertTime(r[2], reply.timestamp());
                assertThat(Integer.parseInt(r[3])).isEqualTo(StampOptions.DEFAULT_ERROR_ESTIMATE);
                assertTime(r[4], reply.receiveTimestamp());
                assertThat(Long.parseLong(r[5])).isEqualTo(sent.get(i)[0]);
                assertTime(r[6], sent.get(i)[1]);
                assertThat(Integer.parseInt(r[7])).isEqualTo(StampReflectorTest.EE);
                assertThat(Integer.parseInt(r[8])).isEqualTo(reply.senderTtl());
            }
        } finally {
            dumpcap.destroyForcibly();
        }
    }

    private static void watch(Process p, AtomicBoolean started, StringBuilder output) {
        try (var in = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
            for (String line; (line = in.readLine()) != null; ) {
                synchronized (output) {
                    output.append(line).append('\n');
                }
                if (line.startsWith("File:")) {
                    started.set(true);
                }
            }
        } catch (IOException e) {
            // the process ended
        }
    }

    private static String text(StringBuilder output) {
        synchronized (output) {
            return output.toString();
        }
    }

    private static List<String[]> decode(Path pcap, int port) throws Exception {
        var command = new ArrayList<>(List.of("/usr/bin/tshark", "-r", pcap.toString(), "-d", "udp.port==" + port + ",twamp.test",
                "-T", "fields", "-E", "separator=/t", "-E", "occurrence=f"));
        for (String f : FIELDS) {
            command.add("-e");
            command.add(f);
        }
        var pb = new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.DISCARD);
        pb.environment().put("TZ", "UTC");
        Process tshark = pb.start();
        String text = new String(tshark.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(tshark.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(tshark.exitValue()).as(text).isZero();
        return text.lines().filter(l -> !l.isBlank()).map(l -> l.split("\t", -1)).toList();
    }

    /** tshark prints NTP times in nanoseconds; ours convert with rounding, so allow 1 ns. */
    private static void assertTime(String tshark, long ntp) {
        var t = LocalDateTime.parse(tshark, TSHARK_TIME).toInstant(ZoneOffset.UTC);
        long nanos = t.getEpochSecond() * 1_000_000_000L + t.getNano();
        assertThat(nanos).as(tshark).isBetween(Ntp.toEpochNanos(ntp) - 1, Ntp.toEpochNanos(ntp) + 1);
    }
}
