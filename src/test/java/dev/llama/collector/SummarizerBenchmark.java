package dev.llama.collector;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The timing tables: {@code record} is what the event loop does for every answered probe,
 * {@code summarize} what a worker does once per interval for {@code pairs} targets probed from 4
 * sockets (10 s at 10 cps: 100 answers per path). Run with {@code bench/jmh.sh}.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class SummarizerBenchmark {
    private static final int SOCKETS = 4;

    @Param({"1000", "10000"})
    public int pairs;

    private PathTable table;
    private Accumulator filled;
    private Accumulator hot;
    private long[] rtts;
    private int next;

    @Setup
    public void setUp() throws UnknownHostException {
        var src = InetAddress.getByName("127.0.0.1");
        var pairList = new ArrayList<PathTable.Pair>();
        int paths = pairs * SOCKETS;
        var dst = new InetSocketAddress[paths];
        var srcPort = new int[paths];
        var pairOf = new int[paths];
        for (int i = 0; i < pairs; i++) {
            var ip = InetAddress.getByAddress(new byte[] {127, (byte) (1 + i / 250), (byte) (1 + i % 250), 1});
            pairList.add(new PathTable.Pair(src, ip, Map.of("dst_name", "n" + i)));
            for (int s = 0; s < SOCKETS; s++) {
                int p = s * pairs + i;
                dst[p] = new InetSocketAddress(ip, 8100);
                srcPort[p] = 40000 + s;
                pairOf[p] = i;
            }
        }
        table = new PathTable(dst, srcPort, pairOf, List.copyOf(pairList));
        var random = new SplittableRandom(1);
        rtts = new long[1 << 16];
        for (int i = 0; i < rtts.length; i++) {
            rtts[i] = 40_000 + random.nextLong(400_000);
        }
        filled = new Accumulator(paths, pairs);
        for (int round = 0; round < 100; round++) {
            for (int p = 0; p < paths; p++) {
                filled.answered(p, pairOf[p], rtts[(round * paths + p) & (rtts.length - 1)], -1);
            }
        }
        hot = new Accumulator(paths, pairs);
    }

    @Setup(Level.Iteration)
    public void clearHot() {
        hot.clear();
    }

    @Benchmark
    @OutputTimeUnit(TimeUnit.NANOSECONDS)
    public void record() {
        int i = next++;
        int path = i % table.size();
        hot.answered(path, table.pair[path], rtts[i & (rtts.length - 1)], 50_000);
    }

    @Benchmark
    @OutputTimeUnit(TimeUnit.MILLISECONDS)
    public Object summarize() {
        return Summarizer.summarize(List.of(new Summarizer.Part(table, filled)));
    }
}
