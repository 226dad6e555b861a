// priority_queue.h: PriorityQueue, a queue whose lowest priority number is
// dequeued first (etcd's contrib/recipes/priority_queue.go, same keys).
//
// An item is key + "/" + %05d(priority) + "/" + %016d(sequence); the
// counter "__" + key + "/" + %05d(priority) guards the sequence. Keys sort
// by priority, then sequence: 0 is dequeued first, equal priorities FIFO.
// Fixes over Go: a blocked dequeue respects priority (it re-reads the head
// after a wake-up instead of taking whatever was put first); watch errors
// are returned; loops, not recursion; cancellable; concurrent dequeuers
// claim from a batch of head items in one nested txn.
// Thread-safety: a cheap handle, as Queue. REQUIRES: client outlives it.
#pragma once

#include <cstdint>
#include <string>

#include "api/client.h"

namespace coord {

class PriorityQueue {
 public:
  // PriorityQueue names the queue stored under key + "/".
  PriorityQueue(Client& client, std::string key);

  // enqueue adds value at priority (0 first): two round trips (read the
  // last sequence, then a guarded txn), one more per concurrent producer of
  // the same priority that won the race. Errors: the client's.
  [[nodiscard]] Task<void> enqueue(std::string value, std::uint16_t priority);

  // dequeue removes and returns the item with the lowest priority number
  // (oldest first among equals), waiting if the queue is empty. Round trips:
  // two when items are there; when empty, one range and one watch, then two
  // more after the wake-up. Errors: as Queue::dequeue.
  [[nodiscard]] Task<std::string> dequeue();

  const std::string& key() const { return key_; }

 private:
  Client& client_;
  std::string key_;
};

}  // namespace coord
