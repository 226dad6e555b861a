#include "sim/sim_client.h"

#include <boost/asio/this_coro.hpp>

#include "sim/sim_watch_stream.h"
#include "sim/world.h"

namespace coord::sim {
namespace asio = boost::asio;

namespace {

enum Tag : int {
  kRange = 1, kPut, kDelete, kTxn, kCompact, kGrant, kRevoke, kKeepAliveOnce, kTtl,
  kLeases, kWatch
};

ErrorCode err(Errc e) { return make_error_code(e); }

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

// The ops below run once each, so they move their request into the store.
Task<RangeResponse> SimClient::range(RangeRequest req) {
  auto op = [this, req = std::move(req)]() mutable { return store_->range(std::move(req)); };
  return call<RangeResponse>(Kind::kRead, kRange, std::move(op));
}

Task<PutResponse> SimClient::put(PutRequest req) {
  auto op = [this, req = std::move(req)]() mutable { return store_->put(std::move(req)); };
  return call<PutResponse>(Kind::kWrite, kPut, std::move(op));
}

Task<DeleteResponse> SimClient::delete_range(DeleteRequest req) {
  auto op = [this, req = std::move(req)]() mutable {
    return store_->delete_range(std::move(req));
  };
  return call<DeleteResponse>(Kind::kWrite, kDelete, std::move(op));
}

Task<TxnResponse> SimClient::txn(TxnRequest req) {
  auto op = [this, req = std::move(req)]() mutable { return store_->txn(std::move(req)); };
  return call<TxnResponse>(Kind::kWrite, kTxn, std::move(op));
}

Task<CompactResponse> SimClient::compact(CompactRequest req) {
  auto op = [this, req = std::move(req)]() mutable { return store_->compact(std::move(req)); };
  return call<CompactResponse>(Kind::kWrite, kCompact, std::move(op));
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
  auto op = [this, req = std::move(req)]() mutable { return store_->watch(std::move(req)); };
  auto pending = call<std::unique_ptr<WatchStream>>(Kind::kRead, kWatch, std::move(op));
  auto r = co_await std::move(pending);
  if (!r) co_return r.error();
  co_return make_sim_watch_stream(world_, link_, std::move(*r));
}

}  // namespace coord::sim
