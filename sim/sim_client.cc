#include "sim/sim_client.h"

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/this_coro.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <optional>

#include "sim/world.h"

namespace coord::sim {
namespace asio = boost::asio;

namespace {

enum Tag : int {
  kRange = 1, kPut, kDelete, kTxn, kCompact, kGrant, kRevoke, kKeepAliveOnce, kTtl,
  kLeases, kWatch
};

ErrorCode err(Errc e) { return make_error_code(e); }

// wait_virtual waits on the world's virtual clock (not an OS sleep);
// false when cancelled.
asio::awaitable<bool> wait_virtual(VirtualClock& clock, TimePoint t) {
  auto [ec] = co_await clock.async_wait_until(t, asio::as_tuple(asio::use_awaitable));
  co_return !ec;
}

// SimWatchStream delivers the store's watch responses to the node, each
// after a latency, in order; a partition or crash breaks it.
class SimWatchStream final : public WatchStream, public BreakableStream {
 public:
  SimWatchStream(World& world, NodeLink& link, std::unique_ptr<WatchStream> inner)
      : world_(world), link_(link), inner_(std::move(inner)), handle_(link.add_stream(this)) {}
  ~SimWatchStream() override {
    if (registered_) link_.remove_stream(handle_);
  }

  asio::awaitable<Result<WatchResponse>> next() override {
    if (final_) co_return *final_;
    auto cs = co_await asio::this_coro::cancellation_state;
    if (cs.cancelled() != asio::cancellation_type::none) co_return make_error_code(Errc::kCancelled);
    if (!pending_) {
      auto r = co_await inner_->next();
      if (final_) co_return *final_;
      if (!r && is_errc(r.error(), Errc::kCancelled)) co_return r.error();
      const TimePoint at = world_.clock().now() + world_.net().sample_latency(world_.rng());
      deliver_at_ = std::max(at, last_delivery_);
      pending_ = std::move(r);
    }
    if (!co_await wait_virtual(world_.clock(), deliver_at_)) co_return err(Errc::kCancelled);
    if (final_) co_return *final_;
    auto r = std::move(*pending_);
    pending_.reset();
    last_delivery_ = deliver_at_;
    if (!r) final_ = r.error();
    world_.event("wev", link_.id, r ? static_cast<std::int64_t>(r->events.size()) : -1,
                 r ? r->header.revision : r.error().value());
    co_return r;
  }

  asio::awaitable<Result<void>> request_progress() override {
    if (final_) co_return *final_;
    co_return co_await inner_->request_progress();
  }

  Revision compact_revision() const override { return inner_->compact_revision(); }

  void cancel() override {
    if (!final_) final_ = err(Errc::kCancelled);
    inner_->cancel();
  }

  void break_stream() override {
    registered_ = false;
    if (!final_) final_ = err(Errc::kUnavailable);
    world_.event("wbrk", link_.id);
    inner_->cancel();
  }

 private:
  World& world_;
  NodeLink& link_;
  std::unique_ptr<WatchStream> inner_;
  std::uint64_t handle_;
  bool registered_ = true;
  std::optional<ErrorCode> final_;
  std::optional<Result<WatchResponse>> pending_;
  TimePoint deliver_at_{};
  TimePoint last_delivery_{};
};

}  // namespace

SimClient::SimClient(World& world, NodeLink& link)
    : world_(world), link_(link), epoch_(link.epoch), store_(world.store_client()) {}

std::string SimClient::name() const {
  return "sim:n" + std::to_string(link_.id) + "." + std::to_string(epoch_);
}

bool SimClient::link_up(std::uint64_t epoch) const {
  return !link_.partitioned && !link_.crashed && link_.epoch == epoch;
}

asio::awaitable<bool> SimClient::delay(Duration d) {
  return wait_virtual(world_.clock(), world_.clock().now() + d);
}

asio::awaitable<ErrorCode> SimClient::lost(Kind kind) {
  const bool ok = co_await delay(world_.net().request_timeout);
  if (kind == Kind::kWrite) co_return err(Errc::kIndeterminate);
  co_return err(ok ? Errc::kUnavailable : Errc::kCancelled);
}

template <typename T, typename Op>
Task<T> SimClient::call(Kind kind, int tag, Op op) {
  ++ops_;
  world_.count_kv_op();
  if (link_.crashed || link_.epoch != epoch_) {
    // A dead process sends nothing; waiting keeps a retry loop from spinning.
    co_return co_await lost(kind);
  }
  const NetConfig& net = world_.net();
  Rng& rng = world_.rng();
  world_.event("req", link_.id, tag);
  const bool starved = kind == Kind::kKeepAlive && link_.starved;
  const bool drop_req = rng.chance(net.drop_request_ppm);
  if (!link_up(epoch_) || drop_req || starved) co_return co_await lost(kind);
  if (!co_await delay(net.sample_latency(rng))) {
    co_return err(kind == Kind::kWrite ? Errc::kIndeterminate : Errc::kCancelled);
  }
  if (!link_up(epoch_)) co_return co_await lost(kind);
  // The store is the server: once a request arrives it runs to completion.
  co_await asio::this_coro::reset_cancellation_state(asio::disable_cancellation());
  Result<T> r = co_await op();
  co_await asio::this_coro::reset_cancellation_state();
  if (!link_up(epoch_) || rng.chance(net.drop_response_ppm)) {
    co_return co_await lost(kind);
  }
  if (!co_await delay(net.sample_latency(rng))) {
    co_return err(kind == Kind::kWrite ? Errc::kIndeterminate : Errc::kCancelled);
  }
  if (!link_up(epoch_)) co_return co_await lost(kind);
  world_.event("rsp", link_.id, tag, r ? 0 : r.error().value());
  co_return r;
}

Task<RangeResponse> SimClient::range(RangeRequest req) {
  return call<RangeResponse>(Kind::kRead, kRange,
                             [this, req]() { return store_->range(req); });
}

Task<PutResponse> SimClient::put(PutRequest req) {
  return call<PutResponse>(Kind::kWrite, kPut, [this, req]() { return store_->put(req); });
}

Task<DeleteResponse> SimClient::delete_range(DeleteRequest req) {
  return call<DeleteResponse>(Kind::kWrite, kDelete,
                              [this, req]() { return store_->delete_range(req); });
}

Task<TxnResponse> SimClient::txn(TxnRequest req) {
  return call<TxnResponse>(Kind::kWrite, kTxn, [this, req]() { return store_->txn(req); });
}

Task<CompactResponse> SimClient::compact(CompactRequest req) {
  return call<CompactResponse>(Kind::kWrite, kCompact,
                               [this, req]() { return store_->compact(req); });
}

Task<LeaseGrantResponse> SimClient::lease_grant(std::int64_t ttl_seconds, LeaseId id) {
  return call<LeaseGrantResponse>(Kind::kWrite, kGrant, [this, ttl_seconds, id]() {
    return store_->lease_grant(ttl_seconds, id);
  });
}

Task<LeaseRevokeResponse> SimClient::lease_revoke(LeaseId id) {
  return call<LeaseRevokeResponse>(Kind::kWrite, kRevoke,
                                   [this, id]() { return store_->lease_revoke(id); });
}

Task<LeaseKeepAliveResponse> SimClient::lease_keep_alive_once(LeaseId id) {
  return call<LeaseKeepAliveResponse>(Kind::kKeepAlive, kKeepAliveOnce,
                                      [this, id]() { return store_->lease_keep_alive_once(id); });
}

Task<LeaseTimeToLiveResponse> SimClient::lease_time_to_live(LeaseId id, bool keys) {
  return call<LeaseTimeToLiveResponse>(Kind::kRead, kTtl, [this, id, keys]() {
    return store_->lease_time_to_live(id, keys);
  });
}

Task<LeaseLeasesResponse> SimClient::lease_leases() {
  return call<LeaseLeasesResponse>(Kind::kRead, kLeases,
                                   [this]() { return store_->lease_leases(); });
}

Task<std::unique_ptr<WatchStream>> SimClient::watch(WatchRequest req) {
  // A named op: g++ 12 destroys lambda temporaries of a co_await twice.
  auto op = [this, req = std::move(req)]() { return store_->watch(req); };
  auto pending = call<std::unique_ptr<WatchStream>>(Kind::kRead, kWatch, std::move(op));
  auto r = co_await std::move(pending);
  if (!r) co_return r.error();
  co_return std::unique_ptr<WatchStream>(
      std::make_unique<SimWatchStream>(world_, link_, std::move(*r)));
}

}  // namespace coord::sim
