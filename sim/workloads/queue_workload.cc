// queue_workload.cc: producers and consumers on one Queue or PriorityQueue.
//
// Even nodes produce unique items ("node:incarnation:seq:priority"), odd
// nodes consume. A producer waits while the backlog is 8 items per consumer
// or more. After the heal producers stop and consumers drain.
// Checkers:
//   - exactly-once: no item delivered twice; nothing delivered that was
//     never enqueued; every acknowledged item delivered, except as many as
//     there were dequeues whose claim may have been lost (kIndeterminate or
//     a crash mid-claim); the queue is empty at the end.
//   - fifo (queue; priority queue within one priority): for items x < y of
//     one producer, dequeue(y) never completes before dequeue(x) is issued.
//   - priority (priority queue): if x (priority px) was acknowledged before
//     dequeue(y) was issued, px < py, and dequeue(y) completed before
//     dequeue(x) was issued, y jumped the queue.
// Mutants (each caught by one checker):
//   "delete-no-compare": dequeue reads the head and deletes it by name
//     without the compare, so two consumers can both take one item.
//   "newest-first" (queue): dequeue claims the newest item (fifo).
//   "ignore-priority" (priority queue): dequeue claims the oldest item of
//     any priority (priority).
#include <algorithm>
#include <map>
#include <set>

#include "recipes/priority_queue.h"
#include "recipes/queue.h"
#include "sim/workloads/common.h"
#include "sim/workloads/workloads.h"

namespace coord::sim {
namespace {
namespace asio = boost::asio;
using detail::Incarnation;

struct Item {
  std::int64_t producer = 0;  // node * 1e6 + incarnation
  std::int64_t seq = 0;
  std::int64_t priority = 0;
  TimePoint acked{TimePoint::max()};
  TimePoint dq_issued{};
  TimePoint dq_done{};
  int deliveries = 0;
  bool maybe = false;  // enqueue was indeterminate
};

class QueueWorkload final : public Workload {
 public:
  QueueWorkload(World& world, const WorkloadOptions& o, bool priority)
      : world_(world), opts_(o), priority_(priority) {}

  asio::awaitable<void> run_node(Node& node) override {
    Incarnation inc(node);
    if (node.id() % 2 == 0) co_await produce(inc);
    else co_await consume(inc);
  }

  void heal() override {
    healed_ = true;
    heal_time_ = world_.clock().now();
  }

  bool live() const override {
    if (!healed_ || in_flight_ != 0) return false;
    if (waiting_acked_ == 0 && waiting_maybe_ == 0) return true;
    // Items whose claim may have been lost can never come: wait a while for
    // the rest, then accept as many as there were uncertain dequeues.
    return waiting_acked_ <= uncertain_ &&
           world_.clock().now() - heal_time_ > std::chrono::seconds(10);
  }

  asio::awaitable<std::vector<Verdict>> check(Client& direct) override {
    std::vector<Verdict> v;
    auto left = co_await direct.range(RangeRequest::prefix(prefix()));
    const std::int64_t remaining = left ? static_cast<std::int64_t>(left->kvs.size()) : -1;
    std::uint64_t acked = 0, undelivered = 0, delivered = 0;
    for (const auto& [val, it] : items_) {
      if (it.acked != TimePoint::max()) ++acked;
      if (it.acked != TimePoint::max() && it.deliveries == 0) ++undelivered;
      delivered += it.deliveries > 0;
    }
    const bool once = undelivered <= uncertain_ && remaining == 0;
    v.push_back({name() + ".exactly-once", once,
                 "acked=" + std::to_string(acked) + " delivered=" + std::to_string(delivered) +
                     " undelivered=" + std::to_string(undelivered) +
                     " uncertain-dequeues=" + std::to_string(uncertain_) +
                     " left-in-store=" + std::to_string(remaining)});
    v.push_back(check_fifo());
    if (priority_) v.push_back(check_priority());
    co_return v;
  }

 private:
  std::string name() const { return priority_ ? "priority_queue" : "queue"; }
  std::string prefix() const { return priority_ ? "pq/" : "q/"; }

  asio::awaitable<void> produce(Incarnation& inc) {
    auto client = inc.node.client_ptr();
    Queue q(*client, "q");
    PriorityQueue pq(*client, "pq");
    const std::int64_t producer = inc.node.id() * 1'000'000 + static_cast<std::int64_t>(inc.epoch);
    for (std::int64_t seq = 0; inc.alive() && !healed_ && !finishing_; ++seq) {
      const std::int64_t prio = priority_ ? static_cast<std::int64_t>(world_.rng().below(4)) : 0;
      std::string value = std::to_string(producer) + ":" + std::to_string(seq) + ":" +
                          std::to_string(prio);
      if (!co_await wait_for_room(inc)) co_return;
      items_[value] = Item{producer, seq, prio};
      const TimePoint t0 = world_.clock().now();
      Result<void> r;
      ++in_flight_;
      if (priority_) {
        r = co_await pq.enqueue(value, static_cast<std::uint16_t>(prio));
      } else {
        r = co_await q.enqueue(value);
      }
      --in_flight_;
      Item& item = items_[value];
      if (r) {
        item.acked = world_.clock().now();
        if (item.deliveries == 0) ++waiting_acked_;
        record_op(world_.clock().now() - t0);
      } else if (is_errc(r.error(), Errc::kIndeterminate)) {
        item.maybe = true;
        if (item.deliveries == 0) ++waiting_maybe_;
      }
      world_.event("enq", inc.node.id(), seq, r ? 0 : r.error().value());
      const auto think = std::chrono::microseconds(world_.rng().between(0, 20'000));
      if (!co_await detail::nap(inc.node, think)) co_return;
    }
  }

  // wait_for_room holds a producer while the backlog (acknowledged items
  // not delivered, less those whose claim may be lost, plus enqueues in
  // flight) is kBacklogPerConsumer per consumer or more: an unbounded queue
  // makes every dequeue's range read, and the run, grow without end.
  asio::awaitable<bool> wait_for_room(Incarnation& inc) {
    const std::uint64_t consumers = static_cast<std::uint64_t>(std::max(1, opts_.nodes / 2));
    for (;;) {
      const std::uint64_t stuck = std::min(uncertain_, waiting_acked_);
      const std::uint64_t backlog =
          waiting_acked_ - stuck + static_cast<std::uint64_t>(in_flight_);
      if (backlog < kBacklogPerConsumer * consumers) co_return inc.alive();
      if (!co_await detail::nap(inc.node, std::chrono::milliseconds(5))) co_return false;
      if (!inc.alive() || healed_ || finishing_) co_return false;
    }
  }

  asio::awaitable<void> consume(Incarnation& inc) {
    auto client = inc.node.client_ptr();
    Queue q(*client, "q");
    PriorityQueue pq(*client, "pq");
    while (inc.alive() && !finishing_) {
      const TimePoint issued = world_.clock().now();
      // Plain statements: g++ 12 miscompiles co_await inside ?: branches.
      Result<std::string> r = make_error_code(Errc::kInternal);
      if (opts_.mutant == "delete-no-compare") {
        r = co_await mutant_dequeue(inc, *client);
      } else if (opts_.mutant == "newest-first") {
        r = co_await mutant_claim(inc, *client, RangeRequest::last_rev(prefix()));
      } else if (opts_.mutant == "ignore-priority") {
        r = co_await mutant_claim(inc, *client, RangeRequest::first_rev(prefix()));
      } else if (priority_) {
        r = co_await pq.dequeue();
      } else {
        r = co_await q.dequeue();
      }
      if (!r) {
        // A claim may have been in flight: the item may be gone unseen.
        if (is_errc(r.error(), Errc::kIndeterminate) || is_errc(r.error(), Errc::kCancelled) ||
            !inc.alive()) {
          ++uncertain_;
        }
        world_.event("deq", inc.node.id(), -1, r.error().value());
        if (!co_await detail::nap(inc.node, std::chrono::milliseconds(20))) co_return;
        continue;
      }
      deliver(inc, *r, issued);
    }
  }

  void deliver(Incarnation& inc, const std::string& value, TimePoint issued) {
    world_.event("deq", inc.node.id(), static_cast<std::int64_t>(value.size()));
    auto it = items_.find(value);
    if (it == items_.end()) {
      fail(name() + ".exactly-once", "invented item " + value);
      return;
    }
    if (++it->second.deliveries > 1) {
      fail(name() + ".exactly-once", "item " + value + " delivered twice");
    } else {
      if (it->second.acked != TimePoint::max()) --waiting_acked_;
      if (it->second.maybe) --waiting_maybe_;
    }
    it->second.dq_issued = issued;
    it->second.dq_done = world_.clock().now();
    record_op(world_.clock().now() - issued);
  }

  // mutant_dequeue takes the head without the compare: read, then delete by
  // name, and return the value even if someone else deleted it first.
  Task<std::string> mutant_dequeue(Incarnation& inc, Client& client) {
    for (;;) {
      auto head = co_await client.range(RangeRequest::first_rev(prefix()));
      if (!head) co_return head.error();
      if (!head->kvs.empty()) {
        auto d = co_await client.del(head->kvs[0].key);
        if (!d) co_return d.error();
        co_return head->kvs[0].value;
      }
      if (!co_await detail::nap(inc.node, std::chrono::milliseconds(5))) {
        co_return make_error_code(Errc::kCancelled);
      }
    }
  }

  // mutant_claim claims the item `pick` finds, with the compare a correct
  // dequeue uses: exactly once still holds, only the order is wrong.
  Task<std::string> mutant_claim(Incarnation& inc, Client& client, RangeRequest pick) {
    for (;;) {
      auto head = co_await client.range(pick);
      if (!head) co_return head.error();
      if (!head->kvs.empty()) {
        const KeyValue& kv = head->kvs[0];
        TxnRequest txn;
        txn.compare.push_back(Compare::mod_revision(kv.key) == kv.mod_revision);
        txn.success.push_back(Op::del(kv.key));
        auto t = co_await client.txn(std::move(txn));
        if (!t) co_return t.error();
        if (t->succeeded) co_return kv.value;
        continue;
      }
      if (!co_await detail::nap(inc.node, std::chrono::milliseconds(5))) {
        co_return make_error_code(Errc::kCancelled);
      }
    }
  }

  // delivered_sorted returns the delivered items, by producer then seq.
  std::vector<const Item*> delivered_sorted() const {
    std::vector<const Item*> d;
    for (const auto& [v, it] : items_) {
      if (it.deliveries > 0) d.push_back(&it);
    }
    std::sort(d.begin(), d.end(), [](const Item* a, const Item* b) {
      return std::tie(a->producer, a->priority, a->seq) < std::tie(b->producer, b->priority, b->seq);
    });
    return d;
  }

  Verdict check_fifo() const {
    auto d = delivered_sorted();
    // Walk each (producer, priority) run backwards keeping the earliest
    // completion among later items.
    TimePoint min_done = TimePoint::max();
    for (std::size_t i = d.size(); i-- > 0;) {
      const bool new_run = i + 1 == d.size() || d[i + 1]->producer != d[i]->producer ||
                           d[i + 1]->priority != d[i]->priority;
      if (new_run) min_done = TimePoint::max();
      if (min_done < d[i]->dq_issued) {
        return {name() + ".fifo", false,
                "an item of producer " + std::to_string(d[i]->producer) + " after seq " +
                    std::to_string(d[i]->seq) + " was delivered before its dequeue began"};
      }
      min_done = std::min(min_done, d[i]->dq_done);
    }
    return {name() + ".fifo", true, std::to_string(d.size()) + " deliveries in order"};
  }

  // check_priority looks for y delivered while a more urgent x waited: px <
  // py, x acknowledged before dequeue(y) began, and dequeue(y) done before
  // dequeue(x) began. Per priority level p, the x of level p sorted by ack
  // time give a running maximum of their dequeue start, and each less
  // urgent y asks it about the x acknowledged before its own start.
  Verdict check_priority() const {
    auto d = delivered_sorted();
    std::map<std::int64_t, std::vector<const Item*>> by_level;
    for (const Item* x : d) by_level[x->priority].push_back(x);
    for (auto& [level, xs] : by_level) {
      std::sort(xs.begin(), xs.end(), [](auto* a, auto* b) { return a->acked < b->acked; });
      std::vector<TimePoint> latest_issue(xs.size());
      for (std::size_t i = 0; i < xs.size(); ++i) {
        latest_issue[i] = std::max(xs[i]->dq_issued, i ? latest_issue[i - 1] : TimePoint::min());
      }
      for (const Item* y : d) {
        if (y->priority <= level) continue;
        auto acked_before = std::partition_point(
            xs.begin(), xs.end(), [y](const Item* x) { return x->acked < y->dq_issued; });
        if (acked_before == xs.begin()) continue;
        if (latest_issue[static_cast<std::size_t>(acked_before - xs.begin()) - 1] > y->dq_done) {
          return {"priority_queue.priority", false,
                  "priority " + std::to_string(y->priority) + " delivered while priority " +
                      std::to_string(level) + " waited"};
        }
      }
    }
    return {"priority_queue.priority", true, std::to_string(d.size()) + " deliveries checked"};
  }

  static constexpr std::uint64_t kBacklogPerConsumer = 8;

  World& world_;
  const WorkloadOptions opts_;
  const bool priority_;
  bool healed_ = false;
  TimePoint heal_time_{};
  std::map<std::string, Item> items_;
  std::uint64_t uncertain_ = 0;
  int in_flight_ = 0;  // enqueues not yet answered
  // Items not delivered yet: acknowledged ones, and indeterminate ones.
  std::uint64_t waiting_acked_ = 0;
  std::uint64_t waiting_maybe_ = 0;
};

}  // namespace

std::unique_ptr<Workload> make_queue_workload(World& world, const WorkloadOptions& options) {
  return std::make_unique<QueueWorkload>(world, options, false);
}

std::unique_ptr<Workload> make_priority_queue_workload(World& world,
                                                       const WorkloadOptions& options) {
  return std::make_unique<QueueWorkload>(world, options, true);
}

}  // namespace coord::sim
