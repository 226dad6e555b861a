// rw_side.h: RWMutex's write or read side chosen at run time, for the demo
// and the bench. An if around each co_await, never ?: (g++ 12 miscompiles
// co_await inside ?:, sim/FINDINGS.md F2).
#pragma once

#include "recipes/rw_mutex.h"

namespace coord::cli {

// lock_side write-locks m if write, else read-locks it; errors as
// RWMutex::lock / rlock.
inline Task<Revision> lock_side(RWMutex& m, bool write) {
  if (write) co_return co_await m.lock();
  co_return co_await m.rlock();
}

// unlock_side releases the side taken by lock_side.
inline Task<void> unlock_side(RWMutex& m, bool write) {
  if (write) co_return co_await m.unlock();
  co_return co_await m.runlock();
}

}  // namespace coord::cli
