#include "recipes/detail/lock_wait.h"

#include "recipes/detail/wait.h"

namespace coord::detail {

Task<QueueSlot> enqueue_lease_key(Session& session, std::string key, std::string value,
                                  RangeRequest probe) {
  TxnRequest t;
  t.compare.push_back(Compare::create_revision(key) == std::int64_t{0});
  t.success.push_back(Op::put(key, std::move(value), session.lease()));
  t.success.push_back(Op::range(probe));
  t.failure.push_back(Op::get(key));
  t.failure.push_back(Op::range(std::move(probe)));
  auto r = co_await session.client().txn(std::move(t));
  if (!r) {
    if (is_errc(r.error(), Errc::kLeaseNotFound)) {
      co_return make_error_code(Errc::kSessionExpired);
    }
    co_return r.error();
  }
  QueueSlot slot;
  slot.key = std::move(key);
  slot.created = r->succeeded;
  slot.header = r->header;
  if (r->succeeded) {
    slot.create_revision = r->header.revision;
  } else {
    const auto& kvs = r->responses.at(0).range().kvs;
    if (kvs.empty()) co_return make_error_code(Errc::kInternal);
    slot.create_revision = kvs.front().create_revision;
    slot.existing_value = kvs.front().value;
  }
  slot.probe = r->responses.at(1).range();
  co_return slot;
}

Task<void> abandon_lease_key(Session& session, std::string key) {
  TxnRequest t;
  t.compare.push_back(Compare::lease(key) == session.lease());
  t.success.push_back(Op::del(key));
  auto r = co_await session.client().txn(std::move(t));
  if (!r) co_return r.error();
  co_return Result<void>{};
}

Task<RangeResponse> keys_before(Client& client, std::string prefix, Revision rev) {
  auto req = RangeRequest::prefix(std::move(prefix));
  req.keys_only = true;
  req.max_create_revision = rev - 1;
  // max_create_revision 0 means "no filter": nothing precedes revision 1.
  if (req.max_create_revision <= 0) req.count_only = true;
  auto r = co_await client.range(std::move(req));
  if (r && rev <= 1) r->kvs.clear();
  co_return r;
}

Task<Header> confirm_own_key(Client& client, std::string key, Revision rev) {
  auto r = co_await client.range(RangeRequest::single(std::move(key)));
  if (!r) co_return r.error();
  if (r->kvs.empty() || r->kvs.front().create_revision != rev) {
    co_return make_error_code(Errc::kSessionExpired);
  }
  co_return r->header;
}

Task<void> wait_key_lost(Session& session, std::string key, Revision rev) {
  if (session.is_done()) co_return Result<void>();
  auto got = co_await session.client().range(RangeRequest::single(key));
  if (!got) co_return got.error();
  if (got->kvs.empty() || got->kvs.front().create_revision != rev) co_return Result<void>();
  auto gone = co_await wait_delete(session.client(), std::move(key), rev,
                                   got->header.revision + 1, &session);
  if (gone || is_errc(gone.error(), Errc::kSessionExpired)) co_return Result<void>();
  co_return gone.error();
}

Compare owner_compare(const std::string& key, Revision rev) {
  return Compare::create_revision(key) == (rev > 0 ? rev : -1);
}

Task<TxnResponse> guarded_txn(Client& client, Compare owner, TxnRequest req) {
  const bool flat = req.compare.empty() && req.failure.empty();
  TxnRequest outer;
  outer.compare.push_back(std::move(owner));
  if (flat) {
    outer.success = std::move(req.success);
  } else {
    outer.success.push_back(Op::txn(std::move(req)));
  }
  auto r = co_await client.txn(std::move(outer));
  if (!r) co_return r.error();
  if (!r->succeeded) co_return make_error_code(Errc::kNotLocked);
  if (flat) co_return std::move(*r);
  TxnResponse inner = r->responses.at(0).txn();
  inner.header = r->header;
  co_return inner;
}

}  // namespace coord::detail
