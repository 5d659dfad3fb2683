package dev.llama.summary;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;

class SummaryDecoderTest {
    private static final long NOW = System.currentTimeMillis();

    static SummarySet sample() {
        var port = new PortSummary(40001, 8100, 10, 1, 10.0, 0.2, 0.1, 0.3);
        var live = new PairSummary("10.0.0.1", "2001:db8::1", Map.of("dst_name", "b", "src_region", "eu"), 10, 1, 10.0, 0.2, 0.1,
                0.3, 0.2, 0.25, 0.3, 0.05, 0.01, 0, 0, List.of(port));
        var dead = new PairSummary("10.0.0.1", "10.0.0.3", Map.of(), 10, 10, 100.0, Double.NaN, Double.NaN, Double.NaN,
                Double.NaN, Double.NaN, Double.NaN, Double.NaN, Double.NaN, 0, 0, List.of());
        var end = Instant.ofEpochMilli(NOW - 1_000);
        return new SummarySet(SummarySet.VERSION, "a", 30, end.minusSeconds(30), end, Map.of("probes_sent", 20L), List.of(live, dead));
    }

    @Test
    void roundTripsAndWritesNoAnswerAsNull() {
        var json = SummaryJson.encode(sample());
        var dead = json.getJsonArray("pairs").getJsonObject(1);
        assertThat(dead.containsKey("rtt_p50")).isTrue();
        assertThat(dead.getValue("rtt_p50")).isNull();
        var back = SummaryDecoder.decode(new JsonObject(json.encode()), NOW);
        assertThat(SummaryJson.encode(back)).isEqualTo(json);
        assertThat(back.pairs().get(1).rtt()).isNaN();
        assertThat(back.pairs().get(0).dst().name()).isEqualTo("b");
    }

    /** A pair with reflector times and TOS accounting, as our collector reports it against our reflector. */
    static PairSummary measured() {
        var port = new PortSummary(40001, 8100, 10, 1, 10.0, 5.2, 5.1, 5.3, 5.0, 0.2, 0xb8, 0x20, 9);
        return new PairSummary("10.0.0.1", "10.0.0.2", Map.of(), 10, 1, 10.0, 5.2, 5.1, 5.3, 5.2, 5.25, 5.3, 0.05, 0.01, 0, 0,
                List.of(port), 5.0, 0.2, 0.19, 0.24, 0.3, 1, 0xb8, 0x20, 9);
    }

    @Test
    void carriesDwellAndTosAndReadsSetsWithoutThemAsUnknown() {
        var end = Instant.ofEpochMilli(NOW - 1_000);
        var set = new SummarySet(SummarySet.VERSION, "a", 30, end.minusSeconds(30), end, Map.of(), List.of(measured()));
        var json = SummaryJson.encode(set);
        var pair = json.getJsonArray("pairs").getJsonObject(0);
        assertThat(pair.getDouble("dwell")).isEqualTo(5.0);
        assertThat(pair.getDouble("rtt_net_p99")).isEqualTo(0.3);
        assertThat(pair.getInteger("tos_received")).isEqualTo(0x20);
        assertThat(pair.getJsonArray("ports").getJsonObject(0).getLong("remarked")).isEqualTo(9);
        var back = SummaryDecoder.decode(new JsonObject(json.encode()), NOW);
        assertThat(back.pairs().get(0)).isEqualTo(measured());
        assertThat(SummaryJson.encode(back)).isEqualTo(json);

        var unknown = SummaryJson.encode(sample()).getJsonArray("pairs").getJsonObject(0);
        assertThat(unknown.getValue("dwell")).isNull();
        assertThat(unknown.getValue("tos_sent")).isNull();
        assertThat(unknown.getLong("remarked")).isZero();

        var older = SummaryJson.encode(sample());
        for (var key : List.of("dwell", "rtt_net", "rtt_net_p50", "rtt_net_p90", "rtt_net_p99", "dwell_invalid", "tos_sent",
                "tos_received", "remarked")) {
            pair(older).remove(key);
            pair(older).getJsonArray("ports").getJsonObject(0).remove(key);
        }
        var old = SummaryDecoder.decode(older, NOW).pairs().get(0);
        assertThat(old.dwell()).isNaN();
        assertThat(old.tosSent()).isEqualTo(-1);
        assertThat(old.remarked()).isZero();
        assertThat(old.ports().get(0).tosReceived()).isEqualTo(-1);
    }

    @Test
    void refusesDwellAndTosOutOfBounds() {
        assertInvalid(j -> pair(j).put("dwell", -0.5), "pairs[0].dwell");
        assertInvalid(j -> pair(j).put("rtt_net_p50", "x"), "pairs[0].rtt_net_p50");
        assertInvalid(j -> pair(j).put("tos_sent", 256), "pairs[0].tos_sent");
        assertInvalid(j -> pair(j).put("tos_received", -1), "pairs[0].tos_received");
        assertInvalid(j -> pair(j).put("tos_received", 1.5), "pairs[0].tos_received");
        assertInvalid(j -> pair(j).put("remarked", 10), "pairs[0].remarked: must be a whole number from 0 to 9");
        assertInvalid(j -> pair(j).put("dwell_invalid", -1), "pairs[0].dwell_invalid");
        assertInvalid(j -> pair(j).getJsonArray("ports").getJsonObject(0).put("remarked", 10), "pairs[0].ports[0].remarked");
        assertInvalid(j -> pair(j).getJsonArray("ports").getJsonObject(0).put("tos_sent", "ef"), "pairs[0].ports[0].tos_sent");
        assertInvalid(j -> pair(j).getJsonArray("ports").getJsonObject(0).put("rtt_net", 4e6), "pairs[0].ports[0].rtt_net");
    }

    @Test
    void normalizesAddressesToTheirShortForm() {
        var json = SummaryJson.encode(sample());
        json.getJsonArray("pairs").getJsonObject(0).put("dst_ip", "2001:0DB8:0:0:0:0:0:1");
        assertThat(SummaryDecoder.decode(json, NOW).pairs().get(0).dstIp()).isEqualTo("2001:db8::1");
    }

    @Test
    void refusesEveryMalformedFieldNamingIt() {
        assertInvalid(j -> j.put("version", 2), "version");
        assertInvalid(j -> j.remove("version"), "version");
        assertInvalid(j -> j.put("interval", "x"), "interval");
        assertInvalid(j -> j.put("interval", 0), "interval");
        assertInvalid(j -> j.put("interval", 1.5), "interval");
        assertInvalid(j -> j.put("collector", ""), "collector");
        assertInvalid(j -> j.put("collector", "a\nb"), "collector");
        assertInvalid(j -> j.put("interval_end", "yesterday"), "interval_end");
        assertInvalid(j -> j.put("interval_end", "2099-01-01T00:00:00Z"), "interval_end: 2099-01-01T00:00:00Z lies in the future");
        assertInvalid(j -> j.put("interval_start", Instant.ofEpochMilli(NOW).toString()), "interval_start");
        assertInvalid(j -> j.put("counters", new JsonObject().put("probes_sent", -1)), "counters.probes_sent");
        assertInvalid(j -> j.put("counters", new JsonObject().put("Bad Name", 1)), "counters");
        assertInvalid(j -> j.put("pairs", "none"), "pairs");
        assertInvalid(j -> j.getJsonArray("pairs").add("x"), "pairs[2]");
        assertInvalid(j -> pair(j).put("src_ip", "not-an-ip"), "pairs[0].src_ip");
        assertInvalid(j -> pair(j).put("dst_ip", "example.com"), "pairs[0].dst_ip");
        assertInvalid(j -> pair(j).put("sent", "10"), "pairs[0].sent");
        assertInvalid(j -> pair(j).put("lost", 11), "pairs[0].lost");
        assertInvalid(j -> pair(j).put("loss", 101.0), "pairs[0].loss");
        assertInvalid(j -> pair(j).put("loss", Double.NaN), "pairs[0].loss");
        assertInvalid(j -> pair(j).put("rtt", -1.0), "pairs[0].rtt");
        assertInvalid(j -> pair(j).put("rtt_p99", "fast"), "pairs[0].rtt_p99");
        assertInvalid(j -> pair(j).put("tags", new JsonObject().put("dst_name", 5)), "pairs[0].tags.dst_name");
        assertInvalid(j -> pair(j).put("tags", new JsonObject().put("dst_name", "x".repeat(300))), "pairs[0].tags.dst_name");
        assertInvalid(j -> pair(j).getJsonArray("ports").getJsonObject(0).put("src_port", "<b>1</b>"), "pairs[0].ports[0].src_port");
        assertInvalid(j -> pair(j).getJsonArray("ports").getJsonObject(0).put("dst_port", 70000), "pairs[0].ports[0].dst_port");
    }

    @Test
    void boundsTheSizeOfWhatItReads() {
        var many = new JsonArray();
        for (int i = 0; i <= SummaryDecoder.MAX_PORTS; i++) {
            many.add(SummaryJson.encode(new PortSummary(1, 1, 0, 0, 0, Double.NaN, Double.NaN, Double.NaN)));
        }
        assertInvalid(j -> pair(j).put("ports", many), "pairs[0].ports: more than 1024 entries");
        var tags = new JsonObject();
        for (int i = 0; i <= SummaryDecoder.MAX_TAGS; i++) {
            tags.put("t" + i, "v");
        }
        assertInvalid(j -> pair(j).put("tags", tags), "pairs[0].tags: more than 64 tags");
    }

    @Test
    void theBusCodecCarriesTheRecordAndTurnsGarbageIntoNull() {
        var codec = new SummaryCodec();
        var set = sample();
        assertThat(codec.transform(set)).isSameAs(set);
        var wire = Buffer.buffer().appendString("head");
        codec.encodeToWire(wire, set);
        var back = codec.decodeFromWire(4, wire);
        assertThat(SummaryJson.encode(back)).isEqualTo(SummaryJson.encode(set));

        var forged = SummaryJson.encode(set).put("interval", "x").toBuffer();
        assertThat(codec.decodeFromWire(0, Buffer.buffer().appendInt(forged.length()).appendBuffer(forged))).isNull();
        assertThat(codec.decodeFromWire(0, Buffer.buffer().appendInt(1 << 30).appendString("{}"))).isNull();
        assertThat(codec.decodeFromWire(0, Buffer.buffer().appendInt(3).appendString("{{{"))).isNull();
    }

    @Test
    void theReceiverCountsWhatItRefuses() {
        var receiver = new SummaryReceiver("test");
        assertThat(receiver.receive(sample(), NOW)).isNotNull();
        assertThat(receiver.receive(SummaryJson.encode(sample()), NOW)).isNotNull();
        assertThat(receiver.receive(SummaryJson.encode(sample()).put("interval", "x"), NOW)).isNull();
        assertThat(receiver.receive("a string", NOW)).isNull();
        assertThat(receiver.receive(null, NOW)).isNull();
        assertThat(receiver.accepted()).isEqualTo(2);
        assertThat(receiver.rejected()).isEqualTo(3);
    }

    private static JsonObject pair(JsonObject set) {
        return set.getJsonArray("pairs").getJsonObject(0);
    }

    private static void assertInvalid(Consumer<JsonObject> change, String message) {
        var json = SummaryJson.encode(sample());
        change.accept(json);
        assertThatThrownBy(() -> SummaryDecoder.decode(json, NOW)).isInstanceOf(InvalidSummaryException.class)
                .hasMessageStartingWith(message);
    }
}
