#!/usr/bin/env bash
# Collector footprint over time (issue 13, goal 6): one collector with the packaged JVM options
# (packaging/jvm-options.sh) probing TARGETS addresses 127.0.x.y x 4 ports at CPS each against the C
# echo-mmsg on loopback; VmRSS every 10 s for MINUTES, then the first, last and largest reading after the
# first minute and the trend (least squares, MB per minute) over the same span. Defaults: 50 targets x 4
# ports x 10 cps = 2,000 probes/s for 10 minutes. TARGETS=10000 CPS=1 MINUTES=3 is the big-mesh case.
# An /api/v1/summaries GET every 30 s keeps the API's answers in the picture. Traffic to 127.0.0.0/8 only.
# env: TARGETS=50 CPS=10 MINUTES=10 PORT=18500 API=18501 JAVA_OPTS (unset: the collector's packaged options)
set -euo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$root"
# shellcheck source=bench/lib.sh
. bench/lib.sh
build_c
. packaging/jvm-options.sh
TARGETS=${TARGETS:-50} CPS=${CPS:-10} MINUTES=${MINUTES:-10} PORT=${PORT:-18500} API=${API:-18501}
JAVA_OPTS=${JAVA_OPTS-$(llama_java_opts collector)}
[ "$MINUTES" -ge 1 ] || { echo "MINUTES must be at least 1" >&2; exit 2; }
[ -f target/llama.jar ] || mvn -B -q -DskipTests package
pids=()
cleanup() { for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done; wait 2>/dev/null || true; rm -f "$config"; }
config=$(mktemp --suffix=.yaml)
trap cleanup EXIT
taskset -c 1 "$BENCH_BIN/echo-mmsg" -p "$PORT" -R 4194304 >/dev/null 2>&1 &
pids+=($!)
mesh_config "$TARGETS" "$CPS" "$PORT" "$API" >"$config"
# shellcheck disable=SC2086
taskset -c 0 java $JAVA_OPTS -jar target/llama.jar collector -llama.config "$config" >/dev/null 2>&1 &
cpid=$!
pids+=($cpid)
echo "collector: $TARGETS targets x 4 ports x $CPS cps = $(python3 -c "print(int($TARGETS*4*$CPS))") probes/s for $MINUTES min; JVM options: $JAVA_OPTS"
samples=()
for i in $(seq $((MINUTES * 6))); do
    sleep 10
    kill -0 "$cpid" 2>/dev/null || { echo "collector exited" >&2; exit 1; }
    rss=$(awk '/VmRSS/ {print int($2 / 1024)}' "/proc/$cpid/status" 2>/dev/null) || { echo "collector exited" >&2; exit 1; }
    samples+=("$((i * 10)) $rss")
    if [ $((i % 3)) -eq 0 ]; then curl -s -o /dev/null "127.0.0.1:$API/api/v1/summaries" || true; fi
    [ $((i % 6)) -ne 0 ] || echo "t=$((i * 10)) s  RSS $rss MB  load $(cut -d' ' -f1 /proc/loadavg)"
done
lost=$(curl -s "127.0.0.1:$API/api/v1/summaries" | python3 -c 'import json,sys
c=json.load(sys.stdin)["collectors"][0]["pairs"]
print("%d pairs, %d sent, %d lost in the last interval" % (len(c), sum(p["sent"] for p in c), sum(p["lost"] for p in c)))' 2>/dev/null || echo "no summary")
printf '%s\n' "${samples[@]}" | python3 -c '
import sys
s = [tuple(map(int, l.split())) for l in sys.stdin if l.strip()]
after = [(t, r) for t, r in s if t > 60] or s
n = len(after); mt = sum(t for t, _ in after) / n; mr = sum(r for _, r in after) / n
den = sum((t - mt) ** 2 for t, _ in after) or 1
slope = sum((t - mt) * (r - mr) for t, r in after) / den * 60
print(f"RSS after the first minute: first {after[0][1]} MB, last {after[-1][1]} MB, max {max(r for _, r in after)} MB, min {min(r for _, r in after)} MB; trend {slope:+.2f} MB/min")'
echo "$lost"
