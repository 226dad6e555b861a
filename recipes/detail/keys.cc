#include "recipes/detail/keys.h"

#include <atomic>
#include <cassert>
#include <charconv>
#include <cstdio>

namespace coord::detail {
namespace {

// fail_bool builds a failed Result<bool> (an error_code converts to bool,
// which makes the implicit constructor ambiguous).
Result<bool> fail_bool(ErrorCode ec) { return Result<bool>(boost::system::in_place_error, ec); }

}  // namespace

std::string format_lease_hex(LeaseId id) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%llx",
                static_cast<unsigned long long>(static_cast<std::uint64_t>(id)));
  return buf;
}

std::string unique_suffix(Clock& clock) {
  static std::atomic<std::int64_t> last{0};
  const std::int64_t now =
      std::chrono::duration_cast<std::chrono::nanoseconds>(clock.now().time_since_epoch())
          .count();
  std::int64_t prev = last.load();
  std::int64_t next = 0;
  do {
    next = std::max(now, prev + 1);
  } while (!last.compare_exchange_weak(prev, next));
  return std::to_string(next);
}

Task<Revision> put_new_kv(Client& client, std::string key, std::string value, LeaseId lease) {
  TxnRequest t;
  t.compare.push_back(Compare::version(key) == std::int64_t{0});
  t.success.push_back(Op::put(std::move(key), std::move(value), lease));
  auto r = co_await client.txn(std::move(t));
  if (!r) co_return r.error();
  if (!r->succeeded) co_return make_error_code(Errc::kKeyExists);
  co_return r->header.revision;
}

Task<CreatedKey> new_unique_kv(Client& client, const std::string& prefix, std::string value,
                               LeaseId lease) {
  for (;;) {
    std::string key = prefix + "/" + unique_suffix(client.clock());
    auto r = co_await put_new_kv(client, key, value, lease);
    if (r) co_return CreatedKey{std::move(key), *r};
    if (!is_errc(r.error(), Errc::kKeyExists)) co_return r.error();
    // Another process took this nanosecond: unique_suffix moves on.
  }
}

namespace {

// next_sequence parses the last "/"-segment of the last key (+1), or 0.
std::int64_t next_sequence(const std::vector<KeyValue>& kvs) {
  if (kvs.empty()) return 0;
  const std::string& k = kvs.front().key;
  const auto slash = k.rfind('/');
  const char* first = k.data() + (slash == std::string::npos ? 0 : slash + 1);
  std::int64_t n = 0;
  std::from_chars(first, k.data() + k.size(), n);
  return n + 1;
}

std::string sequence_key(const std::string& prefix, std::int64_t n) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%016lld", static_cast<long long>(n));
  return prefix + "/" + buf;
}

}  // namespace

Task<CreatedKey> new_sequential_kv(Client& client, const std::string& prefix,
                                   std::string value) {
  const std::string counter = "__" + prefix;
  auto last = co_await client.range(RangeRequest::last_key(prefix + "/"));
  if (!last) co_return last.error();
  std::int64_t n = next_sequence(last->kvs);
  Revision seen = last->header.revision;
  for (;;) {
    std::string key = sequence_key(prefix, n);
    TxnRequest t;
    // Nobody appended since our read: the counter moves on every append.
    t.compare.push_back(Compare::mod_revision(counter) < seen + 1);
    t.success.push_back(Op::put(counter, ""));
    t.success.push_back(Op::put(key, value));
    t.failure.push_back(Op::range(RangeRequest::last_key(prefix + "/")));
    auto r = co_await client.txn(std::move(t));
    if (!r) co_return r.error();
    if (r->succeeded) co_return CreatedKey{std::move(key), r->header.revision};
    n = next_sequence(r->responses.at(0).range().kvs);
    seen = r->header.revision;
  }
}

Task<bool> delete_rev_key(Client& client, const std::string& key, Revision rev) {
  TxnRequest t;
  t.compare.push_back(Compare::mod_revision(key) == rev);
  t.success.push_back(Op::del(key));
  auto r = co_await client.txn(std::move(t));
  if (!r) co_return fail_bool(r.error());
  co_return r->succeeded;
}

Task<bool> delete_created_key(Client& client, const std::string& key, Revision create_rev) {
  TxnRequest t;
  t.compare.push_back(Compare::create_revision(key) == create_rev);
  t.success.push_back(Op::del(key));
  auto r = co_await client.txn(std::move(t));
  if (!r) co_return fail_bool(r.error());
  co_return r->succeeded;
}

Task<std::optional<std::size_t>> claim_first(Client& client, const std::vector<KeyValue>& kvs) {
  assert(kvs.size() <= kMaxClaimBatch);
  if (kvs.empty()) co_return std::optional<std::size_t>{};
  // Built inside out: level i tries kvs[i], its Else holds level i+1.
  TxnRequest t;
  for (std::size_t i = kvs.size(); i-- > 0;) {
    TxnRequest level;
    level.compare.push_back(Compare::mod_revision(kvs[i].key) == kvs[i].mod_revision);
    level.success.push_back(Op::del(kvs[i].key));
    if (i + 1 < kvs.size()) level.failure.push_back(Op::txn(std::move(t)));
    t = std::move(level);
  }
  auto r = co_await client.txn(std::move(t));
  if (!r) co_return r.error();
  const TxnResponse* level = &*r;
  for (std::size_t i = 0; i < kvs.size(); ++i) {
    if (level->succeeded) co_return std::optional<std::size_t>{i};
    if (level->responses.empty()) break;
    level = &level->responses.front().txn();
  }
  co_return std::optional<std::size_t>{};
}

}  // namespace coord::detail
