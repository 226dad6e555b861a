// watch.h: etcd's Watch API: a stream of events from a revision on.
//
// A watch delivers every change to a key or range with mod_revision >=
// start_revision, in revision order, each revision whole in one response,
// never twice. It ends with a typed error: kCompacted when start_revision is
// below the compaction point (compact_revision() then tells that point),
// kCancelled after cancel(), kClosed when the client closes, kWatchOverflow
// when the consumer fell too far behind, kPermissionDenied, kUnavailable.
// Thread-safety: a WatchStream is used by one coroutine at a time;
// cancel() may be called from any thread.
#pragma once

#include <boost/asio/awaitable.hpp>
#include <optional>
#include <string>
#include <vector>

#include "api/errc.h"
#include "api/types.h"

namespace coord {

struct WatchRequest {
  std::string key;
  std::string range_end;      // as in RangeRequest; "\0" = all keys >= key
  Revision start_revision = 0;  // 0: from the next revision on
  bool prev_kv = false;       // attach the previous KeyValue to each event
  bool progress_notify = false;  // ask for periodic progress notifications
  bool filter_put = false;    // drop PUT events
  bool filter_delete = false; // drop DELETE events

  static WatchRequest single(std::string key, Revision start = 0);
  static WatchRequest prefix(std::string p, Revision start = 0);
};

struct Event {
  enum class Type { kPut = 0, kDelete = 1 };
  Type type = Type::kPut;
  KeyValue kv;  // for DELETE: key and mod_revision = the deletion revision
  std::optional<KeyValue> prev_kv;
};

// WatchResponse is one batch: whole revisions, or a progress notification
// (no events; header.revision says every event <= it was delivered).
struct WatchResponse {
  Header header;
  std::vector<Event> events;
  bool progress_notify = false;
};

// WatchStream is an established watch.
class WatchStream {
 public:
  // The destructor cancels the watch, also on the server.
  virtual ~WatchStream() = default;

  // next waits for the next response. Errors end the stream (see above);
  // after an error every further call returns the same error. Honours
  // per-operation cancellation (kCancelled; the watch stays usable).
  [[nodiscard]] virtual boost::asio::awaitable<Result<WatchResponse>> next() = 0;

  // request_progress asks for a progress notification, delivered by next().
  [[nodiscard]] virtual boost::asio::awaitable<Result<void>> request_progress() = 0;

  // compact_revision is the compaction point after a kCompacted error, else 0.
  virtual Revision compact_revision() const = 0;

  // cancel ends the watch: a pending or later next() gets kCancelled.
  virtual void cancel() = 0;
};

}  // namespace coord
