# JVM options per llama role: the one place bin/llama, the packaged /usr/bin/llama (and so the systemd
# units) and the container image take them from. Sourced by a launcher; defines llama_java_opts.
#
# Each role gets a memory budget, so nothing a peer sends (slow readers, floods) can grow the process
# past it. A reflector runs on every host of the mesh and must stay small: the serial collector and a
# 64 MB heap hold it near 100 MB resident under full load (G1 grows to ~180 MB with the per-datagram
# garbage of Netty's recvmmsg path) for a few percent of peak reply rate; a small initial heap, small
# stacks and glibc trimming keep it under 64 MB (docs/deploy.md has the measurements). A collector's heap
# holds about 10 KB per target probed from 4 ports: 10,000 targets x 4 ports live in ~105 MB, 240-250 MB
# resident with -Xmx160m (a full GC of ~150 ms per interval; bench/collector-footprint.sh); a bigger mesh
# needs a bigger -Xmx (LLAMA_JAVA_OPTS). The API's shared answers live off the heap, hence the
# direct-memory bound. LLAMA_JAVA_OPTS, when set (even empty), replaces these defaults for any command.

# glibc gives every thread that mallocs an arena of its own (up to 8 per core), each keeping what it
# once held: two arenas keep a long-running JVM's native memory from creeping up as threads come and go.
export MALLOC_ARENA_MAX="${MALLOC_ARENA_MAX:-2}"

# Prints the JVM options for the command (role) given as $1.
llama_java_opts() {
    if [ -n "${LLAMA_JAVA_OPTS+set}" ]; then
        printf '%s\n' "$LLAMA_JAVA_OPTS"
        return
    fi
    case "${1:-}" in
        # reflector: C2 with glibc's freed memory trimmed every second (the C2 compiler's arenas are the
        # difference to C1 at rest) and MALLOC_ARENA_MAX above; measured on the native path next to
        # echo-mmsg in one run (docs/performance.md, 2026-11-26 05:13): 0.98-1.17 x its replies/s at
        # 1,028 and 64 B, w64 and w256, light-load p50 +3.2/+4.8 us, 61 MB idle, 62 MB peak. C1 only:
        # 56 MB, 0.84-1.07 x, +4.3/+7.4 us.
        reflector) echo "-XX:+UseSerialGC -Xmx64m -Xms8m -Xss256k -XX:ReservedCodeCacheSize=16m -XX:+IgnoreUnrecognizedVMOptions -XX:+UnlockExperimentalVMOptions -XX:TrimNativeHeapInterval=1000" ;;
        # collector: serial GC and a heap that starts at 16 MB and grows only for big meshes; glibc's freed
        # memory trimmed every 10 s; Netty's pooled allocator, which pools the 295 KB receive buffers that
        # the adaptive one allocates and zeroes per read (~93 MB resident at 2,000 probes/s, docs/performance.md)
        collector) echo "-XX:+UseSerialGC -Xms16m -Xmx160m -Xss512k -XX:MaxMetaspaceSize=64m -XX:ReservedCodeCacheSize=32m -XX:MaxDirectMemorySize=128m -XX:+IgnoreUnrecognizedVMOptions -XX:+UnlockExperimentalVMOptions -XX:TrimNativeHeapInterval=10000 -Dio.netty.allocator.type=pooled -Dio.netty.allocator.numDirectArenas=1 -Dio.netty.allocator.numHeapArenas=1" ;;
        scraper) echo "-Xmx256m -XX:MaxDirectMemorySize=128m" ;;
        node|demo) echo "-Xmx512m -XX:MaxDirectMemorySize=256m" ;;
        *) echo "" ;;
    esac
}
