#include "recipes/blocking/session.h"

namespace coord::blocking {

Result<std::unique_ptr<Session>> Session::create(Client& client, SessionOptions options,
                                                 const CallOptions& opts) {
  auto s = client.run(coord::Session::create(client.async(), options), opts);
  if (!s) return s.error();
  return std::unique_ptr<Session>(new Session(client, std::move(*s)));
}

Result<void> Session::close(const CallOptions& opts) {
  return client_.run(session_->close(), opts);
}

}  // namespace coord::blocking
