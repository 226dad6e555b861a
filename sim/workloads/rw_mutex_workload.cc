// rw_mutex_workload.cc: nodes contending on one RWMutex, as readers (two in
// three acquisitions) and writers.
//
// Each node opens a session, then loops: rlock or lock, critical section,
// runlock or unlock. Checkers:
//   - exclusion (oracle): when rlock() returns and the reader's key still
//     exists, no writer key under P/write/ is older; when lock() returns and
//     the writer's key still exists, no key under P is older.
//   - guarded writes: a writer reads a counter, then writes count+1 and its
//     token through guarded_txn, which also reads the counter just before
//     the write: that value must be what the writer read (no lost update,
//     so no other writer came between) and carry no newer token. A reader
//     reads the counter through guarded_txn; its token must be newer than
//     the token the counter carries (it never reads a write from a writer
//     that came after it).
//   - one-per-term: one holder per fencing token.
// Liveness: after the heal every node (beyond 50 nodes, some node) completes
// a cycle.
// Mutant "skip-wait": rlock and lock return as soon as the key exists.
#include <map>

#include "recipes/rw_mutex.h"
#include "sim/workloads/common.h"
#include "sim/workloads/workloads.h"

namespace coord::sim {
namespace {
namespace asio = boost::asio;
using detail::Incarnation;

const std::string kPrefix = "rw";
const std::string kCounter = "rwdata/counter";

// Held is one acquisition: the key, its token, and whether it writes.
struct Held {
  std::string key;
  Revision token = 0;
  bool write = false;
};

class RWMutexWorkload final : public Workload {
 public:
  RWMutexWorkload(World& world, const WorkloadOptions& o)
      : world_(world), opts_(o), last_ok_(o.nodes) {}

  asio::awaitable<void> run_node(Node& node) override {
    Incarnation inc(node);
    auto client = node.client_ptr();
    while (inc.alive() && !finishing_) {
      auto session = co_await detail::open_session(inc, *client, opts_.ttl_seconds, finishing_);
      if (!session) co_return;
      RWMutex rw(session, kPrefix);
      while (inc.alive() && !finishing_ && !session->is_done()) {
        if (!co_await cycle(inc, *session, rw)) break;
      }
      session->orphan();
    }
  }

  void heal() override { healed_ = world_.clock().now(); }

  bool live() const override { return detail::progressed_since(last_ok_, healed_); }

  asio::awaitable<std::vector<Verdict>> check(Client&) override {
    co_return std::vector<Verdict>{
        {"rw_mutex.exclusion", true,
         std::to_string(reads_) + " reads and " + std::to_string(writes_) + " writes checked"},
        {"rw_mutex.one-per-term", true, std::to_string(terms_.size()) + " terms"},
        {"rw_mutex.guarded-writes", true, std::to_string(guarded_) + " guarded txns checked"}};
  }

 private:
  // acquire takes the lock (or, for the mutant, only creates the key).
  Task<Held> acquire(Session& session, RWMutex& rw, bool write) {
    if (opts_.mutant != "skip-wait") {
      // Plain statements: g++ 12 miscompiles co_await inside ?: branches.
      Result<Revision> t = make_error_code(Errc::kInternal);
      if (write) {
        t = co_await rw.lock();
      } else {
        t = co_await rw.rlock();
      }
      if (!t) co_return t.error();
      co_return Held{rw.key(), *t, write};
    }
    char hex[32];
    std::snprintf(hex, sizeof hex, "%llx", static_cast<unsigned long long>(session.lease()));
    Held h{kPrefix + (write ? "/write/" : "/read/") + hex, 0, write};
    auto r = co_await session.client().put(h.key, "", session.lease());
    if (!r) co_return r.error();
    auto got = co_await session.client().get(h.key);
    if (!got || !*got) co_return make_error_code(Errc::kSessionExpired);
    h.token = (*got)->create_revision;
    co_return h;
  }

  Task<void> release(Session& session, RWMutex& rw, const Held& h) {
    if (opts_.mutant == "skip-wait") {
      auto d = co_await session.client().del(h.key);
      if (!d) co_return d.error();
      co_return Result<void>{};
    }
    if (h.write) co_return co_await rw.unlock();
    co_return co_await rw.runlock();
  }

  Task<TxnResponse> guarded(Session& session, RWMutex& rw, const Held& h, TxnRequest req) {
    if (opts_.mutant != "skip-wait") co_return co_await rw.guarded_txn(std::move(req));
    req.compare.push_back(Compare::create_revision(h.key) == h.token);
    auto r = co_await session.client().txn(std::move(req));
    if (r && !r->succeeded) co_return make_error_code(Errc::kNotLocked);
    co_return r;
  }

  // cycle runs one acquisition; false when the session must be renewed.
  asio::awaitable<bool> cycle(Incarnation& inc, Session& session, RWMutex& rw) {
    const bool write = world_.rng().below(3) == 0;
    const TimePoint t0 = world_.clock().now();
    auto held = co_await acquire(session, rw, write);
    if (!held) {
      if (is_errc(held.error(), Errc::kSessionExpired)) co_return false;
      co_return co_await detail::nap(inc.node, std::chrono::milliseconds(10));
    }
    world_.event(write ? "wlock" : "rlock", inc.node.id(), held->token);
    note_term(inc, held->token);
    const std::string blockers = kPrefix + (write ? "/" : "/write/");
    auto bad = co_await detail::check_rank(*world_.store_client(), blockers, held->key,
                                           held->token, 1);
    if (bad) fail("rw_mutex.exclusion", (write ? "writer " : "reader ") + *bad);
    ++(write ? writes_ : reads_);
    co_await critical_section(inc, session, rw, *held);
    // An unlock whose outcome is unknown keeps the lock state (the
    // contract: call again); one that keeps failing gives the session up,
    // so the lease, and the key, expire.
    Result<void> un = make_error_code(Errc::kInternal);
    for (int attempt = 0; attempt < 3 && !un && inc.alive(); ++attempt) {
      un = co_await release(session, rw, *held);
      world_.event("unlock", inc.node.id(), un ? 0 : un.error().value());
      if (!un && is_errc(un.error(), Errc::kNotLocked)) break;  // lost meanwhile
    }
    if (!un && !is_errc(un.error(), Errc::kNotLocked)) co_return false;
    record_op(world_.clock().now() - t0);
    last_ok_[static_cast<std::size_t>(inc.node.id())] = world_.clock().now();
    const auto think = std::chrono::microseconds(world_.rng().between(0, 5000));
    co_return co_await detail::nap(inc.node, think);
  }

  void note_term(const Incarnation& inc, Revision token) {
    if (auto bad = terms_.note(inc, token)) fail("rw_mutex.one-per-term", *bad);
  }

  asio::awaitable<void> critical_section(Incarnation& inc, Session& session, RWMutex& rw,
                                         const Held& h) {
    auto got = co_await session.client().range(RangeRequest::single(kCounter));
    if (!got) co_return;
    const detail::Cell seen = detail::parse_cell(got->kvs);
    const auto work = std::chrono::microseconds(world_.rng().between(0, 20'000));
    if (!co_await detail::nap(inc.node, work)) co_return;
    TxnRequest req;
    req.success.push_back(Op::get(kCounter));
    if (h.write) {
      req.success.push_back(
          Op::put(kCounter, std::to_string(seen.count + 1) + ":" + std::to_string(h.token)));
    }
    auto r = co_await guarded(session, rw, h, std::move(req));
    if (!r || !r->succeeded) co_return;
    ++guarded_;
    check_cell(inc, h, seen, detail::parse_cell(r->responses[0].range().kvs));
  }

  void check_cell(const Incarnation& inc, const Held& h, const detail::Cell& seen, const detail::Cell& before) {
    const std::string who = "node " + std::to_string(inc.node.id());
    if (h.write && before.count != seen.count) {
      fail("rw_mutex.guarded-writes", "lost update: " + who + " read " +
                                          std::to_string(seen.count) + " but wrote over " +
                                          std::to_string(before.count));
    }
    if (before.token > h.token) {
      fail("rw_mutex.guarded-writes", who + (h.write ? " wrote" : " read") + " with token " +
                                          std::to_string(h.token) + " after token " +
                                          std::to_string(before.token));
    }
  }

  World& world_;
  const WorkloadOptions opts_;
  detail::Terms terms_;
  std::vector<TimePoint> last_ok_;
  TimePoint healed_{};
  std::uint64_t reads_ = 0, writes_ = 0, guarded_ = 0;
};

}  // namespace

std::unique_ptr<Workload> make_rw_mutex_workload(World& world, const WorkloadOptions& options) {
  return std::make_unique<RWMutexWorkload>(world, options);
}

}  // namespace coord::sim
