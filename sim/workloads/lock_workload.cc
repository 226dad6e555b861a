// lock_workload.cc: nodes contending on one Mutex (or one Semaphore).
//
// Each node opens a session, then loops: lock, critical section, unlock.
// Checkers:
//   - exclusion (oracle): when lock() returns and the holder's key still
//     exists, it is the oldest key under the prefix (the semaphore: among the
//     N oldest). Lease expiry may take a lock from a holder without telling
//     it; it never makes two keys "first".
//   - guarded writes (mutex): the critical section reads a counter, then
//     writes count+1 and its fencing token through guarded_txn, which also
//     reads the counter as it was just before the write. That value must be
//     what the holder read (no lost update) and carry a token no newer than
//     the holder's (guarded writes never go stale).
// Liveness: after the heal every node (or, beyond 50 nodes, some node)
// completes a lock/unlock cycle.
// Mutants: "skip-wait" (lock returns without waiting for older keys),
// "unguarded" (the critical section writes without the ownership compare,
// and lock skips the wait).
#include <boost/asio/this_coro.hpp>

#include "recipes/mutex.h"
#include "recipes/semaphore.h"
#include "sim/workloads/common.h"
#include "sim/workloads/workloads.h"

namespace coord::sim {
namespace {
namespace asio = boost::asio;
using detail::Incarnation;

const std::string kCounter = "lockdata/counter";

// LockApi is the lock under test: the recipe, or a mutant.
class LockApi {
 public:
  virtual ~LockApi() = default;
  virtual Task<Revision> lock() = 0;
  virtual Task<TxnResponse> guarded_txn(TxnRequest req) = 0;
  virtual Task<void> unlock() = 0;
  virtual const std::string& key() const = 0;
};

class RecipeMutex final : public LockApi {
 public:
  RecipeMutex(std::shared_ptr<Session> s, std::string name) : m_(std::move(s), std::move(name)) {}
  Task<Revision> lock() override { return m_.lock(); }
  Task<TxnResponse> guarded_txn(TxnRequest req) override { return m_.guarded_txn(std::move(req)); }
  Task<void> unlock() override { return m_.unlock(); }
  const std::string& key() const override { return m_.key(); }

 private:
  Mutex m_;
};

class RecipeSemaphore final : public LockApi {
 public:
  RecipeSemaphore(std::shared_ptr<Session> s, std::string name, std::int64_t n)
      : s_(std::move(s), std::move(name), n) {}
  Task<Revision> lock() override { return s_.acquire(); }
  Task<TxnResponse> guarded_txn(TxnRequest req) override { return s_.guarded_txn(std::move(req)); }
  Task<void> unlock() override { return s_.release(); }
  const std::string& key() const override { return s_.key(); }

 private:
  Semaphore s_;
};

// SkipWaitLock is the mutant: etcd's key layout, but lock() returns at once,
// as if every older key were already gone. `guard` keeps the ownership
// compare in guarded_txn.
class SkipWaitLock final : public LockApi {
 public:
  SkipWaitLock(std::shared_ptr<Session> s, const std::string& name, bool guard)
      : s_(std::move(s)), guard_(guard) {
    char hex[32];
    std::snprintf(hex, sizeof hex, "%llx", static_cast<unsigned long long>(s_->lease()));
    key_ = name + "/" + hex;
  }
  Task<Revision> lock() override {
    TxnRequest t;
    t.compare.push_back(Compare::create_revision(key_) == std::int64_t{0});
    t.success.push_back(Op::put(key_, "", s_->lease()));
    t.failure.push_back(Op::get(key_));
    auto r = co_await s_->client().txn(std::move(t));
    if (!r) co_return r.error();
    const auto& kvs = r->succeeded ? std::vector<KeyValue>{} : r->responses[0].range().kvs;
    if (!r->succeeded && kvs.empty()) co_return make_error_code(Errc::kSessionExpired);
    token_ = r->succeeded ? r->header.revision : kvs[0].create_revision;
    co_return token_;
  }
  Task<TxnResponse> guarded_txn(TxnRequest req) override {
    if (guard_) req.compare.push_back(Compare::create_revision(key_) == token_);
    auto r = co_await s_->client().txn(std::move(req));
    if (r && !r->succeeded) co_return make_error_code(Errc::kNotLocked);
    co_return r;
  }
  Task<void> unlock() override {
    auto r = co_await s_->client().del(key_);
    if (!r) co_return r.error();
    co_return Result<void>{};
  }
  const std::string& key() const override { return key_; }

 private:
  std::shared_ptr<Session> s_;
  bool guard_;
  std::string key_;
  Revision token_ = 0;
};

struct Cell {
  std::int64_t count = 0;
  Revision token = 0;
};

Cell parse_cell(const std::vector<KeyValue>& kvs) {
  if (kvs.empty()) return {};
  const auto& v = kvs[0].value;
  const auto colon = v.find(':');
  return {std::stoll(v.substr(0, colon)), std::stoll(v.substr(colon + 1))};
}

class LockWorkload final : public Workload {
 public:
  LockWorkload(World& world, const WorkloadOptions& o, std::int64_t permits)
      : world_(world), opts_(o), permits_(permits), last_ok_(o.nodes) {}

  asio::awaitable<void> run_node(Node& node) override {
    Incarnation inc(node);
    auto client = node.client_ptr();
    while (inc.alive() && !finishing_) {
      auto session = co_await detail::open_session(inc, *client, opts_.ttl_seconds, finishing_);
      if (!session) co_return;
      auto lock = make_lock(session);
      while (inc.alive() && !finishing_ && !session->is_done()) {
        if (!co_await cycle(inc, *client, *lock)) break;
      }
      session->orphan();
    }
  }

  void heal() override { healed_ = world_.clock().now(); }

  bool live() const override {
    const auto after = [this](TimePoint t) { return t > healed_; };
    if (last_ok_.size() > 50) return std::any_of(last_ok_.begin(), last_ok_.end(), after);
    return std::all_of(last_ok_.begin(), last_ok_.end(), after);
  }

  asio::awaitable<std::vector<Verdict>> check(Client& direct) override {
    const std::string n = std::to_string(ops());
    co_return std::vector<Verdict>{{name() + ".exclusion", true, n + " acquisitions checked"},
                                   {name() + ".guarded-writes", true,
                                    std::to_string(guarded_) + " guarded writes checked"}};
  }

 private:
  std::string name() const { return permits_ == 0 ? "mutex" : "semaphore"; }
  std::string prefix() const { return permits_ == 0 ? "lock/" : "sem/"; }

  std::unique_ptr<LockApi> make_lock(std::shared_ptr<Session> s) {
    const std::string base = permits_ == 0 ? "lock" : "sem";
    if (opts_.mutant == "skip-wait") return std::make_unique<SkipWaitLock>(s, base, true);
    if (opts_.mutant == "unguarded") return std::make_unique<SkipWaitLock>(s, base, false);
    if (permits_ == 0) return std::make_unique<RecipeMutex>(s, base);
    return std::make_unique<RecipeSemaphore>(s, base, permits_);
  }

  // cycle runs lock, critical section, unlock; false when the session must
  // be renewed.
  asio::awaitable<bool> cycle(Incarnation& inc, Client& client, LockApi& lock) {
    const TimePoint t0 = world_.clock().now();
    auto token = co_await lock.lock();
    if (!token) {
      if (is_errc(token.error(), Errc::kSessionExpired)) co_return false;
      co_return co_await detail::nap(inc.node, std::chrono::milliseconds(10));
    }
    world_.event("lock", inc.node.id(), *token);
    auto bad = co_await detail::check_rank(*world_.store_client(), prefix(), lock.key(), *token,
                                           permits_ == 0 ? 1 : permits_);
    if (bad) fail(name() + ".exclusion", *bad);
    if (permits_ == 0) co_await critical_section(inc, client, lock, *token);
    auto un = co_await lock.unlock();
    world_.event("unlock", inc.node.id(), un ? 0 : un.error().value());
    record_op(world_.clock().now() - t0);
    last_ok_[static_cast<std::size_t>(inc.node.id())] = world_.clock().now();
    const auto think = std::chrono::microseconds(world_.rng().between(0, 5000));
    co_return co_await detail::nap(inc.node, think);
  }

  asio::awaitable<void> critical_section(Incarnation& inc, Client& client, LockApi& lock,
                                         Revision token) {
    auto got = co_await client.range(RangeRequest::single(kCounter));
    if (!got) co_return;
    const Cell seen = parse_cell(got->kvs);
    TxnRequest req;
    req.success.push_back(Op::get(kCounter));
    req.success.push_back(
        Op::put(kCounter, std::to_string(seen.count + 1) + ":" + std::to_string(token)));
    auto r = co_await lock.guarded_txn(std::move(req));
    if (!r || !r->succeeded) co_return;
    ++guarded_;
    const Cell before = parse_cell(r->responses[0].range().kvs);
    if (before.count != seen.count) {
      fail("mutex.guarded-writes", "lost update: node " + std::to_string(inc.node.id()) +
                                       " read " + std::to_string(seen.count) + " but wrote over " +
                                       std::to_string(before.count));
    }
    if (before.token > token) {
      fail("mutex.guarded-writes", "stale write: token " + std::to_string(token) +
                                       " after token " + std::to_string(before.token));
    }
  }

  World& world_;
  const WorkloadOptions opts_;
  const std::int64_t permits_;  // 0: mutex
  std::vector<TimePoint> last_ok_;
  TimePoint healed_{};
  std::uint64_t guarded_ = 0;
};

}  // namespace

std::unique_ptr<Workload> make_mutex_workload(World& world, const WorkloadOptions& options) {
  return std::make_unique<LockWorkload>(world, options, 0);
}

std::unique_ptr<Workload> make_semaphore_workload(World& world, const WorkloadOptions& options) {
  return std::make_unique<LockWorkload>(world, options, 3);
}

}  // namespace coord::sim
