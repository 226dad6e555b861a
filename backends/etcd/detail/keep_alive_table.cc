#include "backends/etcd/detail/keep_alive_table.h"

namespace coord::etcd::detail {

void KeepAliveTable::add(WaiterId w, LeaseId id) { lease_of_[w] = id; }

std::optional<KeepAliveTable::WaiterId> KeepAliveTable::on_response(LeaseId id) {
  for (auto it = lease_of_.begin(); it != lease_of_.end(); ++it) {
    if (it->second != id) continue;
    const WaiterId w = it->first;
    lease_of_.erase(it);
    return w;
  }
  return std::nullopt;
}

void KeepAliveTable::remove(WaiterId w) { lease_of_.erase(w); }

std::vector<KeepAliveTable::WaiterId> KeepAliveTable::on_closed() {
  std::vector<WaiterId> out;
  out.reserve(lease_of_.size());
  for (const auto& [w, id] : lease_of_) out.push_back(w);
  lease_of_.clear();
  return out;
}

}  // namespace coord::etcd::detail
