#!/usr/bin/env bash
# Reflector figures next to the C reference, in one run (issue 5's yardstick):
#   1. capacity and light-load RTT: bench/run.sh, llama as bin/llama starts it (serial GC,
#      64 MB heap; the native datagram path), the same on Netty's path (-Dllama.native=false) and
#      echo-mmsg, medians of REPS, with ratios to echo-mmsg;
#   2. footprint: time from JVM start to the first reply, resident memory idle and after a w256 flood;
#   3. rate limit under flood: -max-pps 50000 with 300,000 pps offered, reply rate, memory, RTT after.
# Traffic goes to 127.0.0.1 only. Needs a C compiler (cc) for bench/c, taskset and ss.
# env: REPS=3 DUR=5 LIGHT_DUR=5 PORT=18100 TESTS="w64 w256 r1000" PROBE_LOAD_OPTS=""
set -euo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$root"
# shellcheck source=bench/lib.sh
. bench/lib.sh
build_c
PORT=${PORT:-18100}
[ -f target/llama.jar ] || mvn -B -q -DskipTests package
JAR=$root/target/llama.jar

echo "== capacity and light-load RTT (bench/run.sh, reflector on CPU 1, generator on CPU 0)"
REPS=${REPS:-3} DUR=${DUR:-5} LIGHT_DUR=${LIGHT_DUR:-5} TESTS=${TESTS:-"w64 w256 r1000"} PORT=$PORT \
    bench/run.sh "llama=$root/bin/llama reflector -max-pps 0 -port {PORT}" \
    "llama-fallback=java -XX:+UseSerialGC -Xmx64m -Dllama.native=false -jar $JAR reflector -max-pps 0 -port {PORT}" \
    "echo-mmsg=$BENCH_BIN/echo-mmsg -p {PORT}" \
    | grep -E '^\||^median'
LOAD=$BENCH_BIN/probe-load

rss() { awk '/VmRSS/ {printf "%.0f MB", $2/1024}' "/proc/$1/status"; }
start_reflector() {  # $1 = max-pps; sets RPID and MS (ms from start to the first reply)
    local t0 t1
    t0=$(date +%s%N)
    taskset -c 1 "$root/bin/llama" reflector -max-pps "$1" -port "$PORT" >/dev/null 2>&1 &
    RPID=$!
    until "$LOAD" -t "127.0.0.1:$PORT" -r 100 -d 0.05 -W 0 -T 20 2>/dev/null | grep -q 'replied=[1-9]'; do :; done
    t1=$(date +%s%N)
    MS=$(( (t1 - t0) / 1000000 ))
}
RPID=
stop_reflector() { [ -z "$RPID" ] || { kill "$RPID" 2>/dev/null; wait "$RPID" 2>/dev/null || true; RPID=; }; }
trap stop_reflector EXIT

echo
echo "== footprint"
start_reflector 0
sleep 2
echo "first reply ${MS} ms after start (probed every few ms); resident idle $(rss "$RPID")"
taskset -c 0 "$LOAD" -t "127.0.0.1:$PORT" -w 256 -d 5 | grep -o 'pps=[0-9]*' | sed 's/^/w256 1028 B: /'
echo "resident after 5 s at w256: $(rss "$RPID")"
stop_reflector

echo
echo "== rate limit under flood (-max-pps 50000, 300,000 pps offered for 5 s, twice)"
start_reflector 50000
echo "resident before: $(rss "$RPID")"
for i in 1 2; do
    taskset -c 0 "$LOAD" -t "127.0.0.1:$PORT" -r 300000 -d 5 -T 2000 | grep RESULT | grep -oE 'sent=[0-9]+|replied=[0-9]+|pps=[0-9]+' | tr '\n' ' '
    echo "resident: $(rss "$RPID")"
done
taskset -c 0 "$LOAD" -t "127.0.0.1:$PORT" -r 1000 -d 3 | grep RESULT | grep -oE 'loss_pct=[0-9.]+|p50=[0-9.]+' | tr '\n' ' ' | sed 's/^/right after, at 1000 pps: /'
echo
