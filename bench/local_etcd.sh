# local_etcd.sh: sourced by the bench scripts. Starts Debian's etcd as one
# member on free loopback ports with a temporary data dir ($data), sets
# $cport (its client port), waits until it is healthy, and stops it and
# removes $data when the calling script exits.
free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }
data=$(mktemp -d /tmp/coord-bench-etcd.XXXXXX)
cport=$(free_port); pport=$(free_port)
etcd --name bench --data-dir "$data/etcd" \
  --listen-client-urls "http://127.0.0.1:$cport" --advertise-client-urls "http://127.0.0.1:$cport" \
  --listen-peer-urls "http://127.0.0.1:$pport" --initial-advertise-peer-urls "http://127.0.0.1:$pport" \
  --initial-cluster "bench=http://127.0.0.1:$pport" >"$data/etcd.log" 2>&1 &
etcd_pid=$!
trap 'kill $etcd_pid 2>/dev/null; wait $etcd_pid 2>/dev/null; rm -rf "$data"' EXIT
for _ in $(seq 100); do
  ETCDCTL_API=3 etcdctl --endpoints "127.0.0.1:$cport" endpoint health >/dev/null 2>&1 && break
  sleep 0.1
done
