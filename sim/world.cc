#include "sim/world.h"

#include <cstdio>
#include <cstdlib>

#include "backends/embedded/embedded.h"

namespace coord::sim {

World::World(std::uint64_t seed, bool record_trace)
    : seed_(seed), rng_(seed), trace_(record_trace), start_(clock_.now()) {
  embedded::Options options;
  options.mode = embedded::Options::Mode::kVolatile;
  options.clock = &clock_;
  options.executor = io_.get_executor();
  auto store = embedded::Store::open(std::move(options));
  if (!store) {
    std::fprintf(stderr, "sim: cannot open the embedded store: %s\n",
                 store.error().message().c_str());
    std::abort();
  }
  store_ = *store;
  store_client_ = store_->client();
}

World::~World() {
  // Pending waits hold work on io_: drop them while io_ is alive.
  for (auto& l : links_) l->clock.drop_all();
  clock_.drop_all();
  store_->close();
  // Let coroutines that were told to stop finish, without moving time.
  io_.restart();
  for (int i = 0; i < 64 && io_.poll() > 0; ++i) {
  }
}

Revision World::store_revision() const { return store_->revision(); }

std::uint64_t World::run_until(TimePoint end, const std::function<bool()>& until) {
  stopped_ = false;
  std::uint64_t ran = 0;
  for (;;) {
    io_.restart();
    for (;;) {
      const std::size_t n = io_.poll();
      ran += n;
      if (n == 0) break;
      if (stopped_ || (until && until())) {
        handlers_ += ran;
        return ran;
      }
    }
    if (stopped_ || (until && until())) break;
    auto next = clock_.next_deadline();
    if (!next || *next > end) {
      clock_.advance_to(end);
      io_.restart();
      ran += io_.poll();
      break;
    }
    clock_.advance_to(*next);
  }
  handlers_ += ran;
  return ran;
}

}  // namespace coord::sim
