// lock_command.cc: `coord lock NAME [-- COMMAND...]`: take the lock (etcd's
// key layout, so `etcdctl lock NAME` excludes it too), print the fencing
// token, then run COMMAND (with $COORD_LOCK_KEY and $COORD_FENCING_TOKEN)
// or hold until end of input or SIGINT/SIGTERM, and unlock.
#ifdef COORD_CLI_HAVE_MUTEX
#include <iostream>

#include "api/deadline.h"
#include "cli/backend.h"
#include "cli/commands.h"
#include "cli/failure.h"
#include "cli/hold.h"
#include "recipes/mutex.h"
#include "recipes/session.h"

namespace coord::cli {

int run_lock(const Words& words) {
  auto specs = backend_flags();
  specs.push_back({"ttl", true, "session TTL in seconds (default 60)"});
  specs.push_back({"timeout", true, "give up after this many seconds (default: wait)"});
  ParsedArgs args = parse_args(words, specs, 1);
  const std::string name = args.positional(0, "NAME (usage: coord lock NAME [-- COMMAND...])");
  auto backend = Backend::open(parse_backend(args));
  auto client = backend->client();
  auto& rt = backend->runtime();
  SessionOptions so;
  so.ttl_seconds = args.get_int("ttl", 60, 1, 1'000'000);
  auto session = check(rt.run(Session::create(*client, so)), "session");
  Mutex mutex(session, name);
  Result<Revision> locked = Revision{0};
  if (args.has("timeout")) {
    auto t = std::chrono::duration_cast<Duration>(
        std::chrono::duration<double>(args.get_double("timeout", 0)));
    locked = rt.run(with_timeout(client->clock(), t, mutex.lock()));
  } else {
    locked = rt.run(mutex.lock());
  }
  if (!locked) (void)rt.run(session->close());
  const Revision token = check(std::move(locked), "lock " + name);
  std::cout << mutex.key() << " token " << token << std::endl;
  int rc = kOkExit;
  {
    Background lost(rt.executor(), mutex.lost());
    if (!args.rest().empty()) {
      rc = run_child(args.rest(), {{"COORD_LOCK_KEY", mutex.key()},
                                   {"COORD_FENCING_TOKEN", std::to_string(token)}});
    } else {
      (void)wait_for_stop(lost.fired());
    }
    if (lost.fired()) {
      std::cerr << "coord: lock " << name << " was lost while held" << std::endl;
      rc = kFailureExit;
    }
    (void)lost.stop();
  }
  (void)rt.run(mutex.unlock());
  (void)rt.run(session->close());
  return rc;
}

}  // namespace coord::cli
#endif
