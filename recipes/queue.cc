#include "recipes/queue.h"

#include "recipes/detail/keys.h"
#include "recipes/detail/wait.h"

namespace coord {
namespace {

// kHeadBatch is how many head items one claim tries, so that up to this
// many concurrent dequeuers each take an item in one round trip.
constexpr std::int64_t kHeadBatch = 8;

bool is_put(const Event& e) { return e.type == Event::Type::kPut; }

}  // namespace

Queue::Queue(Client& client, std::string prefix)
    : client_(client), prefix_(std::move(prefix)) {}

Task<void> Queue::enqueue(std::string value) {
  auto r = co_await detail::new_unique_kv(client_, prefix_, std::move(value));
  if (!r) co_return r.error();
  co_return Result<void>{};
}

Task<std::string> Queue::dequeue() {
  const std::string dir = prefix_ + "/";
  for (;;) {
    RangeRequest req = RangeRequest::first_rev(dir);
    req.limit = kHeadBatch;
    auto head = co_await client_.range(std::move(req));
    if (!head) co_return head.error();
    if (!head->kvs.empty()) {
      auto won = co_await detail::claim_first(client_, head->kvs);
      if (!won) co_return won.error();
      if (*won) co_return std::move(head->kvs[**won].value);
      continue;  // every item of the batch went to others: read again
    }
    WatchRequest w = WatchRequest::prefix(dir, head->header.revision + 1);
    w.filter_delete = true;
    auto ev = co_await detail::wait_event(client_, std::move(w), is_put);
    if (!ev) {
      if (is_errc(ev.error(), Errc::kCompacted)) continue;
      co_return ev.error();
    }
    // The first put after an empty read is the head: claim it directly.
    std::vector<KeyValue> one{ev->kv};
    auto won = co_await detail::claim_first(client_, one);
    if (!won) co_return won.error();
    if (*won) co_return std::move(one.front().value);
  }
}

}  // namespace coord
