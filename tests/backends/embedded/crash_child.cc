// crash_child: writes to a durable embedded store until it is killed.
//
//   embedded_crash_child <dir> <round>
//
// Four coroutine writers each commit txns {a/<id>, b/<id>, last=<id>} and,
// only after the txn is acknowledged, print "ACK <id> <revision>" on stdout
// (one write(2) per line). crash_test kills this process at random moments.
#include <unistd.h>

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/io_context.hpp>
#include <cstdio>
#include <string>

#include "api/txn.h"
#include "backends/embedded/embedded.h"

namespace {

void say(const std::string& line) {
  const std::string s = line + "\n";
  (void)!::write(1, s.data(), s.size());
}

boost::asio::awaitable<void> writer(coord::Client& kv, std::string round, int w) {
  for (int i = 0; i < 100000; ++i) {
    const std::string id = round + "/" + std::to_string(w) + "/" + std::to_string(i);
    coord::TxnRequest t;
    t.success.push_back(coord::Op::put("a/" + id, "x"));
    t.success.push_back(coord::Op::put("b/" + id, "x"));
    t.success.push_back(coord::Op::put("last/" + std::to_string(w), id));
    auto r = co_await kv.txn(std::move(t));
    if (!r) {
      say("ERR " + r.error().message());
      co_return;
    }
    say("ACK " + id + " " + std::to_string(r->header.revision));
  }
}

}  // namespace

int main(int argc, char** argv) {
  if (argc != 3) return 2;
  coord::embedded::Options o;
  o.mode = coord::embedded::Options::Mode::kDisk;
  o.path = argv[1];
  o.durable = true;
  auto store = coord::embedded::Store::open(o);
  if (!store) {
    say("ERR open " + store.error().message());
    return 1;
  }
  auto kv = (*store)->client();
  say("READY " + std::to_string((*store)->revision()));
  boost::asio::io_context io;
  int done = 0;
  for (int w = 0; w < 4; ++w) {
    boost::asio::co_spawn(io, writer(*kv, argv[2], w), [&](std::exception_ptr e) {
      if (e) std::rethrow_exception(e);
      ++done;
    });
  }
  io.run();
  return done == 4 ? 0 : 1;
}
