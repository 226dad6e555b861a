#include "backends/embedded/detail/storage.h"

#include <rocksdb/db.h>
#include <rocksdb/env.h>
#include <rocksdb/options.h>
#include <rocksdb/write_batch.h>

#include <cstring>

namespace coord::embedded::detail {
namespace {

constexpr char kVersionTag = 'v';
constexpr char kLeaseTag = 'l';
constexpr std::string_view kMetaPrefix = "m/";

void append_be64(std::string& out, std::uint64_t x) {
  for (int i = 7; i >= 0; --i) out.push_back(static_cast<char>((x >> (8 * i)) & 0xff));
}
std::uint64_t read_be64(const char* p) {
  std::uint64_t x = 0;
  for (int i = 0; i < 8; ++i) x = (x << 8) | static_cast<unsigned char>(p[i]);
  return x;
}
void append_u32(std::string& out, std::uint32_t x) { append_be64(out, x); }

std::string version_key(Revision rev, std::int32_t sub) {
  std::string k(1, kVersionTag);
  append_be64(k, static_cast<std::uint64_t>(rev));
  append_u32(k, static_cast<std::uint32_t>(sub));
  return k;
}

std::string lease_key(LeaseId id) {
  std::string k(1, kLeaseTag);
  append_be64(k, static_cast<std::uint64_t>(id));
  return k;
}

ErrorCode translate(const rocksdb::Status& s) {
  if (s.IsCorruption()) return make_error_code(Errc::kDataLoss);
  if (s.IsInvalidArgument() || s.IsNotSupported()) return make_error_code(Errc::kInvalidArgument);
  return make_error_code(Errc::kUnavailable);
}

// decode_version parses a version record; false when malformed.
bool decode_version(std::string_view k, std::string_view val, std::string& key, Version& v) {
  if (k.size() != 17 || val.size() < 1 + 8 * 4) return false;
  v.rev = static_cast<Revision>(read_be64(k.data() + 1));
  v.sub = static_cast<std::int32_t>(read_be64(k.data() + 9));
  const char* p = val.data();
  v.tombstone = p[0] != 0;
  v.create = static_cast<Revision>(read_be64(p + 1));
  v.version = static_cast<std::int64_t>(read_be64(p + 9));
  v.lease = static_cast<LeaseId>(read_be64(p + 17));
  const std::uint64_t key_len = read_be64(p + 25);
  if (key_len > val.size() - 33) return false;
  key.assign(p + 33, key_len);
  v.value.assign(p + 33 + key_len, val.size() - 33 - key_len);
  return true;
}

}  // namespace

void Batch::put_version(const std::string& key, const Version& v) {
  Op op;
  op.key = version_key(v.rev, v.sub);
  op.value.reserve(33 + key.size() + v.value.size());
  op.value.push_back(v.tombstone ? 1 : 0);
  append_be64(op.value, static_cast<std::uint64_t>(v.create));
  append_be64(op.value, static_cast<std::uint64_t>(v.version));
  append_be64(op.value, static_cast<std::uint64_t>(v.lease));
  append_be64(op.value, key.size());
  op.value += key;
  op.value += v.value;
  ops_.push_back(std::move(op));
}

void Batch::erase_version(Revision rev, std::int32_t sub) {
  ops_.push_back(Op{true, version_key(rev, sub), {}});
}

void Batch::put_lease(LeaseId id, std::int64_t ttl) {
  Op op{false, lease_key(id), {}};
  append_be64(op.value, static_cast<std::uint64_t>(ttl));
  ops_.push_back(std::move(op));
}

void Batch::erase_lease(LeaseId id) { ops_.push_back(Op{true, lease_key(id), {}}); }

void Batch::put_meta(std::string_view name, std::int64_t value) {
  Op op{false, std::string(kMetaPrefix) + std::string(name), {}};
  append_be64(op.value, static_cast<std::uint64_t>(value));
  ops_.push_back(std::move(op));
}

struct Storage::Impl {
  std::unique_ptr<rocksdb::Env> env;  // memory env; outlives db
  std::unique_ptr<rocksdb::DB> db;
  rocksdb::WriteOptions write_options;
};

Storage::Storage(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}

Storage::~Storage() {
  if (impl_ && impl_->db) {
    (void)impl_->db->Close();
    impl_->db.reset();
  }
}

Result<std::unique_ptr<Storage>> Storage::open(bool in_memory, const std::string& path) {
  auto impl = std::make_unique<Impl>();
  rocksdb::Options options;
  options.create_if_missing = true;
  options.max_background_jobs = 2;
  std::string dir = path;
  if (in_memory) {
    impl->env.reset(rocksdb::NewMemEnv(rocksdb::Env::Default()));
    options.env = impl->env.get();
    dir = "/coord-memory";
    // Nothing survives the process anyway: skip the log.
    impl->write_options.disableWAL = true;
  }
  rocksdb::DB* db = nullptr;
  rocksdb::Status s = rocksdb::DB::Open(options, dir, &db);
  if (!s.ok()) return translate(s);
  impl->db.reset(db);
  return std::unique_ptr<Storage>(new Storage(std::move(impl)));
}

Result<void> Storage::write(const Batch& b) {
  rocksdb::WriteBatch wb;
  for (const auto& op : b.ops()) {
    rocksdb::Status s = op.erase ? wb.Delete(op.key) : wb.Put(op.key, op.value);
    if (!s.ok()) return translate(s);
  }
  rocksdb::Status s = impl_->db->Write(impl_->write_options, &wb);
  if (!s.ok()) return translate(s);
  return {};
}

Result<void> Storage::sync() {
  rocksdb::Status s = impl_->db->SyncWAL();
  if (!s.ok()) return translate(s);
  return {};
}

Result<Loaded> Storage::load() {
  Loaded out;
  std::unique_ptr<rocksdb::Iterator> it(impl_->db->NewIterator(rocksdb::ReadOptions()));
  for (it->SeekToFirst(); it->Valid(); it->Next()) {
    const rocksdb::Slice k = it->key();
    const rocksdb::Slice v = it->value();
    const std::string_view ks(k.data(), k.size());
    const std::string_view vs(v.data(), v.size());
    if (!ks.empty() && ks[0] == kVersionTag) {
      std::pair<std::string, Version> rec;
      if (!decode_version(ks, vs, rec.first, rec.second)) return make_error_code(Errc::kDataLoss);
      out.versions.push_back(std::move(rec));
    } else if (!ks.empty() && ks[0] == kLeaseTag) {
      if (ks.size() != 9 || vs.size() != 8) return make_error_code(Errc::kDataLoss);
      out.leases.emplace_back(static_cast<LeaseId>(read_be64(ks.data() + 1)),
                              static_cast<std::int64_t>(read_be64(vs.data())));
    } else if (ks.substr(0, kMetaPrefix.size()) == kMetaPrefix) {
      if (vs.size() != 8) return make_error_code(Errc::kDataLoss);
      const auto value = static_cast<std::int64_t>(read_be64(vs.data()));
      const std::string_view name = ks.substr(kMetaPrefix.size());
      if (name == "rev") out.revision = value;
      else if (name == "compact") out.compact_revision = value;
      else if (name == "lease_seq") out.lease_seq = value;
    }
  }
  if (!it->status().ok()) return translate(it->status());
  return out;
}

}  // namespace coord::embedded::detail
