// txn.h: compare-and-swap transactions (etcd's Txn).
//
// A TxnRequest holds compares and two branches. If every compare holds the
// `success` ops run, else the `failure` ops; all ops of a write txn share one
// new revision. Compares on a missing key see a zero KeyValue (version,
// create, mod and lease compare as 0); a value compare on a missing key is
// always false. Build compares with the helpers:
//   Compare::version("k") == 0, Compare::mod_revision("k") < rev,
//   Compare::value("k") != "x", Compare::create_revision("k") == rev.
// Thread-safety: plain values.
#pragma once

#include <memory>
#include <string>
#include <variant>
#include <vector>

#include "api/types.h"

namespace coord {

// Compare is one condition of a txn.
struct Compare {
  enum class Target { kVersion = 0, kCreate = 1, kMod = 2, kValue = 3, kLease = 4 };
  enum class Op { kEqual = 0, kGreater = 1, kLess = 2, kNotEqual = 3 };

  std::string key;
  std::string range_end;  // non-empty: every key in [key, range_end) must hold
  Target target = Target::kVersion;
  Op op = Op::kEqual;
  std::int64_t number = 0;  // for version, create, mod, lease
  std::string value_bytes;  // for value

  // Builder is what Compare::version(k) etc. return; its operators finish a
  // Compare: `Compare::version(k) == 0`.
  struct Builder {
    std::string key;
    Target target;
    Compare make(Op op, std::int64_t n) const;
    Compare make(Op op, std::string v) const;
    Compare operator==(std::int64_t n) const { return make(Op::kEqual, n); }
    Compare operator!=(std::int64_t n) const { return make(Op::kNotEqual, n); }
    Compare operator<(std::int64_t n) const { return make(Op::kLess, n); }
    Compare operator>(std::int64_t n) const { return make(Op::kGreater, n); }
    Compare operator==(std::string v) const { return make(Op::kEqual, std::move(v)); }
    Compare operator!=(std::string v) const { return make(Op::kNotEqual, std::move(v)); }
    Compare operator<(std::string v) const { return make(Op::kLess, std::move(v)); }
    Compare operator>(std::string v) const { return make(Op::kGreater, std::move(v)); }
    Compare operator==(const char* v) const { return *this == std::string(v); }
    Compare operator!=(const char* v) const { return *this != std::string(v); }
    // int literals (`== 0`) would be ambiguous between std::int64_t and
    // const char*; these take them as numbers.
    Compare operator==(int n) const { return make(Op::kEqual, std::int64_t{n}); }
    Compare operator!=(int n) const { return make(Op::kNotEqual, std::int64_t{n}); }
    Compare operator<(int n) const { return make(Op::kLess, std::int64_t{n}); }
    Compare operator>(int n) const { return make(Op::kGreater, std::int64_t{n}); }
  };
  static Builder version(std::string key) { return {std::move(key), Target::kVersion}; }
  static Builder create_revision(std::string key) { return {std::move(key), Target::kCreate}; }
  static Builder mod_revision(std::string key) { return {std::move(key), Target::kMod}; }
  static Builder value(std::string key) { return {std::move(key), Target::kValue}; }
  static Builder lease(std::string key) { return {std::move(key), Target::kLease}; }
};

struct TxnRequest;
struct TxnResponse;

// Op is one operation inside a txn branch.
struct Op {
  // A nested txn is held by pointer (TxnRequest is recursive).
  std::variant<RangeRequest, PutRequest, DeleteRequest,
               std::shared_ptr<const TxnRequest>>
      request;

  static Op range(RangeRequest r) { return Op{std::move(r)}; }
  static Op get(std::string key) { return Op{RangeRequest::single(std::move(key))}; }
  static Op put(PutRequest p) { return Op{std::move(p)}; }
  static Op put(std::string key, std::string value, LeaseId lease = 0);
  static Op del(DeleteRequest d) { return Op{std::move(d)}; }
  static Op del(std::string key) { return Op{DeleteRequest::single(std::move(key))}; }
  static Op txn(TxnRequest t);
};

struct TxnRequest {
  std::vector<Compare> compare;
  std::vector<Op> success;
  std::vector<Op> failure;
};

// OpResponse is the result of one Op, in the same alternative order.
struct OpResponse {
  std::variant<RangeResponse, PutResponse, DeleteResponse,
               std::shared_ptr<const TxnResponse>>
      response;

  const RangeResponse& range() const { return std::get<RangeResponse>(response); }
  const PutResponse& put() const { return std::get<PutResponse>(response); }
  const DeleteResponse& del() const { return std::get<DeleteResponse>(response); }
  const TxnResponse& txn() const { return *std::get<3>(response); }
};

struct TxnResponse {
  Header header;
  bool succeeded = false;
  std::vector<OpResponse> responses;
};

inline Op Op::txn(TxnRequest t) {
  return Op{std::make_shared<const TxnRequest>(std::move(t))};
}

}  // namespace coord
