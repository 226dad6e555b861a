#include "backends/embedded/detail/range_select.h"

#include <algorithm>

namespace coord::embedded::detail {
namespace {

// kHeapLimit: up to this limit, a sorted read keeps a heap of the best keys
// instead of sorting them all.
constexpr std::int64_t kHeapLimit = 1024;

std::int64_t sort_field(const Version& v, SortTarget t) {
  switch (t) {
    case SortTarget::kVersion: return v.version;
    case SortTarget::kCreate: return v.create;
    case SortTarget::kMod: return v.rev;
    default: return 0;
  }
}

}  // namespace

RangeSelector::RangeSelector(const RangeRequest& req) : req_(req), target_(req.sort_target) {
  SortOrder order = req.sort_order;
  // A sort target other than the key with no order sorts ascending (etcd).
  if (target_ != SortTarget::kKey && order == SortOrder::kNone) order = SortOrder::kAscend;
  desc_ = order == SortOrder::kDescend;
  if (target_ == SortTarget::kKey || order == SortOrder::kNone) {
    mode_ = desc_ ? Mode::kKeyDescend : Mode::kKeyAscend;
  } else if (req.limit > 0 && req.limit <= kHeapLimit) {
    mode_ = Mode::kTopK;
    hits_.reserve(static_cast<std::size_t>(req.limit));
  }
}

bool RangeSelector::passes(const Version& v) const {
  return !((req_.max_mod_revision != 0 && v.rev > req_.max_mod_revision) ||
           (req_.min_mod_revision != 0 && v.rev < req_.min_mod_revision) ||
           (req_.max_create_revision != 0 && v.create > req_.max_create_revision) ||
           (req_.min_create_revision != 0 && v.create < req_.min_create_revision));
}

bool RangeSelector::before(const Hit& a, const Hit& b) const {
  if (target_ == SortTarget::kCreate) {
    if (a.second->create != b.second->create) {
      return desc_ ? a.second->create > b.second->create : a.second->create < b.second->create;
    }
  } else if (target_ == SortTarget::kMod) {
    // Mod revisions tie only inside one txn; (rev, sub) never ties, but
    // etcd orders by rev alone and then keeps key order.
    if (a.second->rev != b.second->rev) {
      return desc_ ? a.second->rev > b.second->rev : a.second->rev < b.second->rev;
    }
  } else if (target_ == SortTarget::kValue) {
    const int c = a.second->value.compare(b.second->value);
    if (c != 0) return desc_ ? c > 0 : c < 0;
  } else {
    const std::int64_t fa = sort_field(*a.second, target_), fb = sort_field(*b.second, target_);
    if (fa != fb) return desc_ ? fa > fb : fa < fb;
  }
  return a.first < b.first;
}

void RangeSelector::add(std::string_view key, const Version& v) {
  ++count_;
  if (req_.count_only || !passes(v)) return;
  ++passed_;
  const Hit hit{key, &v};
  const auto limit = static_cast<std::size_t>(req_.limit);
  if (mode_ == Mode::kKeyAscend) {
    if (req_.limit <= 0 || hits_.size() < limit) hits_.push_back(hit);
  } else if (mode_ == Mode::kTopK) {
    // A max-heap under `before`: the worst kept key is on top.
    auto worse = [this](const Hit& a, const Hit& b) { return before(a, b); };
    if (hits_.size() < limit) {
      hits_.push_back(hit);
      std::push_heap(hits_.begin(), hits_.end(), worse);
    } else if (before(hit, hits_.front())) {
      std::pop_heap(hits_.begin(), hits_.end(), worse);
      hits_.back() = hit;
      std::push_heap(hits_.begin(), hits_.end(), worse);
    }
  } else {
    hits_.push_back(hit);
  }
}

void RangeSelector::finish() {
  auto order = [this](const Hit& a, const Hit& b) { return before(a, b); };
  if (mode_ == Mode::kTopK) {
    std::sort_heap(hits_.begin(), hits_.end(), order);
  } else if (mode_ == Mode::kKeyDescend) {
    std::reverse(hits_.begin(), hits_.end());
  } else if (mode_ == Mode::kSortAll) {
    std::sort(hits_.begin(), hits_.end(), order);
  }
  more_ = req_.limit > 0 && passed_ > req_.limit;
  if (more_) hits_.resize(static_cast<std::size_t>(req_.limit));
}

}  // namespace coord::embedded::detail
