package dev.llama.collector;

import dev.llama.config.CollectorConfig;
import dev.llama.net.UdpTransport;
import dev.llama.probe.ProbeAuth;
import dev.llama.probe.ProbeKeys;
import io.netty.channel.EventLoop;
import io.vertx.core.Context;
import io.vertx.core.Future;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/**
 * The sockets, send schedules and timing tables of one collector configuration, all on one event
 * loop. A reload builds a new engine and retires the old one once its probes in flight are resolved,
 * so no result is lost.
 */
final class ProbeEngine {
    /** How often probes past their timeout are declared lost; replies are judged by RTT, not by this. */
    private static final long SWEEP_NANOS = TimeUnit.MILLISECONDS.toNanos(10);
    private static final long MIN_TICK_NANOS = TimeUnit.MICROSECONDS.toNanos(100);

    final CollectorConfig config;
    final EventLoop loop;
    final CollectorStats stats;
    private final int padding;
    private final long wallOffset;
    private final List<ProbeSender> sockets = new ArrayList<>();
    private final StampOutcomes stampOutcomes = new StampOutcomes(this);
    private final List<ScheduledFuture<?>> senders = new ArrayList<>();
    private ScheduledFuture<?> sweeper;
    private ProbeAuth auth;
    private PathTable paths;
    private long[] lastRtt;
    private Accumulator acc;
    private Accumulator spare;

    ProbeEngine(CollectorConfig config, EventLoop loop, CollectorStats stats, int padding) {
        this.config = config;
        this.loop = loop;
        this.stats = stats;
        this.padding = padding;
        this.wallOffset = System.currentTimeMillis() * 1_000_000L - System.nanoTime();
    }

    long wallNanos(long monotonic) {
        return monotonic + wallOffset;
    }

    PathTable paths() {
        return paths;
    }

    List<Integer> localPorts() {
        return sockets.stream().map(s -> ((InetSocketAddress) s.channel().localAddress()).getPort()).toList();
    }

    /** Reads the probe keys ({@code auth_keys}) if any, binds every socket, then starts probing; on failure, closes what it bound. */
    Future<ProbeEngine> start(Context context) {
        if (config.authKeys() == null) {
            return bindAndBegin(context);
        }
        return context.executeBlocking(() -> ProbeKeys.read(Path.of(config.authKeys())))
                .recover(err -> Future.failedFuture("auth_keys: " + (err instanceof IllegalArgumentException ? "" : config.authKeys() + ": ")
                        + err.getMessage()))
                .compose(keys -> {
                    auth = new ProbeAuth(keys);
                    return bindAndBegin(context);
                });
    }

    private Future<ProbeEngine> bindAndBegin(Context context) {
        var binds = new ArrayList<Future<Void>>();
        int pathBase = 0;
        for (var plan : plans()) {
            var targets = plan.targets().stream().map(CollectorConfig.Target::address)
                    .toArray(InetSocketAddress[]::new);
            double pps = plan.cps() * targets.length;
            for (var port : plan.ports()) {
                io.netty.channel.ChannelFuture bound;
                if (plan.stamp()) {
                    var socket = new StampSocket(stampOutcomes, stats, port.tos(), port.timeoutMs(), pathBase, targets, pps, null);
                    bound = UdpTransport.bind(loop, new InetSocketAddress(port.ip(), port.port()), socket);
                    socket.channel = bound.channel();
                    sockets.add(ProbeSender.of(socket));
                } else {
                    var socket = new ProbeSocket(this, port.tos(), port.timeoutMs(), padding, pathBase, targets, pps,
                            port.acceptOtherSource(), auth);
                    bound = UdpTransport.bind(loop, new InetSocketAddress(port.ip(), port.port()), socket);
                    socket.channel = bound.channel();
                    sockets.add(ProbeSender.of(socket));
                }
                binds.add(UdpTransport.toFuture(bound, context).recover(err -> Future.failedFuture(
                        "cannot bind ports." + port.name() + " (" + port.ip().getHostAddress() + ":" + port.port() + "): " + err.getMessage())));
                pathBase += targets.length;
            }
        }
        return Future.all(binds)
                .compose(v -> context.executeBlocking(this::buildPaths))
                .compose(table -> UdpTransport.toFuture(loop.submit(() -> begin(table)), context))
                .map(this)
                .recover(err -> close(context).transform(ignored -> Future.failedFuture(err)));
    }

    private PathTable buildPaths() {
        var dst = new ArrayList<InetSocketAddress>();
        var srcPort = new ArrayList<Integer>();
        var pairOf = new ArrayList<Integer>();
        var pairs = new LinkedHashMap<List<InetAddress>, Integer>();
        var pairList = new ArrayList<PathTable.Pair>();
        var sourceCache = new HashMap<List<InetAddress>, InetAddress>();
        int socketIndex = 0;
        for (var plan : plans()) {
            var targets = plan.targets();
            for (int k = 0; k < plan.ports().size(); k++) {
                var socket = sockets.get(socketIndex++);
                var local = (InetSocketAddress) socket.channel().localAddress();
                for (var target : targets) {
                    InetAddress src = sourceCache.computeIfAbsent(List.of(local.getAddress(), target.ip()),
                            key -> sourceFor(local.getAddress(), target.ip()));
                    var key = List.of(src, target.ip());
                    Integer idx = pairs.get(key);
                    if (idx == null) {
                        idx = pairList.size();
                        pairs.put(key, idx);
                        pairList.add(new PathTable.Pair(src, target.ip(), target.tags()));
                    } else if (!target.tags().isEmpty()) {
                        pairList.set(idx, new PathTable.Pair(src, target.ip(), target.tags()));
                    }
                    dst.add(target.address());
                    srcPort.add(local.getPort());
                    pairOf.add(idx);
                }
            }
        }
        return new PathTable(dst.toArray(InetSocketAddress[]::new),
                srcPort.stream().mapToInt(Integer::intValue).toArray(),
                pairOf.stream().mapToInt(Integer::intValue).toArray(), List.copyOf(pairList));
    }

    /**
     * The tests as probed: a test's LLAMA targets and its STAMP targets ({@code protocol: stamp}) each get
     * the test's sockets, rate and timeout, the LLAMA ones first.
     */
    private List<Plan> plans() {
        var plans = new ArrayList<Plan>();
        for (var test : config.tests()) {
            var targets = config.targetsOf(test);
            var stamp = targets.stream().filter(CollectorConfig.Target::stamp).toList();
            if (stamp.size() < targets.size() || stamp.isEmpty()) {
                plans.add(new Plan(targets.stream().filter(t -> !t.stamp()).toList(), config.socketsOf(test), config.cpsOf(test), false));
            }
            if (!stamp.isEmpty()) {
                plans.add(new Plan(stamp, config.socketsOf(test), config.cpsOf(test), true));
            }
        }
        return plans;
    }

    private record Plan(List<CollectorConfig.Target> targets, List<CollectorConfig.Port> ports, double cps, boolean stamp) {
    }

    /** The address the kernel would send from; connecting a UDP socket sends nothing. */
    private static InetAddress sourceFor(InetAddress bound, InetAddress target) {
        if (!bound.isAnyLocalAddress()) {
            return bound;
        }
        try (var probe = new DatagramSocket()) {
            probe.connect(target, 9);
            return probe.getLocalAddress();
        } catch (IOException e) {
            throw new UncheckedIOException("no route to " + target.getHostAddress(), e);
        }
    }

    private void begin(PathTable table) {
        paths = table;
        lastRtt = new long[table.size()];
        java.util.Arrays.fill(lastRtt, -1);
        acc = new Accumulator(table.size(), table.pairs.size());
        spare = new Accumulator(table.size(), table.pairs.size());
        int socketIndex = 0;
        for (var plan : plans()) {
            int n = plan.ports().size();
            var group = sockets.subList(socketIndex, socketIndex + n);
            socketIndex += n;
            int targets = plan.targets().size();
            if (targets == 0 || n == 0) {
                continue;
            }
            long cycle = (long) (1e9 / plan.cps());
            int probes = targets * n;
            long tick = Math.min(cycle, Math.max(MIN_TICK_NANOS, cycle / probes));
            var runner = new CycleRunner(group, targets, (double) probes * tick / cycle);
            senders.add(loop.scheduleAtFixedRate(runner, 0, tick, TimeUnit.NANOSECONDS));
        }
        sweeper = loop.scheduleAtFixedRate(this::sweep, SWEEP_NANOS, SWEEP_NANOS, TimeUnit.NANOSECONDS);
    }

    /**
     * Spreads each cycle's probes (every target from every socket of the group) evenly over the
     * cycle. Bursts would queue probes behind each other at the reflector and inflate the RTT the
     * collector reports; one target from four sockets at 250 cps is one probe a millisecond, not
     * four every four milliseconds. A cycle takes target by target, each from every socket in
     * turn; each socket flushes what one tick gave it as one batch.
     */
    private static final class CycleRunner implements Runnable {
        private final List<ProbeSender> group;
        private final int probes;
        private final double perTick;
        private double credit;
        private int cursor;

        CycleRunner(List<ProbeSender> group, int targets, double perTick) {
            this.group = group;
            this.probes = targets * group.size();
            this.perTick = perTick;
            this.credit = Math.max(1.0, perTick);
        }

        @Override
        public void run() {
            int due = (int) Math.min(credit, probes);
            credit = Math.min(credit - due + perTick, 2.0 * probes);
            int sockets = group.size();
            for (int i = 0; i < due; i++) {
                group.get(cursor % sockets).enqueue(cursor / sockets);
                cursor = cursor + 1 == probes ? 0 : cursor + 1;
            }
            for (var socket : group) {
                socket.flush();
            }
        }
    }

    private void sweep() {
        long now = System.nanoTime();
        for (var socket : sockets) {
            socket.sweep(now);
        }
    }

    void answered(int path, long rtt) {
        acc.answered(path, paths.pair[path], rtt, lastRtt[path]);
        lastRtt[path] = rtt;
        stats.resolved.inc();
    }

    void lost(int path) {
        acc.lost(path);
        stats.resolved.inc();
    }

    void late(int path) {
        acc.late[path]++;
        stats.late.inc();
    }

    void duplicate(int path) {
        acc.duplicates[path]++;
        stats.duplicates.inc();
    }

    /** Takes the results gathered so far and starts a new interval; runs on the loop. */
    Future<Accumulator> snapshot(Context context) {
        return UdpTransport.toFuture(loop.submit(() -> {
            var taken = acc;
            acc = spare != null ? spare : new Accumulator(paths.size(), paths.pairs.size());
            spare = null;
            return taken;
        }), context);
    }

    /** Gives back a summarized accumulator for reuse; it is cleared here, off the loop. */
    void recycle(Accumulator used) {
        used.clear();
        loop.execute(() -> spare = used);
    }

    /** Stops sending; probes in flight still resolve (answer or timeout). */
    Future<Void> stopSending(Context context) {
        return UdpTransport.toFuture(loop.submit(() -> senders.forEach(t -> t.cancel(false))), context).mapEmpty();
    }

    /** Longest timeout of any socket: after it, every probe sent is resolved. */
    long drainMillis() {
        return config.ports().values().stream().mapToLong(CollectorConfig.Port::timeoutMs).max().orElse(0)
                + 2 * TimeUnit.NANOSECONDS.toMillis(SWEEP_NANOS);
    }

    Future<Void> close(Context context) {
        var closes = new ArrayList<Future<Void>>();
        loop.execute(() -> {
            senders.forEach(t -> t.cancel(false));
            if (sweeper != null) {
                sweeper.cancel(false);
            }
        });
        for (var socket : sockets) {
            closes.add(UdpTransport.toFuture(socket.channel().close(), context));
        }
        return Future.join(closes).mapEmpty();
    }

    /** For the start-up log line, in a fixed order. */
    String describe() {
        return sockets.size() + " sockets, " + (paths == null ? 0 : paths.size()) + " paths, "
                + (paths == null ? 0 : paths.pairs.size()) + " pairs, authentication " + (auth == null ? "off" : auth.keys().toString());
    }
}
