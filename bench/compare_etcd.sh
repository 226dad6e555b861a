#!/usr/bin/env bash
# compare_etcd.sh: runs kv_bench against the embedded store and a local etcd
# in the same run, writes the JSON, and prints a table plus the ratio of the
# durable embedded store's put rate (16 writers) to etcd's; then recipe_bench
# (one recipe operation uncontended, and the mutex handoff) on both.
#
#   bash bench/compare_etcd.sh [BUILD_DIR] [OUT_JSON]
#
# Starts its own etcd (Debian's /usr/bin/etcd) on free loopback ports with a
# temporary data dir and stops it afterwards.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
build=${1:-$root/build}
out=${2:-$build/kv_bench.json}
bench=$build/bench/kv_bench
[ -x "$bench" ] || { echo "compare_etcd: $bench not built (cmake --build $build --target kv_bench)" >&2; exit 1; }

# shellcheck source=bench/local_etcd.sh
source "$root/bench/local_etcd.sh"

"$bench" --etcd "127.0.0.1:$cport" --dir "$data/embedded" \
  --benchmark_min_time="${COORD_BENCH_MIN_TIME:-1}" \
  --benchmark_out="$out" --benchmark_out_format=json --benchmark_format=console

recipes_out=${out%.json}-recipes.json
"$build/bench/recipe_bench" --etcd "127.0.0.1:$cport" \
  --benchmark_min_time="${COORD_BENCH_MIN_TIME:-1}" \
  --benchmark_out="$recipes_out" --benchmark_out_format=json --benchmark_format=console

python3 - "$recipes_out" <<'PY'
import json, sys
runs = [b for b in json.load(open(sys.argv[1]))["benchmarks"] if "error_occurred" not in b]
print(f"\n{'recipe operation':36} {'us per op':>12}")
for b in runs:
    print(f"{b['name'].replace('/manual_time', '').replace('/real_time', ''):36} {b['real_time']:12.1f}")
PY

python3 - "$out" <<'PY'
import json, sys
runs = {b["name"]: b for b in json.load(open(sys.argv[1]))["benchmarks"] if "error_occurred" not in b}
print(f"\n{'benchmark':36} {'ops/s':>12} {'p50 us':>9} {'p99 us':>9}")
for name, b in runs.items():
    print(f"{name:36} {b.get('items_per_second', 0):12.0f} {b.get('p50_us', 0):9.1f} {b.get('p99_us', 0):9.1f}")
def rate(n):
    for k, b in runs.items():
        if k.startswith(n):
            return b.get("items_per_second", 0)
    return 0
d, e = rate("Put/durable/writers:16"), rate("Put/etcd/writers:16")
if e:
    print(f"\ndurable embedded vs etcd, puts with 16 writers: {d:.0f} / {e:.0f} = {d / e:.1f}x")
PY
