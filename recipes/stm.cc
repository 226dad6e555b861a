#include "recipes/stm.h"

namespace coord {

Stm::Stm(Client& client, StmOptions options) : client_(client), options_(std::move(options)) {}

bool Stm::serializable() const {
  return options_.isolation == Isolation::kSerializableSnapshot ||
         options_.isolation == Isolation::kSerializable;
}

Revision Stm::first_rev() const {
  Revision first = 0;
  for (const auto& [key, read] : reads_) {
    if (first == 0 || read.header_rev < first) first = read.header_rev;
  }
  return first;
}

void Stm::reset() {
  reads_.clear();
  writes_.clear();
  response_ = {};
}

Task<void> Stm::get_many(std::vector<std::string> keys) {
  std::vector<std::string> missing;
  for (auto& key : keys) {
    if (reads_.count(key) != 0) continue;
    if (auto it = prefetched_.find(key); it != prefetched_.end()) {
      reads_.insert(prefetched_.extract(it));
      continue;
    }
    missing.push_back(std::move(key));
  }
  if (missing.empty()) co_return Result<void>{};
  // Serializable levels pin later reads to the first read's revision.
  const Revision pin = serializable() ? first_rev() : 0;
  TxnRequest t;
  for (const auto& key : missing) {
    RangeRequest r = RangeRequest::single(key);
    r.revision = pin;
    r.serializable = pin != 0 || !serializable();
    t.success.push_back(Op::range(std::move(r)));
  }
  auto resp = co_await client_.txn(std::move(t));
  if (!resp) {
    // The next attempt must not pin to the same compacted revision.
    if (is_errc(resp.error(), Errc::kCompacted)) prefetched_.clear();
    co_return resp.error();
  }
  for (std::size_t i = 0; i < missing.size(); ++i) {
    const auto& kvs = resp->responses.at(i).range().kvs;
    Read read;
    if (!kvs.empty()) read.kv = kvs.front();
    read.header_rev = pin != 0 ? pin : resp->header.revision;
    reads_[missing[i]] = std::move(read);
  }
  co_return Result<void>{};
}

Task<std::string> Stm::get(std::string key) {
  if (auto w = writes_.find(key); w != writes_.end()) {
    co_return w->second.del ? std::string() : w->second.value;
  }
  if (reads_.count(key) == 0) {
    std::vector<std::string> one{key};
    auto r = co_await get_many(std::move(one));
    if (!r) co_return r.error();
  }
  const Read& read = reads_.at(key);
  co_return read.kv ? read.kv->value : std::string();
}

Task<Revision> Stm::rev(std::string key) {
  if (reads_.count(key) == 0) {
    std::vector<std::string> one{key};
    auto r = co_await get_many(std::move(one));
    if (!r) co_return r.error();
  }
  const Read& read = reads_.at(key);
  co_return read.kv ? read.kv->mod_revision : Revision{0};
}

void Stm::put(std::string key, std::string value, LeaseId lease) {
  writes_[std::move(key)] = Write{false, std::move(value), lease};
}

void Stm::del(std::string key) { writes_[std::move(key)] = Write{true, {}, 0}; }

std::vector<Compare> Stm::conflicts() const {
  std::vector<Compare> cmps;
  if (options_.isolation == Isolation::kReadCommitted) return cmps;
  for (const auto& [key, read] : reads_) {
    cmps.push_back(Compare::mod_revision(key) == (read.kv ? read.kv->mod_revision : 0));
  }
  const Revision first = first_rev();
  // With no reads the write checks are vacuous, as in etcd.
  if (options_.isolation == Isolation::kSerializableSnapshot && first != 0) {
    for (const auto& [key, write] : writes_) {
      cmps.push_back(Compare::mod_revision(key) < first + 1);
    }
  }
  return cmps;
}

Task<Stm::Outcome> Stm::commit() {
  TxnRequest t;
  t.compare = conflicts();
  for (const auto& [key, w] : writes_) {
    t.success.push_back(w.del ? Op::del(key) : Op::put(key, w.value, w.lease));
  }
  std::vector<std::string> reread;
  if (serializable()) {
    // Prefetch the next attempt's reads in the failure branch.
    for (const auto& [key, read] : reads_) {
      t.failure.push_back(Op::get(key));
      reread.push_back(key);
    }
  }
  auto r = co_await client_.txn(std::move(t));
  if (!r) co_return r.error();
  if (r->succeeded) {
    response_ = std::move(*r);
    co_return Outcome::kCommitted;
  }
  prefetched_.clear();
  for (std::size_t i = 0; i < reread.size(); ++i) {
    const auto& kvs = r->responses.at(i).range().kvs;
    Read read;
    if (!kvs.empty()) read.kv = kvs.front();
    read.header_rev = r->header.revision;
    prefetched_[reread[i]] = std::move(read);
  }
  co_return Outcome::kConflict;
}

Task<TxnResponse> run_stm(Client& client, StmApply apply, StmOptions options) {
  Stm stm(client, std::move(options));
  for (int attempt = 1;; ++attempt) {
    const int max = stm.options().max_attempts;
    if (max > 0 && attempt > max) co_return make_error_code(Errc::kRetryLimit);
    stm.reset();
    Result<void> ok;
    if (!stm.options().prefetch.empty()) ok = co_await stm.get_many(stm.options().prefetch);
    if (ok) ok = co_await apply(stm);
    if (!ok) {
      // A pinned read below the compaction point: start over from now.
      if (is_errc(ok.error(), Errc::kCompacted)) continue;
      co_return ok.error();
    }
    auto committed = co_await stm.commit();
    if (!committed) co_return committed.error();
    if (*committed == Stm::Outcome::kCommitted) co_return stm.response();
  }
}

}  // namespace coord
