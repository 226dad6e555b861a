// queue.h: Queue, a multi-producer multi-consumer FIFO queue in the store
// (etcd's contrib/recipes/queue.go, same keys: a Go service using
// recipe.NewQueue(c, "jobs") and a C++ one using Queue(c, "jobs") share one
// queue).
//
// An item is the key prefix + "/" + <unix nanos> with the item as its value
// and no lease; the queue is FIFO by commit revision. A dequeue claims an
// item by deleting it only if unchanged, so each item is delivered at most
// once (exactly once unless a consumer dies right after claiming it; there
// is no acknowledgement).
// Fixes over Go: the queue ranges over prefix + "/" ("jobs" never consumes
// "jobs2"); a watch that ends is an error, never a crash; loops instead of
// recursion; dequeue is cancellable; concurrent dequeuers do not fight for
// the head (a claim tries a batch of head items in one nested txn).
// Thread-safety: a Queue is a cheap handle (client + name); share it or make
// one per coroutine. REQUIRES: client outlives the queue.
#pragma once

#include <string>

#include "api/client.h"

namespace coord {

class Queue {
 public:
  // Queue names the queue stored under prefix + "/".
  Queue(Client& client, std::string prefix);

  // enqueue appends value: one round trip (one more per rare key collision
  // with another process). Errors: the client's (kIndeterminate: the item
  // may have been added).
  [[nodiscard]] Task<void> enqueue(std::string value);

  // dequeue removes and returns the oldest item, waiting for one if the
  // queue is empty. Round trips: two when items are there (a range of the
  // head batch, a claim); when empty, one range, one watch from the next
  // revision and one claim of the first new item. A claim that lost every
  // item of its batch to other consumers reads again.
  // Errors: kCancelled (caller cancelled; with_deadline turns it into
  // kDeadlineExceeded) — nothing was taken unless the claim was in flight,
  // then kIndeterminate (the item may be gone); the watch's errors
  // (kClosed, kUnavailable, ...); the client's.
  [[nodiscard]] Task<std::string> dequeue();

  const std::string& prefix() const { return prefix_; }

 private:
  Client& client_;
  std::string prefix_;
};

}  // namespace coord
