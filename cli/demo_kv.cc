// demo_kv.cc: the first part of `coord demo`: the KV contract every recipe
// is built on (revisions, compare-and-swap, leases, watches).
#include "api/txn.h"
#include "cli/demo.h"

namespace coord::cli {
namespace {

using boost::asio::awaitable;

// create_if_absent is etcd's putNewKV: one txn, one winner.
Task<bool> create_if_absent(Client& c, const std::string& key, const std::string& value) {
  TxnRequest t;
  t.compare.push_back(Compare::version(key) == std::int64_t{0});
  t.success.push_back(Op::put(key, value));
  auto r = co_await c.txn(std::move(t));
  if (!r) co_return Result<bool>(boost::system::in_place_error, r.error());
  co_return r->succeeded;
}

awaitable<Result<void>> show_revisions(DemoContext& ctx) {
  auto& a = *ctx.nodes[0];
  auto& b = *ctx.nodes[1];
  COORD_CLI_TRY(p1, co_await a.put(ctx.prefix + "greeting", "hello"));
  ctx.say(0, "put greeting=hello -> revision " + std::to_string(p1.header.revision));
  COORD_CLI_TRY(p2, co_await a.put(ctx.prefix + "greeting", "bonjour"));
  ctx.say(0, "put greeting=bonjour -> revision " + std::to_string(p2.header.revision));
  COORD_CLI_TRY(got, co_await b.get(ctx.prefix + "greeting"));
  if (!got) co_return make_error_code(Errc::kInternal);
  ctx.say(1, "get greeting = " + got->value + " (create_revision " +
                 std::to_string(got->create_revision) + ", mod_revision " +
                 std::to_string(got->mod_revision) + ", version " +
                 std::to_string(got->version) + ")");
  COORD_CLI_TRY(old, co_await b.get(ctx.prefix + "greeting", p1.header.revision));
  if (!old) co_return make_error_code(Errc::kInternal);
  ctx.say(1, "get greeting at revision " + std::to_string(p1.header.revision) + " = " +
                 old->value);
  ctx.note("one global revision orders every write; old revisions stay readable until compacted");
  co_return Result<void>{};
}

awaitable<Result<void>> show_cas(DemoContext& ctx) {
  const std::string key = ctx.prefix + "owner";
  int winners = 0;
  for (std::size_t i = 0; i < ctx.nodes.size(); ++i) {
    COORD_CLI_TRY(won, co_await create_if_absent(*ctx.nodes[i], key, "node-" + std::to_string(i + 1)));
    ctx.say(i, std::string("txn if version(owner)==0 then put -> ") + (won ? "won" : "lost"));
    winners += won ? 1 : 0;
  }
  ctx.note(std::to_string(winners) + " winner: a compare-and-swap txn is atomic, so exactly one "
           "node creates the key (the basis of every lock and barrier)");
  co_return Result<void>{};
}

awaitable<Result<void>> show_lease(DemoContext& ctx) {
  auto& c = *ctx.nodes.back();
  const std::size_t me = ctx.nodes.size() - 1;
  COORD_CLI_TRY(lease, co_await c.lease_grant(10));
  ctx.say(me, "lease " + std::to_string(lease.id) + " granted for " + std::to_string(lease.ttl) + " s");
  COORD_CLI_CHECK(co_await c.put(ctx.prefix + "alive/node-" + std::to_string(me + 1), "up", lease.id));
  ctx.say(me, "put alive/node-" + std::to_string(me + 1) + " on the lease");
  COORD_CLI_CHECK(co_await c.lease_revoke(lease.id));
  COORD_CLI_TRY(gone, co_await ctx.nodes[0]->get(ctx.prefix + "alive/node-" + std::to_string(me + 1)));
  ctx.say(0, std::string("after revoke, alive/node-") + std::to_string(me + 1) + " is " +
                 (gone ? "still there" : "gone"));
  ctx.note("keys on a lease vanish when it is revoked or expires: a crashed node releases what it held");
  co_return Result<void>{};
}

awaitable<Result<void>> show_watch(DemoContext& ctx) {
  auto& watcher = *ctx.nodes[0];
  auto& writer = *ctx.nodes[1];
  COORD_CLI_TRY(first, co_await writer.put(ctx.prefix + "events/a", "1"));
  COORD_CLI_CHECK(co_await writer.put(ctx.prefix + "events/b", "2"));
  COORD_CLI_CHECK(co_await writer.del(ctx.prefix + "events/a"));
  ctx.say(1, "put events/a, put events/b, delete events/a");
  COORD_CLI_TRY(stream, co_await watcher.watch(
                            WatchRequest::prefix(ctx.prefix + "events/", first.header.revision)));
  int seen = 0;
  while (seen < 3) {
    COORD_CLI_TRY(resp, co_await stream->next());
    for (const auto& ev : resp.events) {
      ++seen;
      ctx.say(0, std::string("watch from revision ") + std::to_string(first.header.revision) + ": " +
                     (ev.type == Event::Type::kPut ? "PUT " : "DELETE ") +
                     ev.kv.key.substr(ctx.prefix.size()) + " at revision " +
                     std::to_string(ev.kv.mod_revision));
    }
  }
  stream->cancel();
  ctx.note("a watch from a past revision replays every change in order, then follows live ones");
  co_return Result<void>{};
}

}  // namespace

awaitable<Result<void>> demo_kv(DemoContext& ctx) {
  COORD_CLI_CHECK(co_await show_revisions(ctx));
  COORD_CLI_CHECK(co_await show_cas(ctx));
  COORD_CLI_CHECK(co_await show_lease(ctx));
  COORD_CLI_CHECK(co_await show_watch(ctx));
  co_return Result<void>{};
}

}  // namespace coord::cli
