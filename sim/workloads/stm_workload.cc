// stm_workload.cc: bank transfers through STM transactions.
//
// Five accounts start at 100. Every node loops: run_stm moves a random
// amount between two random accounts (only if the source covers it) and
// bumps a commit counter in the same transaction.
// Checkers:
//   - conserved: every snapshot an auditor reads (one txn, all accounts)
//     and the final state sum to 500; no balance is negative.
//   - serializable: the commit counter ends between the acknowledged
//     commits and those plus the indeterminate ones (no lost update), and
//     no two acknowledged commits read the same counter value.
// Mutant "read-committed": the STM runs at kReadCommitted (blind writes).
#include <set>

#include "recipes/stm.h"
#include "sim/workloads/common.h"
#include "sim/workloads/workloads.h"

namespace coord::sim {
namespace {
namespace asio = boost::asio;
using detail::Incarnation;

constexpr int kAccounts = 5;
constexpr std::int64_t kInitial = 100;
const std::string kCommits = "stm/commits";

std::string account(int i) { return "stm/acct/" + std::to_string(i); }

std::int64_t to_int(const std::string& s) { return s.empty() ? 0 : std::stoll(s); }

class StmWorkload final : public Workload {
 public:
  StmWorkload(World& world, const WorkloadOptions& o) : world_(world), opts_(o), last_ok_(o.nodes) {}

  asio::awaitable<void> setup(Client& direct) override {
    for (int i = 0; i < kAccounts; ++i) {
      auto r = co_await direct.put(account(i), std::to_string(kInitial));
      if (!r) fail("stm.setup", r.error().message());
    }
  }

  asio::awaitable<void> run_node(Node& node) override {
    Incarnation inc(node);
    auto client = node.client_ptr();
    StmOptions options;
    if (opts_.mutant == "read-committed") options.isolation = Isolation::kReadCommitted;
    while (inc.alive() && !finishing_) {
      const int from = static_cast<int>(world_.rng().below(kAccounts));
      const int to = static_cast<int>(world_.rng().below(kAccounts));
      const std::int64_t amount = world_.rng().between(1, 30);
      std::int64_t seen = -1;
      const TimePoint t0 = world_.clock().now();
      // A named std::function: g++ 12 double-destroys temporaries of a co_await.
      StmApply apply = [&](Stm& stm) -> Task<void> {
        auto a = co_await stm.get(account(from));
        if (!a) co_return a.error();
        auto b = co_await stm.get(account(to));
        if (!b) co_return b.error();
        auto c = co_await stm.get(kCommits);
        if (!c) co_return c.error();
        seen = to_int(*c);
        stm.put(kCommits, std::to_string(seen + 1));
        if (from != to && to_int(*a) >= amount) {
          stm.put(account(from), std::to_string(to_int(*a) - amount));
          stm.put(account(to), std::to_string(to_int(*b) + amount));
        }
        co_return Result<void>{};
      };
      auto r = co_await run_stm(*client, apply, options);
      world_.event("stm", node.id(), r ? seen : -1, r ? 0 : r.error().value());
      if (r) {
        ++acked_;
        if (!counter_values_.insert(seen).second) {
          fail("stm.serializable", "two commits read counter " + std::to_string(seen));
        }
        record_op(world_.clock().now() - t0);
        last_ok_[static_cast<std::size_t>(node.id())] = world_.clock().now();
        co_await audit();
      } else if (is_errc(r.error(), Errc::kIndeterminate)) {
        ++indeterminate_;
      }
      if (!co_await detail::nap(node, std::chrono::microseconds(world_.rng().between(0, 5000)))) {
        co_return;
      }
    }
  }

  void heal() override { healed_ = world_.clock().now(); }

  bool live() const override {
    return std::all_of(last_ok_.begin(), last_ok_.end(), [this](TimePoint t) { return t > healed_; });
  }

  asio::awaitable<std::vector<Verdict>> check(Client& direct) override {
    co_await audit();
    auto c = co_await direct.get(kCommits);
    const std::int64_t commits = c && *c ? to_int((*c)->value) : 0;
    const bool ok = commits >= static_cast<std::int64_t>(acked_) &&
                    commits <= static_cast<std::int64_t>(acked_ + indeterminate_);
    co_return std::vector<Verdict>{
        {"stm.conserved", true, std::to_string(audits_) + " snapshots sum to 500"},
        {"stm.serializable", ok,
         "commits=" + std::to_string(commits) + " acked=" + std::to_string(acked_) +
             " indeterminate=" + std::to_string(indeterminate_)}};
  }

 private:
  // audit reads every account in one txn on the direct client.
  asio::awaitable<void> audit() {
    TxnRequest txn;
    for (int i = 0; i < kAccounts; ++i) txn.success.push_back(Op::get(account(i)));
    auto r = co_await world_.store_client()->txn(std::move(txn));
    if (!r) co_return;
    std::int64_t sum = 0;
    for (const auto& resp : r->responses) {
      const std::int64_t b = resp.range().kvs.empty() ? 0 : to_int(resp.range().kvs[0].value);
      if (b < 0) fail("stm.conserved", "negative balance " + std::to_string(b));
      sum += b;
    }
    ++audits_;
    if (sum != kAccounts * kInitial) {
      fail("stm.conserved", "balances sum to " + std::to_string(sum) + " at revision " +
                                std::to_string(r->header.revision));
    }
  }

  World& world_;
  const WorkloadOptions opts_;
  std::vector<TimePoint> last_ok_;
  TimePoint healed_{};
  std::set<std::int64_t> counter_values_;
  std::uint64_t acked_ = 0;
  std::uint64_t indeterminate_ = 0;
  std::uint64_t audits_ = 0;
};

}  // namespace

std::unique_ptr<Workload> make_stm_workload(World& world, const WorkloadOptions& options) {
  return std::make_unique<StmWorkload>(world, options);
}

}  // namespace coord::sim
