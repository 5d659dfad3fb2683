#!/usr/bin/env bash
# Collector RTT truth under load (issue 13, goal 3), all in one run on 127.0.0.1, 1,028-byte probes,
# 1 target x 4 ports x 250 cps (1,000 probes/s), echo-mmsg as the reflector on CPU 1:
#   - probe-load (C, kernel receive timestamps) on CPU 0;
#   - the llama collector on the native path, then on Netty's (-Dllama.native=false), each on CPU 0;
#   - Debian's irtt client against irtt server (CPU 1), when installed;
# each while a spinning process keeps CPU 0 100 % busy, and (collectors) a forced GC every second
# (jcmd GC.run). The table gives each prober's p50 and p99 and their ratio to probe-load's.
# env: PORT=18450 API=18451 SECS=10 (summary interval and probe-load/irtt duration)
set -euo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$root"
# shellcheck source=bench/lib.sh
. bench/lib.sh
build_c
PORT=${PORT:-18450}
API=${API:-18451}
SECS=${SECS:-10}
[ -f target/llama.jar ] || mvn -B -q -DskipTests package
pids=()
cleanup() { for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done; wait 2>/dev/null || true; }
trap cleanup EXIT

taskset -c 1 "$BENCH_BIN/echo-mmsg" -p "$PORT" -R 4194304 >/dev/null 2>&1 &
pids+=($!)
taskset -c 0 sh -c 'while :; do :; done' &
pids+=($!)
config=$(mktemp --suffix=.yaml)
cat >"$config" <<YAML
summarization: {interval: $SECS}
api: {bind: "127.0.0.1:$API"}
ports: {p: {ip: 127.0.0.1, port: 0, tos: 0, timeout: 1000}}
port_groups: {g: [{port: p, count: 4}]}
rate_limits: {r: {cps: 250}}
tests: [{targets: t, port_group: g, rate_limit: r}]
targets: {t: [{ip: 127.0.0.1, port: $PORT}]}
YAML
rows=()
ref=$(taskset -c 0 "$BENCH_BIN/probe-load" -t "127.0.0.1:$PORT" -r 1000 -n 4 -d "$SECS" | grep RESULT)
ref50=$(grep -oE ' p50=[0-9.]+' <<<"$ref" | cut -d= -f2)
ref99=$(grep -oE ' p99=[0-9.]+' <<<"$ref" | cut -d= -f2)
rows+=("probe-load (C, kernel RX timestamps) $ref50 $ref99")

second_summary() {  # the second set after start: the first covers a partial interval
    local sets=0 last="" cur
    while [ "$sets" -lt 2 ]; do
        sleep 1
        cur=$(curl -s "127.0.0.1:$API/api/v1/summaries" 2>/dev/null | python3 -c 'import json,sys
d=json.load(sys.stdin)["collectors"]
print(d[0]["interval_end"] if d else "")' 2>/dev/null || true)
        if [ -n "$cur" ] && [ "$cur" != "$last" ]; then sets=$((sets + 1)); last=$cur; fi
    done
}
collector() {  # $1 label, rest: JVM options
    local label=$1 cpid gcpid line
    shift
    taskset -c 0 java -XX:+UseSerialGC "$@" -jar target/llama.jar collector -llama.config "$config" >/dev/null 2>&1 &
    cpid=$!
    (while sleep 1; do jcmd "$cpid" GC.run >/dev/null 2>&1 || true; done) &
    gcpid=$!
    second_summary
    line=$(curl -s "127.0.0.1:$API/api/v1/summaries" | python3 -c 'import json,sys
p=json.load(sys.stdin)["collectors"][0]["pairs"][0]
print(p["rtt_p50"]*1000, p["rtt_p99"]*1000)')
    kill "$gcpid" "$cpid"; wait "$cpid" "$gcpid" 2>/dev/null || true
    rows+=("$label $line")
}
collector "llama collector, native path" -Xmx256m
collector "llama collector, Netty path" -Xmx256m -Dllama.native=false
if command -v irtt >/dev/null; then
    taskset -c 1 irtt server -b "127.0.0.1:$((PORT + 2))" -i 0 >/dev/null 2>&1 &
    ipid=$!
    pids+=($ipid)
    sleep 0.5
    out=$(mktemp --suffix=.json)
    taskset -c 0 irtt client -Q -i 1ms -d "${SECS}s" -l 1028 -o "$out" "127.0.0.1:$((PORT + 2))" || true
    line=$(python3 -c 'import json,sys
rt=sorted(r["delay"]["rtt"] for r in json.load(open(sys.argv[1]))["round_trips"] if "delay" in r and "rtt" in r["delay"])
print(rt[len(rt)//2]/1000, rt[int(len(rt)*0.99)]/1000)' "$out")
    rows+=("irtt (1 ms interval) $line")
    rm -f "$out"
fi
rm -f "$config"
echo "== RTT on loopback with CPU 0 100 % busy (spinning loop), collectors with a forced GC every second"
printf '%s\n' "${rows[@]}" | python3 -c 'import sys
rows=[l.rsplit(" ", 2) for l in sys.stdin.read().splitlines()]
ref50, ref99 = float(rows[0][1]), float(rows[0][2])
print("| prober | RTT p50 us | RTT p99 us | p50 / probe-load | p99 / probe-load |")
print("|---|---|---|---|---|")
for name, p50, p99 in rows:
    p50, p99 = float(p50), float(p99)
    print(f"| {name} | {p50:.1f} | {p99:.1f} | {p50/ref50:.2f} | {p99/ref99:.2f} |")'
