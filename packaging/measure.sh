#!/usr/bin/env bash
# Measures a reflector from the full jar and from the reflector-only jar: jar size, start time (launch to
# "reflector listening"), RSS idle (5 s after start) and RSS under load (after 10 s of probes at RATE/s from
# 4 source ports), with the JVM options of packaging/jvm-options.sh. Loopback only.
# Usage: packaging/measure.sh [RATE]   (run mvn -DskipTests package first)
set -euo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
rate=${1:-20000}
. "$root/packaging/jvm-options.sh"
java=${JAVA:-java}
printf '| jar | size | start | RSS idle | RSS after 10 s at %s probes/s | replies |\n|---|---|---|---|---|---|\n' "$rate"
for jar in llama.jar llama-reflector.jar; do
    port=$(python3 -c 'import socket;s=socket.socket(socket.AF_INET,socket.SOCK_DGRAM);s.bind(("127.0.0.1",0));print(s.getsockname()[1])')
    log=$(mktemp)
    start=$(date +%s%N)
    # shellcheck disable=SC2046
    $java $(llama_java_opts reflector) -jar "$root/target/$jar" reflector -bind 127.0.0.1 -port "$port" -max-pps 0 2>"$log" &
    pid=$!
    until grep -q "reflector listening" "$log"; do kill -0 $pid; sleep 0.02; done
    started=$(( ($(date +%s%N) - start) / 1000000 ))
    sleep 5
    idle=$(awk '/VmRSS/{print $2}' /proc/$pid/status)
    replies=$(python3 - "$port" "$rate" <<'PY'
import socket, sys, time, os
port, rate = int(sys.argv[1]), int(sys.argv[2])
def probe():
    sig = os.urandom(10); sent = time.time_ns()
    v = bytearray()
    while True:
        b = sent & 0x7f; sent >>= 7
        v.append(b | (0x80 if sent else 0))
        if not sent: break
    return b"\x0a\x0a" + sig + b"\x12\x01\x00" + b"\x18" + bytes(v) + b"\x3a\xe8\x07" + bytes(1000)
socks = [socket.socket(socket.AF_INET, socket.SOCK_DGRAM) for _ in range(4)]
for s in socks: s.bind(("127.0.0.1", 0)); s.setblocking(False)
got = 0; t0 = time.time(); n = 0
while time.time() - t0 < 10:
    for s in socks:
        s.sendto(probe(), ("127.0.0.1", port)); n += 1
        try:
            while True: s.recv(2048); got += 1
        except BlockingIOError: pass
    behind = n / rate - (time.time() - t0)
    if behind > 0: time.sleep(behind)
for s in socks:
    s.settimeout(0.5)
    try:
        while True: s.recv(2048); got += 1
    except (socket.timeout, BlockingIOError): pass
print(f"{got}/{n}")
PY
)
    load=$(awk '/VmRSS/{print $2}' /proc/$pid/status)
    kill $pid; wait $pid 2>/dev/null || true
    rm -f "$log"
    printf '| %s | %.1f MB | %d ms | %d MB | %d MB | %s |\n' "$jar" "$(stat -c %s "$root/target/$jar" | awk '{print $1/1048576}')" \
        "$started" $((idle / 1024)) $((load / 1024)) "$replies"
done
