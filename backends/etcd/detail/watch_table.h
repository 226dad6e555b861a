// watch_table.h: the watches multiplexed on one etcd watch stream, as a
// sans-io state machine.
//
// WatchTable knows every live watcher of a client, what each has delivered
// and which server stream it lives on. The mux feeds it stream events
// (opened, closed, a response arrived) and carries out the actions it
// returns (send a create or cancel, deliver a response, end a watch). It
// guarantees exactly-once, in-order delivery across reconnects: a watcher
// is re-created from its last delivered revision + 1 and any event below
// that is dropped. Created responses are matched first-in first-out, since
// etcd answers creates in order and a failed create carries watch id -1.
// Thread-safety: none; the mux serialises calls.
#pragma once

#include <cstdint>
#include <deque>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "api/errc.h"
#include "api/watch.h"

namespace coord::etcd::detail {

// kBroadcastWatchId is the watch id of responses meant for every watcher
// of a stream (etcd's InvalidWatchID: progress replies, failed creates).
inline constexpr std::int64_t kBroadcastWatchId = -1;

// WatchCreate is a create request to send: req.start_revision already holds
// the revision to resume from. watch_id is chosen by the client.
struct WatchCreate {
  std::int64_t watch_id = 0;
  WatchRequest req;
};

// RawWatchResponse is an etcd WatchResponse in coord's types.
struct RawWatchResponse {
  std::int64_t watch_id = 0;
  bool created = false;
  bool canceled = false;
  Revision compact_revision = 0;
  std::string cancel_reason;
  WatchResponse body;  // header and events; progress_notify unset
};

// WatchAction is one thing the mux must do after a stream event.
struct WatchAction {
  enum class Kind { kCreated, kDeliver, kFail, kSendCancel };
  Kind kind = Kind::kDeliver;
  std::int64_t id = 0;
  WatchResponse response;     // kDeliver
  Errc errc = Errc::kInternal;  // kFail
  Revision compact_revision = 0;  // kFail with kCompacted
};

class WatchTable {
 public:
  // add registers watcher id. Returns the create to send now when a stream
  // is open, else nullopt (on_open will create it).
  std::optional<WatchCreate> add(std::int64_t id, WatchRequest req);

  // remove forgets watcher id. Returns true when the server holds it on the
  // open stream, so a cancel for it must be sent.
  bool remove(std::int64_t id);

  // on_open records a new stream; returns a create for every watcher,
  // each resuming from its last delivered revision + 1.
  std::vector<WatchCreate> on_open();

  // on_closed records that the stream ended; watchers wait for on_open.
  void on_closed();

  // on_response consumes one response of the open stream.
  std::vector<WatchAction> on_response(RawWatchResponse r);

  // is_open tells whether a stream is open.
  bool is_open() const { return open_; }

  // size counts the live watchers.
  std::size_t size() const { return watchers_.size(); }

  // next_revision is the revision watcher id resumes from (0: not known
  // yet, i.e. "from now" and not created), for tests.
  Revision next_revision(std::int64_t id) const;

 private:
  struct Watcher {
    WatchRequest req;
    Revision next_rev = 0;
    bool created = false;
  };
  WatchCreate create_for(std::int64_t id, const Watcher& w) const;
  std::vector<WatchAction> on_created(RawWatchResponse& r);
  std::vector<WatchAction> on_watcher_response(RawWatchResponse& r);

  std::map<std::int64_t, Watcher> watchers_;
  std::deque<std::int64_t> pending_creates_;
  bool open_ = false;
};

}  // namespace coord::etcd::detail
