// stm.h: software transactional memory over the store (etcd's
// concurrency/stm.go: NewSTM, the same four isolation levels and commit
// compares, so C++ and Go STMs can safely share keys).
//
//   auto r = co_await run_stm(client, [&](Stm& stm) -> Task<void> {
//     auto a = co_await stm.get("a");
//     if (!a) co_return a.error();
//     stm.put("b", *a);
//     co_return Result<void>{};
//   });
//
// apply runs, reading through the Stm (reads are cached; reads see the
// STM's own writes) and buffering writes; then one txn commits the writes if
// no read (or, for kSerializableSnapshot, no written key) changed. On a
// conflict apply runs again, on fresh values prefetched by the failed txn.
// Fixes over Go: a commit whose outcome is unknown returns kIndeterminate
// and apply is never re-run after it; a retry bound; abort by returning an
// error or by cancelling (per-operation cancellation, with_deadline).
// Thread-safety: an Stm belongs to one run; apply must not share it.
#pragma once

#include <functional>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "api/client.h"

namespace coord {

// Isolation is etcd's STM isolation level (same numbering).
enum class Isolation {
  // kSerializableSnapshot: reads at the first read's revision; the commit
  // checks every read key and every written key: no write skew. Default.
  kSerializableSnapshot = 0,
  // kSerializable: reads at the first read's revision; checks reads only.
  kSerializable = 1,
  // kRepeatableReads: each key read once (serializable reads); checks reads.
  kRepeatableReads = 2,
  // kReadCommitted: no checks: blind writes, lost updates possible.
  kReadCommitted = 3,
};

struct StmOptions {
  // Default: kSerializableSnapshot (etcd's default).
  Isolation isolation = Isolation::kSerializableSnapshot;
  // prefetch: keys read in one round trip at the start of every attempt.
  std::vector<std::string> prefetch;
  // max_attempts bounds how many times apply runs (kRetryLimit past it).
  // Default: 0, unlimited (etcd's behaviour; each retry follows a real
  // conflict, never a poll).
  int max_attempts = 0;
};

class Stm {
 public:
  Stm(Client& client, StmOptions options);

  // get returns key's value ("" if missing; a missing key is still checked
  // at commit: it must still be missing). First read of a key: one round
  // trip, then cached. Errors: kCancelled, kCompacted (the pinned revision
  // was compacted: the run retries), the client's.
  [[nodiscard]] Task<std::string> get(std::string key);
  // get_many reads every missing key of keys in one round trip.
  [[nodiscard]] Task<void> get_many(std::vector<std::string> keys);
  // rev returns key's mod_revision as this STM sees it (0 if missing).
  [[nodiscard]] Task<Revision> rev(std::string key);
  // put buffers key=value (on lease) for the commit.
  void put(std::string key, std::string value, LeaseId lease = 0);
  // del buffers a delete of key for the commit.
  void del(std::string key);

  // The attempt cycle, used by run_stm and the blocking facade:
  // reset starts an attempt (keeps values prefetched by a failed commit).
  void reset();
  // commit sends the txn: one round trip. Returns kCommitted (see
  // response()) or kConflict. Errors: kIndeterminate (do not retry
  // blindly), kTooManyOps (read/write set above 128), the client's.
  enum class Outcome { kCommitted, kConflict };
  [[nodiscard]] Task<Outcome> commit();
  const TxnResponse& response() const { return response_; }
  const StmOptions& options() const { return options_; }

 private:
  struct Read {
    std::optional<KeyValue> kv;
    Revision header_rev = 0;
  };
  struct Write {
    bool del = false;
    std::string value;
    LeaseId lease = 0;
  };
  bool serializable() const;
  Revision first_rev() const;
  std::vector<Compare> conflicts() const;

  Client& client_;
  StmOptions options_;
  std::map<std::string, Read> reads_;
  std::map<std::string, Read> prefetched_;  // from a failed commit's Else
  std::map<std::string, Write> writes_;
  TxnResponse response_;
};

// StmApply is the user's transaction body.
using StmApply = std::function<Task<void>(Stm&)>;

// run_stm runs apply until a commit succeeds (etcd's NewSTM). Round trips:
// the reads apply makes (each key once; prefetch in one) + one commit per
// attempt; after a conflict the reads come free from the failed commit.
// Errors: apply's error (nothing written), kRetryLimit, kIndeterminate,
// kCancelled, the client's.
[[nodiscard]] Task<TxnResponse> run_stm(Client& client, StmApply apply,
                                        StmOptions options = {});

}  // namespace coord
