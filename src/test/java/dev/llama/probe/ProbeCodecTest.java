package dev.llama.probe;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.ByteString;
import com.google.protobuf.CodedOutputStream;
import com.google.protobuf.UnknownFieldSet;
import dev.llama.probe.proto.LlamaProto;
import dev.llama.testutil.Probes;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.HexFormat;
import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class ProbeCodecTest {
    private final ProbeView view = new ProbeView();

    private static byte[] bytes(ByteBuf buf) {
        byte[] out = new byte[buf.readableBytes()];
        buf.getBytes(buf.readerIndex(), out);
        return out;
    }

    private boolean decode(byte[] datagram) {
        return ProbeCodec.decode(Unpooled.wrappedBuffer(datagram), view);
    }

    @Test
    void encodesExactlyAsProtobufJava() {
        byte[] sig = HexFormat.of().parseHex("00112233445566778899");
        for (int tos : new int[] {0, 0x2e, 0xff}) {
            for (long sent : new long[] {0, 1, 1_795_000_000_123_456_789L, Long.MAX_VALUE, -1L}) {
                for (int padding : new int[] {0, 1, 127, 128, 1000}) {
                    var buf = Unpooled.buffer();
                    ProbeCodec.encode(buf, sig, tos, sent, padding);
                    byte[] expected = Probes.build(sig, new byte[] {(byte) tos}, sent, padding);
                    assertThat(bytes(buf)).as("tos %d sent %d padding %d", tos, sent, padding).isEqualTo(expected);
                    assertThat(buf.readableBytes()).isEqualTo(ProbeCodec.encodedSize(sig.length, sent, padding));
                }
            }
        }
    }

    @Test
    void originalProbeIs1028Bytes() {
        var buf = Unpooled.buffer();
        ProbeCodec.encodeSequenced(buf, 42, (short) 7, 0, 1_795_000_000_000_000_000L, ProbeCodec.DEFAULT_PADDING);
        assertThat(buf.readableBytes()).isEqualTo(1028);
        var parsed = Probes.parse(bytes(buf));
        assertThat(parsed).isNotNull();
        assertThat(parsed.getSignature().toByteArray()).isEqualTo(HexFormat.of().parseHex("000000000000002a0007"));
        assertThat(parsed.getTos().toByteArray()).containsExactly(0);
        assertThat(parsed.getSent()).isEqualTo(1_795_000_000_000_000_000L);
        assertThat(parsed.getPadding().size()).isEqualTo(1000);
    }

    @Test
    void reflectorTimePlaceholdersComeOutOfThePaddingAndProtobufJavaReadsThem() {
        byte[] sig = HexFormat.of().parseHex("00112233445566778899");
        long sent = 1_795_000_000_123_456_789L;
        var original = Unpooled.buffer();
        ProbeCodec.encode(original, sig, 0x2e, sent, 1000);
        var ours = Unpooled.buffer();
        ProbeCodec.encode(ours, sig, 0x2e, sent, 1000 - ProbeCodec.REFLECTOR_TIMES_SIZE, true);
        assertThat(ours.readableBytes()).as("the original's size").isEqualTo(original.readableBytes())
                .isEqualTo(ProbeCodec.encodedSize(sig.length, sent, 1000 - ProbeCodec.REFLECTOR_TIMES_SIZE, true));
        var reference = Probes.parse(bytes(ours));
        assertThat(reference.getSent()).isEqualTo(sent);
        assertThat(reference.getReflectorRcvd()).isZero();
        assertThat(reference.getReflectorSent()).isZero();

        assertThat(ProbeCodec.decode(ours, view)).isTrue();
        assertThat(view.hasReflectorTimes()).isTrue();
        assertThat(view.dwell()).as("placeholders are no dwell").isEqualTo(ProbeView.NO_DWELL);
        byte[] before = bytes(ours);
        ProbeCodec.writeReflectorTimes(ours, view, 1_000_000_007L, 1_000_250_011L);
        assertThat(ours.readableBytes()).isEqualTo(before.length);
        assertThat(view.dwell()).isEqualTo(250_004L);
        var filled = Probes.parse(bytes(ours));
        assertThat(filled.getReflectorRcvd()).isEqualTo(1_000_000_007L);
        assertThat(filled.getReflectorSent()).isEqualTo(1_000_250_011L);
        assertThat(filled.toBuilder().clearReflectorRcvd().clearReflectorSent().build().toByteArray())
                .as("nothing else changed").isEqualTo(Probes.parse(before).toBuilder().clearReflectorRcvd().clearReflectorSent().build().toByteArray());
        assertThat(ProbeCodec.decode(ours, view)).isTrue();
        assertThat(view.reflectorRcvd()).isEqualTo(1_000_000_007L);
        assertThat(view.dwell()).isEqualTo(250_004L);
    }

    @Test
    void probesWithoutBothPlaceholdersAreLeftAlone() {
        byte[] original = Probes.original(0);
        var buf = Unpooled.wrappedBuffer(original.clone());
        assertThat(ProbeCodec.decode(buf, view)).isTrue();
        assertThat(view.hasReflectorTimes()).isFalse();
        ProbeCodec.writeReflectorTimes(buf, view, 5, 9);
        assertThat(bytes(buf)).isEqualTo(original);
        assertThat(view.dwell()).isEqualTo(ProbeView.NO_DWELL);
        // only field 8; field 9 as a varint, which protobuf-java skips as unknown too
        byte[] one = HexFormat.of().parseHex("0a01ff41" + "0100000000000000" + "4801");
        assertThat(decode(one)).isTrue();
        assertThat(view.hasReflectorTimes()).isFalse();
        var copy = Unpooled.wrappedBuffer(one.clone());
        ProbeCodec.decode(copy, view);
        ProbeCodec.writeReflectorTimes(copy, view, 5, 9);
        assertThat(bytes(copy)).isEqualTo(one);
        assertThat(decode(HexFormat.of().parseHex("0a01ff41010203"))).as("truncated field 8").isFalse();
    }

    @Test
    void decodesEveryFieldProtobufJavaWrites() {
        var probe = LlamaProto.Probe.newBuilder()
                .setSignature(ByteString.copyFromUtf8("sig"))
                .setTos(ByteString.copyFrom(new byte[] {(byte) 0xb8}))
                .setSent(123456789012345L).setRcvd(5).setRtt(77).setLost(true)
                .setPadding(ByteString.copyFrom(new byte[300]))
                .setUnknownFields(UnknownFieldSet.newBuilder()
                        .addField(9, UnknownFieldSet.Field.newBuilder().addVarint(1).addFixed32(2).addFixed64(3)
                                .addLengthDelimited(ByteString.copyFromUtf8("x")).build())
                        .build())
                .build();
        var buf = Unpooled.wrappedBuffer(new byte[] {9, 9, 9}, probe.toByteArray());
        buf.readerIndex(3);
        assertThat(ProbeCodec.decode(buf, view)).isTrue();
        assertThat(buf.getCharSequence(view.signatureOffset(), view.signatureLength(), java.nio.charset.StandardCharsets.US_ASCII)).hasToString("sig");
        assertThat(view.tos()).isEqualTo(0xb8);
        assertThat(view.sent()).isEqualTo(123456789012345L);
        assertThat(view.rcvd()).isEqualTo(5);
        assertThat(view.rtt()).isEqualTo(77);
        assertThat(view.lost()).isTrue();
        assertThat(view.paddingLength()).isEqualTo(300);
        assertThat(buf.readerIndex()).isEqualTo(3);
    }

    @Test
    void emptyOrAbsentTosIsAProbeWithoutTos() throws IOException {
        assertThat(decode(Probes.build(new byte[] {1}, new byte[0], 5, 0))).isTrue();
        assertThat(view.tos()).isEqualTo(ProbeView.NO_TOS);
        var out = new ByteArrayOutputStream();
        var cos = CodedOutputStream.newInstance(out);
        cos.writeByteArray(1, new byte[] {1, 2});
        cos.writeByteArray(2, new byte[0]);
        cos.flush();
        assertThat(decode(out.toByteArray())).isTrue();
        assertThat(view.tos()).isEqualTo(ProbeView.NO_TOS);
    }

    static Stream<Arguments> malformed() {
        return Stream.of(
                Arguments.of("empty datagram", ""),
                Arguments.of("no signature", "12012e"),
                Arguments.of("empty signature", "0a0012012e"),
                Arguments.of("truncated tag varint", "0a01ff80"),
                Arguments.of("tag varint longer than 5 bytes", "0a01ff8080808080800100"),
                Arguments.of("tag above 32 bits", "0a01ff8080808080200100"),
                Arguments.of("truncated value varint", "0a01ff18ffff"),
                Arguments.of("varint of 11 bytes", "0a01ff18ffffffffffffffffffff01"),
                Arguments.of("varint overflowing 64 bits", "0a01ff18ffffffffffffffffff02"),
                Arguments.of("10-byte varint padded with a zero byte", "0a01ff18c8cd84a9d7b7f2dcd600"),
                Arguments.of("length past the end", "0a05010203"),
                Arguments.of("length varint truncated", "0a01ff3a80"),
                Arguments.of("huge length", "0a01ff3affffffff0f00"),
                Arguments.of("field 0", "0a01ff0200"),
                Arguments.of("field 0 varint", "00010a01ff"),
                Arguments.of("signature as varint", "0801"),
                Arguments.of("sent as length-delimited", "0a01ff1a0100"),
                Arguments.of("tos as fixed32", "0a01ff1500000000"),
                Arguments.of("lost as fixed64", "0a01ff310000000000000000"),
                Arguments.of("padding as varint", "0a01ff3805"),
                Arguments.of("start group (unknown field)", "0a01ff430844"),
                Arguments.of("end group alone", "0a01ff44"),
                Arguments.of("start group (known field)", "0a01ff0b0c"),
                Arguments.of("wire type 6", "0a01ff46"),
                Arguments.of("wire type 7", "0a01ff47"),
                Arguments.of("truncated fixed64", "0a01ff49010203"),
                Arguments.of("truncated fixed32", "0a01ff4d0102"),
                Arguments.of("tos of two bytes", "0a01ff12022e2e"),
                Arguments.of("signature of 65 bytes", "0a41" + "00".repeat(65)));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("malformed")
    void rejectsMalformed(String what, String hex) {
        assertThat(decode(HexFormat.of().parseHex(hex))).as(what).isFalse();
    }

    @Test
    void acceptsTheLimits() {
        assertThat(decode(HexFormat.of().parseHex("0a40" + "00".repeat(64)))).as("64-byte signature").isTrue();
        assertThat(decode(HexFormat.of().parseHex("0a01ff18ffffffffffffffffff01"))).as("10-byte varint").isTrue();
        assertThat(view.sent()).isEqualTo(-1L);
        assertThat(decode(HexFormat.of().parseHex("0a01ff5801"))).as("unknown varint field").isTrue();
        assertThat(decode(HexFormat.of().parseHex("0a01ff0a02abcd"))).as("repeated signature: last wins").isTrue();
        assertThat(view.signatureLength()).isEqualTo(2);
    }

    @Test
    void everyPrefixOfAProbeIsJudgedLikeProtobufJava() {
        byte[] probe = Probes.original(0x10);
        for (int len = 0; len <= probe.length; len++) {
            byte[] prefix = java.util.Arrays.copyOf(probe, len);
            var reference = Probes.parse(prefix);
            boolean expected = reference != null && !reference.getSignature().isEmpty();
            assertThat(decode(prefix)).as("prefix of %d bytes", len).isEqualTo(expected);
        }
    }

    /**
     * Mutated probes: whatever this codec accepts, protobuf-java accepts with the same values, and
     * whatever protobuf-java rejects, this codec rejects.
     */
    @Test
    void agreesWithProtobufJavaOnMutations() {
        var random = new Random(20261124);
        int accepted = 0;
        for (int i = 0; i < 50_000; i++) {
            byte[] datagram = Mutations.mutate(random, Probes.build(
                    new byte[1 + random.nextInt(12)], new byte[] {(byte) random.nextInt(256)}, random.nextLong(), random.nextInt(40)));
            var reference = Probes.parse(datagram);
            boolean ours = decode(datagram);
            if (reference == null) {
                assertThat(ours).as("protobuf-java rejects %s", HexFormat.of().formatHex(datagram)).isFalse();
            }
            if (ours) {
                accepted++;
                assertThat(reference).isNotNull();
                assertThat(view.sent()).as("sent of %s", HexFormat.of().formatHex(datagram)).isEqualTo(reference.getSent());
                assertThat(view.signatureLength()).isEqualTo(reference.getSignature().size());
                assertThat(view.tos()).isEqualTo(reference.getTos().isEmpty() ? ProbeView.NO_TOS : reference.getTos().byteAt(0) & 0xff);
                assertThat(view.paddingLength()).isEqualTo(reference.getPadding().size());
            }
        }
        assertThat(accepted).as("some mutations stay valid").isBetween(1_000, 49_000);
    }
}
