#!/usr/bin/env bash
# Collector RTT truth under load (issue 13, goal 3) on 127.0.0.1, 1,028-byte probes, 1 target x 4 ports
# x 250 cps (1,000 probes/s), echo-mmsg as the reflector on CPU 1, a spinning process keeping CPU 0 100 %
# busy throughout. Each prober under test runs on CPU 0 *at the same time as* probe-load (C, kernel receive
# timestamps, also on CPU 0, same reflector), so both see the same load on both cores; the machine is
# shared, and runs one after the other compared different moments, not different probers:
#   - the llama collector on the native path, then on Netty's (-Dllama.native=false), with a forced GC
#     every second (jcmd GC.run, itself pinned to CPU 0: jcmd starts a JVM, which on CPU 1 would stall
#     the reflector for every prober);
#   - Debian's irtt client against irtt server (CPU 1), when installed.
# ROUNDS rounds; the table gives the median over rounds of each p50 and p99, and its ratio to the median of
# the probe-load run beside it. Every round's figures go to stderr.
# env: PORT=18450 API=18451 SECS=10 (summary interval and probe-load/irtt duration) ROUNDS=3 LOGDIR=/tmp
#      SPIN=1 (0: no spinning loop) GC=1 (0: no forced GC): SPIN=0 GC=0 gives the unloaded figures
#      PROBERS="native netty irtt" (which of them to run) WARMUP=0 (whole intervals skipped before the measured one)
set -euo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$root"
# shellcheck source=bench/lib.sh
. bench/lib.sh
build_c
PORT=${PORT:-18450}
API=${API:-18451}
SECS=${SECS:-10}
ROUNDS=${ROUNDS:-3}
SPIN=${SPIN:-1}
GC=${GC:-1}
PROBERS=${PROBERS:-native netty irtt}
WARMUP=${WARMUP:-0}
LOGDIR=${LOGDIR:-/tmp}
[ -f target/llama.jar ] || mvn -B -q -DskipTests package
pids=()
cleanup() { for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done; wait 2>/dev/null || true; }
trap cleanup EXIT

taskset -c 1 "$BENCH_BIN/echo-mmsg" -p "$PORT" -R 4194304 >/dev/null 2>&1 &
pids+=($!)
if [ "$SPIN" = 1 ]; then
    taskset -c 0 sh -c 'while :; do :; done' &
    pids+=($!)
fi
config=$(mktemp --suffix=.yaml)
results=$(mktemp)
cat >"$config" <<YAML
summarization: {interval: $SECS}
api: {bind: "127.0.0.1:$API"}
ports: {p: {ip: 127.0.0.1, port: 0, tos: 0, timeout: 1000}}
port_groups: {g: [{port: p, count: 4}]}
rate_limits: {r: {cps: 250}}
tests: [{targets: t, port_group: g, rate_limit: r}]
targets: {t: [{ip: 127.0.0.1, port: $PORT}]}
YAML

probe_load() {  # $1 seconds; prints "p50 p99" in us
    taskset -c 0 "$BENCH_BIN/probe-load" -t "127.0.0.1:$PORT" -r 1000 -n 4 -W 0 -d "$1" | grep RESULT \
        | sed -E 's/.* p50=([0-9.]+) .* p99=([0-9.]+) .*/\1 \2/'
}
interval_end() {
    curl -s "127.0.0.1:$API/api/v1/summaries" 2>/dev/null | python3 -c 'import json,sys
d=json.load(sys.stdin)["collectors"]
print(d[0]["interval_end"] if d else "")' 2>/dev/null || true
}
next_summary() {  # waits until the summary set differs from $1
    local cur
    while :; do
        sleep 0.2
        cur=$(interval_end)
        if [ -n "$cur" ] && [ "$cur" != "$1" ]; then return; fi
    done
}
record() {  # $1 label, $2 round, $3 "p50 p99" of the prober, $4 "p50 p99" of probe-load beside it
    echo "$1|$2|$3|$4" >>"$results"
    echo "round $2: $1: p50 p99 $3 us; probe-load beside it: $4 us" >&2
}
collector() {  # $1 label, $2 round, rest: JVM options
    local label=$1 round=$2 cpid gcpid line ref first refout
    shift 2
    taskset -c 0 java -XX:+UseSerialGC "$@" -jar target/llama.jar collector -llama.config "$config" \
        >"$LOGDIR/collector-load-$label.log" 2>&1 &
    cpid=$!
    gcpid=
    if [ "$GC" = 1 ]; then
        (while sleep 1; do taskset -c 0 jcmd "$cpid" GC.run >/dev/null 2>&1 || true; done) &
        gcpid=$!
    fi
    next_summary ""  # the first set covers a partial interval
    first=$(interval_end)
    for _ in $(seq 1 "$WARMUP"); do
        next_summary "$first"
        first=$(interval_end)
    done
    refout=$(mktemp)
    probe_load "$SECS" >"$refout" &  # the whole interval, which began at most 0.2 s ago
    next_summary "$first"
    wait $!
    ref=$(cat "$refout")
    rm -f "$refout"
    line=$(curl -s "127.0.0.1:$API/api/v1/summaries" | python3 -c 'import json,sys
c=json.load(sys.stdin)["collectors"][0]
p=c["pairs"][0]
n=c.get("counters", {}).get("rtt_user_clock", 0)
if n: print("rtt_user_clock", n, file=sys.stderr)
print(p["rtt_p50"]*1000, p["rtt_p99"]*1000)')
    kill $gcpid "$cpid"
    wait "$cpid" $gcpid 2>/dev/null || true
    record "llama collector, $label path$gclabel" "$round" "$line" "$ref"
}
irtt_round() {  # $1 round
    local out ref refout
    out=$(mktemp --suffix=.json)
    refout=$(mktemp)
    probe_load "$SECS" >"$refout" &
    taskset -c 0 irtt client -Q -i 1ms -d "${SECS}s" -l 1028 -o "$out" "127.0.0.1:$((PORT + 2))" >/dev/null || true
    wait $!
    ref=$(cat "$refout")
    line=$(python3 -c 'import json,sys
rt=sorted(r["delay"]["rtt"] for r in json.load(open(sys.argv[1]))["round_trips"] if "delay" in r and "rtt" in r["delay"])
print(rt[(len(rt)+1)//2-1]/1000, rt[-(-len(rt)*99//100)-1]/1000)' "$out")
    rm -f "$out" "$refout"
    record "irtt (1 ms interval, its own server on CPU 1)" "$1" "$line" "$ref"
}
if command -v irtt >/dev/null; then
    taskset -c 1 irtt server -b "127.0.0.1:$((PORT + 2))" -i 0 >/dev/null 2>&1 &
    pids+=($!)
fi
gclabel=$([ "$GC" = 1 ] && echo " (GC each s)" || true)
load=$([ "$SPIN" = 1 ] && echo "CPU 0 100 % busy (spinning loop)" || echo "no spinning loop")
for round in $(seq 1 "$ROUNDS"); do
    case " $PROBERS " in *" native "*) collector native "$round" -Xmx256m ;; esac
    case " $PROBERS " in *" netty "*) collector netty "$round" -Xmx256m -Dllama.native=false ;; esac
    case " $PROBERS " in *" irtt "*) if command -v irtt >/dev/null; then irtt_round "$round"; fi ;; esac
done
echo "== RTT on loopback, $load, $ROUNDS rounds of $SECS s, load $(cut -d' ' -f1-3 /proc/loadavg)"
python3 - "$results" <<'PY'
import statistics, sys
rows = {}
for line in open(sys.argv[1]):
    label, _, mine, ref = line.rstrip("\n").split("|")
    rows.setdefault(label, []).append([float(x) for x in mine.split() + ref.split()])
print("| prober | RTT p50 us | RTT p99 us | probe-load (C) beside it: p50 / p99 us | p50 ratio | p99 ratio |")
print("|---|---|---|---|---|---|")
for label, r in rows.items():
    m = [statistics.median(x[i] for x in r) for i in range(4)]
    print(f"| {label} | {m[0]:.1f} | {m[1]:.1f} | {m[2]:.1f} / {m[3]:.1f} | {m[0]/m[2]:.2f} | {m[1]/m[3]:.2f} |")
PY
rm -f "$config" "$results"
