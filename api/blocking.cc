#include "api/blocking.h"

#include <cassert>

namespace coord::blocking {

Runtime::Runtime(int threads) : work_(boost::asio::make_work_guard(io_)) {
  if (threads < 1) threads = 1;
  for (int i = 0; i < threads; ++i) threads_.emplace_back([this] { io_.run(); });
}

Runtime::~Runtime() {
  work_.reset();
  io_.stop();
  for (auto& t : threads_) t.join();
}

Client::Client(std::shared_ptr<coord::Client> kv, std::shared_ptr<Runtime> runtime)
    : kv_(std::move(kv)),
      runtime_(runtime ? std::move(runtime) : std::make_shared<Runtime>()) {
  assert(kv_ && "blocking::Client needs a backend");
}

Result<RangeResponse> Client::range(RangeRequest req, const CallOptions& opts) {
  return run(kv_->range(std::move(req)), opts);
}
Result<std::optional<KeyValue>> Client::get(std::string key, const CallOptions& opts) {
  return run(kv_->get(std::move(key)), opts);
}
Result<PutResponse> Client::put(std::string key, std::string value, const CallOptions& opts) {
  return run(kv_->put(std::move(key), std::move(value)), opts);
}
Result<PutResponse> Client::put(PutRequest req, const CallOptions& opts) {
  return run(kv_->put(std::move(req)), opts);
}
Result<DeleteResponse> Client::del(std::string key, const CallOptions& opts) {
  return run(kv_->del(std::move(key)), opts);
}
Result<DeleteResponse> Client::delete_range(DeleteRequest req, const CallOptions& opts) {
  return run(kv_->delete_range(std::move(req)), opts);
}
Result<TxnResponse> Client::txn(TxnRequest req, const CallOptions& opts) {
  return run(kv_->txn(std::move(req)), opts);
}
Result<CompactResponse> Client::compact(CompactRequest req, const CallOptions& opts) {
  return run(kv_->compact(req), opts);
}
Result<LeaseGrantResponse> Client::lease_grant(std::int64_t ttl, const CallOptions& opts) {
  return run(kv_->lease_grant(ttl), opts);
}
Result<LeaseRevokeResponse> Client::lease_revoke(LeaseId id, const CallOptions& opts) {
  return run(kv_->lease_revoke(id), opts);
}
Result<LeaseTimeToLiveResponse> Client::lease_time_to_live(LeaseId id, const CallOptions& opts) {
  return run(kv_->lease_time_to_live(id), opts);
}

}  // namespace coord::blocking
