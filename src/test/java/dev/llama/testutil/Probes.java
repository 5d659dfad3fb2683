package dev.llama.testutil;

import com.google.protobuf.ByteString;
import com.google.protobuf.InvalidProtocolBufferException;
import dev.llama.probe.proto.LlamaProto;
import java.util.concurrent.ThreadLocalRandom;

/** Probes built and parsed by protobuf-java's generated class: the independent reference. */
public final class Probes {
    private Probes() {
    }

    /** A probe as the original collector sends it: 10 random signature bytes, 1000 bytes of padding. */
    public static byte[] original(int tos) {
        byte[] sig = new byte[10];
        ThreadLocalRandom.current().nextBytes(sig);
        return build(sig, new byte[] {(byte) tos}, System.currentTimeMillis() * 1_000_000L, 1000);
    }

    public static byte[] build(byte[] signature, byte[] tos, long sent, int padding) {
        return LlamaProto.Probe.newBuilder()
                .setSignature(ByteString.copyFrom(signature))
                .setTos(ByteString.copyFrom(tos))
                .setSent(sent)
                .setPadding(ByteString.copyFrom(new byte[padding]))
                .build().toByteArray();
    }

    /** The parsed probe, or null when protobuf-java rejects the bytes. */
    public static LlamaProto.Probe parse(byte[] bytes) {
        try {
            return LlamaProto.Probe.parseFrom(bytes);
        } catch (InvalidProtocolBufferException e) {
            return null;
        }
    }
}
