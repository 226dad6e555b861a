#include <gtest/gtest.h>

#include "api/txn.h"
#include "tests/support/harness.h"

namespace coord::test {
namespace {

class StoreTest : public BackendTest {};

TEST_P(StoreTest, PutThenGetReturnsValueAtNewRevision) {
  auto& kv = client();
  run_void([&]() -> boost::asio::awaitable<void> {
    auto p = co_await kv.put("a", "1");
    EXPECT_TRUE(p.has_value());
    EXPECT_EQ(p->header.revision, 1);
    auto g = co_await kv.get("a");
    EXPECT_TRUE(g.has_value() && g->has_value());
    EXPECT_EQ((*g)->value, "1");
  });
}

TEST_P(StoreTest, LeaseExpiryDeletesAttachedKeysWithOneRevision) {
  auto& kv = client();
  run_void([&]() -> boost::asio::awaitable<void> {
    auto l = co_await kv.lease_grant(5);
    EXPECT_TRUE(l.has_value());
    (void)co_await kv.put("a", "1", l->id);
    (void)co_await kv.put("b", "1", l->id);
    auto w = co_await kv.watch(WatchRequest::prefix("", 3));
    EXPECT_TRUE(w.has_value());
    harness().advance(std::chrono::seconds(6));
    auto r = co_await (*w)->next();
    EXPECT_TRUE(r.has_value());
    EXPECT_EQ(r->events.size(), 2u);
    EXPECT_EQ(r->events[0].type, Event::Type::kDelete);
    EXPECT_EQ(r->events[0].kv.mod_revision, 3);
    auto g = co_await kv.get("a");
    EXPECT_FALSE(g->has_value());
  });
}

COORD_INSTANTIATE_BACKENDS(StoreTest);

}  // namespace
}  // namespace coord::test
