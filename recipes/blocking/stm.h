// blocking/stm.h: the blocking twin of coord::run_stm.
//
//   auto r = coord::blocking::run_stm(client, [](coord::blocking::Stm& stm) {
//     auto a = stm.get("a");
//     if (!a) return coord::Result<void>(a.error());
//     stm.put("b", *a);
//     return coord::Result<void>();
//   });
//
// apply runs on the calling thread; each first read of a key is one
// blocking round trip on the client's Runtime. Same isolation levels,
// round trips and errors as recipes/stm.h. CallOptions bound the whole run
// (timeout: kDeadlineExceeded; stop: kCancelled).
// Thread-safety: one run per Stm; REQUIRES: never call from a Runtime thread.
#pragma once

#include <functional>

#include "api/blocking.h"
#include "recipes/stm.h"

namespace coord::blocking {

class Stm {
 public:
  // get returns key's value ("" if missing); errors as coord::Stm::get.
  Result<std::string> get(std::string key);
  Result<Revision> rev(std::string key);
  void put(std::string key, std::string value, LeaseId lease = 0) {
    stm_.put(std::move(key), std::move(value), lease);
  }
  void del(std::string key) { stm_.del(std::move(key)); }

 private:
  friend Result<TxnResponse> run_stm(Client&, std::function<Result<void>(Stm&)>, StmOptions,
                                     const CallOptions&);
  Stm(Client& client, StmOptions options, const CallOptions& opts);
  CallOptions remaining() const;

  Client& client_;
  coord::Stm stm_;
  CallOptions opts_;
  std::optional<TimePoint> deadline_;
};

// run_stm runs apply until it commits; errors as coord::run_stm.
Result<TxnResponse> run_stm(Client& client, std::function<Result<void>(Stm&)> apply,
                            StmOptions options = {}, const CallOptions& opts = {});

}  // namespace coord::blocking
