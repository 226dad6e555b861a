// sim_client.h: SimClient, one simulated node's coord::Client.
//
// A SimClient forwards every call to the world's embedded store through the
// simulated network: a request leg and a response leg, each delayed by a
// latency drawn from the seed, each lost with the configured probability or
// whenever the node is partitioned from the store. A client waits
// NetConfig::request_timeout for a lost message, then reports what a real
// client would: kUnavailable for reads, kIndeterminate for writes (the write
// may have applied). A crashed node's client fails every call at once with
// kUnavailable. Watches are forwarded response by response, each delayed
// from the time the store emitted it, in order (sim/sim_watch_stream.h); a
// partition or crash breaks them with kUnavailable. Keep-alives use the
// default polling stream on the node's (pausable) clock, so a paused clock
// or a starvation fault lets the lease expire on the store.
// Thread-safety: none; the world's thread only.
#pragma once

#include <memory>
#include <string>

#include "api/client.h"
#include "sim/network.h"

namespace coord::sim {

class World;

class SimClient final : public Client {
 public:
  // SimClient is incarnation link.epoch of node link.id. REQUIRES: world
  // and link outlive the client.
  SimClient(World& world, NodeLink& link);

  std::string name() const override;
  Clock& clock() override { return link_.clock; }

  // ops returns the calls this client sent (for throughput figures).
  std::uint64_t ops() const { return ops_; }

  Task<RangeResponse> range(RangeRequest req) override;
  Task<PutResponse> put(PutRequest req) override;
  Task<DeleteResponse> delete_range(DeleteRequest req) override;
  Task<TxnResponse> txn(TxnRequest req) override;
  Task<CompactResponse> compact(CompactRequest req) override;
  Task<LeaseGrantResponse> lease_grant(std::int64_t ttl_seconds, LeaseId id = 0) override;
  Task<LeaseRevokeResponse> lease_revoke(LeaseId id) override;
  Task<LeaseKeepAliveResponse> lease_keep_alive_once(LeaseId id) override;
  Task<LeaseTimeToLiveResponse> lease_time_to_live(LeaseId id, bool keys = false) override;
  Task<LeaseLeasesResponse> lease_leases() override;
  Task<std::unique_ptr<WatchStream>> watch(WatchRequest req) override;

  using Client::put;

  // Kind says how a lost message is reported.
  enum class Kind { kRead, kWrite, kKeepAlive };

 private:
  // call runs one request/response exchange around op (a store call).
  template <typename T, typename Op>
  Task<T> call(Kind kind, int tag, Op op);
  // lost waits out the request timeout and reports a lost message.
  boost::asio::awaitable<ErrorCode> lost(Kind kind);
  // delay sleeps d on the world clock; false when cancelled.
  boost::asio::awaitable<bool> delay(Duration d);
  bool link_up(std::uint64_t epoch) const;

  World& world_;
  NodeLink& link_;
  const std::uint64_t epoch_;
  std::shared_ptr<Client> store_;
  std::uint64_t ops_ = 0;
};

}  // namespace coord::sim
