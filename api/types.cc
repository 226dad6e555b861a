#include "api/types.h"

#include "api/txn.h"
#include "api/watch.h"

namespace coord {

std::string prefix_end(const std::string& prefix) {
  std::string end = prefix;
  while (!end.empty()) {
    auto& last = reinterpret_cast<unsigned char&>(end.back());
    if (last < 0xff) {
      ++last;
      return end;
    }
    end.pop_back();
  }
  // Every byte was 0xff (or the prefix was empty): to the end of key space.
  return std::string(1, '\0');
}

namespace {

RangeRequest top(std::string p, SortTarget target, SortOrder order) {
  RangeRequest r = RangeRequest::prefix(std::move(p));
  r.sort_target = target;
  r.sort_order = order;
  r.limit = 1;
  return r;
}

}  // namespace

RangeRequest RangeRequest::single(std::string key) {
  RangeRequest r;
  r.key = std::move(key);
  return r;
}

RangeRequest RangeRequest::prefix(std::string p) {
  RangeRequest r;
  r.range_end = prefix_end(p);
  if (p.empty()) p = std::string(1, '\0');
  r.key = std::move(p);
  return r;
}

RangeRequest RangeRequest::first_create(std::string p) {
  return top(std::move(p), SortTarget::kCreate, SortOrder::kAscend);
}
RangeRequest RangeRequest::last_create(std::string p) {
  return top(std::move(p), SortTarget::kCreate, SortOrder::kDescend);
}
RangeRequest RangeRequest::first_key(std::string p) {
  return top(std::move(p), SortTarget::kKey, SortOrder::kAscend);
}
RangeRequest RangeRequest::last_key(std::string p) {
  return top(std::move(p), SortTarget::kKey, SortOrder::kDescend);
}
RangeRequest RangeRequest::first_rev(std::string p) {
  return top(std::move(p), SortTarget::kMod, SortOrder::kAscend);
}
RangeRequest RangeRequest::last_rev(std::string p) {
  return top(std::move(p), SortTarget::kMod, SortOrder::kDescend);
}

DeleteRequest DeleteRequest::single(std::string key) {
  DeleteRequest d;
  d.key = std::move(key);
  return d;
}

DeleteRequest DeleteRequest::prefix(std::string p) {
  DeleteRequest d;
  d.range_end = prefix_end(p);
  if (p.empty()) p = std::string(1, '\0');
  d.key = std::move(p);
  return d;
}

Compare Compare::Builder::make(Op op, std::int64_t n) const {
  Compare c;
  c.key = key;
  c.target = target;
  c.op = op;
  c.number = n;
  return c;
}

Compare Compare::Builder::make(Op op, std::string v) const {
  Compare c;
  c.key = key;
  c.target = target;
  c.op = op;
  c.value_bytes = std::move(v);
  return c;
}

Op Op::put(std::string key, std::string value, LeaseId lease) {
  PutRequest p;
  p.key = std::move(key);
  p.value = std::move(value);
  p.lease = lease;
  return Op{std::move(p)};
}

WatchRequest WatchRequest::single(std::string key, Revision start) {
  WatchRequest w;
  w.key = std::move(key);
  w.start_revision = start;
  return w;
}

WatchRequest WatchRequest::prefix(std::string p, Revision start) {
  WatchRequest w;
  w.range_end = prefix_end(p);
  if (p.empty()) p = std::string(1, '\0');
  w.key = std::move(p);
  w.start_revision = start;
  return w;
}

}  // namespace coord
