// kv_workload.cc: CAS counter increments over the raw KV API.
//
// Every node loops: read a counter, then txn If(mod_revision == seen) Then
// put(counter, seen + 1). Closed loop (rate 0): one counter, every node as
// fast as it can, so most attempts conflict. Paced (rate R): four counters
// per node, each increment on a counter drawn from the seed, and each node
// starts an increment every nodes/R virtual seconds (at once if it is late).
// An increment retries its CAS until it commits; its latency includes the
// retries.
// Checkers, per counter: no two acknowledged increments wrote the same
// value (no lost update), and the final count lies between the acknowledged
// increments and those plus the indeterminate ones.
// Mutant "blind": the put skips the compare.
#include <algorithm>
#include <utility>

#include "sim/workloads/common.h"
#include "sim/workloads/workloads.h"

namespace coord::sim {
namespace {
namespace asio = boost::asio;

struct Counter {
  std::string key;
  std::vector<bool> written;  // written[v]: an increment to v was acknowledged
  std::uint64_t acked = 0;
  std::uint64_t indeterminate = 0;
  std::uint64_t distinct = 0;  // values in written

  // record notes an acknowledged write of v; false if v was acknowledged
  // before (a lost update).
  bool record(std::int64_t v) {
    const auto i = static_cast<std::size_t>(v);
    if (i >= written.size()) written.resize(std::max<std::size_t>(2 * written.size(), i + 1));
    if (written[i]) return false;
    written[i] = true;
    ++distinct;
    return true;
  }
};

class KvWorkload final : public Workload {
 public:
  KvWorkload(World& world, const WorkloadOptions& o)
      : world_(world), blind_(o.mutant == "blind"), last_ok_(o.nodes) {
    const int counters = o.rate > 0 ? 4 * o.nodes : 1;
    for (int i = 0; i < counters; ++i) {
      std::string key = counters == 1 ? "kv/counter" : "kv/counter/" + std::to_string(i);
      counters_.push_back(Counter{std::move(key)});
    }
    if (o.rate > 0) {
      interval_ = Duration(static_cast<std::int64_t>(1e9 * o.nodes / o.rate));
    }
  }

  bool supports_rate() const override { return true; }

  asio::awaitable<void> run_node(Node& node) override {
    detail::Incarnation inc(node);
    TimePoint next = world_.clock().now();
    while (!finishing_ && inc.alive()) {
      if (interval_.count() > 0) {
        const TimePoint now = world_.clock().now();
        if (now < next && !co_await detail::nap(node, next - now)) co_return;
        // Keep the schedule (a late node catches up) but forget a backlog
        // of more than a second (a partition, a crash).
        next = now - next > std::chrono::seconds(1) ? now + interval_ : next + interval_;
      }
      co_await increment(inc, pick());
    }
  }

  void heal() override { healed_ = world_.clock().now(); }

  bool live() const override {
    return std::all_of(last_ok_.begin(), last_ok_.end(),
                       [this](TimePoint t) { return t > healed_; });
  }

  asio::awaitable<std::vector<Verdict>> check(Client& direct) override {
    std::uint64_t acked = 0, indeterminate = 0, written = 0;
    std::string bad;
    for (const Counter& c : counters_) {
      auto got = co_await direct.get(c.key);
      const std::int64_t count = got && *got ? std::stoll((*got)->value) : 0;
      if (bad.empty() && (count < static_cast<std::int64_t>(c.acked) ||
                          count > static_cast<std::int64_t>(c.acked + c.indeterminate))) {
        bad = c.key + ": count=" + std::to_string(count) + " acked=" + std::to_string(c.acked) +
              " indeterminate=" + std::to_string(c.indeterminate);
      }
      acked += c.acked;
      indeterminate += c.indeterminate;
      written += c.distinct;
    }
    co_return std::vector<Verdict>{
        {"kv.no-lost-update", written == acked, std::to_string(acked) + " increments"},
        {"kv.final-count", bad.empty(),
         bad.empty() ? "counters=" + std::to_string(counters_.size()) +
                           " acked=" + std::to_string(acked) +
                           " indeterminate=" + std::to_string(indeterminate)
                     : bad}};
  }

 private:
  Counter& pick() {
    if (counters_.size() == 1) return counters_[0];
    return counters_[world_.rng().below(counters_.size())];
  }

  // increment retries c's CAS until one commits, an error ends the
  // attempt, or the node stops; it records the outcome.
  asio::awaitable<void> increment(const detail::Incarnation& inc, Counter& c) {
    const TimePoint t0 = world_.clock().now();
    while (!finishing_ && inc.alive()) {
      if (co_await attempt(inc.node, c, t0)) co_return;
    }
  }

  // attempt is one read and one CAS; true unless the CAS lost a conflict.
  asio::awaitable<bool> attempt(Node& node, Counter& c, TimePoint t0) {
    auto client = node.client_ptr();
    auto got = co_await client->get(c.key);
    if (!got) co_return true;
    const std::int64_t seen = *got ? std::stoll((*got)->value) : 0;
    const Revision mod = *got ? (*got)->mod_revision : 0;
    TxnRequest txn;
    if (!blind_) txn.compare.push_back(Compare::mod_revision(c.key) == mod);
    txn.success.push_back(Op::put(c.key, std::to_string(seen + 1)));
    auto r = co_await client->txn(std::move(txn));
    if (!r) {
      if (is_errc(r.error(), Errc::kIndeterminate)) ++c.indeterminate;
      co_return true;
    }
    if (!r->succeeded) co_return false;
    if (!c.record(seen + 1)) {
      fail("kv.no-lost-update",
           c.key + " value " + std::to_string(seen + 1) + " acknowledged twice");
    }
    ++c.acked;
    last_ok_[static_cast<std::size_t>(node.id())] = world_.clock().now();
    record_op(world_.clock().now() - t0);
    world_.event("kv.inc", node.id(), seen + 1);
    co_return true;
  }

  World& world_;
  const bool blind_;
  Duration interval_{0};
  std::vector<TimePoint> last_ok_;
  TimePoint healed_{};
  std::vector<Counter> counters_;
};

}  // namespace

std::unique_ptr<Workload> make_kv_workload(World& world, const WorkloadOptions& options) {
  return std::make_unique<KvWorkload>(world, options);
}

}  // namespace coord::sim
