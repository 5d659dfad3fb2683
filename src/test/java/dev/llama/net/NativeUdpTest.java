package dev.llama.net;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class NativeUdpTest {
    private static boolean linuxX86() {
        return System.getProperty("os.name").startsWith("Linux") && System.getProperty("os.arch").equals("amd64");
    }

    @Test
    void theLibraryIsBuiltAndLoadsOnLinuxX86_64() {
        assumeTrue(linuxX86(), "the native library is built for Linux x86_64 only");
        assertThat(NativeUdp.loaded()).as(NativeUdp.unavailableReason()).isTrue();
        assertThat(NativeUdp.available()).as("the default path").isTrue();
        System.setProperty("llama.native", "false");
        try {
            assertThat(NativeUdp.available()).as("llama.native=false forces the fallback").isFalse();
        } finally {
            System.clearProperty("llama.native");
        }
    }

    @Test
    void ipv4CarriesTosTimestampsAndSourceBothWays() throws Exception {
        exchange("127.0.0.1", 0xb8, 0x48);
    }

    @Test
    void ipv6CarriesTrafficClassTimestampsAndSourceBothWays() throws Exception {
        exchange("::1", 0x28, 0x88);
    }

    private static void exchange(String ip, int tos, int replyTos) throws Exception {
        assumeTrue(NativeUdp.loaded(), "no native library here");
        var address = InetAddress.getByName(ip);
        try (var a = NativeSocket.bind(new InetSocketAddress(address, 0), 4, 2048, 1 << 20);
             var b = NativeSocket.bind(new InetSocketAddress(address, 0), 4, 2048, 1 << 20)) {
            byte[] payload = "hello, reflector".getBytes(StandardCharsets.US_ASCII);
            long before = NativeUdp.realtimeNanos();
            a.outgoing(0).writeBytes(payload);
            a.address(0, new InetSocketAddress(address, b.port()), tos);
            assertThat(a.sendOutgoing(1)).isEqualTo(1);
            assertThat(b.receive(2000)).isEqualTo(1);
            long after = NativeUdp.realtimeNanos();

            assertThat(b.length(0)).isEqualTo(payload.length);
            assertThat(b.oversized(0)).isFalse();
            assertThat(b.receivedTos(0)).isEqualTo(tos);
            assertThat(b.source(0)).isEqualTo(address);
            assertThat(b.sourcePort(0)).isEqualTo(a.port());
            assertThat(a.sentAt(0)).isBetween(before, after);
            assertThat(b.receivedAt(0)).isBetween(a.sentAt(0), after);
            byte[] got = new byte[payload.length];
            b.content(0).readBytes(got);
            assertThat(got).isEqualTo(payload);

            b.answer(0, replyTos);
            assertThat(b.sendAnswers(1)).isEqualTo(1);
            assertThat(a.receive(2000)).isEqualTo(1);
            assertThat(a.receivedTos(0)).as("the answer's own TOS, set per datagram").isEqualTo(replyTos);
            assertThat(a.sourcePort(0)).isEqualTo(b.port());
            assertThat(a.length(0)).isEqualTo(payload.length);
            assertThat(a.receive(100)).as("nothing else arrives").isZero();
        }
    }

    @Test
    void aDatagramLargerThanItsSlotIsMarkedOversized() throws Exception {
        assumeTrue(NativeUdp.loaded(), "no native library here");
        var lo = InetAddress.getLoopbackAddress();
        try (var small = NativeSocket.bind(new InetSocketAddress(lo, 0), 2, 64, 1 << 20);
             var big = NativeSocket.bind(new InetSocketAddress(lo, 0), 2, 1024, 1 << 20)) {
            big.outgoing(0).writeZero(100);
            big.address(0, new InetSocketAddress(lo, small.port()), -1);
            assertThat(big.sendOutgoing(1)).isEqualTo(1);
            assertThat(small.receive(2000)).isEqualTo(1);
            assertThat(small.oversized(0)).isTrue();
            assertThat(small.length(0)).isEqualTo(64);

            big.outgoing(0).writeZero(63);
            big.address(0, new InetSocketAddress(lo, small.port()), -1);
            assertThat(big.sendOutgoing(1)).isEqualTo(1);
            assertThat(small.receive(2000)).isEqualTo(1);
            assertThat(small.oversized(0)).isFalse();
        }
    }
}
