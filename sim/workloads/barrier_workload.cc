// barrier_workload.cc: Barrier and DoubleBarrier.
//
// barrier: setup raises barrier "bar"; node 0 lowers it after a random
// while (retrying until a release is acknowledged); the other nodes wait.
//   - not-early (oracle): when wait() returns, the barrier key is gone.
//   - liveness: once released and healed, every waiter's current
//     incarnation returns from wait().
// Mutant "no-wait": wait returns at once.
//
// double_barrier: all nodes enter "dbar" (count = nodes), then leave, once.
//   - enter-not-early: when enter() returns, `count` incarnations have
//     called enter and the ready flag is up (oracle; it only goes down once
//     every participant left).
//   - leave-not-early: when leave() returns, every incarnation whose enter
//     succeeded and is still alive has called leave.
//   - liveness: every node finishes its round (one round per node: an
//     error or a crash gives the node's round up; the others must still
//     get through, since a dead participant's key expires).
// Mutant "early-enter": enter returns as soon as the own key is written.
#include <set>

#include "recipes/barrier.h"
#include "recipes/double_barrier.h"
#include "sim/workloads/common.h"
#include "sim/workloads/workloads.h"

namespace coord::sim {
namespace {
namespace asio = boost::asio;
using detail::Incarnation;

class BarrierWorkload final : public Workload {
 public:
  BarrierWorkload(World& world, const WorkloadOptions& o)
      : world_(world), opts_(o), passed_(o.nodes, false) {}

  asio::awaitable<void> setup(Client& direct) override {
    Barrier b(direct, "bar");
    auto r = co_await b.hold();
    if (!r) fail("barrier.setup", r.error().message());
  }

  asio::awaitable<void> run_node(Node& node) override {
    Incarnation inc(node);
    auto client = node.client_ptr();
    Barrier b(*client, "bar");
    if (node.id() == 0) {
      const auto hold_for = std::chrono::milliseconds(world_.rng().between(200, 1500));
      if (!co_await detail::nap(node, hold_for)) co_return;
      while (inc.alive() && !released_) {
        auto r = co_await b.release();
        if (r) {
          released_ = true;
          world_.event("released", 0);
        } else if (!co_await detail::nap(node, std::chrono::milliseconds(50))) {
          co_return;
        }
      }
      passed_[0] = true;
      co_return;
    }
    passed_[static_cast<std::size_t>(node.id())] = false;
    while (inc.alive() && !finishing_) {
      const TimePoint t0 = world_.clock().now();
      Result<void> r;
      if (opts_.mutant != "no-wait") r = co_await b.wait();
      if (!r) {
        if (!co_await detail::nap(node, std::chrono::milliseconds(50))) co_return;
        continue;
      }
      auto still = co_await world_.store_client()->get("bar");
      if (still && *still) fail("barrier.not-early", "node " + std::to_string(node.id()) +
                                                         " passed a raised barrier");
      record_op(world_.clock().now() - t0);
      passed_[static_cast<std::size_t>(node.id())] = true;
      co_return;
    }
  }

  bool live() const override {
    return released_ && std::all_of(passed_.begin(), passed_.end(), [](bool p) { return p; });
  }

  asio::awaitable<std::vector<Verdict>> check(Client& direct) override {
    co_return std::vector<Verdict>{
        {"barrier.not-early", true, std::to_string(ops()) + " waiters passed after the release"}};
  }

 private:
  World& world_;
  const WorkloadOptions opts_;
  bool released_ = false;
  std::vector<bool> passed_;
};

class DoubleBarrierWorkload final : public Workload {
 public:
  DoubleBarrierWorkload(World& world, const WorkloadOptions& o)
      : world_(world), opts_(o), done_(o.nodes, false) {}

  asio::awaitable<void> run_node(Node& node) override {
    Incarnation inc(node);
    const auto me = std::make_pair(node.id(), inc.epoch);
    auto done = done_[static_cast<std::size_t>(node.id())];
    // One round. A restarted node joins again only while nobody got in yet
    // (its old key expires; the barrier needs `count` live keys); once the
    // barrier opened it has lost its place.
    if (done || (joined_.count(node.id()) && !entered_.empty())) {
      done = true;
      co_return;
    }
    auto client = node.client_ptr();
    entering_.insert(me);
    joined_.insert(node.id());
    const TimePoint t0 = world_.clock().now();
    std::shared_ptr<Session> session;
    std::unique_ptr<DoubleBarrier> db;
    // Until the barrier opens, keep trying to get in (new session if lost).
    for (;;) {
      if (!inc.alive() || finishing_) co_return;
      if (!entered_.empty()) {
        done = true;
        co_return;
      }
      if (!session || session->is_done()) {
        if (session) session->orphan();
        session = co_await detail::open_session(inc, *client, opts_.ttl_seconds, finishing_);
        if (!session) co_return;
      }
      db = std::make_unique<DoubleBarrier>(*session, "dbar", opts_.nodes);
      auto in = co_await enter(*db, *session, *client);
      if (in) break;
      db.reset();
      if (!co_await detail::nap(node, std::chrono::milliseconds(50))) co_return;
    }
    auto ready = co_await world_.store_client()->get("dbar/ready");
    if (static_cast<int>(entering_.size()) < opts_.nodes || (ready && !*ready)) {
      fail("double_barrier.enter-not-early",
           "node " + std::to_string(node.id()) + " entered with " +
               std::to_string(entering_.size()) + " of " + std::to_string(opts_.nodes) +
               " participants and the ready flag " + (ready && *ready ? "up" : "down"));
    }
    entered_.insert(me);
    leaving_.insert(me);
    auto out = co_await db->leave();
    if (out) check_leave(node.id());
    record_op(world_.clock().now() - t0);
    done = true;
    session->orphan();
  }

  // check_leave: when a leave returns, every participant that entered and
  // is still running has called leave.
  void check_leave(int node) {
    for (const auto& who : entered_) {
      const auto& link = world_.link(who.first);
      const bool gone = who.second != link.epoch || link.crashed;
      if (!gone && !leaving_.count(who)) {
        fail("double_barrier.leave-not-early", "node " + std::to_string(node) +
                                                   " left before node " +
                                                   std::to_string(who.first) + " called leave");
      }
    }
  }

  bool live() const override {
    return std::all_of(done_.begin(), done_.end(), [](bool d) { return d; });
  }

  asio::awaitable<std::vector<Verdict>> check(Client& direct) override {
    // The barrier's keys at the end help explain a liveness failure.
    auto keys = co_await direct.range(RangeRequest::prefix("dbar/"));
    std::string left;
    if (keys) {
      for (const auto& kv : keys->kvs) {
        left += " " + kv.key + "@" + std::to_string(kv.create_revision) + "/l" +
                std::to_string(kv.lease);
      }
    }
    co_return std::vector<Verdict>{{"double_barrier.not-early", true,
                                    std::to_string(ops()) + " passed enter and leave; keys:" +
                                        (left.empty() ? " none" : left)}};
  }

 private:
  // enter is the recipe's, or the mutant's: register and return at once.
  Task<void> enter(DoubleBarrier& db, Session& session, Client& client) {
    if (opts_.mutant != "early-enter") co_return co_await db.enter();
    auto r = co_await client.put("dbar/waiters/m" + std::to_string(session.lease()), "",
                                 session.lease());
    if (!r) co_return r.error();
    co_return Result<void>{};
  }

  World& world_;
  const WorkloadOptions opts_;
  std::vector<bool> done_;
  std::set<std::pair<int, std::uint64_t>> entering_;
  std::set<std::pair<int, std::uint64_t>> entered_;
  std::set<int> joined_;
  std::set<std::pair<int, std::uint64_t>> leaving_;
};

}  // namespace

std::unique_ptr<Workload> make_barrier_workload(World& world, const WorkloadOptions& options) {
  return std::make_unique<BarrierWorkload>(world, options);
}

std::unique_ptr<Workload> make_double_barrier_workload(World& world,
                                                       const WorkloadOptions& options) {
  return std::make_unique<DoubleBarrierWorkload>(world, options);
}

}  // namespace coord::sim
