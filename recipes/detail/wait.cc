#include "recipes/detail/wait.h"

namespace coord::detail {
namespace asio = boost::asio;

Task<Event> wait_event(Client& client, WatchRequest req, EventFilter want) {
  auto stream = co_await client.watch(std::move(req));
  if (!stream) co_return stream.error();
  for (;;) {
    auto r = co_await (*stream)->next();
    if (!r) co_return r.error();
    for (auto& ev : r->events) {
      if (want(ev)) co_return std::move(ev);
    }
  }
}

namespace {

// next_event reads s until an event passes `want`, or s fails.
Task<Event> next_event(WatchStream& s, const EventFilter& want) {
  for (;;) {
    auto r = co_await s.next();
    if (!r) co_return r.error();
    for (auto& ev : r->events) {
      if (want(ev)) co_return std::move(ev);
    }
  }
}

}  // namespace

Task<Event> first_event(std::vector<std::unique_ptr<WatchStream>>& streams,
                        const EventFilter& want) {
  if (streams.empty()) co_return make_error_code(Errc::kInvalidArgument);
  if (co_await cancelled_already()) co_return make_error_code(Errc::kCancelled);
  auto ex = co_await asio::this_coro::executor;
  // Each wait runs shielded, so the group's cancellation of the losers
  // comes back as a result. Named first (g++ 12 and temporaries in
  // co_await, sim/FINDINGS.md F2).
  using Op = decltype(asio::co_spawn(ex, shielded_body(next_event(*streams[0], want)),
                                     asio::deferred));
  std::vector<Op> ops;
  ops.reserve(streams.size());
  for (auto& s : streams) {
    auto guarded = shielded_body(next_event(*s, want));
    ops.push_back(asio::co_spawn(ex, std::move(guarded), asio::deferred));
  }
  auto group = asio::experimental::make_parallel_group(std::move(ops));
  auto [order, errors, results] =
      co_await std::move(group).async_wait(asio::experimental::wait_for_one(),
                                           asio::use_awaitable);
  const std::size_t first = order[0];
  if (errors[first]) std::rethrow_exception(errors[first]);
  co_return std::move(results[first]);
}

namespace {

// gone_at returns the revision of a read that finds key gone (or another
// incarnation of it), 0 while it is still there.
Task<Revision> gone_at(Client& client, const std::string& key, Revision create_rev) {
  auto now = co_await client.range(RangeRequest::single(key));
  if (!now) co_return now.error();
  const bool gone = now->kvs.empty() ||
                    (create_rev != 0 && now->kvs.front().create_revision != create_rev);
  co_return gone ? now->header.revision : Revision{0};
}

// wait_delete_impl opens its watch at the present (start revision 0) and
// only then reads the key: what happened since from_rev is covered by the
// read, and the watch is on etcd's synced path. A watch from a revision the
// store has already passed (likely under contention) is served by etcd's
// unsynced-watcher loop, which runs every 100 ms.
Task<Revision> wait_delete_impl(Client& client, std::string key, Revision create_rev,
                                Revision /*from_rev*/) {
  for (;;) {
    WatchRequest req = WatchRequest::single(key, 0);
    req.filter_put = true;
    auto stream = co_await client.watch(std::move(req));
    if (!stream) co_return stream.error();
    auto gone = co_await gone_at(client, key, create_rev);
    if (!gone) co_return gone.error();
    if (*gone > 0) co_return *gone;
    for (;;) {
      auto r = co_await (*stream)->next();
      if (!r && is_errc(r.error(), Errc::kCompacted)) break;  // watch again, re-read
      if (!r) co_return r.error();
      for (const auto& ev : r->events) {
        if (ev.type == Event::Type::kDelete) co_return ev.kv.mod_revision;
      }
    }
  }
}

// wait_put_impl: as wait_delete_impl, a watch at the present, then a read.
Task<Revision> wait_put_impl(Client& client, std::string key, Revision after_rev) {
  for (;;) {
    WatchRequest req = WatchRequest::single(key, 0);
    req.filter_delete = true;
    auto stream = co_await client.watch(std::move(req));
    if (!stream) co_return stream.error();
    auto now = co_await client.range(RangeRequest::single(key));
    if (!now) co_return now.error();
    if (!now->kvs.empty() && now->kvs.front().mod_revision > after_rev) {
      co_return now->kvs.front().mod_revision;
    }
    for (;;) {
      auto r = co_await (*stream)->next();
      if (!r && is_errc(r.error(), Errc::kCompacted)) break;  // watch again, re-read
      if (!r) co_return r.error();
      for (const auto& ev : r->events) {
        if (ev.type == Event::Type::kPut && ev.kv.mod_revision > after_rev) {
          co_return ev.kv.mod_revision;
        }
      }
    }
  }
}

Task<Header> wait_deletes_impl(Client& client, std::string prefix, Revision max_create_rev) {
  for (;;) {
    RangeRequest req = RangeRequest::last_create(prefix);
    req.max_create_revision = max_create_rev;
    auto r = co_await client.range(std::move(req));
    if (!r) co_return r.error();
    if (r->kvs.empty()) co_return r->header;
    const KeyValue& kv = r->kvs.front();
    auto d = co_await wait_delete_impl(client, kv.key, kv.create_revision,
                                       r->header.revision + 1);
    if (!d) co_return d.error();
  }
}

}  // namespace

Task<Revision> wait_delete(Client& client, std::string key, Revision create_rev,
                           Revision from_rev, Session* session) {
  return until_lost(session,
                    wait_delete_impl(client, std::move(key), create_rev, from_rev));
}

Task<Revision> wait_put_after(Client& client, std::string key, Revision after_rev,
                              Session* session) {
  return until_lost(session, wait_put_impl(client, std::move(key), after_rev));
}

Task<Header> wait_deletes(Client& client, std::string prefix, Revision max_create_rev,
                          Session* session) {
  return until_lost(session, wait_deletes_impl(client, std::move(prefix), max_create_rev));
}

}  // namespace coord::detail
