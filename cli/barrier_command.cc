// barrier_command.cc: `coord barrier NAME` (hold, release, wait) and
// `coord dbarrier NAME COUNT` (enter, leave), etcd's classic barrier demos:
// one command per stdin line, one result line each.
#include <iostream>

#include "cli/backend.h"
#include "cli/commands.h"
#include "cli/failure.h"
#include "cli/repl.h"
#ifdef COORD_CLI_HAVE_BARRIER
#include "recipes/barrier.h"
#endif
#ifdef COORD_CLI_HAVE_DOUBLE_BARRIER
#include "recipes/double_barrier.h"
#include "recipes/session.h"
#endif

namespace coord::cli {

#ifdef COORD_CLI_HAVE_BARRIER
int run_barrier(const Words& words) {
  ParsedArgs args = parse_args(words, backend_flags(), 1);
  const std::string name = args.positional(0, "barrier NAME (usage: coord barrier NAME)");
  auto backend = Backend::open(parse_backend(args));
  auto client = backend->client();
  Barrier barrier(*client, name);
  auto& rt = backend->runtime();
  int failed = run_repl(std::cin, std::cout, [&](const Words& w) -> std::string {
    if (w.size() == 1 && w[0] == "hold") {
      auto r = rt.run(barrier.hold());
      if (!r && is_errc(r.error(), Errc::kKeyExists)) throw Failure("barrier already held");
      check(std::move(r), "hold");
      return "held";
    }
    if (w.size() == 1 && w[0] == "release") {
      check(rt.run(barrier.release()), "release");
      return "released";
    }
    if (w.size() == 1 && w[0] == "wait") {
      check(rt.run(barrier.wait()), "wait");
      return "passed";
    }
    throw usage_error("bad command '" + w[0] + "' (hold | release | wait | quit)");
  });
  return failed ? kFailureExit : kOkExit;
}
#endif

#ifdef COORD_CLI_HAVE_DOUBLE_BARRIER
int run_dbarrier(const Words& words) {
  auto specs = backend_flags();
  specs.push_back({"ttl", true, "session TTL in seconds (default 60)"});
  ParsedArgs args = parse_args(words, specs, 2);
  const std::string name = args.positional(0, "NAME (usage: coord dbarrier NAME COUNT)");
  const auto count = parse_int(args.positional(1, "COUNT (usage: coord dbarrier NAME COUNT)"),
                               "COUNT", 1, 1'000'000);
  auto backend = Backend::open(parse_backend(args));
  auto client = backend->client();
  auto& rt = backend->runtime();
  SessionOptions so;
  so.ttl_seconds = args.get_int("ttl", 60, 1, 1'000'000);
  auto session = check(rt.run(Session::create(*client, so)), "session");
  DoubleBarrier barrier(*session, name, static_cast<int>(count));
  int failed = run_repl(std::cin, std::cout, [&](const Words& w) -> std::string {
    if (w.size() == 1 && w[0] == "enter") {
      auto r = rt.run(barrier.enter());
      if (!r && is_errc(r.error(), Errc::kTooManyClients)) {
        throw Failure("too many clients: " + std::to_string(count) + " already entered");
      }
      check(std::move(r), "enter");
      return "entered";
    }
    if (w.size() == 1 && w[0] == "leave") {
      check(rt.run(barrier.leave()), "leave");
      return "left";
    }
    throw usage_error("bad command '" + w[0] + "' (enter | leave | quit)");
  });
  (void)rt.run(session->close());
  return failed ? kFailureExit : kOkExit;
}
#endif

}  // namespace coord::cli
