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
// "unguarded" (the recipe's lock, but writes without the ownership compare:
// a holder whose lease expired under a partition writes stale data).
#include <boost/asio/this_coro.hpp>
#include <map>

#include "recipes/election.h"
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

class RecipeElection final : public LockApi {
 public:
  RecipeElection(std::shared_ptr<Session> s, std::string name, std::string value)
      : e_(std::move(s), std::move(name)), value_(std::move(value)) {}
  Task<Revision> lock() override { return e_.campaign(value_); }
  Task<TxnResponse> guarded_txn(TxnRequest req) override { return e_.guarded_txn(std::move(req)); }
  Task<void> unlock() override { return e_.resign(); }
  const std::string& key() const override { return e_.key(); }

 private:
  Election e_;
  std::string value_;
};

// UnfencedLock is the mutant "unguarded": the recipe's lock, but the
// critical section's writes skip the ownership compare (no fencing).
class UnfencedLock final : public LockApi {
 public:
  UnfencedLock(std::shared_ptr<Session> s, std::string name)
      : client_(s->client()), m_(std::move(s), std::move(name)) {}
  Task<Revision> lock() override { return m_.lock(); }
  Task<TxnResponse> guarded_txn(TxnRequest req) override { return client_.txn(std::move(req)); }
  Task<void> unlock() override { return m_.unlock(); }
  const std::string& key() const override { return m_.key(); }

 private:
  Client& client_;
  Mutex m_;
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

class LockWorkload final : public Workload {
 public:
  enum class Kind { kMutex, kSemaphore, kElection };

  LockWorkload(World& world, const WorkloadOptions& o, Kind kind, std::int64_t permits)
      : world_(world), opts_(o), kind_(kind), permits_(permits), last_ok_(o.nodes) {}

  asio::awaitable<void> run_node(Node& node) override {
    Incarnation inc(node);
    auto client = node.client_ptr();
    if (kind_ == Kind::kElection && node.id() == 0) node.spawn(observe(node));
    while (inc.alive() && !finishing_) {
      auto session = co_await detail::open_session(inc, *client, opts_.ttl_seconds, finishing_);
      if (!session) co_return;
      auto lock = make_lock(session, node.id());
      while (inc.alive() && !finishing_ && !session->is_done()) {
        if (!co_await cycle(inc, *client, *lock)) break;
      }
      session->orphan();
    }
  }

  void heal() override { healed_ = world_.clock().now(); }

  bool live() const override { return detail::progressed_since(last_ok_, healed_); }

  asio::awaitable<std::vector<Verdict>> check(Client& direct) override {
    const std::string n = std::to_string(ops());
    std::vector<Verdict> v{{name() + ".exclusion", true, n + " acquisitions checked"},
                           {name() + ".one-per-term", true, std::to_string(terms_.size()) + " terms"}};
    if (kind_ != Kind::kSemaphore) {
      v.push_back({name() + ".guarded-writes", true,
                   std::to_string(guarded_) + " guarded writes checked"});
    }
    if (kind_ == Kind::kElection) {
      v.push_back({"election.observed-monotonic", true,
                   std::to_string(observed_) + " leaders observed"});
    }
    co_return v;
  }

 private:
  std::string name() const {
    return kind_ == Kind::kMutex ? "mutex" : kind_ == Kind::kSemaphore ? "semaphore" : "election";
  }
  std::string base() const {
    return kind_ == Kind::kMutex ? "lock" : kind_ == Kind::kSemaphore ? "sem" : "election";
  }
  std::string prefix() const { return base() + "/"; }

  std::unique_ptr<LockApi> make_lock(std::shared_ptr<Session> s, int node) {
    if (opts_.mutant == "skip-wait") return std::make_unique<SkipWaitLock>(s, base(), true);
    if (opts_.mutant == "unguarded") return std::make_unique<UnfencedLock>(s, base());
    if (kind_ == Kind::kMutex) return std::make_unique<RecipeMutex>(s, base());
    if (kind_ == Kind::kElection) {
      return std::make_unique<RecipeElection>(s, base(), "n" + std::to_string(node));
    }
    return std::make_unique<RecipeSemaphore>(s, base(), permits_);
  }

  // observe follows the election's leaders on node 0: their terms
  // (create_revision) never go backwards, and (term, mod_revision) strictly
  // increases within one stream.
  asio::awaitable<void> observe(Node& node) {
    Incarnation inc(node);
    auto client = node.client_ptr();
    while (inc.alive() && !finishing_) {
      ElectionObserver obs(*client, base());
      std::pair<Revision, Revision> last{0, 0};
      for (;;) {
        auto kv = co_await obs.next();
        if (!kv) break;
        const std::pair<Revision, Revision> cur{kv->create_revision, kv->mod_revision};
        if (cur <= last || kv->create_revision < observed_term_) {
          fail("election.observed-monotonic",
               "observed term " + std::to_string(cur.first) + "/" + std::to_string(cur.second) +
                   " after " + std::to_string(std::max(last.first, observed_term_)));
        }
        last = cur;
        observed_term_ = std::max(observed_term_, kv->create_revision);
        ++observed_;
      }
      if (!co_await detail::nap(node, std::chrono::milliseconds(50))) co_return;
    }
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
    note_term(inc, *token);
    auto bad = co_await detail::check_rank(*world_.store_client(), prefix(), lock.key(), *token,
                                           permits_);
    if (bad) fail(name() + ".exclusion", *bad);
    if (kind_ != Kind::kSemaphore) co_await critical_section(inc, client, lock, *token);
    auto un = co_await lock.unlock();
    world_.event("unlock", inc.node.id(), un ? 0 : un.error().value());
    record_op(world_.clock().now() - t0);
    last_ok_[static_cast<std::size_t>(inc.node.id())] = world_.clock().now();
    const auto think = std::chrono::microseconds(world_.rng().between(0, 5000));
    co_return co_await detail::nap(inc.node, think);
  }

  // note_term records who won a term: one holder (incarnation) per token.
  void note_term(const Incarnation& inc, Revision token) {
    if (auto bad = terms_.note(inc, token)) fail(name() + ".one-per-term", *bad);
  }

  asio::awaitable<void> critical_section(Incarnation& inc, Client& client, LockApi& lock,
                                         Revision token) {
    auto got = co_await client.range(RangeRequest::single(kCounter));
    if (!got) co_return;
    const detail::Cell seen = detail::parse_cell(got->kvs);
    // Work on what was read (a GC or clock pause here outlives the lease).
    const auto work = std::chrono::microseconds(world_.rng().between(0, 50'000));
    if (!co_await detail::nap(inc.node, work)) co_return;
    TxnRequest req;
    req.success.push_back(Op::get(kCounter));
    req.success.push_back(
        Op::put(kCounter, std::to_string(seen.count + 1) + ":" + std::to_string(token)));
    auto r = co_await lock.guarded_txn(std::move(req));
    if (!r || !r->succeeded) co_return;
    ++guarded_;
    const detail::Cell before = detail::parse_cell(r->responses[0].range().kvs);
    if (before.count != seen.count) {
      fail(name() + ".guarded-writes", "lost update: node " + std::to_string(inc.node.id()) +
                                       " read " + std::to_string(seen.count) + " but wrote over " +
                                       std::to_string(before.count));
    }
    if (before.token > token) {
      fail(name() + ".guarded-writes", "stale write: token " + std::to_string(token) +
                                       " after token " + std::to_string(before.token));
    }
  }

  World& world_;
  const WorkloadOptions opts_;
  const Kind kind_;
  const std::int64_t permits_;
  detail::Terms terms_;
  Revision observed_term_ = 0;
  std::uint64_t observed_ = 0;
  std::vector<TimePoint> last_ok_;
  TimePoint healed_{};
  std::uint64_t guarded_ = 0;
};

}  // namespace

std::unique_ptr<Workload> make_mutex_workload(World& world, const WorkloadOptions& options) {
  return std::make_unique<LockWorkload>(world, options, LockWorkload::Kind::kMutex, 1);
}

std::unique_ptr<Workload> make_election_workload(World& world, const WorkloadOptions& options) {
  return std::make_unique<LockWorkload>(world, options, LockWorkload::Kind::kElection, 1);
}

std::unique_ptr<Workload> make_semaphore_workload(World& world, const WorkloadOptions& options) {
  return std::make_unique<LockWorkload>(world, options, LockWorkload::Kind::kSemaphore, 3);
}

}  // namespace coord::sim
