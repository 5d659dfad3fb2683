# JVM options per llama role: the one place bin/llama, the packaged /usr/bin/llama (and so the systemd
# units) and the container image take them from. Sourced by a launcher; defines llama_java_opts.
#
# Each role gets a memory budget, so nothing a peer sends (slow readers, floods) can grow the process
# past it. A reflector runs on every host of the mesh and must stay small: the serial collector and a
# 64 MB heap hold it near 100 MB resident under full load (G1 grows to ~180 MB with the per-datagram
# garbage of Netty's recvmmsg path) for a few percent of peak reply rate; a small initial heap and the
# C1 compiler only keep it under 64 MB idle (docs/deploy.md has the measurements). A collector's heap
# holds about 10 KB per target probed from 4 ports: 10,000 targets x 4 ports live in ~105 MB, 240-250 MB
# resident with -Xmx160m (a full GC of ~150 ms per interval; bench/collector-footprint.sh); a bigger mesh
# needs a bigger -Xmx (LLAMA_JAVA_OPTS). The API's shared answers live off the heap, hence the
# direct-memory bound. LLAMA_JAVA_OPTS, when set (even empty), replaces these defaults for any command.

# Prints the JVM options for the command (role) given as $1.
llama_java_opts() {
    if [ -n "${LLAMA_JAVA_OPTS+set}" ]; then
        printf '%s\n' "$LLAMA_JAVA_OPTS"
        return
    fi
    case "${1:-}" in
        # reflector: C1 only, measured both ways on the native path (bench/run.sh, docs/performance.md, load ~3):
        # C1 answers 0.80-0.93 x echo-mmsg at w64/w256 (133,000-159,000 replies/s) at 56-57 MB resident peak; C2
        # 0.93-1.12 x but 62-65 MB, at or over the 64 MB goal. Memory is paid on every host of the mesh and
        # the reflector's default -max-pps is 5,000, so C1's peak is 26 x what it is ever asked for.
        reflector) echo "-XX:+UseSerialGC -Xmx64m -Xms8m -XX:TieredStopAtLevel=1" ;;
        # collector: serial GC and a heap that starts at 16 MB and grows only for big meshes; glibc's freed
        # memory trimmed every 10 s; Netty's pooled allocator, which pools the 295 KB receive buffers that
        # the adaptive one allocates and zeroes per read (~93 MB resident at 2,000 probes/s, docs/performance.md)
        collector) echo "-XX:+UseSerialGC -Xms16m -Xmx160m -Xss512k -XX:MaxMetaspaceSize=64m -XX:ReservedCodeCacheSize=32m -XX:MaxDirectMemorySize=128m -XX:+IgnoreUnrecognizedVMOptions -XX:+UnlockExperimentalVMOptions -XX:TrimNativeHeapInterval=10000 -Dio.netty.allocator.type=pooled -Dio.netty.allocator.numDirectArenas=1 -Dio.netty.allocator.numHeapArenas=1" ;;
        scraper) echo "-Xmx256m -XX:MaxDirectMemorySize=128m" ;;
        node|demo) echo "-Xmx512m -XX:MaxDirectMemorySize=256m" ;;
        *) echo "" ;;
    esac
}
