#!/usr/bin/env bash
# bench_table.sh: runs `coord bench` for every workload on the in-memory
# store, the durable embedded store and a local etcd (started here on free
# loopback ports, stopped afterwards), prints the JSON lines and a table.
#
#   bash bench/bench_table.sh [BUILD_DIR] [WORKERS] [N]     (defaults: build 8 400)
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
build=${1:-$root/build}
workers=${2:-8}
n=${3:-400}
coord=$build/cli/coord
[ -x "$coord" ] || { echo "bench_table: $coord not built" >&2; exit 1; }

# shellcheck source=bench/local_etcd.sh
source "$root/bench/local_etcd.sh"

out=$data/results.jsonl
for w in put txn queue pqueue stm mutex rwmutex barrier dbarrier election semaphore; do
  rounds=$n
  case $w in barrier|dbarrier) rounds=$((n / 20 > 0 ? n / 20 : 1)) ;; esac
  for b in memory "embedded:$data/store-$w" "etcd://127.0.0.1:$cport"; do
    "$coord" bench "$w" --backend "$b" --workers "$workers" --clients 2 --n "$rounds" | tee -a "$out"
  done
done

python3 - "$out" <<'PY'
import json, sys
rows = [json.loads(l) for l in open(sys.argv[1]) if l.startswith("{")]
print(f"\n{'workload':10} {'backend':10} {'ops':>6} {'ops/s':>10} {'p50 ms':>8} {'p99 ms':>8}  check")
for r in rows:
    b = r["backend"].split(":")[0].replace("etcd", "etcd")
    print(f"{r['workload']:10} {b:10} {r['ops']:6} {r['ops_per_s']:10.1f} {r['p50_ms']:8.2f} {r['p99_ms']:8.2f}  {r['check']}")
PY
