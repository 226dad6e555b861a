#include <algorithm>

#include "backends/embedded/detail/lease_timer.h"
#include "backends/embedded/detail/store_impl.h"

namespace coord::embedded::detail {

void StoreImpl::revoke_locked(LeaseId id) {
  Lease* l = leases_.find(id);
  if (!l) return;
  const std::vector<std::string> keys(l->keys.begin(), l->keys.end());
  begin_write_locked();
  for (const auto& k : keys) {
    auto prev = index_.erase(k);
    if (prev) staged_prev_.push_back(std::move(prev));
  }
  leases_.remove(id);
  Batch extra;
  if (storage_) extra.erase_lease(id);
  finish_write_locked(std::move(extra));
}

void StoreImpl::expire_locked(TimePoint now) {
  bool any = false;
  while (const LeaseId id = leases_.first_due(now)) {
    revoke_locked(id);
    any = true;
  }
  if (any) arm_timer_locked();
}

void StoreImpl::expire_due_leases() {
  std::lock_guard lock(mu_);
  if (closed_ || failure_) return;
  expire_locked(clock_->now());
}

void StoreImpl::on_timer(TimePoint t) {
  std::lock_guard lock(mu_);
  if (armed_ && *armed_ == t) armed_.reset();
  if (closed_ || failure_) return;
  expire_locked(clock_->now());
  arm_timer_locked();
}

void StoreImpl::arm_timer_locked() {
  const auto next = leases_.next_expiry();
  if (!next || !timer_) return;
  if (armed_ && *armed_ <= *next) return;
  armed_ = next;
  timer_->arm(*next);
}

Result<LeaseGrantResponse> StoreImpl::lease_grant(std::int64_t ttl, LeaseId id,
                                                  std::uint64_t& seq) {
  if (ttl > kMaxLeaseTtl) return make_error_code(Errc::kLeaseTtlTooLarge);
  std::unique_lock lock(mu_);
  if (auto ok = begin_op(lock); !ok) return ok.error();
  if (id == 0) {
    id = leases_.next_id();
  } else if (leases_.find(id)) {
    return make_error_code(Errc::kInvalidArgument);  // etcd: lease already exists
  }
  ttl = std::max(ttl, kMinLeaseTtl);
  leases_.add(id, ttl, clock_->now());
  Batch b;
  if (storage_) {
    b.put_lease(id, ttl);
    b.put_meta("lease_seq", leases_.seq());
  }
  persist_locked(b);
  if (failure_) return make_error_code(Errc::kIndeterminate);
  arm_timer_locked();
  LeaseGrantResponse out;
  out.header.revision = index_.revision();
  out.id = id;
  out.ttl = ttl;
  seq = write_seq_;
  return out;
}

Result<LeaseRevokeResponse> StoreImpl::lease_revoke(LeaseId id, std::uint64_t& seq) {
  std::unique_lock lock(mu_);
  if (auto ok = begin_op(lock); !ok) return ok.error();
  if (!leases_.find(id)) return make_error_code(Errc::kLeaseNotFound);
  revoke_locked(id);
  if (failure_) return make_error_code(Errc::kIndeterminate);
  LeaseRevokeResponse out;
  out.header.revision = index_.revision();
  seq = write_seq_;
  return out;
}

Result<LeaseKeepAliveResponse> StoreImpl::lease_keep_alive(LeaseId id, std::uint64_t& seq) {
  std::unique_lock lock(mu_);
  if (auto ok = begin_op(lock); !ok) return ok.error();
  Lease* l = leases_.find(id);
  if (!l) return make_error_code(Errc::kLeaseNotFound);
  leases_.renew(id, clock_->now());
  LeaseKeepAliveResponse out;
  out.header.revision = index_.revision();
  out.id = id;
  out.ttl = l->ttl;
  seq = write_seq_;
  return out;
}

Result<LeaseTimeToLiveResponse> StoreImpl::lease_time_to_live(LeaseId id, bool keys,
                                                              std::uint64_t& seq) {
  std::unique_lock lock(mu_);
  if (auto ok = begin_op(lock); !ok) return ok.error();
  LeaseTimeToLiveResponse out;
  out.header.revision = index_.revision();
  out.id = id;
  seq = write_seq_;
  Lease* l = leases_.find(id);
  if (!l) return out;  // ttl -1: gone, not an error
  // etcd truncates the remaining time to whole seconds.
  out.ttl = std::chrono::duration_cast<std::chrono::seconds>(l->expiry - clock_->now()).count();
  out.granted_ttl = l->ttl;
  if (keys) out.keys.assign(l->keys.begin(), l->keys.end());
  return out;
}

Result<LeaseLeasesResponse> StoreImpl::lease_leases(std::uint64_t& seq) {
  std::unique_lock lock(mu_);
  if (auto ok = begin_op(lock); !ok) return ok.error();
  LeaseLeasesResponse out;
  out.header.revision = index_.revision();
  out.leases = leases_.ids();
  seq = write_seq_;
  return out;
}

}  // namespace coord::embedded::detail
