// elect_command.cc: `coord elect NAME [PROPOSAL]`: campaign, print the
// leadership (key, proposal, fencing token), hold it until end of input or
// SIGINT/SIGTERM, then resign. `coord elect -l NAME` observes: one line per
// leader. Same layout as `etcdctl elect`.
#ifdef COORD_CLI_HAVE_ELECTION
#include <unistd.h>

#include <iostream>
#include <mutex>

#include "cli/backend.h"
#include "cli/commands.h"
#include "cli/failure.h"
#include "cli/hold.h"
#include "recipes/election.h"
#include "recipes/session.h"

namespace coord::cli {
namespace {

boost::asio::awaitable<Result<void>> print_leaders(ElectionObserver& observer) {
  while (true) {
    auto kv = co_await observer.next();
    if (!kv) co_return kv.error();
    std::cout << kv->value << std::endl;
  }
}

int observe(Backend& backend, const std::string& name) {
  auto client = backend.client();
  ElectionObserver observer(*client, name);
  Background loop(backend.runtime().executor(), print_leaders(observer));
  (void)wait_for_stop(loop.fired());
  auto r = loop.stop();
  if (!r && !is_errc(r.error(), Errc::kCancelled)) {
    throw Failure("observe " + name + ": " + describe(r.error()));
  }
  return kOkExit;
}

}  // namespace

int run_elect(const Words& words) {
  auto specs = backend_flags();
  specs.push_back({"listen", false, "observe the leaders instead of campaigning", "l"});
  specs.push_back({"ttl", true, "session TTL in seconds (default 60)"});
  ParsedArgs args = parse_args(words, specs, 2);
  const std::string name = args.positional(0, "NAME (usage: coord elect NAME [PROPOSAL])");
  auto backend = Backend::open(parse_backend(args));
  if (args.has("listen")) return observe(*backend, name);
  const std::string proposal = args.positionals().size() > 1
                                   ? args.positionals()[1]
                                   : "coord-" + std::to_string(::getpid());
  auto client = backend->client();
  auto& rt = backend->runtime();
  SessionOptions so;
  so.ttl_seconds = args.get_int("ttl", 60, 1, 1'000'000);
  auto session = check(rt.run(Session::create(*client, so)), "session");
  Election election(session, name);
  auto won = rt.run(election.campaign(proposal));
  if (!won) (void)rt.run(session->close());
  const Revision token = check(std::move(won), "campaign " + name);
  std::cout << election.key() << " " << proposal << " token " << token << std::endl;
  int rc = kOkExit;
  {
    Background lost(rt.executor(), election.lost());
    (void)wait_for_stop(lost.fired());
    if (lost.fired()) {
      std::cerr << "coord: leadership of " << name << " was lost" << std::endl;
      rc = kFailureExit;
    }
    (void)lost.stop();
  }
  (void)rt.run(election.resign());
  (void)rt.run(session->close());
  return rc;
}

}  // namespace coord::cli
#endif
