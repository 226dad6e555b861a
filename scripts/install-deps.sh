#!/usr/bin/env bash
# install-deps.sh: installs coord's build and test dependencies from Debian
# bookworm packages. Idempotent: packages already present are skipped by apt.
set -euo pipefail

packages=(
  build-essential cmake ninja-build pkg-config git
  libboost1.81-dev
  libgrpc++-dev libgrpc-dev protobuf-compiler-grpc libprotobuf-dev protobuf-compiler
  librocksdb-dev
  libgtest-dev libgmock-dev googletest libbenchmark-dev
  etcd-server etcd-client
  openssl python3
)

missing=()
for p in "${packages[@]}"; do
  if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed"; then
    missing+=("$p")
  fi
done

if [ ${#missing[@]} -eq 0 ]; then
  echo "install-deps: all ${#packages[@]} packages present"
  exit 0
fi

if [ "$(id -u)" -ne 0 ]; then SUDO=sudo; else SUDO=; fi
export DEBIAN_FRONTEND=noninteractive
echo "install-deps: installing ${missing[*]}"
$SUDO apt-get update -qq
$SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}"
# etcd-server's package starts a system etcd on 2379; coord's tests start
# their own on free ports, so the packaged service is stopped if it runs.
if command -v systemctl >/dev/null 2>&1; then $SUDO systemctl stop etcd 2>/dev/null || true; fi
pkill -x etcd 2>/dev/null || true
echo "install-deps: done"
