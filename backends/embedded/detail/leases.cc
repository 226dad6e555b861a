#include "backends/embedded/detail/leases.h"

#include <chrono>

namespace coord::embedded::detail {

Lease* LeaseTable::find(LeaseId id) {
  auto it = leases_.find(id);
  return it == leases_.end() ? nullptr : &it->second;
}

Lease& LeaseTable::add(LeaseId id, std::int64_t ttl, TimePoint now) {
  Lease& l = leases_[id];
  l.id = id;
  l.ttl = ttl;
  l.expiry = now + std::chrono::seconds(ttl);
  by_expiry_.emplace(l.expiry, id);
  return l;
}

void LeaseTable::renew(LeaseId id, TimePoint now) {
  Lease& l = leases_.at(id);
  by_expiry_.erase({l.expiry, id});
  l.expiry = now + std::chrono::seconds(l.ttl);
  by_expiry_.emplace(l.expiry, id);
}

void LeaseTable::remove(LeaseId id) {
  auto it = leases_.find(id);
  if (it == leases_.end()) return;
  by_expiry_.erase({it->second.expiry, id});
  leases_.erase(it);
}

void LeaseTable::attach(LeaseId id, const std::string& key) {
  if (Lease* l = find(id)) l->keys.insert(key);
}

void LeaseTable::detach(LeaseId id, const std::string& key) {
  if (Lease* l = find(id)) l->keys.erase(key);
}

std::optional<TimePoint> LeaseTable::next_expiry() const {
  if (by_expiry_.empty()) return std::nullopt;
  return by_expiry_.begin()->first;
}

LeaseId LeaseTable::first_due(TimePoint now) const {
  if (by_expiry_.empty() || by_expiry_.begin()->first > now) return 0;
  return by_expiry_.begin()->second;
}

std::vector<LeaseId> LeaseTable::ids() const {
  std::vector<LeaseId> out;
  out.reserve(leases_.size());
  for (const auto& [id, l] : leases_) out.push_back(id);
  return out;
}

LeaseId LeaseTable::next_id() {
  for (;;) {
    // splitmix64 of the counter: ids look random but replay exactly.
    std::uint64_t z = static_cast<std::uint64_t>(++seq_) * 0x9e3779b97f4a7c15ULL;
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
    z ^= z >> 31;
    const auto id = static_cast<LeaseId>(z & 0x7fffffffffffffffULL);
    if (id != 0 && !find(id)) return id;
  }
}

}  // namespace coord::embedded::detail
