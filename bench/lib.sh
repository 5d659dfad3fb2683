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
