// conformance_range_test.cc: Range sorting and revision filters (§12.K.3).
//
// etcd (etcdserver/apply.go Range) fetches every key of the range when a
// sort or a min/max filter is set, prunes by the filters, sorts, then
// truncates to limit and sets More if it truncated. Count is the number of
// keys in the range before filters and limit.
#include <algorithm>
#include <string>
#include <vector>

#include "tests/api/conformance.h"

namespace coord::test {
namespace {

class RangeConformanceTest : public ConformanceTest {
 protected:
  // Fixture keys under "s/", built so that every sort target orders them
  // differently (ascending):
  //   key: a b c   create: c a b   mod: b a c   version: b c a   value: a c b
  struct Keys {
    KeyValue a, b, c;
  };

  asio::awaitable<Keys> make_keys() {
    must(co_await kv().put("s/c", "y"), "put c");
    must(co_await kv().put("s/a", "x"), "put a");
    must(co_await kv().put("s/b", "z"), "put b");
    must(co_await kv().put("s/a", "x"), "put a");
    must(co_await kv().put("s/a", "x"), "put a");
    must(co_await kv().put("s/c", "y"), "put c");
    auto all = co_await snapshot(kv(), "s/");
    if (all.kvs.size() != 3) throw std::runtime_error("fixture keys missing");
    co_return Keys{all.kvs[0], all.kvs[1], all.kvs[2]};
  }

  static RangeRequest sorted(SortTarget target, SortOrder order) {
    auto r = RangeRequest::prefix("s/");
    r.sort_target = target;
    r.sort_order = order;
    return r;
  }
};

struct SortCase {
  SortTarget target;
  std::vector<std::string> ascending;
};

TEST_P(RangeConformanceTest, EverySortTargetSortsBothWays) {
  run_void([&]() -> asio::awaitable<void> {
    auto keys = co_await make_keys();
    // The fixture must really give distinct orders, or this test proves less.
    EXPECT_LT(keys.c.create_revision, keys.a.create_revision);
    EXPECT_LT(keys.b.mod_revision, keys.a.mod_revision);
    EXPECT_EQ(keys.a.version, 3);
    const std::vector<SortCase> cases = {
        {SortTarget::kKey, {"s/a", "s/b", "s/c"}},
        {SortTarget::kCreate, {"s/c", "s/a", "s/b"}},
        {SortTarget::kMod, {"s/b", "s/a", "s/c"}},
        {SortTarget::kVersion, {"s/b", "s/c", "s/a"}},
        {SortTarget::kValue, {"s/a", "s/c", "s/b"}},
    };
    for (const auto& c : cases) {
      SCOPED_TRACE(static_cast<int>(c.target));
      auto asc = must(co_await kv().range(sorted(c.target, SortOrder::kAscend)), "asc");
      EXPECT_EQ(keys_of(asc.kvs), c.ascending);
      auto desc = must(co_await kv().range(sorted(c.target, SortOrder::kDescend)), "desc");
      std::vector<std::string> descending(c.ascending.rbegin(), c.ascending.rend());
      EXPECT_EQ(keys_of(desc.kvs), descending);
    }
  });
}

TEST_P(RangeConformanceTest, SortWithLimitOneReturnsTheExtremeKeyAndMore) {
  run_void([&]() -> asio::awaitable<void> {
    co_await make_keys();
    struct Top {
      RangeRequest req;
      std::string want;
    };
    const std::vector<Top> tops = {
        {RangeRequest::first_create("s/"), "s/c"}, {RangeRequest::last_create("s/"), "s/b"},
        {RangeRequest::first_key("s/"), "s/a"},    {RangeRequest::last_key("s/"), "s/c"},
        {RangeRequest::first_rev("s/"), "s/b"},    {RangeRequest::last_rev("s/"), "s/c"},
    };
    for (const auto& t : tops) {
      SCOPED_TRACE(t.want);
      auto r = must(co_await kv().range(t.req), "range");
      EXPECT_EQ(keys_of(r.kvs), std::vector<std::string>{t.want});
      EXPECT_TRUE(r.more);
      EXPECT_EQ(r.count, 3);
    }
  });
}

TEST_P(RangeConformanceTest, SortTiesKeepKeyOrderUnderLimit) {
  run_void([&]() -> asio::awaitable<void> {
    // One txn: t/c, t/a, t/b share a create and a mod revision.
    TxnRequest t;
    for (const char* k : {"t/c", "t/a", "t/b"}) t.success.push_back(Op::put(k, "v"));
    must(co_await kv().txn(std::move(t)), "txn");
    must(co_await kv().put("t/d", "v"), "put d");
    auto newest = RangeRequest::last_create("t/");
    newest.limit = 2;
    auto r = must(co_await kv().range(newest), "last_create limit 2");
    EXPECT_EQ(keys_of(r.kvs), (std::vector<std::string>{"t/d", "t/a"}));
    EXPECT_TRUE(r.more);
    auto oldest = RangeRequest::first_rev("t/");
    oldest.limit = 2;
    r = must(co_await kv().range(oldest), "first_rev limit 2");
    EXPECT_EQ(keys_of(r.kvs), (std::vector<std::string>{"t/a", "t/b"}));
    EXPECT_EQ(r.count, 4);
  });
}

TEST_P(RangeConformanceTest, NonKeySortTargetWithoutOrderSortsAscending) {
  run_void([&]() -> asio::awaitable<void> {
    co_await make_keys();
    auto r = must(co_await kv().range(sorted(SortTarget::kCreate, SortOrder::kNone)), "range");
    EXPECT_EQ(keys_of(r.kvs), (std::vector<std::string>{"s/c", "s/a", "s/b"}));
  });
}

TEST_P(RangeConformanceTest, CreateRevisionFiltersApplyBeforeSortAndLimit) {
  run_void([&]() -> asio::awaitable<void> {
    auto keys = co_await make_keys();
    // Newest create is b; capped at a's create revision it must be a, not
    // "b, then filtered away".
    auto newest = RangeRequest::last_create("s/");
    newest.max_create_revision = keys.a.create_revision;
    auto r = must(co_await kv().range(newest), "last_create max");
    EXPECT_EQ(keys_of(r.kvs), std::vector<std::string>{"s/a"});
    EXPECT_TRUE(r.more);  // c also passed the filter
    auto oldest = RangeRequest::first_create("s/");
    oldest.min_create_revision = keys.a.create_revision;
    r = must(co_await kv().range(oldest), "first_create min");
    EXPECT_EQ(keys_of(r.kvs), std::vector<std::string>{"s/a"});
  });
}

TEST_P(RangeConformanceTest, ModRevisionFiltersApplyBeforeSortAndLimit) {
  run_void([&]() -> asio::awaitable<void> {
    auto keys = co_await make_keys();
    auto newest = RangeRequest::last_rev("s/");
    newest.max_mod_revision = keys.a.mod_revision;
    auto r = must(co_await kv().range(newest), "last_rev max");
    EXPECT_EQ(keys_of(r.kvs), std::vector<std::string>{"s/a"});
    auto oldest = RangeRequest::first_rev("s/");
    oldest.min_mod_revision = keys.a.mod_revision;
    r = must(co_await kv().range(oldest), "first_rev min");
    EXPECT_EQ(keys_of(r.kvs), std::vector<std::string>{"s/a"});
  });
}

TEST_P(RangeConformanceTest, FilterWithoutSortStillAppliesBeforeLimit) {
  run_void([&]() -> asio::awaitable<void> {
    auto keys = co_await make_keys();
    // Key order is a, b, c; only c has mod >= c.mod. A limit applied before
    // the filter would return nothing.
    auto req = RangeRequest::prefix("s/");
    req.limit = 1;
    req.min_mod_revision = keys.c.mod_revision;
    auto r = must(co_await kv().range(req), "range");
    EXPECT_EQ(keys_of(r.kvs), std::vector<std::string>{"s/c"});
    EXPECT_FALSE(r.more) << "only one key passed the filter";
  });
}

TEST_P(RangeConformanceTest, FiltersCombineAsIntersection) {
  run_void([&]() -> asio::awaitable<void> {
    auto keys = co_await make_keys();
    auto req = RangeRequest::prefix("s/");
    req.min_create_revision = keys.a.create_revision;  // drops c
    req.max_mod_revision = keys.a.mod_revision;        // drops c (again)
    req.min_mod_revision = keys.a.mod_revision;        // drops b
    auto r = must(co_await kv().range(req), "range");
    EXPECT_EQ(keys_of(r.kvs), std::vector<std::string>{"s/a"});
  });
}

TEST_P(RangeConformanceTest, CountIgnoresRevisionFilters) {
  run_void([&]() -> asio::awaitable<void> {
    auto keys = co_await make_keys();
    auto req = RangeRequest::prefix("s/");
    req.max_create_revision = keys.c.create_revision;  // only c passes
    auto r = must(co_await kv().range(req), "range");
    EXPECT_EQ(keys_of(r.kvs), std::vector<std::string>{"s/c"});
    // etcd's Count is the mvcc count of the range, taken before pruning.
    EXPECT_EQ(r.count, 3);
  });
}

TEST_P(RangeConformanceTest, HistoricalSortedReadSeesOnlyKeysOfThatRevision) {
  run_void([&]() -> asio::awaitable<void> {
    auto keys = co_await make_keys();
    auto req = RangeRequest::last_create("s/");
    req.revision = keys.a.create_revision;  // b did not exist yet
    auto r = must(co_await kv().range(req), "range");
    EXPECT_EQ(keys_of(r.kvs), std::vector<std::string>{"s/a"});
    EXPECT_EQ(r.count, 2);
    if (!r.kvs.empty()) {
      EXPECT_EQ(r.kvs[0].version, 1);
    }
  });
}

TEST_P(RangeConformanceTest, RangeEndAtOrBeforeKeyIsEmpty) {
  run_void([&]() -> asio::awaitable<void> {
    co_await make_keys();
    RangeRequest req;
    req.key = "s/c";
    req.range_end = "s/a";
    auto r = must(co_await kv().range(req), "range");
    EXPECT_TRUE(r.kvs.empty());
    EXPECT_EQ(r.count, 0);
    req.range_end = "s/c";
    r = must(co_await kv().range(req), "range end == key");
    EXPECT_TRUE(r.kvs.empty());
  });
}

TEST_P(RangeConformanceTest, DeletedKeysLeaveSortedLimitedReadsOfAPrefix) {
  run_void([&]() -> asio::awaitable<void> {
    // A queue-like prefix: many keys come and go; the oldest live one and
    // the count must ignore the deleted ones.
    for (int i = 0; i < 20; ++i) must(co_await kv().put("d/" + std::to_string(100 + i), "v"), "put");
    for (int i = 0; i < 15; ++i) must(co_await kv().del("d/" + std::to_string(100 + i)), "del");
    auto r = must(co_await kv().range(RangeRequest::first_rev("d/")), "first_rev");
    EXPECT_EQ(keys_of(r.kvs), std::vector<std::string>{"d/115"});
    EXPECT_EQ(r.count, 5);
    EXPECT_TRUE(r.more);
    auto keys = must(co_await kv().range(RangeRequest::first_key("d/")), "first_key");
    EXPECT_EQ(keys_of(keys.kvs), std::vector<std::string>{"d/115"});
  });
}

}  // namespace

GTEST_ALLOW_UNINSTANTIATED_PARAMETERIZED_TEST(RangeConformanceTest);
COORD_INSTANTIATE_BACKENDS(RangeConformanceTest);

}  // namespace coord::test
