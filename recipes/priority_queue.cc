#include "recipes/priority_queue.h"

#include <cstdio>

#include "recipes/detail/keys.h"
#include "recipes/detail/wait.h"

namespace coord {
namespace {

constexpr std::int64_t kHeadBatch = 8;

}  // namespace

PriorityQueue::PriorityQueue(Client& client, std::string key)
    : client_(client), key_(std::move(key)) {}

Task<void> PriorityQueue::enqueue(std::string value, std::uint16_t priority) {
  char pr[8];
  std::snprintf(pr, sizeof pr, "%05u", static_cast<unsigned>(priority));
  auto r = co_await detail::new_sequential_kv(client_, key_ + "/" + pr, std::move(value));
  if (!r) co_return r.error();
  co_return Result<void>{};
}

Task<std::string> PriorityQueue::dequeue() {
  const std::string dir = key_ + "/";
  for (;;) {
    RangeRequest req = RangeRequest::first_key(dir);
    req.limit = kHeadBatch;
    auto head = co_await client_.range(std::move(req));
    if (!head) co_return head.error();
    if (!head->kvs.empty()) {
      auto won = co_await detail::claim_first(client_, head->kvs);
      if (!won) co_return won.error();
      if (*won) co_return std::move(head->kvs[**won].value);
      continue;
    }
    WatchRequest w = WatchRequest::prefix(dir, head->header.revision + 1);
    w.filter_delete = true;
    auto ev = co_await detail::wait_event(client_, std::move(w), [](const Event& e) {
      return e.type == Event::Type::kPut;
    });
    // Woken (or compacted): read the head again, so priority decides.
    if (!ev && !is_errc(ev.error(), Errc::kCompacted)) co_return ev.error();
  }
}

}  // namespace coord
