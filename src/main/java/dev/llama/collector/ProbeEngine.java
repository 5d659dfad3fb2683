package dev.llama.collector;

import dev.llama.config.CollectorConfig;
import dev.llama.net.NativeSocket;
import dev.llama.net.NativeUdp;
import dev.llama.net.UdpTransport;
import dev.llama.probe.ProbeAuth;
import dev.llama.probe.ProbeKeys;
import dev.llama.probe.ProbeView;
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
    /**
     * How often native sockets are read. Their replies carry the kernel's receive time, so reading
     * later does not change the RTT; the kernel buffer holds far more than this many replies.
     */
    private static final long NATIVE_POLL_NANOS = TimeUnit.MILLISECONDS.toNanos(1);
    /** Datagrams per native read or send, each way; the memory is slots x 9 KB x 2 per socket. */
    private static final int NATIVE_SLOTS = 32;

    final CollectorConfig config;
    final EventLoop loop;
    final CollectorStats stats;
    private final int padding;
    private final long wallOffset;
    private final List<ProbeSender> sockets = new ArrayList<>();
    private final StampOutcomes stampOutcomes = new StampOutcomes(this);
    private final List<ScheduledFuture<?>> senders = new ArrayList<>();
    private ScheduledFuture<?> sweeper;
    private ScheduledFuture<?> poller;
    private final boolean nativePath = NativeUdp.available();
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
        return sockets.stream().map(s -> s.localAddress().getPort()).toList();
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
                var local = new InetSocketAddress(port.ip(), port.port());
                Future<Void> bound;
                if (plan.stamp()) {
                    var socket = new StampSocket(stampOutcomes, stats, port.tos(), port.timeoutMs(), pathBase, targets, pps,
                            plan.stampKey() == null ? null : java.util.HexFormat.of().parseHex(plan.stampKey()));
                    sockets.add(socket);
                    var netty = UdpTransport.bind(loop, local, socket);
                    socket.channel = netty.channel();
                    bound = UdpTransport.toFuture(netty, context).mapEmpty();
                } else {
                    var socket = new ProbeSocket(this, port.tos(), port.timeoutMs(), padding, pathBase, targets, pps,
                            port.acceptOtherSource(), auth);
                    sockets.add(socket);
                    bound = bind(socket, local, context);
                }
                binds.add(bound.recover(err -> Future.failedFuture(
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

    private Future<Void> bind(ProbeSocket socket, InetSocketAddress local, Context context) {
        if (!nativePath) {
            var bound = UdpTransport.bind(loop, local, socket);
            socket.channel = bound.channel();
            return UdpTransport.toFuture(bound, context).mapEmpty();
        }
        try {
            socket.nativeIo = new NativeProbeIo(NativeSocket.bind(local, NATIVE_SLOTS, UdpTransport.MAX_DATAGRAM, 4 << 20),
                    local.getAddress());
            return Future.succeededFuture();
        } catch (IOException e) {
            return Future.failedFuture(e);
        }
    }

    private PathTable buildPaths() {
        var dst = new ArrayList<InetSocketAddress>();
        var srcPort = new ArrayList<Integer>();
        var pairOf = new ArrayList<Integer>();
        var tos = new ArrayList<Integer>();
        var pairs = new LinkedHashMap<List<InetAddress>, Integer>();
        var pairList = new ArrayList<PathTable.Pair>();
        var sourceCache = new HashMap<List<InetAddress>, InetAddress>();
        int socketIndex = 0;
        for (var plan : plans()) {
            var targets = plan.targets();
            for (int k = 0; k < plan.ports().size(); k++) {
                var socket = sockets.get(socketIndex++);
                int socketTos = plan.ports().get(k).tos();
                var local = socket.localAddress();
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
                    tos.add(socketTos);
                }
            }
        }
        return new PathTable(dst.toArray(InetSocketAddress[]::new),
                srcPort.stream().mapToInt(Integer::intValue).toArray(),
                pairOf.stream().mapToInt(Integer::intValue).toArray(), List.copyOf(pairList),
                tos.stream().mapToInt(Integer::intValue).toArray());
    }

    /**
     * The tests as probed: a test's LLAMA targets and its STAMP targets ({@code protocol: stamp}) each get
     * the test's sockets, rate and timeout, the LLAMA ones first; STAMP targets with different keys get sockets of their own.
     */
    private List<Plan> plans() {
        var plans = new ArrayList<Plan>();
        for (var test : config.tests()) {
            var targets = config.targetsOf(test);
            var stamp = targets.stream().filter(CollectorConfig.Target::stamp).toList();
            if (stamp.size() < targets.size() || stamp.isEmpty()) {
                plans.add(new Plan(targets.stream().filter(t -> !t.stamp()).toList(), config.socketsOf(test), config.cpsOf(test), false, null));
            }
            // one socket signs with one key: STAMP targets are grouped by key (null, unauthenticated, sorts first)
            var byKey = new java.util.TreeMap<String, List<CollectorConfig.Target>>(java.util.Comparator.nullsFirst(String::compareTo));
            stamp.forEach(t -> byKey.computeIfAbsent(t.stampKey(), k -> new ArrayList<>()).add(t));
            byKey.forEach((key, group) -> plans.add(new Plan(group, config.socketsOf(test), config.cpsOf(test), true, key)));
        }
        return plans;
    }

    private record Plan(List<CollectorConfig.Target> targets, List<CollectorConfig.Port> ports, double cps, boolean stamp, String stampKey) {
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
        if (nativePath) {
            poller = loop.scheduleAtFixedRate(this::poll, NATIVE_POLL_NANOS, NATIVE_POLL_NANOS, TimeUnit.NANOSECONDS);
        }
    }

    private void poll() {
        for (var socket : sockets) {
            socket.poll();
        }
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
            for (int i = 0; i < sockets; i++) {
                group.get(i).flush(); // indexed: a sublist's iterator is garbage every tick
            }
        }
    }

    private void sweep() {
        poll(); // a reply already in the kernel's buffer is not lost
        long now = System.nanoTime();
        for (var socket : sockets) {
            socket.sweep(now);
        }
    }

    /** {@link #answered(int, long, long, int)}'s received TOS when the socket cannot tell it (Netty's path). */
    static final int TOS_UNKNOWN = -1;

    void answered(int path, long rtt) {
        answered(path, rtt, ProbeView.NO_DWELL, TOS_UNKNOWN);
    }

    /**
     * A reply answered in {@code rtt} ns, with the reflector's dwell ({@link ProbeView#dwell}) and the TOS it
     * arrived with ({@link #TOS_UNKNOWN} when not known).
     */
    void answered(int path, long rtt, long dwell, int tosReceived) {
        int pair = paths.pair[path];
        acc.answered(path, pair, rtt, lastRtt[path]);
        acc.dwell(path, pair, rtt, dwell);
        acc.tosReceived(path, paths.tos[path], tosReceived);
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
            if (poller != null) {
                poller.cancel(false);
            }
        });
        for (var socket : sockets) {
            if (socket.channel() != null) {
                closes.add(UdpTransport.toFuture(socket.channel().close(), context));
            }
        }
        if (nativePath) {
            closes.add(UdpTransport.toFuture(loop.submit(() -> sockets.forEach(ProbeSender::closeNative)), context).mapEmpty());
        }
        return Future.join(closes).mapEmpty();
    }

    /** For the start-up log line, in a fixed order. */
    String describe() {
        return sockets.size() + (nativePath ? " native" : "") + " sockets, " + (paths == null ? 0 : paths.size()) + " paths, "
                + (paths == null ? 0 : paths.pairs.size()) + " pairs, authentication " + (auth == null ? "off" : auth.keys().toString());
    }
}
