// etcd_client.cc: EtcdClient, coord::Client over the shared Core, and
// connect().
#include "backends/etcd/etcd_client.h"

#include "backends/etcd/detail/convert.h"
#include "backends/etcd/detail/core.h"
#include "backends/etcd/detail/dial.h"
#include "backends/etcd/detail/lease_mux.h"
#include "backends/etcd/detail/watch_mux.h"

namespace coord::etcd {
namespace {

using detail::CallKind;
using detail::Endpoint;
using Cb = std::function<void(grpc::Status)>;
namespace pb = ::etcdserverpb;

class EtcdClient final : public Client {
 public:
  explicit EtcdClient(std::shared_ptr<detail::Core> core)
      : core_(std::move(core)),
        watches_(std::make_shared<detail::WatchMux>(core_)),
        leases_(std::make_shared<detail::LeaseMux>(core_)) {}

  ~EtcdClient() override {
    watches_->close();
    leases_->close();
  }

  std::string name() const override {
    std::string n = "etcd://";
    for (std::size_t i = 0; i < core_->size(); ++i) {
      if (i > 0) n += ",";
      n += core_->endpoint(i).target;
    }
    return n;
  }

  Clock& clock() override { return core_->clock(); }

  Task<RangeResponse> range(RangeRequest req) override {
    pb::RangeRequest q;
    detail::to_pb(req, &q);
    auto r = co_await core_->unary<pb::RangeResponse>(
        CallKind::kRead, std::move(q),
        [](Endpoint& e, grpc::ClientContext* c, const pb::RangeRequest* q, pb::RangeResponse* r,
           Cb f) { e.kv->async()->Range(c, q, r, std::move(f)); });
    if (!r) co_return r.error();
    co_return detail::from_pb(std::move(*r));
  }

  Task<PutResponse> put(PutRequest req) override {
    pb::PutRequest q;
    detail::to_pb(req, &q);
    auto r = co_await core_->unary<pb::PutResponse>(
        CallKind::kWrite, std::move(q),
        [](Endpoint& e, grpc::ClientContext* c, const pb::PutRequest* q, pb::PutResponse* r,
           Cb f) { e.kv->async()->Put(c, q, r, std::move(f)); });
    if (!r) co_return r.error();
    co_return detail::from_pb(std::move(*r));
  }

  Task<DeleteResponse> delete_range(DeleteRequest req) override {
    pb::DeleteRangeRequest q;
    detail::to_pb(req, &q);
    auto r = co_await core_->unary<pb::DeleteRangeResponse>(
        CallKind::kWrite, std::move(q),
        [](Endpoint& e, grpc::ClientContext* c, const pb::DeleteRangeRequest* q,
           pb::DeleteRangeResponse* r, Cb f) { e.kv->async()->DeleteRange(c, q, r, std::move(f)); });
    if (!r) co_return r.error();
    co_return detail::from_pb(std::move(*r));
  }

  Task<TxnResponse> txn(TxnRequest req) override {
    pb::TxnRequest q;
    detail::to_pb(req, &q);
    const CallKind kind = is_read_only(req) ? CallKind::kRead : CallKind::kWrite;
    auto r = co_await core_->unary<pb::TxnResponse>(
        kind, std::move(q),
        [](Endpoint& e, grpc::ClientContext* c, const pb::TxnRequest* q, pb::TxnResponse* r,
           Cb f) { e.kv->async()->Txn(c, q, r, std::move(f)); });
    if (!r) co_return r.error();
    co_return detail::from_pb(std::move(*r));
  }

  Task<CompactResponse> compact(CompactRequest req) override {
    pb::CompactionRequest q;
    q.set_revision(req.revision);
    q.set_physical(req.physical);
    auto r = co_await core_->unary<pb::CompactionResponse>(
        CallKind::kWrite, std::move(q),
        [](Endpoint& e, grpc::ClientContext* c, const pb::CompactionRequest* q,
           pb::CompactionResponse* r, Cb f) { e.kv->async()->Compact(c, q, r, std::move(f)); });
    if (!r) co_return r.error();
    co_return CompactResponse{detail::from_pb(r->header())};
  }

  Task<LeaseGrantResponse> lease_grant(std::int64_t ttl_seconds, LeaseId id) override {
    pb::LeaseGrantRequest q;
    q.set_ttl(ttl_seconds);
    q.set_id(id);
    auto r = co_await core_->unary<pb::LeaseGrantResponse>(
        CallKind::kWrite, std::move(q),
        [](Endpoint& e, grpc::ClientContext* c, const pb::LeaseGrantRequest* q,
           pb::LeaseGrantResponse* r, Cb f) { e.lease->async()->LeaseGrant(c, q, r, std::move(f)); });
    if (!r) co_return r.error();
    if (!r->error().empty()) co_return make_error_code(Errc::kInvalidArgument);
    co_return LeaseGrantResponse{detail::from_pb(r->header()), r->id(), r->ttl()};
  }

  Task<LeaseRevokeResponse> lease_revoke(LeaseId id) override {
    pb::LeaseRevokeRequest q;
    q.set_id(id);
    auto r = co_await core_->unary<pb::LeaseRevokeResponse>(
        CallKind::kWrite, std::move(q),
        [](Endpoint& e, grpc::ClientContext* c, const pb::LeaseRevokeRequest* q,
           pb::LeaseRevokeResponse* r,
           Cb f) { e.lease->async()->LeaseRevoke(c, q, r, std::move(f)); });
    if (!r) co_return r.error();
    co_return LeaseRevokeResponse{detail::from_pb(r->header())};
  }

  Task<LeaseKeepAliveResponse> lease_keep_alive_once(LeaseId id) override {
    return leases_->keep_alive_once(id);
  }

  Task<LeaseTimeToLiveResponse> lease_time_to_live(LeaseId id, bool keys) override {
    pb::LeaseTimeToLiveRequest q;
    q.set_id(id);
    q.set_keys(keys);
    auto r = co_await core_->unary<pb::LeaseTimeToLiveResponse>(
        CallKind::kRead, std::move(q),
        [](Endpoint& e, grpc::ClientContext* c, const pb::LeaseTimeToLiveRequest* q,
           pb::LeaseTimeToLiveResponse* r,
           Cb f) { e.lease->async()->LeaseTimeToLive(c, q, r, std::move(f)); });
    if (!r) co_return r.error();
    LeaseTimeToLiveResponse out;
    out.header = detail::from_pb(r->header());
    out.id = r->id();
    out.ttl = r->ttl();
    out.granted_ttl = r->grantedttl();
    for (auto& k : *r->mutable_keys()) out.keys.push_back(std::move(k));
    co_return out;
  }

  Task<LeaseLeasesResponse> lease_leases() override {
    auto r = co_await core_->unary<pb::LeaseLeasesResponse>(
        CallKind::kRead, pb::LeaseLeasesRequest(),
        [](Endpoint& e, grpc::ClientContext* c, const pb::LeaseLeasesRequest* q,
           pb::LeaseLeasesResponse* r,
           Cb f) { e.lease->async()->LeaseLeases(c, q, r, std::move(f)); });
    if (!r) co_return r.error();
    LeaseLeasesResponse out;
    out.header = detail::from_pb(r->header());
    for (const auto& l : r->leases()) out.leases.push_back(l.id());
    co_return out;
  }

  Task<std::unique_ptr<WatchStream>> watch(WatchRequest req) override {
    return watches_->watch(std::move(req));
  }

 private:
  static bool is_read_only(const TxnRequest& t) {
    auto ro = [](const std::vector<Op>& ops) {
      for (const auto& op : ops) {
        if (std::holds_alternative<RangeRequest>(op.request)) continue;
        if (auto* n = std::get_if<std::shared_ptr<const TxnRequest>>(&op.request)) {
          if (*n && is_read_only(**n)) continue;
        }
        return false;
      }
      return true;
    };
    return ro(t.success) && ro(t.failure);
  }

  std::shared_ptr<detail::Core> core_;
  std::shared_ptr<detail::WatchMux> watches_;
  std::shared_ptr<detail::LeaseMux> leases_;
};

}  // namespace

Result<std::shared_ptr<Client>> connect(Options options) {
  auto core = detail::dial(std::move(options));
  if (!core) return core.error();
  return std::shared_ptr<Client>(std::make_shared<EtcdClient>(std::move(*core)));
}

}  // namespace coord::etcd
