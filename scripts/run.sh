#!/usr/bin/env bash
# run.sh: installs coord's dependencies, builds the coord command and runs
# the main job: `coord demo` on the embedded store (no server needed).
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
bash "$root/scripts/install-deps.sh"
build="${COORD_BUILD_DIR:-$root/build}"
cmake -S "$root" -B "$build" -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo
cmake --build "$build" -j "$(nproc)" --target coord
"$build/cli/coord" demo "$@"
