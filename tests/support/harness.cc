#include "tests/support/harness.h"

#include <thread>

namespace coord::test {

// Each backend's harness file defines its factory functions; backends that
// are not built are simply absent.
#ifdef COORD_HAVE_EMBEDDED_HARNESS
std::vector<BackendFactory> embedded_backends();
#endif
#ifdef COORD_HAVE_ETCD_HARNESS
std::vector<BackendFactory> etcd_backends();
#endif

const std::vector<BackendFactory>& all_backends() {
  static const std::vector<BackendFactory> all = [] {
    std::vector<BackendFactory> v;
#ifdef COORD_HAVE_EMBEDDED_HARNESS
    for (auto& f : embedded_backends()) v.push_back(std::move(f));
#endif
#ifdef COORD_HAVE_ETCD_HARNESS
    for (auto& f : etcd_backends()) v.push_back(std::move(f));
#endif
    return v;
  }();
  return all;
}

bool run_until_done(boost::asio::io_context& io, const bool& done,
                    std::chrono::milliseconds budget) {
  // Tests measure their own budget on the wall clock: this is test code,
  // not library code, and the budget only guards against hangs.
  const auto give_up = std::chrono::steady_clock::now() + budget;
  while (!done) {
    if (io.stopped()) io.restart();
    if (io.poll() == 0) {
      if (std::chrono::steady_clock::now() > give_up) return false;
      io.run_one_for(std::chrono::milliseconds(5));
    }
  }
  return true;
}

void BackendTest::run_void(std::function<boost::asio::awaitable<void>()> body,
                           std::chrono::milliseconds budget) {
  bool done = false;
  std::exception_ptr error;
  boost::asio::co_spawn(io_, body(), [&](std::exception_ptr e) {
    error = e;
    done = true;
  });
  bool finished = run_until_done(io_, done, budget);
  if (error) std::rethrow_exception(error);
  ASSERT_TRUE(finished) << "coroutine did not finish in time";
}

}  // namespace coord::test
