#!/usr/bin/env bash
# Collector figures next to the C reference (issue 5, targets 3 and 4), traffic to 127.0.0.0/8 only:
#   1. timing truth: a collector probing echo-mmsg at light load (1 target, 4 ports, 1,000 probes/s
#      in total) next to probe-load -r 1000 against the same echo-mmsg in the same run;
#   2. capacity: one collector JVM on CPU 0 probing TARGETS addresses 127.0.x.y x 4 ports at each
#      of CAPACITY_CPS, echo-mmsg on CPU 1; sent/s, loss and the median of the per-pair RTT p50s.
# Both send 1,028-byte probes. echo-mmsg answers from 127.0.0.1 whatever 127.0.x.y a probe went to, so the
# capacity test sets accept_other_source (replies are otherwise matched on the target's address too).
# The C references (bench/c) are built with cc into target/bench when missing or stale.
# env: PORT=18400 API=18401 ROUNDS=3 TARGETS=2500 CAPACITY_CPS="10" JAVA_OPTS=""
#      PROBE_LOAD_OPTS="" (e.g. -u: probe-load times replies in user space, as the collector does,
#      instead of with the kernel's receive timestamps)
set -euo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$root"
# shellcheck source=bench/lib.sh
. bench/lib.sh
build_c
PORT=${PORT:-18400}
API=${API:-18401}
ROUNDS=${ROUNDS:-3}
TARGETS=${TARGETS:-2500}
CAPACITY_CPS=${CAPACITY_CPS:-10}
JAVA_OPTS=${JAVA_OPTS:-}
PROBE_LOAD_OPTS=${PROBE_LOAD_OPTS:-}
[ -f target/llama.jar ] || mvn -B -q -DskipTests package
# waits for the second summary set after the collector started: the first covers a partial interval
second_summary() {
    local sets=0 last="" cur
    while [ "$sets" -lt 2 ]; do
        sleep 1
        cur=$(curl -s "127.0.0.1:$API/api/v1/summaries" 2>/dev/null | python3 -c 'import json,sys
d=json.load(sys.stdin)["collectors"]
print(d[0]["interval_end"] if d else "")' 2>/dev/null || true)
        if [ -n "$cur" ] && [ "$cur" != "$last" ]; then sets=$((sets + 1)); last=$cur; fi
    done
}
pids=()
cleanup() { for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done; wait 2>/dev/null || true; }
trap cleanup EXIT

# 4 MB receive buffer: with its default (~540 KB) echo-mmsg itself drops bursts at 100k/s
taskset -c 1 "$BENCH_BIN/echo-mmsg" -p "$PORT" -R 4194304 >/dev/null 2>&1 &
pids+=($!)
config=$(mktemp --suffix=.yaml)
cat >"$config" <<YAML
summarization: {interval: 10}
api: {bind: "127.0.0.1:$API"}
ports: {p: {ip: 127.0.0.1, port: 0, tos: 0, timeout: 1000}}
port_groups: {g: [{port: p, count: 4}]}
rate_limits: {r: {cps: 250}}
tests: [{targets: t, port_group: g, rate_limit: r}]
targets: {t: [{ip: 127.0.0.1, port: $PORT}]}
YAML
echo "== timing truth: 1 target x 4 ports x 250 cps"
echo "round  probe-load p50 us  llama collector p50 us (mean, p90)  ratio"
for round in $(seq "$ROUNDS"); do
    # shellcheck disable=SC2086
    ref=$(taskset -c 0 "$BENCH_BIN/probe-load" -t "127.0.0.1:$PORT" -r 1000 -n 4 -d 10 $PROBE_LOAD_OPTS | grep RESULT | grep -oE ' p50=[0-9.]+' | cut -d= -f2)
    taskset -c 0 java -jar target/llama.jar collector -llama.config "$config" >/dev/null 2>&1 &
    cpid=$!
    second_summary
    line=$(curl -s "127.0.0.1:$API/api/v1/summaries" | python3 -c 'import json,sys
p=json.load(sys.stdin)["collectors"][0]["pairs"][0]
print(p["rtt_p50"]*1000, p["rtt"]*1000, p["rtt_p90"]*1000, p["sent"])')
    kill "$cpid"; wait "$cpid" 2>/dev/null || true
    read -r p50 mean p90 sent <<<"$line"
    python3 -c "print(f'$round      {float(\"$ref\"):8.1f}           {$p50:8.1f} ({$mean:.1f}, {$p90:.1f}), {int($sent)} probes    {$p50/float(\"$ref\"):.3f}')"
done

echo
echo "== capacity: $TARGETS targets x 4 ports, collector on CPU 0 ${JAVA_OPTS:+($JAVA_OPTS)}"
echo "cps  probes/s offered  sent/s   lost of sent (%)   median pair RTT p50 us  p99 of pair p50s  pairs (sent per pair min-max)  collector RSS"
for cps in $CAPACITY_CPS; do
    mesh_config "$TARGETS" "$cps" "$PORT" "$API" >"$config"
    # shellcheck disable=SC2086
    taskset -c 0 java $JAVA_OPTS -jar target/llama.jar collector -llama.config "$config" >/dev/null 2>&1 &
    cpid=$!
    second_summary
    rss=$(awk '/VmRSS/ {printf "%.0f MB", $2/1024}' "/proc/$cpid/status")
    curl -s "127.0.0.1:$API/api/v1/summaries" | python3 -c 'import json,sys,statistics
c=json.load(sys.stdin)["collectors"][0]
pairs=c["pairs"]; secs=c.get("interval", 10)
sent=sum(p["sent"] for p in pairs); lost=sum(p["lost"] for p in pairs)
lo=min(p["sent"] for p in pairs); hi=max(p["sent"] for p in pairs)
p50=sorted(p["rtt_p50"]*1000 for p in pairs if p.get("rtt_p50") is not None)
print(f"{sys.argv[1]:>3}  {int(sys.argv[2]):>16,}  {sent/secs:>7,.0f}  {lost:>6} ({100*lost/max(sent,1):.4f})  {statistics.median(p50):>18.1f}  {p50[int(len(p50)*0.99)]:>16.1f}  {len(pairs)} ({lo}-{hi})  " + sys.argv[3])' \
        "$cps" "$(python3 -c "print(int($TARGETS*4*$cps))")" "$rss"
    kill "$cpid"; wait "$cpid" 2>/dev/null || true
done
rm -f "$config"
