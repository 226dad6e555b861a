#include "backends/embedded/detail/store_impl.h"
#include "backends/embedded/detail/validate.h"

namespace coord::embedded::detail {
namespace {

template <typename T>
bool compare_values(const T& lhs, const T& rhs, Compare::Op op) {
  switch (op) {
    case Compare::Op::kEqual: return lhs == rhs;
    case Compare::Op::kNotEqual: return lhs != rhs;
    case Compare::Op::kGreater: return lhs > rhs;
    case Compare::Op::kLess: return lhs < rhs;
  }
  return false;
}

// compare_version checks c against v (nullptr: the zero KeyValue etcd
// compares a missing key as).
bool compare_version(const Compare& c, const Version* v) {
  static const Version kZero;
  const Version& x = v ? *v : kZero;
  switch (c.target) {
    case Compare::Target::kVersion: return compare_values(x.version, c.number, c.op);
    case Compare::Target::kCreate: return compare_values(x.create, c.number, c.op);
    case Compare::Target::kMod: return compare_values(v ? x.rev : 0, c.number, c.op);
    case Compare::Target::kLease: return compare_values(x.lease, c.number, c.op);
    case Compare::Target::kValue: return compare_values(x.value, c.value_bytes, c.op);
  }
  return false;
}

void set_headers(TxnResponse& t, Revision rev) {
  t.header.revision = rev;
  for (auto& r : t.responses) {
    std::visit(
        [rev](auto& x) {
          using T = std::decay_t<decltype(x)>;
          if constexpr (std::is_same_v<T, std::shared_ptr<const TxnResponse>>) {
            set_headers(const_cast<TxnResponse&>(*x), rev);
          } else {
            x.header.revision = rev;
          }
        },
        r.response);
  }
}

}  // namespace

Result<void> StoreImpl::check_put_locked(const PutRequest& req) {
  if ((req.ignore_value || req.ignore_lease) && !index_.get(req.key)) {
    return make_error_code(Errc::kInvalidArgument);
  }
  if (req.lease != 0 && !leases_.find(req.lease)) return make_error_code(Errc::kLeaseNotFound);
  return {};
}

bool StoreImpl::compare_locked(const Compare& c) const {
  bool any = false;
  bool holds = true;
  index_.for_range(KeyRange{c.key, c.range_end}, 0, [&](std::string_view, const Version& v) {
    any = true;
    if (holds && !compare_version(c, &v)) holds = false;
  });
  if (any) return holds;
  // etcd: a value compare on a missing key is false; others see zeroes.
  if (c.target == Compare::Target::kValue) return false;
  return compare_version(c, nullptr);
}

void StoreImpl::txn_path_locked(const TxnRequest& req, std::vector<bool>& path) const {
  bool ok = true;
  for (const auto& c : req.compare) {
    if (!compare_locked(c)) {
      ok = false;
      break;
    }
  }
  path.push_back(ok);
  for (const auto& op : ok ? req.success : req.failure) {
    if (const auto* t = std::get_if<3>(&op.request)) txn_path_locked(**t, path);
  }
}

Result<void> StoreImpl::txn_check_locked(const TxnRequest& req, const std::vector<bool>& path,
                                         std::size_t& pos, bool& writes) {
  const bool ok = path[pos++];
  for (const auto& op : ok ? req.success : req.failure) {
    if (const auto* r = std::get_if<RangeRequest>(&op.request)) {
      if (auto c = check_range_locked(*r); !c) return c;
    } else if (const auto* p = std::get_if<PutRequest>(&op.request)) {
      if (auto c = check_put_locked(*p); !c) return c;
      writes = true;
    } else if (std::holds_alternative<DeleteRequest>(op.request)) {
      writes = true;
    } else {
      const auto& t = std::get<3>(op.request);
      if (auto c = txn_check_locked(*t, path, pos, writes); !c) return c;
    }
  }
  return {};
}

void StoreImpl::txn_apply_locked(const TxnRequest& req, const std::vector<bool>& path,
                                 std::size_t& pos, TxnResponse& out) {
  const bool ok = path[pos++];
  out.succeeded = ok;
  const auto& ops = ok ? req.success : req.failure;
  out.responses.reserve(ops.size());
  for (const auto& op : ops) {
    OpResponse resp;
    if (const auto* r = std::get_if<RangeRequest>(&op.request)) {
      RangeResponse rr;
      (void)read_range_locked(*r, rr);  // checked by txn_check_locked
      resp.response = std::move(rr);
    } else if (const auto* p = std::get_if<PutRequest>(&op.request)) {
      PutResponse pr;
      put_locked(*p, pr);
      resp.response = std::move(pr);
    } else if (const auto* d = std::get_if<DeleteRequest>(&op.request)) {
      DeleteResponse dr;
      delete_locked(*d, dr);
      resp.response = std::move(dr);
    } else {
      auto nested = std::make_shared<TxnResponse>();
      txn_apply_locked(*std::get<3>(op.request), path, pos, *nested);
      resp.response = std::shared_ptr<const TxnResponse>(std::move(nested));
    }
    out.responses.push_back(std::move(resp));
  }
}

Result<TxnResponse> StoreImpl::txn(const TxnRequest& req, std::uint64_t& seq) {
  if (auto v = validate_txn(req, options_); !v) return v.error();
  std::unique_lock lock(mu_);
  if (auto ok = begin_op(lock); !ok) return ok.error();
  // As etcd: every compare (nested ones too) sees the state before the txn.
  std::vector<bool> path;
  txn_path_locked(req, path);
  std::size_t pos = 0;
  bool writes = false;
  if (auto c = txn_check_locked(req, path, pos, writes); !c) return c.error();
  TxnResponse out;
  pos = 0;
  if (writes) {
    begin_write_locked();
    txn_apply_locked(req, path, pos, out);
    finish_write_locked();
    if (failure_) return make_error_code(Errc::kIndeterminate);
  } else {
    txn_apply_locked(req, path, pos, out);
  }
  set_headers(out, index_.revision());
  seq = write_seq_;
  return out;
}

}  // namespace coord::embedded::detail
