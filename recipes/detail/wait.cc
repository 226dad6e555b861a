#include "recipes/detail/wait.h"

namespace coord::detail {

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

Task<Revision> wait_delete_impl(Client& client, std::string key, Revision create_rev,
                                Revision from_rev) {
  for (;;) {
    WatchRequest req = WatchRequest::single(key, from_rev);
    req.filter_put = true;
    auto ev = co_await wait_event(client, std::move(req),
                                  [](const Event& e) { return e.type == Event::Type::kDelete; });
    if (ev) co_return ev->kv.mod_revision;
    if (!is_errc(ev.error(), Errc::kCompacted)) co_return ev.error();
    // History is gone: read the present instead of replaying the past.
    auto now = co_await client.range(RangeRequest::single(key));
    if (!now) co_return now.error();
    const bool gone = now->kvs.empty() ||
                      (create_rev != 0 && now->kvs.front().create_revision != create_rev);
    if (gone) co_return now->header.revision;
    from_rev = now->header.revision + 1;
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

Task<Header> wait_deletes(Client& client, std::string prefix, Revision max_create_rev,
                          Session* session) {
  return until_lost(session, wait_deletes_impl(client, std::move(prefix), max_create_rev));
}

}  // namespace coord::detail
