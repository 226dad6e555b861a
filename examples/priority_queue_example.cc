// priority_queue_example: coord::PriorityQueue in both styles, on an
// in-memory store. The lowest priority number comes out first (0 before
// 65535), equal priorities in enqueue order; the keys are etcd's layout.
// Usage: priority_queue_example   (exit status 0 when all of it happened)
#include <chrono>
#include <cstdint>
#include <cstdio>
#include <string>
#include <utility>
#include <vector>

#include "api/blocking.h"
#include "backends/embedded/embedded.h"
#include "examples/example_coroutine.h"
#include "recipes/blocking/queue.h"
#include "recipes/priority_queue.h"

using namespace std::chrono_literals;

namespace {

coord::Task<void> demo(coord::Client& kv) {
  coord::PriorityQueue tasks(kv, "tasks");
  const std::vector<std::pair<std::string, std::uint16_t>> items{
      {"backup", 9}, {"page-oncall", 0}, {"reindex", 5}, {"rebalance", 5}};
  for (const auto& [value, priority] : items) {
    auto r = co_await tasks.enqueue(value, priority);
    if (!r) co_return r.error();
  }

  // etcd's layout: tasks/<%05d priority>/<%016d sequence>.
  auto keys = co_await kv.range(coord::RangeRequest::prefix("tasks/"));
  if (!keys) co_return keys.error();
  for (const auto& kv_item : keys->kvs) {
    std::printf("%s = %s\n", kv_item.key.c_str(), kv_item.value.c_str());
  }

  std::string order;
  for (std::size_t i = 0; i < items.size(); ++i) {
    auto v = co_await tasks.dequeue();
    if (!v) co_return v.error();
    order += (i ? " " : "") + *v;
  }
  if (order != "page-oncall reindex rebalance backup") {
    co_return examples::fail("dequeue must follow priority, then enqueue order");
  }
  std::printf("dequeued: %s\n", order.c_str());
  co_return coord::Result<void>{};
}

// blocking_demo: the same queue from a plain thread.
int blocking_demo(std::shared_ptr<coord::Client> kv) {
  coord::blocking::Client client(kv);
  coord::blocking::PriorityQueue tasks(client, "tasks");
  if (!tasks.enqueue("low", 7) || !tasks.enqueue("high", 1)) return 1;
  auto first = tasks.dequeue({.timeout = 1s});
  auto second = tasks.dequeue({.timeout = 1s});
  if (!first || !second || *first != "high" || *second != "low") return 1;
  auto none = tasks.dequeue({.timeout = 50ms});  // empty: kDeadlineExceeded
  if (none || !coord::is_errc(none.error(), coord::Errc::kDeadlineExceeded)) return 1;
  std::printf("blocking: %s, then %s; then empty: %s\n", first->c_str(), second->c_str(),
              none.error().message().c_str());
  return 0;
}

}  // namespace

int main() {
  auto kv = coord::embedded::open_memory();
  if (int rc = examples::run_main(demo(*kv)); rc != 0) return rc;
  return blocking_demo(kv);
}
