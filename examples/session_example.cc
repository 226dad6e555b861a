// session_example: coord::Session in both styles, on an in-memory store.
//
// A session is a lease renewed every TTL/3. Keys put on its lease live as
// long as the session: orphan() stops renewing but leaves the lease (a
// restarted process takes it back with SessionOptions::lease), close()
// revokes it and every key on it goes.
// Usage: session_example   (exit status 0 when all of it happened)
#include <cstdio>
#include <string>

#include "api/blocking.h"
#include "backends/embedded/embedded.h"
#include "examples/example_coroutine.h"
#include "recipes/blocking/session.h"
#include "recipes/session.h"

namespace {

coord::Task<void> demo(coord::Client& kv) {
  auto s = co_await coord::Session::create(kv, {.ttl_seconds = 10});
  if (!s) co_return s.error();
  const coord::LeaseId lease = (*s)->lease();
  std::printf("session: lease %llx, ttl %lld s\n", static_cast<unsigned long long>(lease),
              static_cast<long long>((*s)->ttl()));

  // A key on the session's lease lives as long as the session.
  auto put = co_await kv.put("workers/w1", "busy", lease);
  if (!put) co_return put.error();

  // orphan: stop renewing, keep the lease (it runs out after the TTL).
  (*s)->orphan();
  if (!(*s)->is_done() || !coord::is_errc((*s)->error(), coord::Errc::kCancelled)) {
    co_return examples::fail("orphan must end the session with kCancelled");
  }

  // A restarted process takes the lease back, and with it its keys.
  auto again = co_await coord::Session::create(kv, {.ttl_seconds = 10, .lease = lease});
  if (!again) co_return again.error();
  auto kept = co_await kv.get("workers/w1");
  if (!kept) co_return kept.error();
  if (!kept->has_value()) co_return examples::fail("the key must survive the orphaned session");
  std::printf("resumed lease %llx: workers/w1 is still there\n",
              static_cast<unsigned long long>((*again)->lease()));

  // close revokes the lease: every key on it is deleted in one revision.
  auto closed = co_await (*again)->close();
  if (!closed) co_return closed.error();
  auto gone = co_await kv.get("workers/w1");
  if (!gone) co_return gone.error();
  if (gone->has_value()) co_return examples::fail("close must delete the session's keys");

  // A lease that is gone can not be resumed.
  auto stale = co_await coord::Session::create(kv, {.lease = lease});
  if (stale || !coord::is_errc(stale.error(), coord::Errc::kLeaseNotFound)) {
    co_return examples::fail("resuming a revoked lease must fail with kLeaseNotFound");
  }
  std::printf("closed: workers/w1 deleted; resuming the lease: %s\n",
              stale.error().message().c_str());
  co_return coord::Result<void>{};
}

// blocking_demo: the same from a plain thread.
int blocking_demo(std::shared_ptr<coord::Client> kv) {
  coord::blocking::Client client(kv);
  auto session = coord::blocking::Session::create(client, {.ttl_seconds = 5});
  if (!session) return 1;
  auto put = client.put({.key = "workers/w2", .value = "busy", .lease = (*session)->lease()});
  if (!put) return 1;
  if (!(*session)->close()) return 1;
  auto got = client.get("workers/w2");
  if (!got || got->has_value()) return 1;
  std::printf("blocking: session closed, workers/w2 deleted\n");
  return 0;
}

}  // namespace

int main() {
  auto kv = coord::embedded::open_memory();
  if (int rc = examples::run_main(demo(*kv)); rc != 0) return rc;
  return blocking_demo(kv);
}
