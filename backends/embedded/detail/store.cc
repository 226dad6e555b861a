#include <algorithm>

#include "backends/common/system_clock.h"
#include "backends/embedded/detail/lease_timer.h"
#include "backends/embedded/detail/range_select.h"
#include "backends/embedded/detail/store_impl.h"
#include "backends/embedded/detail/validate.h"

namespace coord::embedded::detail {
namespace {

std::string_view kNul("\0", 1);

}  // namespace

StoreImpl::StoreImpl(Options options)
    : options_(std::move(options)),
      clock_(options_.clock ? options_.clock : &system_clock()) {}

StoreImpl::~StoreImpl() { close(); }

Result<void> StoreImpl::start() {
  using Mode = Options::Mode;
  if (options_.mode == Mode::kDisk && options_.path.empty()) {
    return make_error_code(Errc::kInvalidArgument);
  }
  if (options_.mode != Mode::kVolatile) {
    auto s = Storage::open(options_.mode == Mode::kMemory, options_.path);
    if (!s) return s.error();
    storage_ = std::move(*s);
    auto loaded = storage_->load();
    if (!loaded) return loaded.error();
    const TimePoint now = clock_->now();
    for (auto& [key, v] : loaded->versions) index_.restore_version(key, std::move(v));
    index_.finish_restore(loaded->revision, loaded->compact_revision);
    leases_.set_seq(loaded->lease_seq);
    for (auto [id, ttl] : loaded->leases) leases_.add(id, ttl, now);
    // Reattach keys whose latest version is on a live lease.
    index_.for_range(KeyRange{kNul, kNul}, 0, [&](std::string_view k, const Version& v) {
      if (v.lease != 0) leases_.attach(v.lease, std::string(k));
    });
    revision_ = index_.revision();
    if (options_.mode == Mode::kDisk && options_.durable) {
      durability_ = std::make_unique<Durability>(*storage_);
    }
  }
  boost::asio::any_io_executor ex = options_.executor;
  if (!ex) {
    own_io_ = std::make_unique<boost::asio::io_context>(1);
    work_.emplace(own_io_->get_executor());
    own_thread_ = std::thread([io = own_io_.get()] { io->run(); });
    ex = own_io_->get_executor();
  }
  timer_ = std::make_shared<LeaseTimer>(ex, *clock_,
                                        std::static_pointer_cast<StoreImpl>(shared_from_this()));
  std::lock_guard lock(mu_);
  arm_timer_locked();
  return {};
}

Revision StoreImpl::revision() const { return revision_.load(); }

void StoreImpl::close() {
  {
    std::lock_guard lock(mu_);
    if (closed_) return;
    closed_ = true;
    close_watchers_locked(make_error_code(Errc::kClosed));
  }
  if (timer_) timer_->stop();
  work_.reset();
  if (own_thread_.joinable()) {
    // The last reference may drop inside a timer callback on our thread.
    if (own_thread_.get_id() == std::this_thread::get_id()) {
      own_thread_.detach();
      (void)own_io_.release();  // still running this very callback
    } else {
      own_thread_.join();
    }
  }
  durability_.reset();
  storage_.reset();
}

void StoreImpl::close_watchers_locked(ErrorCode ec) {
  for (auto& [id, w] : watchers_) w->end(ec);
  watchers_.clear();
  key_watchers_.clear();
  range_watchers_.clear();
}

Result<void> StoreImpl::begin_op(std::unique_lock<std::mutex>& lock) {
  if (closed_) return make_error_code(Errc::kClosed);
  if (failure_) return failure_;
  expire_locked(clock_->now());
  return {};
}

// ---- reads ----

Result<void> StoreImpl::check_range_locked(const RangeRequest& req) const {
  if (req.revision > index_.revision()) return make_error_code(Errc::kFutureRevision);
  if (req.revision > 0 && req.revision < index_.compact_revision()) {
    return make_error_code(Errc::kCompacted);
  }
  return {};
}

Result<void> StoreImpl::read_range_locked(const RangeRequest& req, RangeResponse& out) const {
  if (auto ok = check_range_locked(req); !ok) return ok.error();
  RangeSelector select(req);
  index_.for_range(KeyRange{req.key, req.range_end}, req.revision,
                   [&](std::string_view k, const Version& v) { select.add(k, v); });
  select.finish();
  out.count = select.count();
  out.header.revision = index_.revision();
  if (req.count_only) return {};
  out.more = select.more();
  out.kvs.reserve(select.hits().size());
  for (const auto& [key, version] : select.hits()) {
    out.kvs.push_back(to_key_value(key, *version));
    if (req.keys_only) out.kvs.back().value.clear();
  }
  return {};
}

Result<RangeResponse> StoreImpl::range(const RangeRequest& req, std::uint64_t& seq) {
  if (auto v = validate_range(req); !v) return v.error();
  std::unique_lock lock(mu_);
  if (auto ok = begin_op(lock); !ok) return ok.error();
  RangeResponse out;
  if (auto ok = read_range_locked(req, out); !ok) return ok.error();
  seq = write_seq_;
  return out;
}

// ---- writes ----

void StoreImpl::begin_write_locked() {
  index_.begin_write();
  staged_prev_.clear();
}

void StoreImpl::put_locked(const PutRequest& req, PutResponse& out) {
  const Version* cur = index_.get(req.key);
  std::string value = req.ignore_value && cur ? cur->value : req.value;
  const LeaseId lease = req.ignore_lease && cur ? cur->lease : req.lease;
  const LeaseId old_lease = cur ? cur->lease : 0;
  auto prev = index_.put(req.key, std::move(value), lease);
  if (old_lease != lease) {
    leases_.detach(old_lease, req.key);
    leases_.attach(lease, req.key);
  }
  if (req.prev_kv && prev) out.prev_kv = to_key_value(req.key, *prev);
  staged_prev_.push_back(std::move(prev));
}

void StoreImpl::delete_locked(const DeleteRequest& req, DeleteResponse& out) {
  std::vector<std::string> keys;
  index_.for_range(KeyRange{req.key, req.range_end}, 0,
                   [&](std::string_view k, const Version&) { keys.emplace_back(k); });
  for (const auto& k : keys) {
    auto prev = index_.erase(k);
    if (!prev) continue;
    ++out.deleted;
    leases_.detach(prev->lease, k);
    if (req.prev_kv) out.prev_kvs.push_back(to_key_value(k, *prev));
    staged_prev_.push_back(std::move(prev));
  }
}

void StoreImpl::persist_locked(Batch& b) {
  if (!storage_ || b.empty()) return;
  if (auto w = storage_->write(b); !w) {
    // The index is ahead of storage now: refuse everything from here on.
    failure_ = make_error_code(Errc::kUnavailable);
    return;
  }
  ++write_seq_;
  if (durability_) durability_->written(write_seq_);
}

void StoreImpl::finish_write_locked(Batch extra) {
  const bool changed = !index_.staged().empty();
  if (changed && storage_) {
    for (const Change& c : index_.staged()) extra.put_version(c.key, c.version);
    extra.put_meta("rev", index_.revision() + 1);
  }
  index_.commit();
  persist_locked(extra);
  if (!changed) return;
  revision_ = index_.revision();
  notify_locked(index_.revision());
}

Result<PutResponse> StoreImpl::put(PutRequest req, std::uint64_t& seq) {
  if (auto v = validate_put(req, options_); !v) return v.error();
  std::unique_lock lock(mu_);
  if (auto ok = begin_op(lock); !ok) return ok.error();
  if (auto ok = check_put_locked(req); !ok) return ok.error();
  PutResponse out;
  begin_write_locked();
  put_locked(req, out);
  finish_write_locked();
  if (failure_) return make_error_code(Errc::kIndeterminate);
  out.header.revision = index_.revision();
  seq = write_seq_;
  return out;
}

Result<DeleteResponse> StoreImpl::delete_range(const DeleteRequest& req, std::uint64_t& seq) {
  if (auto v = validate_delete(req, options_); !v) return v.error();
  std::unique_lock lock(mu_);
  if (auto ok = begin_op(lock); !ok) return ok.error();
  DeleteResponse out;
  begin_write_locked();
  delete_locked(req, out);
  finish_write_locked();
  if (failure_) return make_error_code(Errc::kIndeterminate);
  out.header.revision = index_.revision();
  seq = write_seq_;
  return out;
}

Result<CompactResponse> StoreImpl::compact(const CompactRequest& req, std::uint64_t& seq) {
  std::unique_lock lock(mu_);
  if (auto ok = begin_op(lock); !ok) return ok.error();
  if (req.revision > index_.revision()) return make_error_code(Errc::kFutureRevision);
  if (req.revision <= index_.compact_revision()) return make_error_code(Errc::kCompacted);
  auto removed = index_.compact(req.revision);
  Batch b;
  if (storage_) {
    for (const auto& [key, v] : removed) b.erase_version(v.rev, v.sub);
    b.put_meta("compact", req.revision);
    // Compaction may drop the newest record (a tombstone): keep the revision.
    b.put_meta("rev", index_.revision());
  }
  persist_locked(b);
  if (failure_) return make_error_code(Errc::kIndeterminate);
  CompactResponse out;
  out.header.revision = index_.revision();
  seq = write_seq_;
  return out;
}

}  // namespace coord::embedded::detail
