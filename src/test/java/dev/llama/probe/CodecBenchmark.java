package dev.llama.probe;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.PooledByteBufAllocator;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The codec on the hot path: decoding a probe as the reflector and collector do for every datagram,
 * and encoding a sequenced probe as the collector does for every send. Run with {@code bench/jmh.sh}.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class CodecBenchmark {
    /** Padding bytes: the original's default (1,028-byte datagrams) and none (64-byte class). */
    @Param({"1000", "0"})
    public int padding;

    private ByteBuf probe;
    private ByteBuf out;
    private final ProbeView view = new ProbeView();

    @Setup
    public void setUp() {
        probe = PooledByteBufAllocator.DEFAULT.directBuffer(2048);
        ProbeCodec.encodeSequenced(probe, 123_456_789L, (short) 42, 0, System.nanoTime(), padding);
        out = PooledByteBufAllocator.DEFAULT.directBuffer(2048);
    }

    @TearDown
    public void tearDown() {
        probe.release();
        out.release();
    }

    @Benchmark
    public boolean decode() {
        probe.readerIndex(0);
        return ProbeCodec.decode(probe, view);
    }

    @Benchmark
    public int encodeSequenced() {
        out.clear();
        ProbeCodec.encodeSequenced(out, 123_456_789L, (short) 42, 0, 1_700_000_000_000_000_000L, padding);
        return out.writerIndex();
    }
}
