# Sourced by the bench scripts: builds the C reference programs of bench/c into target/bench
# (cc -O2) when a binary is missing or older than its source, and sets BENCH_BIN to that folder.
bench_root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
BENCH_BIN=${BENCH_BIN:-$bench_root/target/bench}

build_c() {
    mkdir -p "$BENCH_BIN"
    local name src
    for name in echo-mmsg probe-load; do
        src=$bench_root/bench/c/$name.c
        if [ ! -x "$BENCH_BIN/$name" ] || [ "$src" -nt "$BENCH_BIN/$name" ]; then
            echo "bench: cc -O2 $src -> $BENCH_BIN/$name" >&2
            cc -O2 -Wall -Wextra -pthread -o "$BENCH_BIN/$name" "$src"
        fi
    done
}

# Prints a collector config probing $1 targets (127.0.x.y, 250 per x from 127.0.1.1) on UDP port $3 from
# 4 ports at $2 cps each, API on 127.0.0.1:$4, 10 s intervals. echo-mmsg answers from 127.0.0.1 whatever
# 127.0.x.y a probe went to, hence accept_other_source.
mesh_config() {
    python3 - "$1" "$2" "$3" "$4" <<'PY'
import sys
n, cps, port, api = int(sys.argv[1]), float(sys.argv[2]), sys.argv[3], sys.argv[4]
print("summarization: {interval: 10}")
print('api: {bind: "127.0.0.1:%s"}' % api)
print("ports: {p: {ip: 127.0.0.1, port: 0, tos: 0, timeout: 1000, accept_other_source: true}}")
print("port_groups: {g: [{port: p, count: 4}]}")
print("rate_limits: {r: {cps: %s}}" % cps)
print("tests: [{targets: t, port_group: g, rate_limit: r}]")
print("targets:")
print("  t:")
for i in range(n):
    print("    - {ip: 127.0.%d.%d, port: %s}" % (1 + i // 250, 1 + i % 250, port))
PY
}
