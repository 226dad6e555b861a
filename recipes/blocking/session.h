// blocking/session.h: the blocking twin of coord::Session, for plain threads.
//
//   coord::blocking::Client client(kv);
//   auto session = coord::blocking::Session::create(client).value();
//   ... session->close();
//
// The keep-alive runs on the client's Runtime. Same contract as
// recipes/session.h; every call also takes CallOptions (api/blocking.h).
// Thread-safety: thread-safe. REQUIRES: the client outlives the session;
// never call from a Runtime thread.
#pragma once

#include <memory>

#include "api/blocking.h"
#include "recipes/session.h"

namespace coord::blocking {

class Session {
 public:
  // create grants (or reuses) the lease; errors as coord::Session::create.
  [[nodiscard]] static Result<std::unique_ptr<Session>> create(Client& client,
                                                               SessionOptions options = {},
                                                               const CallOptions& opts = {});

  LeaseId lease() const { return session_->lease(); }
  std::int64_t ttl() const { return session_->ttl(); }
  bool is_done() const { return session_->is_done(); }

  // close revokes the lease (errors as coord::Session::close).
  Result<void> close(const CallOptions& opts = {});
  // orphan stops renewing and leaves the lease to expire.
  void orphan() { session_->orphan(); }

  Client& client() { return client_; }
  coord::Session& async() { return *session_; }

 private:
  Session(Client& client, std::shared_ptr<coord::Session> s)
      : client_(client), session_(std::move(s)) {}
  Client& client_;
  std::shared_ptr<coord::Session> session_;
};

}  // namespace coord::blocking
