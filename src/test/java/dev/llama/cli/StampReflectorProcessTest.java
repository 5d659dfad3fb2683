package dev.llama.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.llama.stamp.ErrorEstimate;
import dev.llama.stamp.Ntp;
import dev.llama.stamp.StampHmac;
import dev.llama.stamp.StampReply;
import dev.llama.stamp.StampSend;
import dev.llama.testutil.ChildJvm;
import dev.llama.testutil.FreePorts;
import dev.llama.testutil.UdpPeer;
import io.netty.buffer.Unpooled;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HexFormat;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code llama reflector -stamp-port P -stamp-key-file K} in a real process answers an authenticated STAMP sender. */
class StampReflectorProcessTest {
    private static final byte[] KEY = HexFormat.of().parseHex("00112233445566778899aabbccddeeff0123456789abcdef");

    @Test
    void reflectorAnswersStampInAuthenticatedMode(@TempDir Path dir) throws Exception {
        Path keyFile = dir.resolve("stamp.key");
        Files.writeString(keyFile, "# STAMP key\n" + HexFormat.of().formatHex(KEY) + "\n");
        int port = FreePorts.udp("0.0.0.0");
        int stampPort = FreePorts.udp("0.0.0.0");
        Path log = dir.resolve("reflector.log");
        var process = new ProcessBuilder(ChildJvm.command("reflector", "-port", Integer.toString(port),
                "-stamp-port", Integer.toString(stampPort), "-stamp-key-file", keyFile.toString()))
                .redirectErrorStream(true).redirectOutput(log.toFile()).start();
        var hmac = new StampHmac(KEY);
        var reply = new StampReply();
        try (var peer = new UdpPeer()) {
            UdpPeer.Received received = null;
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
            var sent = new java.util.HashMap<Long, Long>();
            while (received == null && System.nanoTime() < deadline && process.isAlive()) {
                var buf = Unpooled.buffer();
                long seq = sent.size();
                long t1 = Ntp.now();
                sent.put(seq, t1);
                StampSend.writeRequest(buf, true, seq, t1, ErrorEstimate.of(false, false, 0, 1), 0, -1, hmac);
                byte[] request = new byte[buf.readableBytes()];
                buf.readBytes(request);
                peer.send(request, new InetSocketAddress("127.0.0.1", stampPort));
                received = peer.receive(200);
            }
            assertThat(received).as(() -> ChildJvm.output(log)).isNotNull();
            assertThat(StampSend.parseReply(Unpooled.wrappedBuffer(received.data()), true, hmac, reply)).isTrue();
            // a reply may answer an earlier request that was still on its way when the wait ended
            assertThat(sent).containsKey(reply.senderSequence());
            assertThat(reply.senderTimestamp()).isEqualTo(sent.get(reply.senderSequence()));
        } finally {
            ChildJvm.stop(process);
        }
        assertThat(ChildJvm.output(log)).contains("STAMP reflector listening on udp").contains("authenticated mode");
    }
}
