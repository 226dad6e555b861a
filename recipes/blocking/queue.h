// blocking/queue.h: blocking twins of coord::Queue and coord::PriorityQueue.
//
//   coord::blocking::Queue q(client, "jobs");
//   q.enqueue("a");
//   std::string v = q.dequeue().value();
//   auto w = q.dequeue({.timeout = 2s});   // kDeadlineExceeded if empty
//
// Same keys, round trips and errors as recipes/queue.h and
// recipes/priority_queue.h, plus CallOptions (timeout, stop_token).
// Thread-safety: thread-safe handles. REQUIRES: client outlives them; never
// call from a Runtime thread.
#pragma once

#include "api/blocking.h"
#include "recipes/priority_queue.h"
#include "recipes/queue.h"

namespace coord::blocking {

class Queue {
 public:
  Queue(Client& client, std::string prefix) : client_(client), q_(client.async(), std::move(prefix)) {}
  Result<void> enqueue(std::string value, const CallOptions& opts = {}) {
    return client_.run(q_.enqueue(std::move(value)), opts);
  }
  Result<std::string> dequeue(const CallOptions& opts = {}) {
    return client_.run(q_.dequeue(), opts);
  }

 private:
  Client& client_;
  coord::Queue q_;
};

class PriorityQueue {
 public:
  PriorityQueue(Client& client, std::string key) : client_(client), q_(client.async(), std::move(key)) {}
  Result<void> enqueue(std::string value, std::uint16_t priority, const CallOptions& opts = {}) {
    return client_.run(q_.enqueue(std::move(value), priority), opts);
  }
  Result<std::string> dequeue(const CallOptions& opts = {}) {
    return client_.run(q_.dequeue(), opts);
  }

 private:
  Client& client_;
  coord::PriorityQueue q_;
};

}  // namespace coord::blocking
