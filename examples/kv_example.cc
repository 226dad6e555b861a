// kv_example: the KV contract under every recipe (coord::Client), on an
// in-memory store: revisions, a compare-and-swap txn, a lease, a watch from
// an explicit revision, compaction and the resync it asks for; then the
// blocking facade with a timeout and a stop token.
// Usage: kv_example   (exit status 0 when all of it happened)
#include <chrono>
#include <cstdio>
#include <stop_token>
#include <string>
#include <thread>

#include "api/blocking.h"
#include "backends/embedded/embedded.h"
#include "examples/example_coroutine.h"
#include "recipes/blocking/queue.h"

using namespace std::chrono_literals;

namespace {

// create_if_absent is a txn that puts key only if it does not exist yet.
coord::TxnRequest create_if_absent(const std::string& key, const std::string& value) {
  coord::TxnRequest t;
  t.compare.push_back(coord::Compare::version(key) == std::int64_t{0});
  t.success.push_back(coord::Op::put(key, value));
  t.failure.push_back(coord::Op::get(key));
  return t;
}

const char* type_name(const coord::Event& ev) {
  return ev.type == coord::Event::Type::kPut ? "PUT" : "DELETE";
}

coord::Task<void> demo(coord::Client& kv) {
  // Each write gets the next revision of the store.
  auto first = co_await kv.put("config/a", "1");
  if (!first) co_return first.error();
  const coord::Revision start = first->header.revision;
  auto second = co_await kv.put("config/a", "2");
  if (!second) co_return second.error();
  auto a = co_await kv.get("config/a");
  if (!a || !*a) co_return examples::fail("config/a must exist");
  std::printf("config/a = %s: create_revision %lld, mod_revision %lld, version %lld\n",
              (*a)->value.c_str(), static_cast<long long>((*a)->create_revision),
              static_cast<long long>((*a)->mod_revision), static_cast<long long>((*a)->version));

  // Compare-and-swap: a missing key compares as version 0. A txn whose
  // compare fails and whose failure branch only reads writes nothing, so
  // the revision does not move.
  coord::TxnRequest t1 = create_if_absent("config/b", "first");
  auto won = co_await kv.txn(std::move(t1));
  if (!won) co_return won.error();
  coord::TxnRequest t2 = create_if_absent("config/b", "second");
  auto lost = co_await kv.txn(std::move(t2));
  if (!lost) co_return lost.error();
  if (!won->succeeded || lost->succeeded || lost->header.revision != won->header.revision) {
    co_return examples::fail("only the first create may succeed, the second changes nothing");
  }
  std::printf("txn: first create succeeded at revision %lld, second failed (saw %s)\n",
              static_cast<long long>(won->header.revision),
              lost->responses.at(0).range().kvs.at(0).value.c_str());

  // A key on a lease is deleted when the lease expires or is revoked.
  auto lease = co_await kv.lease_grant(10);
  if (!lease) co_return lease.error();
  auto tmp = co_await kv.put("config/tmp", "x", lease->id);
  if (!tmp) co_return tmp.error();

  // A watch from an explicit revision replays history, then goes live.
  auto watch = co_await kv.watch(coord::WatchRequest::prefix("config/", start));
  if (!watch) co_return watch.error();
  auto revoked = co_await kv.lease_revoke(lease->id);
  if (!revoked) co_return revoked.error();
  for (bool deleted = false; !deleted;) {
    auto batch = co_await (*watch)->next();
    if (!batch) co_return batch.error();
    for (const auto& ev : batch->events) {
      std::printf("  watch: %s %s at revision %lld\n", type_name(ev), ev.kv.key.c_str(),
                  static_cast<long long>(ev.kv.mod_revision));
      deleted = deleted || ev.type == coord::Event::Type::kDelete;
    }
  }

  // Compaction discards history: a watch from below it ends with
  // kCompacted and tells the compaction point.
  const coord::Revision now = revoked->header.revision;
  auto compacted = co_await kv.compact({.revision = now});
  if (!compacted) co_return compacted.error();
  auto old = co_await kv.watch(coord::WatchRequest::prefix("config/", start));
  if (!old) co_return old.error();
  auto gone = co_await (*old)->next();
  if (gone || !coord::is_errc(gone.error(), coord::Errc::kCompacted)) {
    co_return examples::fail("a watch from a compacted revision must fail with kCompacted");
  }
  std::printf("watch from revision %lld: %s (compacted at %lld)\n",
              static_cast<long long>(start), gone.error().message().c_str(),
              static_cast<long long>((*old)->compact_revision()));

  // Resync: read the present, then watch from the read's revision + 1.
  auto present = co_await kv.range(coord::RangeRequest::prefix("config/"));
  if (!present) co_return present.error();
  auto resumed = co_await kv.watch(
      coord::WatchRequest::prefix("config/", present->header.revision + 1));
  if (!resumed) co_return resumed.error();
  std::printf("resync: %zu keys at revision %lld, watching from %lld\n", present->kvs.size(),
              static_cast<long long>(present->header.revision),
              static_cast<long long>(present->header.revision + 1));
  co_return coord::Result<void>{};
}

// blocking_demo: the same contract from plain threads.
int blocking_demo(std::shared_ptr<coord::Client> kv) {
  coord::blocking::Client client(kv);
  if (!client.put("config/c", "3")) return 1;
  auto got = client.get("config/c", {.timeout = 2s});
  if (!got || !*got) return 1;
  // run runs any coroutine of coord, with the same options.
  auto via_run = client.run(client.async().get("config/c"), {.timeout = 2s});
  if (!via_run || !*via_run) return 1;

  // A stop request cancels a blocking call: kCancelled.
  coord::blocking::Queue idle(client, "idle");
  std::stop_source stop;
  std::thread canceller([&stop] {
    std::this_thread::sleep_for(20ms);
    stop.request_stop();
  });
  auto r = idle.dequeue({.stop = stop.get_token()});
  canceller.join();
  if (r || !coord::is_errc(r.error(), coord::Errc::kCancelled)) return 1;
  std::printf("blocking: get config/c = %s; a stopped dequeue: %s\n", (*got)->value.c_str(),
              r.error().message().c_str());
  return 0;
}

}  // namespace

int main() {
  auto kv = coord::embedded::open_memory();
  if (int rc = examples::run_main(demo(*kv)); rc != 0) return rc;
  return blocking_demo(kv);
}
