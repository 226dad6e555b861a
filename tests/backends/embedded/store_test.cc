#include <gtest/gtest.h>

#include "api/txn.h"
#include "tests/support/harness.h"

namespace coord::test {

std::vector<BackendFactory> embedded_backends();  // tests/support/embedded_harness.cc

namespace {

class StoreTest : public BackendTest {};

TEST_P(StoreTest, PutThenGetReturnsValueAtNewRevision) {
  auto& kv = client();
  run_void([&]() -> boost::asio::awaitable<void> {
    auto p = co_await kv.put("a", "1");
    EXPECT_TRUE(p.has_value());
    EXPECT_EQ(p->header.revision, 2);  // etcd: a fresh store is at revision 1
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
    auto w = co_await kv.watch(WatchRequest::prefix("", 4));
    EXPECT_TRUE(w.has_value());
    harness().advance(std::chrono::seconds(6));
    auto r = co_await (*w)->next();
    EXPECT_TRUE(r.has_value());
    EXPECT_EQ(r->events.size(), 2u);
    EXPECT_EQ(r->events[0].type, Event::Type::kDelete);
    EXPECT_EQ(r->events[0].kv.mod_revision, 4);
    auto g = co_await kv.get("a");
    EXPECT_FALSE(g->has_value());
  });
}

// Only the embedded backends: the conformance suite covers the others.
INSTANTIATE_TEST_SUITE_P(Embedded, StoreTest, ::testing::ValuesIn(embedded_backends()),
                         [](const auto& info) { return info.param.name; });

}  // namespace
}  // namespace coord::test
