#!/usr/bin/env bash
# test.sh: installs coord's dependencies, builds everything and runs every
# test (etcd-backed ones included: they start their own etcd on loopback).
# Usage: bash scripts/test.sh        (from anywhere; builds in ./build)
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
bash "$root/scripts/install-deps.sh"
build="${COORD_BUILD_DIR:-$root/build}"
cmake -S "$root" -B "$build" -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo
cmake --build "$build" -j "$(nproc)"
cd "$build"
ctest --output-on-failure -j "$(nproc)" --timeout 600 "$@"
