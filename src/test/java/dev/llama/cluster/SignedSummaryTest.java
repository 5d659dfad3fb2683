package dev.llama.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import dev.llama.summary.PairSummary;
import dev.llama.summary.SummaryCodec;
import dev.llama.summary.SummaryJson;
import dev.llama.summary.SummaryReceiver;
import dev.llama.summary.SummarySet;
import io.vertx.core.buffer.Buffer;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Summary sets between JVMs carry an HMAC when the cluster has a secret; without it they are refused. */
class SignedSummaryTest {
    private static final byte[] KEY = "0123456789abcdef0123456789abcdef".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] OTHER = "fedcba9876543210fedcba9876543210".getBytes(StandardCharsets.US_ASCII);

    @AfterEach
    void noKey() {
        SummaryCodec.useKey(null);
    }

    static SummarySet sample(String collector) {
        var pair = new PairSummary("127.0.0.1", "127.0.0.2", Map.of("src_name", collector, "dst_name", "b"), 10, 1, 10.0, 0.2, 0.1,
                0.3, 0.2, 0.25, 0.3, 0.05, 0.01, 0, 0, List.of());
        var end = Instant.ofEpochSecond(System.currentTimeMillis() / 1000 - 1);
        return new SummarySet(SummarySet.VERSION, collector, 2, end.minusSeconds(2), end, Map.of("probes_sent", 10L), List.of(pair));
    }

    private static Buffer wire(SummaryCodec codec, SummarySet set) {
        var buffer = Buffer.buffer().appendString("header");
        codec.encodeToWire(buffer, set);
        return buffer;
    }

    @Test
    void aSignedSetRoundTripsAndAnyOtherIsNull() {
        var set = sample("a");
        var keyed = new SummaryCodec(KEY);
        var back = keyed.decodeFromWire(6, wire(keyed, set));
        assertThat(SummaryJson.encode(back)).isEqualTo(SummaryJson.encode(set));

        assertThat(keyed.decodeFromWire(6, wire(new SummaryCodec((byte[]) null), set))).as("no MAC").isNull();
        assertThat(keyed.decodeFromWire(6, wire(new SummaryCodec(OTHER), set))).as("another key").isNull();
        var tampered = wire(keyed, set);
        int at = tampered.toString(StandardCharsets.ISO_8859_1).indexOf("\"sent\":10");
        tampered.setByte(at + 8, (byte) '9');
        assertThat(keyed.decodeFromWire(6, tampered)).as("a changed byte").isNull();
        var cut = wire(keyed, set);
        assertThat(keyed.decodeFromWire(6, cut.getBuffer(0, cut.length() - 1))).as("a MAC cut short").isNull();

        var plain = new SummaryCodec((byte[]) null);
        assertThat(plain.decodeFromWire(6, wire(plain, set))).as("without a key the codec works as before").isNotNull();
    }

    @Test
    void withAKeyTheReceiverRefusesJsonBodies() {
        var receiver = new SummaryReceiver("test");
        var json = SummaryJson.encode(sample("a"));
        assertThat(receiver.receive(json, System.currentTimeMillis())).isNotNull();
        SummaryCodec.useKey(KEY);
        assertThat(SummaryCodec.keyed()).isTrue();
        assertThat(receiver.receive(json, System.currentTimeMillis())).isNull();
        assertThat(receiver.receive(null, System.currentTimeMillis())).isNull();
        assertThat(receiver.receive(sample("a"), System.currentTimeMillis())).as("a record from this JVM").isNotNull();
        assertThat(receiver.rejected()).isEqualTo(2);
    }
}
