#!/usr/bin/env bash
# Reflector capacity and light-load RTT on loopback: each reflector given as NAME=COMMAND (with
# {PORT} where its port goes) is started pinned to CPU 1 and measured by probe-load pinned to CPU 0,
# with 1,028-byte (the original's) and 64-byte probes:
#   w64, w256  closed loop, 64 / 256 probes in flight, as fast as replies come: max reply rate
#   r1000      open loop at 1,000 probes/s, probe-load sleeping in ppoll as a collector does
#   r1000s     the same with probe-load spinning, so its own wake-up is not in the RTT
# Every reflector is restarted for each of REPS repetitions; the table gives medians (min-max).
# The reflector's resident memory is read 2 s after it binds (idle) and after every test (VmRSS, and
# VmHWM: the peak since start), so the table's last column is its footprint under full load.
#
# usage: bench/run.sh [NAME='COMMAND {PORT}' ...]    default: echo-mmsg alone
# env:   REPS=3 DUR=5 LIGHT_DUR=10 PORT=18100 TESTS="w64 w256 r1000 r1000s" OUT=target/bench/run
#        PROBE_LOAD_OPTS="" (extra probe-load options for every test, e.g. -u)
set -euo pipefail
# shellcheck source=bench/lib.sh
. "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
build_c
REPS=${REPS:-3} DUR=${DUR:-5} LIGHT_DUR=${LIGHT_DUR:-10} PORT=${PORT:-18100}
TESTS=${TESTS:-w64 w256 r1000 r1000s}
OUT=${OUT:-$bench_root/target/bench/run}
PROBE_LOAD_OPTS=${PROBE_LOAD_OPTS:-}
mkdir -p "$OUT"
raw=$OUT/results.txt log=$OUT/log.txt
[ $# -gt 0 ] || set -- "echo-mmsg=$BENCH_BIN/echo-mmsg -p {PORT}"

reflector= rss_idle=0
stop_reflector() {  # the reflector this script started, by its PID: TERM, then KILL after 2 s
    [ -n "$reflector" ] || return 0
    kill -TERM "$reflector" 2>/dev/null || true
    for _ in $(seq 20); do kill -0 "$reflector" 2>/dev/null || break; sleep 0.1; done
    kill -KILL "$reflector" 2>/dev/null || true
    wait "$reflector" 2>/dev/null || true
    reflector=
}
trap stop_reflector EXIT
trap 'exit 130' INT TERM

port_bound() { ss -Hlun "sport = :$PORT" | grep -q .; }

start_reflector() {  # $1: the command, {PORT} not yet replaced
    local cmd=${1//\{PORT\}/$PORT}
    if port_bound; then echo "bench/run.sh: UDP port $PORT is in use" >&2; exit 1; fi
    # shellcheck disable=SC2086
    taskset -c 1 $cmd >>"$log" 2>&1 &
    reflector=$!
    for _ in $(seq 100); do
        if port_bound; then
            sleep 2
            rss_idle=$(mem VmRSS)
            return 0
        fi
        sleep 0.1
    done
    echo "bench/run.sh: the reflector did not bind port $PORT: $cmd" >&2
    exit 1
}

mem() {  # $1 VmRSS or VmHWM of the reflector, in kB (0 when unknown)
    awk -v k="$1:" '$1 == k {print $2; found=1} END {if (!found) print 0}' "/proc/$reflector/status" 2>/dev/null || echo 0
}

measure() {  # $1 name, $2 repetition, $3 test, rest: probe-load options
    local name=$1 rep=$2 test=$3 result
    shift 3
    # shellcheck disable=SC2086
    result=$(taskset -c 0 "$BENCH_BIN/probe-load" -t "127.0.0.1:$PORT" "$@" $PROBE_LOAD_OPTS | tee -a "$log" | grep '^RESULT ' || true)
    [ -n "$result" ] || { echo "bench/run.sh: probe-load gave no result ($name, $test)" >&2; exit 1; }
    kill -0 "$reflector" 2>/dev/null || { echo "bench/run.sh: reflector $name exited" >&2; exit 1; }
    echo "refl=$name rep=$rep test=$test ${result#RESULT } rss_idle=$rss_idle rss=$(mem VmRSS) hwm=$(mem VmHWM)" >>"$raw"
}

: >"$raw"
echo "# $(date -u +%FT%TZ), kernel $(uname -r), $(nproc) cpus, REPS=$REPS DUR=$DUR LIGHT_DUR=$LIGHT_DUR" >"$log"
for rep in $(seq "$REPS"); do
    for spec in "$@"; do
        name=${spec%%=*}
        echo "# repetition $rep, $name: ${spec#*=}" >>"$log"
        start_reflector "${spec#*=}"
        for len in 1028 64; do
            for test in $TESTS; do
                case $test in
                w64 | w256) measure "$name" "$rep" "$test" -l "$len" -w "${test#w}" -d "$DUR" ;;
                r1000) measure "$name" "$rep" "$test" -l "$len" -r 1000 -d "$LIGHT_DUR" ;;
                r1000s) measure "$name" "$rep" "$test" -l "$len" -r 1000 -s -d "$LIGHT_DUR" ;;
                *) echo "bench/run.sh: unknown test $test" >&2; exit 2 ;;
                esac
            done
        done
        stop_reflector
    done
done

python3 - "$raw" <<'PY'
import statistics, sys

runs = {}  # (reflector, datagram length) -> test -> [result dict]
for line in open(sys.argv[1]):
    r = dict(token.split("=", 1) for token in line.split())
    runs.setdefault((r["refl"], r["len"]), {}).setdefault(r["test"], []).append(r)

def cell(results, key, fmt):
    values = sorted(float(r[key]) for r in results)
    if not values:
        return "-"
    median = fmt.format(statistics.median(values))
    return median if len(values) == 1 else f"{median} ({fmt.format(values[0])}-{fmt.format(values[-1])})"

print("| reflector | datagram | max reply pps, w64 | max reply pps, w256 | worst loss % | "
      "RTT p50 / p99 us @1000pps | same, generator spinning | cpu0 / cpu1 busy % @w64 | RSS MB idle / peak |")
print("|---|---|---|---|---|---|---|---|---|")
for (name, length), tests in runs.items():
    every = [r for results in tests.values() for r in results]
    loss = max(float(r["loss_pct"]) for r in every)
    get = lambda t: tests.get(t, [])
    print(f"| {name} | {length} B | {cell(get('w64'), 'pps', '{:.0f}')} | {cell(get('w256'), 'pps', '{:.0f}')} "
          f"| {loss:.4f} | {cell(get('r1000'), 'p50', '{:.1f}')} / {cell(get('r1000'), 'p99', '{:.1f}')} "
          f"| {cell(get('r1000s'), 'p50', '{:.1f}')} / {cell(get('r1000s'), 'p99', '{:.1f}')} "
          f"| {cell(get('w64'), 'cpu0', '{:.0f}')} / {cell(get('w64'), 'cpu1', '{:.0f}')} "
          f"| {statistics.median(float(r['rss_idle']) for r in every) / 1024:.0f} / {max(float(r['hwm']) for r in every) / 1024:.0f} |")
med = lambda results, key: statistics.median(float(r[key]) for r in results) if results else None
ref = {length: tests for (name, length), tests in runs.items() if name == "echo-mmsg"}
if ref:
    print("\n| reflector | datagram | w64 / echo-mmsg | w256 / echo-mmsg | RTT p50 @1000pps - echo-mmsg's, us |")
    print("|---|---|---|---|---|")
    for (name, length), tests in runs.items():
        if name == "echo-mmsg" or length not in ref:
            continue
        r = ref[length]
        ratio = lambda t: f"{med(tests.get(t), 'pps') / med(r.get(t), 'pps'):.3f}" if tests.get(t) and r.get(t) else "-"
        diff = f"{med(tests.get('r1000'), 'p50') - med(r.get('r1000'), 'p50'):+.1f}" if tests.get('r1000') and r.get('r1000') else "-"
        print(f"| {name} | {length} B | {ratio('w64')} | {ratio('w256')} | {diff} |")
reps = max(len(results) for tests in runs.values() for results in tests.values())
print(f"\nmedian (min-max) over {reps} repetitions; raw results: {sys.argv[1]}")
PY
