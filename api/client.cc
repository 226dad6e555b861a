#include "api/client.h"

namespace coord {

Task<std::unique_ptr<KeepAliveStream>> Client::lease_keep_alive(LeaseId id) {
  co_return make_polling_keep_alive(*this, id);
}

Task<std::optional<KeyValue>> Client::get(std::string key, Revision rev) {
  RangeRequest req = RangeRequest::single(std::move(key));
  req.revision = rev;
  auto r = co_await range(std::move(req));
  if (!r) co_return r.error();
  if (r->kvs.empty()) co_return std::optional<KeyValue>{};
  co_return std::optional<KeyValue>{std::move(r->kvs.front())};
}

Task<PutResponse> Client::put(std::string key, std::string value, LeaseId lease) {
  PutRequest req;
  req.key = std::move(key);
  req.value = std::move(value);
  req.lease = lease;
  return put(std::move(req));
}

Task<DeleteResponse> Client::del(std::string key) {
  return delete_range(DeleteRequest::single(std::move(key)));
}

}  // namespace coord
