// range_select.h: how a range read picks its keys (private).
//
// etcd (etcdserver/apply.go Range) counts every key of the range, drops the
// ones outside the min/max mod/create revision filters, sorts, then keeps
// the first `limit` and sets `more` if it dropped any. RangeSelector does
// the same in one pass over the index, without a full sort when it can:
// key order needs none (the index is in key order), and a small limit on a
// revision or value sort keeps only the best `limit` keys in a heap. Ties
// keep key order, which is what etcd's stable order gives.
// Thread-safety: none; one read at a time.
#pragma once

#include <cstdint>
#include <string_view>
#include <utility>
#include <vector>

#include "api/types.h"
#include "backends/embedded/detail/mvcc.h"

namespace coord::embedded::detail {

class RangeSelector {
 public:
  using Hit = std::pair<std::string_view, const Version*>;

  explicit RangeSelector(const RangeRequest& req);

  // add offers one key of the range, in key order.
  void add(std::string_view key, const Version& v);

  // finish sorts and limits; call once, after the last add.
  void finish();

  std::int64_t count() const { return count_; }  // keys in the range
  bool more() const { return more_; }            // some were dropped by limit
  const std::vector<Hit>& hits() const { return hits_; }

 private:
  enum class Mode { kKeyAscend, kKeyDescend, kTopK, kSortAll };
  bool passes(const Version& v) const;
  // before: a sorts ahead of b (the sort target, then the key).
  bool before(const Hit& a, const Hit& b) const;

  const RangeRequest& req_;
  SortTarget target_;
  bool desc_ = false;
  Mode mode_ = Mode::kSortAll;
  std::int64_t count_ = 0;
  std::int64_t passed_ = 0;
  bool more_ = false;
  std::vector<Hit> hits_;
};

}  // namespace coord::embedded::detail
