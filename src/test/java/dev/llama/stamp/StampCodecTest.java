package dev.llama.stamp;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.llama.config.StampKeyFile;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.HexFormat;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.junit.jupiter.api.Test;

class StampCodecTest {
    private static final byte[] KEY = HexFormat.of().parseHex("000102030405060708090a0b0c0d0e0f1011121314151617");
    private static final long T1 = 0x1122334455667788L;
    private static final long T2 = 0x0102030405060708L;
    private static final long T3 = 0x0a0b0c0d0e0f1011L;

    @Test
    void ntpTimestamps() {
        assertEquals(0x83aa7e80_00000000L, Ntp.fromEpochNanos(0));
        assertEquals(0x83aa7e80_80000000L, Ntp.fromEpochNanos(500_000_000));
        long now = 1_764_000_000_123_456_789L;
        assertEquals(now, Ntp.toEpochNanos(Ntp.fromEpochNanos(now)), 1);
        assertEquals(1_500_000_000L, Ntp.diffNanos(Ntp.fromEpochNanos(now + 1_500_000_000L), Ntp.fromEpochNanos(now)), 1);
        assertEquals(-250_000_000L, Ntp.diffNanos(Ntp.fromEpochNanos(now), Ntp.fromEpochNanos(now + 250_000_000L)), 1);
    }

    @Test
    void errorEstimateFields() {
        assertEquals(0x8001, ErrorEstimate.of(true, false, 0, 1));
        assertEquals(0x4000 | 20 << 8 | 7, ErrorEstimate.of(false, true, 20, 7));
        int ee = ErrorEstimate.ofNanos(1_000_000, false);
        assertFalse(ErrorEstimate.isSynchronized(ee));
        double nanos = ErrorEstimate.nanos(ee);
        assertTrue(nanos >= 1_000_000 && nanos < 1_010_000, "1 ms estimate is " + nanos);
        assertEquals(-1, ErrorEstimate.nanos(0x0100));
    }

    @Test
    void unauthenticatedReflectionMatchesRfc8762Layout() {
        byte[] request = new byte[44];
        ByteBuffer.wrap(request).putInt(0xfffffffe).putLong(T1).putShort((short) 0x8105).putShort((short) 0xabcd);
        Arrays.fill(request, 16, 44, (byte) 0); // MBZ
        ByteBuf buf = Unpooled.wrappedBuffer(request.clone());
        var req = new StampRequest();
        assertEquals(StampReflect.OK, StampReflect.parse(buf, false, null, req));
        assertEquals(0xfffffffeL, req.sequence());
        assertEquals(T1, req.timestamp());
        assertEquals(0xabcd, req.ssid());
        StampReflect.reflect(buf, req, T2, T3, 0x0203, 61, StampReflect.TOS_UNKNOWN, null);

        ByteBuffer expected = ByteBuffer.allocate(44);
        expected.putInt(0xfffffffe).putLong(T3).putShort((short) 0x0203).putShort((short) 0xabcd) // seq, T3, EE, SSID
                .putLong(T2) // receive timestamp
                .putInt(0xfffffffe).putLong(T1).putShort((short) 0x8105).putShort((short) 0) // sender's, MBZ
                .put((byte) 61).put(new byte[3]); // TTL, MBZ
        assertEquals(44, buf.writerIndex());
        assertArrayEquals(expected.array(), bytes(buf));
    }

    @Test
    void authenticatedReflectionMatchesRfc8762LayoutAndHmac() throws Exception {
        var hmac = new StampHmac(KEY);
        ByteBuf buf = Unpooled.buffer();
        StampSend.writeRequest(buf, true, 7, T1, 0x0001, 0x1234, -1, hmac);
        assertEquals(112, buf.readableBytes());
        assertArrayEquals(Arrays.copyOf(sha256(bytes(buf), 96), 16), Arrays.copyOfRange(bytes(buf), 96, 112));
        assertEquals(T1, buf.getLong(16));

        var req = new StampRequest();
        assertEquals(StampReflect.OK, StampReflect.parse(buf, true, hmac, req));
        StampReflect.reflect(buf, req, T2, T3, 0x8001, 64, StampReflect.TOS_UNKNOWN, hmac);
        byte[] reply = bytes(buf);
        ByteBuffer expected = ByteBuffer.allocate(96);
        expected.putInt(7).put(new byte[12]).putLong(T3).putShort((short) 0x8001).putShort((short) 0x1234).put(new byte[4])
                .putLong(T2).put(new byte[8]).putInt(7).put(new byte[12]).putLong(T1).putShort((short) 1).put(new byte[6])
                .put((byte) 64).put(new byte[15]);
        assertArrayEquals(expected.array(), Arrays.copyOf(reply, 96));
        assertArrayEquals(Arrays.copyOf(sha256(reply, 96), 16), Arrays.copyOfRange(reply, 96, 112));
    }

    @Test
    void badHmacWrongKeyAndShortPacketsAreRefused() {
        var hmac = new StampHmac(KEY);
        ByteBuf buf = Unpooled.buffer();
        StampSend.writeRequest(buf, true, 7, T1, 1, 0, -1, hmac);
        buf.setByte(20, buf.getByte(20) ^ 1);
        var req = new StampRequest();
        assertEquals(StampReflect.BAD_HMAC, StampReflect.parse(buf, true, hmac, req));
        ByteBuf other = Unpooled.buffer();
        StampSend.writeRequest(other, true, 7, T1, 1, 0, -1, new StampHmac(new byte[16]));
        assertEquals(StampReflect.BAD_HMAC, StampReflect.parse(other, true, hmac, req));
        assertEquals(StampReflect.SHORT, StampReflect.parse(Unpooled.wrappedBuffer(new byte[43]), false, null, req));
        assertEquals(StampReflect.SHORT, StampReflect.parse(Unpooled.wrappedBuffer(new byte[111]), true, hmac, req));
    }

    @Test
    void unknownTlvComesBackWithUFlagAndCosReportsReceivedDscp() {
        ByteBuf buf = Unpooled.buffer();
        StampSend.writeRequest(buf, false, 1, T1, 1, 0, 46, null);
        buf.writeBytes(new byte[] {0, (byte) 200, 0, 3, 9, 8, 7}); // unknown type 200, 3 octets
        buf.writeBytes(new byte[] {0, 1, 0, 2, 0, 0}); // Extra Padding
        var req = new StampRequest();
        assertEquals(StampReflect.OK, StampReflect.parse(buf, false, null, req));
        assertEquals(46, req.requestedDscp());
        assertEquals(3, req.tlvCount());
        StampReflect.reflect(buf, req, T2, T3, 1, 0, 0x28 << 2 | 1, null); // received DSCP 40 (CS5), ECN 1
        byte[] reply = bytes(buf);
        assertEquals(44 + 8 + 7 + 6, reply.length);
        // CoS: flags 0, type 4, length 4, DSCP1 46 | DSCP2 40 | ECN 1 | RP 0, reserved 0
        assertArrayEquals(new byte[] {0, 4, 0, 4, (byte) (46 << 2 | 40 >>> 4), (byte) ((40 & 0xf) << 4 | 1 << 2), 0, 0},
                Arrays.copyOfRange(reply, 44, 52));
        assertArrayEquals(new byte[] {(byte) 0x80, (byte) 200, 0, 3, 9, 8, 7}, Arrays.copyOfRange(reply, 52, 59));
        assertArrayEquals(new byte[] {0, 1, 0, 2, 0, 0}, Arrays.copyOfRange(reply, 59, 65));

        var parsed = new StampReply();
        assertTrue(StampSend.parseReply(buf, false, null, parsed));
        assertEquals(46, parsed.cosRequestedDscp());
        assertEquals(40, parsed.cosReceivedDscp());
        assertEquals(1, parsed.cosEcn());
        assertEquals(1, parsed.unrecognizedTlvs());
    }

    @Test
    void malformedTlvsAreRefused() {
        var req = new StampRequest();
        ByteBuf pastEnd = Unpooled.buffer();
        StampSend.writeRequest(pastEnd, false, 1, T1, 1, 0, -1, null);
        pastEnd.writeBytes(new byte[] {0, 1, 0, 9, 0, 0, 0, 0}); // says 9 octets, 4 follow
        assertEquals(StampReflect.BAD_TLV, StampReflect.parse(pastEnd, false, null, req));

        ByteBuf many = Unpooled.buffer();
        StampSend.writeRequest(many, false, 1, T1, 1, 0, -1, null);
        for (int i = 0; i < 2000; i++) {
            many.writeBytes(new byte[] {0, 1, 0, 0});
        }
        assertEquals(StampReflect.BAD_TLV, StampReflect.parse(many, false, null, req));

        ByteBuf badCos = Unpooled.buffer();
        StampSend.writeRequest(badCos, false, 1, T1, 1, 0, -1, null);
        badCos.writeBytes(new byte[] {0, 4, 0, 2, 0, 0});
        assertEquals(StampReflect.BAD_TLV, StampReflect.parse(badCos, false, null, req));

        ByteBuf ragged = Unpooled.buffer();
        StampSend.writeRequest(ragged, false, 1, T1, 1, 0, -1, null);
        ragged.writeBytes(new byte[] {0, 1, 0});
        assertEquals(StampReflect.BAD_TLV, StampReflect.parse(ragged, false, null, req));
    }

    @Test
    void zeroPaddingIsReflectedAsIs() {
        ByteBuf buf = Unpooled.buffer();
        StampSend.writeRequest(buf, false, 5, T1, 1, 0, -1, null);
        buf.writeZero(1000);
        var req = new StampRequest();
        assertEquals(StampReflect.OK, StampReflect.parse(buf, false, null, req));
        assertEquals(0, req.tlvCount());
        StampReflect.reflect(buf, req, T2, T3, 1, 0, StampReflect.TOS_UNKNOWN, null);
        assertEquals(1044, buf.readableBytes());
        assertArrayEquals(new byte[1000], Arrays.copyOfRange(bytes(buf), 44, 1044));
    }

    @Test
    void senderComputesRttWithDwellSubtracted() {
        long t1 = Ntp.fromEpochNanos(1_000_000_000_000L);
        long t2 = Ntp.fromEpochNanos(1_000_003_000_000L);
        long t3 = Ntp.fromEpochNanos(1_000_005_000_000L);
        long t4 = Ntp.fromEpochNanos(1_000_010_000_000L);
        ByteBuf buf = Unpooled.buffer();
        var hmac = new StampHmac(KEY);
        StampSend.writeRequest(buf, true, 99, t1, 1, 0, -1, hmac);
        var req = new StampRequest();
        assertEquals(StampReflect.OK, StampReflect.parse(buf, true, hmac, req));
        StampReflect.reflect(buf, req, t2, t3, 1, 64, StampReflect.TOS_UNKNOWN, hmac);
        var reply = new StampReply();
        assertTrue(StampSend.parseReply(buf, true, hmac, reply));
        assertEquals(99, reply.senderSequence());
        assertEquals(2_000_000, reply.dwellNanos(), 2);
        assertEquals(8_000_000, reply.rttNanos(t4), 2);
        buf.setByte(40, 1);
        assertFalse(StampSend.parseReply(buf, true, hmac, reply));
    }

    @Test
    void keyFile() {
        assertArrayEquals(KEY, StampKeyFile.parse("# comment\n\n" + HexFormat.of().formatHex(KEY) + "\n", "k"));
        assertThrowsIae(() -> StampKeyFile.parse("00ff", "k"));
        assertThrowsIae(() -> StampKeyFile.parse("zz" + HexFormat.of().formatHex(KEY), "k"));
        assertThrowsIae(() -> StampKeyFile.parse("# only a comment\n", "k"));
    }

    private static void assertThrowsIae(org.junit.jupiter.api.function.Executable e) {
        org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class, e);
    }

    private static byte[] sha256(byte[] data, int length) throws Exception {
        Mac mac = Mac.getInstance("HmacSHA256");
        mac.init(new SecretKeySpec(KEY, "HmacSHA256"));
        mac.update(data, 0, length);
        return mac.doFinal();
    }

    private static byte[] bytes(ByteBuf buf) {
        byte[] b = new byte[buf.readableBytes()];
        buf.getBytes(buf.readerIndex(), b);
        return b;
    }
}
