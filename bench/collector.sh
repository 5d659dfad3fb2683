#!/usr/bin/env bash
# Collector timing truth (issue 5, target 3): a collector probing echo-mmsg at light load
# (1 target, 4 ports, 1,000 probes/s in total) next to probe-load -r 1000 against the same
# echo-mmsg in the same run. Both send 1,028-byte probes; traffic goes to 127.0.0.1 only.
# env: SHARED=../shared/bench OUT=/tmp/udpbench PORT=18400 API=18401 ROUNDS=3
set -euo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$root"
SHARED=${SHARED:-$root/../shared/bench}
OUT=${OUT:-/tmp/udpbench}
PORT=${PORT:-18400}
API=${API:-18401}
ROUNDS=${ROUNDS:-3}
mkdir -p "$OUT/bin"
gcc -O2 -Wall -o "$OUT/bin/probe-load" "$SHARED/probe-load.c"
gcc -O2 -Wall -pthread -o "$OUT/bin/echo-mmsg" "$SHARED/echo-mmsg.c"
[ -f target/llama.jar ] || mvn -B -q -DskipTests package
pids=()
cleanup() { for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done; wait 2>/dev/null || true; }
trap cleanup EXIT

taskset -c 1 "$OUT/bin/echo-mmsg" -p "$PORT" >/dev/null 2>&1 &
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
echo "round  probe-load p50 us  llama collector p50 us (mean, p90)  ratio"
for round in $(seq "$ROUNDS"); do
    ref=$(taskset -c 0 "$OUT/bin/probe-load" -t "127.0.0.1:$PORT" -r 1000 -n 4 -d 10 | grep RESULT | grep -oE ' p50=[0-9.]+' | cut -d= -f2)
    taskset -c 0 java -jar target/llama.jar collector -llama.config "$config" >/dev/null 2>&1 &
    cpid=$!
    # the first summary covers a partial interval; take the second full one
    sets=0 last=""
    while [ "$sets" -lt 2 ]; do
        sleep 1
        cur=$(curl -s "127.0.0.1:$API/api/v1/summaries" 2>/dev/null | python3 -c 'import json,sys
d=json.load(sys.stdin)["collectors"]
print(d[0]["interval_end"] if d else "")' 2>/dev/null || true)
        if [ -n "$cur" ] && [ "$cur" != "$last" ]; then sets=$((sets + 1)); last=$cur; fi
    done
    line=$(curl -s "127.0.0.1:$API/api/v1/summaries" | python3 -c 'import json,sys
p=json.load(sys.stdin)["collectors"][0]["pairs"][0]
print(p["rtt_p50"]*1000, p["rtt"]*1000, p["rtt_p90"]*1000, p["sent"])')
    kill "$cpid"; wait "$cpid" 2>/dev/null || true
    read -r p50 mean p90 sent <<<"$line"
    python3 -c "print(f'$round      {float(\"$ref\"):8.1f}           {$p50:8.1f} ({$mean:.1f}, {$p90:.1f}), {int($sent)} probes    {$p50/float(\"$ref\"):.3f}')"
done
rm -f "$config"
