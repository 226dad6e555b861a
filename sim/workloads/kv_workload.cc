// kv_workload.cc: CAS counter increments over the raw KV API.
//
// Every node loops: read the counter, then txn If(mod_revision == seen)
// Then put(counter, seen + 1). Checkers: no two acknowledged increments
// wrote the same value (no lost update), and the final count lies between
// the acknowledged increments and those plus the indeterminate ones.
// Mutant "blind": the put skips the compare.
#include <boost/asio/as_tuple.hpp>
#include <set>

#include "sim/workloads/workloads.h"

namespace coord::sim {
namespace {
namespace asio = boost::asio;

const std::string kCounter = "kv/counter";

class KvWorkload final : public Workload {
 public:
  KvWorkload(World& world, const WorkloadOptions& o)
      : world_(world), blind_(o.mutant == "blind"), last_ok_(o.nodes) {}

  asio::awaitable<void> run_node(Node& node) override {
    auto client = node.client_ptr();
    const std::uint64_t epoch = node.incarnation();
    while (!finishing_ && node.up() && node.incarnation() == epoch) {
      const TimePoint t0 = world_.clock().now();
      auto got = co_await client->get(kCounter);
      if (!got) continue;
      const std::int64_t seen = *got ? std::stoll((*got)->value) : 0;
      const Revision mod = *got ? (*got)->mod_revision : 0;
      TxnRequest txn;
      if (!blind_) txn.compare.push_back(Compare::mod_revision(kCounter) == mod);
      txn.success.push_back(Op::put(kCounter, std::to_string(seen + 1)));
      auto r = co_await client->txn(std::move(txn));
      if (!r) {
        if (is_errc(r.error(), Errc::kIndeterminate)) ++indeterminate_;
        continue;
      }
      if (!r->succeeded) continue;
      if (!written_.insert(seen + 1).second) {
        fail("kv.no-lost-update", "value " + std::to_string(seen + 1) + " acknowledged twice");
      }
      ++acked_;
      last_ok_[static_cast<std::size_t>(node.id())] = world_.clock().now();
      record_op(world_.clock().now() - t0);
      world_.event("kv.inc", node.id(), seen + 1);
    }
  }

  void heal() override { healed_ = world_.clock().now(); }

  bool live() const override {
    return std::all_of(last_ok_.begin(), last_ok_.end(),
                       [this](TimePoint t) { return t > healed_; });
  }

  asio::awaitable<std::vector<Verdict>> check(Client& direct) override {
    auto got = co_await direct.get(kCounter);
    const std::int64_t final_count = got && *got ? std::stoll((*got)->value) : 0;
    const bool ok = final_count >= static_cast<std::int64_t>(acked_) &&
                    final_count <= static_cast<std::int64_t>(acked_ + indeterminate_);
    co_return std::vector<Verdict>{
        {"kv.no-lost-update", written_.size() == acked_, std::to_string(acked_) + " increments"},
        {"kv.final-count", ok,
         "count=" + std::to_string(final_count) + " acked=" + std::to_string(acked_) +
             " indeterminate=" + std::to_string(indeterminate_)}};
  }

 private:
  World& world_;
  const bool blind_;
  std::vector<TimePoint> last_ok_;
  TimePoint healed_{};
  std::set<std::int64_t> written_;
  std::uint64_t acked_ = 0;
  std::uint64_t indeterminate_ = 0;
};

}  // namespace

std::unique_ptr<Workload> make_kv_workload(World& world, const WorkloadOptions& options) {
  return std::make_unique<KvWorkload>(world, options);
}

}  // namespace coord::sim
