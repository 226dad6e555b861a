#include "recipes/barrier.h"

#include "recipes/detail/keys.h"
#include "recipes/detail/wait.h"

namespace coord {

Barrier::Barrier(Client& client, std::string key) : client_(client), key_(std::move(key)) {}

Task<void> Barrier::hold() {
  auto r = co_await detail::put_new_kv(client_, key_, "");
  if (!r) co_return r.error();
  co_return Result<void>{};
}

Task<void> Barrier::release() {
  auto r = co_await client_.del(key_);
  if (!r) co_return r.error();
  co_return Result<void>{};
}

Task<void> Barrier::wait() {
  auto now = co_await client_.range(RangeRequest::single(key_));
  if (!now) co_return now.error();
  if (now->kvs.empty()) co_return Result<void>{};
  const KeyValue& kv = now->kvs.front();
  auto d = co_await detail::wait_delete(client_, key_, kv.create_revision,
                                        now->header.revision + 1);
  if (!d) co_return d.error();
  co_return Result<void>{};
}

}  // namespace coord
