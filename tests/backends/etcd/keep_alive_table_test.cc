// keep_alive_table_test.cc: routing of multiplexed keep-alive responses,
// stepped without a network.
#include "backends/etcd/detail/keep_alive_table.h"

#include <gtest/gtest.h>

namespace coord::etcd::detail {
namespace {

TEST(KeepAliveTableTest, ResponseCompletesOldestWaiterOfItsLease) {
  KeepAliveTable t;
  t.add(1, 100);
  t.add(2, 200);
  t.add(3, 100);
  EXPECT_EQ(t.on_response(100), 1u);
  EXPECT_EQ(t.on_response(200), 2u);
  EXPECT_EQ(t.on_response(100), 3u);
  EXPECT_EQ(t.on_response(100), std::nullopt);
  EXPECT_EQ(t.pending(), 0u);
}

TEST(KeepAliveTableTest, CancelledWaiterIsSkipped) {
  KeepAliveTable t;
  t.add(1, 7);
  t.add(2, 7);
  t.remove(1);
  EXPECT_EQ(t.on_response(7), 2u);
  EXPECT_EQ(t.on_response(7), std::nullopt);
}

TEST(KeepAliveTableTest, ClosedStreamFailsEveryPendingWaiterInOrder) {
  KeepAliveTable t;
  t.add(5, 1);
  t.add(6, 2);
  t.add(9, 1);
  EXPECT_EQ(t.on_closed(), (std::vector<KeepAliveTable::WaiterId>{5, 6, 9}));
  EXPECT_EQ(t.pending(), 0u);
  EXPECT_EQ(t.on_response(1), std::nullopt);
}

TEST(KeepAliveTableTest, ResponseForUnknownLeaseIsIgnored) {
  KeepAliveTable t;
  t.add(1, 1);
  EXPECT_EQ(t.on_response(2), std::nullopt);
  EXPECT_EQ(t.pending(), 1u);
}

}  // namespace
}  // namespace coord::etcd::detail
