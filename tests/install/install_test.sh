#!/usr/bin/env bash
# install_test.sh BUILD_DIR CONSUMER_DIR: installs coord from BUILD_DIR into a
# temp prefix, builds the consumer project against it and runs it.
set -euo pipefail
build=$1
consumer=$2
work=$(mktemp -d)
# On failure, show the step logs (the commands below write there).
trap 'rc=$?; [ $rc -eq 0 ] || tail -n 40 "$work"/*.log; rm -rf "$work"' EXIT
cmake --install "$build" --prefix "$work/prefix" > "$work/install.log"
test -f "$work/prefix/lib/cmake/coord/coordConfig.cmake"
test -f "$work/prefix/include/coord/api/client.h"
cmake -S "$consumer" -B "$work/build" -G Ninja -DCMAKE_PREFIX_PATH="$work/prefix" > "$work/configure.log"
cmake --build "$work/build" > "$work/build.log" 2>&1
out=$("$work/build/consumer")
echo "$out"
test "$out" = "consumer: put v1, got v1 at revision 2, dequeued job-1"
