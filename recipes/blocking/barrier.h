// blocking/barrier.h: blocking twins of coord::Barrier and
// coord::DoubleBarrier.
//
//   coord::blocking::Barrier b(client, "deploy");
//   b.hold(); ...; b.release();          // another thread: b.wait();
//
// Same keys, round trips and errors as recipes/barrier.h and
// recipes/double_barrier.h, plus CallOptions (timeout, stop_token): a wait
// that gives up deletes what it created.
// Thread-safety: Barrier is a thread-safe handle; a DoubleBarrier belongs to
// one participant thread. REQUIRES: client / session outlive them.
#pragma once

#include "api/blocking.h"
#include "recipes/barrier.h"
#include "recipes/blocking/session.h"
#include "recipes/double_barrier.h"

namespace coord::blocking {

class Barrier {
 public:
  Barrier(Client& client, std::string key) : client_(client), b_(client.async(), std::move(key)) {}
  Result<void> hold(const CallOptions& opts = {}) { return client_.run(b_.hold(), opts); }
  Result<void> release(const CallOptions& opts = {}) { return client_.run(b_.release(), opts); }
  Result<void> wait(const CallOptions& opts = {}) { return client_.run(b_.wait(), opts); }

 private:
  Client& client_;
  coord::Barrier b_;
};

class DoubleBarrier {
 public:
  DoubleBarrier(Session& session, std::string key, int count)
      : client_(session.client()), b_(session.async(), std::move(key), count) {}
  Result<void> enter(const CallOptions& opts = {}) { return client_.run(b_.enter(), opts); }
  Result<void> leave(const CallOptions& opts = {}) { return client_.run(b_.leave(), opts); }

 private:
  Client& client_;
  coord::DoubleBarrier b_;
};

}  // namespace coord::blocking
