#include "backends/embedded/detail/mvcc.h"

#include <gtest/gtest.h>

namespace coord::embedded::detail {
namespace {

void put(Index& ix, const std::string& k, const std::string& v) {
  ix.begin_write();
  ix.put(k, v, 0);
  ix.commit();
}

void erase(Index& ix, const std::string& k) {
  ix.begin_write();
  ix.erase(k);
  ix.commit();
}

TEST(MvccTest, PutBumpsRevisionAndVersion) {
  Index ix;
  put(ix, "a", "1");
  put(ix, "a", "2");
  ASSERT_EQ(ix.revision(), 3);  // a fresh index is at revision 1
  const Version* v = ix.get("a");
  ASSERT_NE(v, nullptr);
  EXPECT_EQ(v->value, "2");
  EXPECT_EQ(v->version, 2);
  EXPECT_EQ(v->create, 2);
  EXPECT_EQ(v->rev, 3);
}

TEST(MvccTest, HistoricalReadSeesOldVersion) {
  Index ix;
  put(ix, "a", "1");
  put(ix, "a", "2");
  EXPECT_EQ(ix.get("a", 1), nullptr);
  EXPECT_EQ(ix.get("a", 2)->value, "1");
  EXPECT_EQ(ix.get("a", 3)->value, "2");
}

TEST(MvccTest, EraseOfMissingKeyStagesNothing) {
  Index ix;
  ix.begin_write();
  EXPECT_FALSE(ix.erase("x").has_value());
  ix.commit();
  EXPECT_EQ(ix.revision(), 1);
}

TEST(MvccTest, TombstoneHidesKeyAndRecreateRestartsVersion) {
  Index ix;
  put(ix, "a", "1");
  ix.begin_write();
  ASSERT_TRUE(ix.erase("a").has_value());
  ix.commit();
  EXPECT_EQ(ix.get("a"), nullptr);
  put(ix, "a", "3");
  EXPECT_EQ(ix.get("a")->version, 1);
  EXPECT_EQ(ix.get("a")->create, 4);
}

TEST(MvccTest, CompactKeepsLatestVersionAtOrBelowPoint) {
  Index ix;
  put(ix, "a", "1");
  put(ix, "a", "2");
  put(ix, "b", "1");
  ix.begin_write();
  ix.erase("b");
  ix.commit();
  auto removed = ix.compact(5);
  // a@2 and b@4 go; b's tombstone at exactly 5 stays for watchers from 5.
  EXPECT_EQ(removed.size(), 2u);
  EXPECT_EQ(ix.get("a", 5)->value, "2");
  EXPECT_EQ(ix.get("b", 5), nullptr);
  EXPECT_EQ(ix.key_count(), 2u);
}

TEST(MvccTest, TombstoneAtTheCompactionPointGoesAtTheNextCompaction) {
  Index ix;
  put(ix, "a", "1");  // 2
  ix.begin_write();
  ix.erase("a");      // 3
  ix.commit();
  put(ix, "b", "1");  // 4
  EXPECT_EQ(ix.compact(3).size(), 1u);  // a@2 goes, the tombstone at 3 stays
  EXPECT_EQ(ix.get("a", 3), nullptr);
  auto removed = ix.compact(4);
  ASSERT_EQ(removed.size(), 1u);
  EXPECT_EQ(removed[0].first, "a");
  EXPECT_EQ(ix.key_count(), 1u);
}

TEST(MvccTest, RollbackDropsStagedWrites) {
  Index ix;
  put(ix, "a", "1");
  ix.begin_write();
  ix.put("a", "2", 0);
  ix.put("b", "2", 0);
  ix.rollback();
  EXPECT_EQ(ix.get("a")->value, "1");
  EXPECT_EQ(ix.get("b"), nullptr);
  EXPECT_EQ(ix.revision(), 2);
}

// keys_at lists the keys of [from, end) live at rev (0: latest).
std::vector<std::string> keys_at(const Index& ix, std::string_view from, std::string_view end,
                                     Revision rev = 0) {
  std::vector<std::string> keys;
  ix.for_range(KeyRange{from, end}, rev, [&](std::string_view k, const Version&) {
    keys.emplace_back(k);
  });
  return keys;
}

TEST(MvccTest, LatestRangeSkipsDeletedKeysButHistoricalRangeSeesThem) {
  Index ix;
  put(ix, "q/1", "a");
  put(ix, "q/2", "b");
  put(ix, "q/3", "c");
  erase(ix, "q/2");
  EXPECT_EQ(keys_at(ix, "q/", "q0"), (std::vector<std::string>{"q/1", "q/3"}));
  EXPECT_EQ(ix.live_count(), 2u);
  EXPECT_EQ(ix.key_count(), 3u);  // q/2's history stays until compaction
  EXPECT_EQ(keys_at(ix, "q/", "q0", 4), (std::vector<std::string>{"q/1", "q/2", "q/3"}));
}

TEST(MvccTest, RollbackRestoresTheLiveKeys) {
  Index ix;
  put(ix, "a", "1");
  put(ix, "b", "1");
  ix.begin_write();
  ix.erase("a");
  ix.put("c", "1", 0);
  ix.put("b", "2", 0);
  EXPECT_EQ(keys_at(ix, "", std::string_view("\0", 1)),
            (std::vector<std::string>{"b", "c"}));  // staged writes are visible
  ix.rollback();
  EXPECT_EQ(keys_at(ix, "", std::string_view("\0", 1)),
            (std::vector<std::string>{"a", "b"}));
  EXPECT_EQ(ix.get("b")->value, "1");
}

TEST(MvccTest, RecreatedKeyIsLiveAgainAndCompactionForgetsTheDeadOne) {
  Index ix;
  put(ix, "a", "1");
  put(ix, "b", "1");
  erase(ix, "a");
  erase(ix, "b");
  put(ix, "a", "2");
  EXPECT_EQ(keys_at(ix, "a", "z"), (std::vector<std::string>{"a"}));
  ix.compact(ix.revision());
  EXPECT_EQ(ix.key_count(), 1u);
  EXPECT_EQ(keys_at(ix, "a", "z"), (std::vector<std::string>{"a"}));
}

}  // namespace
}  // namespace coord::embedded::detail
