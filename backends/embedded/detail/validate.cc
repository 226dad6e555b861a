#include "backends/embedded/detail/validate.h"

#include <set>
#include <string>
#include <vector>

#include "backends/embedded/detail/mvcc.h"

namespace coord::embedded::detail {
namespace {

// kFieldOverhead approximates protobuf framing per field.
constexpr std::size_t kFieldOverhead = 4;

ErrorCode err(Errc e) { return make_error_code(e); }

std::size_t size_of(const RangeRequest& r) {
  return r.key.size() + r.range_end.size() + 8 * kFieldOverhead;
}
std::size_t size_of(const PutRequest& p) {
  return p.key.size() + p.value.size() + 6 * kFieldOverhead;
}
std::size_t size_of(const DeleteRequest& d) {
  return d.key.size() + d.range_end.size() + 3 * kFieldOverhead;
}
std::size_t size_of(const TxnRequest& t);
std::size_t size_of(const Op& op) {
  return std::visit(
      [](const auto& r) -> std::size_t {
        using T = std::decay_t<decltype(r)>;
        if constexpr (std::is_same_v<T, std::shared_ptr<const TxnRequest>>) {
          return r ? size_of(*r) : 0;
        } else {
          return size_of(r);
        }
      },
      op.request);
}
std::size_t size_of(const TxnRequest& t) {
  std::size_t n = 0;
  for (const auto& c : t.compare) {
    n += c.key.size() + c.range_end.size() + c.value_bytes.size() + 5 * kFieldOverhead;
  }
  for (const auto& op : t.success) n += size_of(op) + kFieldOverhead;
  for (const auto& op : t.failure) n += size_of(op) + kFieldOverhead;
  return n;
}

Result<void> check_size(std::size_t n, const Options& o) {
  if (static_cast<std::int64_t>(n) > o.max_request_bytes) return err(Errc::kRequestTooLarge);
  return {};
}

Result<void> check_put_fields(const PutRequest& p) {
  if (p.key.empty()) return err(Errc::kInvalidArgument);
  if (p.ignore_value && !p.value.empty()) return err(Errc::kInvalidArgument);
  if (p.ignore_lease && p.lease != 0) return err(Errc::kInvalidArgument);
  return {};
}

Result<void> check_txn_shape(const TxnRequest& t, std::int64_t max_ops);

Result<void> check_op(const Op& op, std::int64_t max_ops) {
  if (auto* r = std::get_if<RangeRequest>(&op.request)) {
    return r->key.empty() ? Result<void>(err(Errc::kInvalidArgument)) : Result<void>{};
  }
  if (auto* p = std::get_if<PutRequest>(&op.request)) return check_put_fields(*p);
  if (auto* d = std::get_if<DeleteRequest>(&op.request)) {
    return d->key.empty() ? Result<void>(err(Errc::kInvalidArgument)) : Result<void>{};
  }
  const auto& t = std::get<3>(op.request);
  if (!t) return err(Errc::kInvalidArgument);
  return check_txn_shape(*t, max_ops);
}

Result<void> check_txn_shape(const TxnRequest& t, std::int64_t max_ops) {
  const auto opc = static_cast<std::int64_t>(
      std::max({t.compare.size(), t.success.size(), t.failure.size()}));
  if (opc > max_ops) return err(Errc::kTooManyOps);
  for (const auto& c : t.compare) {
    if (c.key.empty()) return err(Errc::kInvalidArgument);
  }
  // etcd passes the remaining budget to nested txns.
  for (const auto& op : t.success) {
    if (auto r = check_op(op, max_ops - opc); !r) return r;
  }
  for (const auto& op : t.failure) {
    if (auto r = check_op(op, max_ops - opc); !r) return r;
  }
  return {};
}

struct Interval {
  std::string key, end;
};
using Puts = std::set<std::string>;
using Dels = std::vector<Interval>;

bool intersects(const Dels& dels, const std::string& k) {
  for (const auto& d : dels) {
    if (KeyRange{d.key, d.end}.contains(k)) return true;
  }
  return false;
}

// check_intervals is etcd's rule: within a branch (and the branches nested
// in it) no key is put twice nor put inside a deleted range; the two
// branches of one nested txn may put the same key.
Result<void> check_intervals(const std::vector<Op>& ops, Puts& puts, Dels& dels) {
  for (const auto& op : ops) {
    if (auto* d = std::get_if<DeleteRequest>(&op.request)) dels.push_back({d->key, d->range_end});
  }
  for (const auto& op : ops) {
    const auto* t = std::get_if<3>(&op.request);
    if (!t || !*t) continue;
    Puts puts_then, puts_else;
    Dels dels_then, dels_else;
    if (auto r = check_intervals((*t)->success, puts_then, dels_then); !r) return r;
    if (auto r = check_intervals((*t)->failure, puts_else, dels_else); !r) return r;
    for (const auto& k : puts_then) {
      if (puts.count(k) || intersects(dels, k)) return err(Errc::kDuplicateKey);
      puts.insert(k);
    }
    for (const auto& k : puts_else) {
      if (puts.count(k) && !puts_then.count(k)) return err(Errc::kDuplicateKey);
      if (intersects(dels, k)) return err(Errc::kDuplicateKey);
      puts.insert(k);
    }
    dels.insert(dels.end(), dels_then.begin(), dels_then.end());
    dels.insert(dels.end(), dels_else.begin(), dels_else.end());
  }
  for (const auto& op : ops) {
    const auto* p = std::get_if<PutRequest>(&op.request);
    if (!p) continue;
    if (puts.count(p->key) || intersects(dels, p->key)) return err(Errc::kDuplicateKey);
    puts.insert(p->key);
  }
  return {};
}

}  // namespace

Result<void> validate_range(const RangeRequest& r) {
  if (r.key.empty()) return err(Errc::kInvalidArgument);
  return {};
}

Result<void> validate_put(const PutRequest& p, const Options& o) {
  if (auto r = check_put_fields(p); !r) return r;
  return check_size(size_of(p), o);
}

Result<void> validate_delete(const DeleteRequest& d, const Options& o) {
  if (d.key.empty()) return err(Errc::kInvalidArgument);
  return check_size(size_of(d), o);
}

Result<void> validate_txn(const TxnRequest& t, const Options& o) {
  if (auto r = check_txn_shape(t, o.max_txn_ops); !r) return r;
  for (const auto* branch : {&t.success, &t.failure}) {
    Puts puts;
    Dels dels;
    if (auto r = check_intervals(*branch, puts, dels); !r) return r;
  }
  return check_size(size_of(t), o);
}

Result<void> validate_watch(const WatchRequest& w) {
  if (w.key.empty()) return err(Errc::kInvalidArgument);
  return {};
}

bool txn_has_writes(const TxnRequest& t) {
  for (const auto* branch : {&t.success, &t.failure}) {
    for (const auto& op : *branch) {
      if (std::holds_alternative<PutRequest>(op.request) ||
          std::holds_alternative<DeleteRequest>(op.request)) {
        return true;
      }
      const auto* n = std::get_if<3>(&op.request);
      if (n && *n && txn_has_writes(**n)) return true;
    }
  }
  return false;
}

}  // namespace coord::embedded::detail
