// conformance_kv_test.cc: Range, Put and DeleteRange as etcd 3.4 does them
// (etcdserver/apply.go Range/Put/DeleteRange), on every backend.
#include <string>
#include <vector>

#include "tests/api/conformance.h"

namespace coord::test {
namespace {

class KvConformanceTest : public ConformanceTest {};

// put_all writes key=value pairs one by one and returns the last revision.
using Pairs = std::vector<std::pair<std::string, std::string>>;

asio::awaitable<Revision> put_all(Client& kv, Pairs kvs) {
  Revision rev = 0;
  for (auto& [k, v] : kvs) rev = must(co_await kv.put(k, v), "put " + k).header.revision;
  co_return rev;
}

TEST_P(KvConformanceTest, PutCreatesKeyAtNewRevisionAndVersionCountsWrites) {
  run_void([&]() -> asio::awaitable<void> {
    const Revision before = co_await revision_of(kv());
    auto p1 = must(co_await kv().put("k", "v1"), "put");
    EXPECT_EQ(p1.header.revision, before + 1);
    auto p2 = must(co_await kv().put("k", "v2"), "put");
    EXPECT_EQ(p2.header.revision, before + 2);
    auto got = must(co_await kv().get("k"), "get");
    EXPECT_TRUE(got.has_value());
    if (!got) co_return;
    EXPECT_EQ(got->value, "v2");
    EXPECT_EQ(got->create_revision, p1.header.revision);
    EXPECT_EQ(got->mod_revision, p2.header.revision);
    EXPECT_EQ(got->version, 2);
    EXPECT_EQ(got->lease, 0);
  });
}

TEST_P(KvConformanceTest, PuttingTheSameValueAgainIsStillAWrite) {
  run_void([&]() -> asio::awaitable<void> {
    auto p1 = must(co_await kv().put("same", "v"), "put");
    auto p2 = must(co_await kv().put("same", "v"), "put");
    EXPECT_EQ(p2.header.revision, p1.header.revision + 1);
    auto got = must(co_await kv().get("same"), "get");
    EXPECT_TRUE(got && got->version == 2 && got->mod_revision == p2.header.revision);
  });
}

TEST_P(KvConformanceTest, RecreatedKeyStartsAtVersionOneWithNewCreateRevision) {
  run_void([&]() -> asio::awaitable<void> {
    must(co_await kv().put("k", "a"), "put");
    must(co_await kv().put("k", "b"), "put");
    must(co_await kv().del("k"), "del");
    auto p = must(co_await kv().put("k", "c"), "put");
    auto got = must(co_await kv().get("k"), "get");
    EXPECT_TRUE(got.has_value());
    if (!got) co_return;
    EXPECT_EQ(got->version, 1);
    EXPECT_EQ(got->create_revision, p.header.revision);
    EXPECT_EQ(got->mod_revision, p.header.revision);
  });
}

TEST_P(KvConformanceTest, SingleKeyRangeDoesNotMatchLongerKeys) {
  run_void([&]() -> asio::awaitable<void> {
    const Pairs pairs = {{"a", "1"}, {"a\0"s, "2"}, {"ab", "3"}};
    co_await put_all(kv(), pairs);
    auto r = must(co_await kv().range(RangeRequest::single("a")), "range");
    EXPECT_EQ(keys_of(r.kvs), std::vector<std::string>{"a"});
    EXPECT_EQ(r.count, 1);
    auto missing = must(co_await kv().range(RangeRequest::single("b")), "range");
    EXPECT_TRUE(missing.kvs.empty());
    EXPECT_EQ(missing.count, 0);
  });
}

TEST_P(KvConformanceTest, RangeIsHalfOpenAndSortedByKey) {
  run_void([&]() -> asio::awaitable<void> {
    const Pairs pairs = {{"d", "4"}, {"b", "2"}, {"c", "3"}, {"a", "1"}, {"e", "5"}};
    co_await put_all(kv(), pairs);
    RangeRequest req;
    req.key = "b";
    req.range_end = "e";
    auto r = must(co_await kv().range(req), "range");
    EXPECT_EQ(keys_of(r.kvs), (std::vector<std::string>{"b", "c", "d"}));
    EXPECT_EQ(r.count, 3);
    EXPECT_FALSE(r.more);
  });
}

TEST_P(KvConformanceTest, RangeEndZeroByteMeansEveryKeyFromKey) {
  run_void([&]() -> asio::awaitable<void> {
    const Pairs pairs = {{"a", "1"}, {"m", "2"}, {"z", "3"}, {"\xff\xff", "4"}};
    co_await put_all(kv(), pairs);
    RangeRequest req;
    req.key = "m";
    req.range_end = std::string(1, '\0');
    auto r = must(co_await kv().range(req), "range");
    EXPECT_EQ(keys_of(r.kvs), (std::vector<std::string>{"m", "z", "\xff\xff"}));
  });
}

TEST_P(KvConformanceTest, PrefixRangeMatchesOnlyThePrefix) {
  run_void([&]() -> asio::awaitable<void> {
    const Pairs pairs = {{"p", "0"}, {"p/1", "1"}, {"p/2", "2"}, {"p0", "x"}, {"o", "y"}};
    co_await put_all(kv(), pairs);
    auto r = must(co_await kv().range(RangeRequest::prefix("p/")), "range");
    EXPECT_EQ(keys_of(r.kvs), (std::vector<std::string>{"p/1", "p/2"}));
    EXPECT_EQ(r.count, 2);
  });
}

TEST_P(KvConformanceTest, KeysAndValuesAreBinarySafe) {
  run_void([&]() -> asio::awaitable<void> {
    const std::string key = "b\0\xff\0k"s;
    const std::string value = "\0\xff\0v\xfe\0"s;
    must(co_await kv().put(key, value), "put");
    must(co_await kv().put("b\0\xff\0"s, "shorter"), "put");
    must(co_await kv().put("b\0\xfe"s, "other"), "put");
    auto got = must(co_await kv().get(key), "get");
    EXPECT_TRUE(got.has_value());
    if (got) {
      EXPECT_EQ(got->key, key);
      EXPECT_EQ(got->value, value);
      EXPECT_EQ(got->value.size(), 6u);
    }
    auto r = must(co_await kv().range(RangeRequest::prefix("b\0\xff"s)), "range");
    EXPECT_EQ(keys_of(r.kvs), (std::vector<std::string>{"b\0\xff\0"s, key}));
  });
}

TEST_P(KvConformanceTest, PrefixOfAllFfBytesReadsToTheEndOfKeySpace) {
  run_void([&]() -> asio::awaitable<void> {
    const Pairs pairs = {{"\xfe", "1"}, {"\xff", "2"}, {"\xff\xff", "3"}, {"\xff\xff\x01", "4"}};
    co_await put_all(kv(), pairs);
    auto r = must(co_await kv().range(RangeRequest::prefix("\xff\xff")), "range");
    EXPECT_EQ(keys_of(r.kvs), (std::vector<std::string>{"\xff\xff", "\xff\xff\x01"}));
  });
}

TEST_P(KvConformanceTest, LimitTruncatesAndMoreAndCountTellWhatMatched) {
  run_void([&]() -> asio::awaitable<void> {
    const Pairs pairs = {{"l/1", "a"}, {"l/2", "b"}, {"l/3", "c"}, {"l/4", "d"}, {"l/5", "e"}};
    co_await put_all(kv(), pairs);
    auto req = RangeRequest::prefix("l/");
    req.limit = 2;
    auto r = must(co_await kv().range(req), "range limit 2");
    EXPECT_EQ(keys_of(r.kvs), (std::vector<std::string>{"l/1", "l/2"}));
    EXPECT_TRUE(r.more);
    EXPECT_EQ(r.count, 5);
    req.limit = 5;
    r = must(co_await kv().range(req), "range limit 5");
    EXPECT_EQ(r.kvs.size(), 5u);
    EXPECT_FALSE(r.more);
    EXPECT_EQ(r.count, 5);
    req.limit = 6;
    r = must(co_await kv().range(req), "range limit 6");
    EXPECT_EQ(r.kvs.size(), 5u);
    EXPECT_FALSE(r.more);
  });
}

TEST_P(KvConformanceTest, KeysOnlyDropsValuesButKeepsMetadata) {
  run_void([&]() -> asio::awaitable<void> {
    auto p = must(co_await kv().put("ko", "value"), "put");
    auto req = RangeRequest::single("ko");
    req.keys_only = true;
    auto r = must(co_await kv().range(req), "range");
    EXPECT_EQ(r.kvs.size(), 1u);
    if (r.kvs.empty()) co_return;
    EXPECT_EQ(r.kvs[0].key, "ko");
    EXPECT_TRUE(r.kvs[0].value.empty());
    EXPECT_EQ(r.kvs[0].mod_revision, p.header.revision);
    EXPECT_EQ(r.kvs[0].version, 1);
  });
}

TEST_P(KvConformanceTest, CountOnlyReturnsCountWithoutKeys) {
  run_void([&]() -> asio::awaitable<void> {
    const Pairs pairs = {{"c/1", "a"}, {"c/2", "b"}, {"c/3", "c"}, {"d", "x"}};
    co_await put_all(kv(), pairs);
    auto req = RangeRequest::prefix("c/");
    req.count_only = true;
    auto r = must(co_await kv().range(req), "range");
    EXPECT_TRUE(r.kvs.empty());
    EXPECT_EQ(r.count, 3);
  });
}

TEST_P(KvConformanceTest, HistoricalReadReturnsValueAtThatRevision) {
  run_void([&]() -> asio::awaitable<void> {
    auto r1 = must(co_await kv().put("h", "v1"), "put").header.revision;
    auto r2 = must(co_await kv().put("h", "v2"), "put").header.revision;
    must(co_await kv().put("h2", "other"), "put");
    auto r3 = must(co_await kv().del("h"), "del").header.revision;
    auto at1 = must(co_await kv().get("h", r1), "get@r1");
    EXPECT_TRUE(at1 && at1->value == "v1" && at1->version == 1 && at1->mod_revision == r1);
    auto at2 = must(co_await kv().get("h", r2), "get@r2");
    EXPECT_TRUE(at2 && at2->value == "v2" && at2->version == 2 && at2->create_revision == r1);
    auto at3 = must(co_await kv().get("h", r3), "get@r3");
    EXPECT_FALSE(at3.has_value());
    auto req = RangeRequest::prefix("h");
    req.revision = r1;
    auto old = must(co_await kv().range(req), "range@r1");
    EXPECT_EQ(keys_of(old.kvs), std::vector<std::string>{"h"});
    // etcd answers a historical read with the current revision in the header.
    EXPECT_EQ(old.header.revision, r3);
  });
}

TEST_P(KvConformanceTest, PutPrevKvReturnsThePreviousPairOnlyIfItExisted) {
  run_void([&]() -> asio::awaitable<void> {
    PutRequest req;
    req.key = "pk";
    req.value = "one";
    req.prev_kv = true;
    auto first = must(co_await kv().put(req), "put");
    EXPECT_FALSE(first.prev_kv.has_value());
    req.value = "two";
    auto second = must(co_await kv().put(req), "put");
    EXPECT_TRUE(second.prev_kv.has_value());
    if (!second.prev_kv) co_return;
    EXPECT_EQ(second.prev_kv->value, "one");
    EXPECT_EQ(second.prev_kv->mod_revision, first.header.revision);
    EXPECT_EQ(second.prev_kv->version, 1);
    auto plain = must(co_await kv().put("pk", "three"), "put");
    EXPECT_FALSE(plain.prev_kv.has_value()) << "prev_kv returned without being asked";
  });
}

TEST_P(KvConformanceTest, IgnoreValueKeepsValueAndIgnoreLeaseKeepsLease) {
  run_void([&]() -> asio::awaitable<void> {
    auto lease = must(co_await kv().lease_grant(30), "grant").id;
    must(co_await kv().put("iv", "kept", lease), "put");
    PutRequest keep_value;
    keep_value.key = "iv";
    keep_value.ignore_value = true;  // value stays, lease becomes 0
    must(co_await kv().put(keep_value), "put ignore_value");
    auto got = must(co_await kv().get("iv"), "get");
    EXPECT_TRUE(got && got->value == "kept" && got->lease == 0 && got->version == 2);
    must(co_await kv().put("iv", "x", lease), "put on lease");
    PutRequest keep_lease;
    keep_lease.key = "iv";
    keep_lease.value = "new";
    keep_lease.ignore_lease = true;
    must(co_await kv().put(keep_lease), "put ignore_lease");
    got = must(co_await kv().get("iv"), "get");
    EXPECT_TRUE(got && got->value == "new" && got->lease == lease);
  });
}

TEST_P(KvConformanceTest, IgnoreFlagsRejectMissingKeyAndConflictingFields) {
  run_void([&]() -> asio::awaitable<void> {
    const Revision before = co_await revision_of(kv());
    PutRequest req;
    req.key = "absent";
    req.ignore_value = true;
    EXPECT_ERRC(co_await kv().put(req), Errc::kInvalidArgument);
    req.ignore_value = false;
    req.ignore_lease = true;
    req.value = "v";
    EXPECT_ERRC(co_await kv().put(req), Errc::kInvalidArgument);
    must(co_await kv().put("present", "v"), "put");
    PutRequest both;
    both.key = "present";
    both.value = "not allowed with ignore_value";
    both.ignore_value = true;
    EXPECT_ERRC(co_await kv().put(both), Errc::kInvalidArgument);
    auto lease = must(co_await kv().lease_grant(30), "grant").id;
    PutRequest lease_too;
    lease_too.key = "present";
    lease_too.lease = lease;
    lease_too.ignore_lease = true;
    EXPECT_ERRC(co_await kv().put(lease_too), Errc::kInvalidArgument);
    EXPECT_FALSE(must(co_await kv().get("absent"), "get").has_value());
    EXPECT_EQ(co_await revision_of(kv()), before + 1);  // only the good put
  });
}

TEST_P(KvConformanceTest, DeleteRangeCountsDeletedKeysAndReturnsPrevKvs) {
  run_void([&]() -> asio::awaitable<void> {
    const Pairs pairs = {{"d/1", "a"}, {"d/2", "b"}, {"d/3", "c"}, {"e", "x"}};
    co_await put_all(kv(), pairs);
    const Revision before = co_await revision_of(kv());
    auto req = DeleteRequest::prefix("d/");
    req.prev_kv = true;
    auto d = must(co_await kv().delete_range(req), "delete");
    EXPECT_EQ(d.deleted, 3);
    EXPECT_EQ(d.header.revision, before + 1);
    EXPECT_EQ(keys_of(d.prev_kvs), (std::vector<std::string>{"d/1", "d/2", "d/3"}));
    if (d.prev_kvs.size() == 3) {
      EXPECT_EQ(d.prev_kvs[1].value, "b");
    }
    auto left = co_await snapshot(kv(), "");
    EXPECT_EQ(keys_of(left.kvs), std::vector<std::string>{"e"});
    auto single = must(co_await kv().del("e"), "del");
    EXPECT_EQ(single.deleted, 1);
    EXPECT_TRUE(single.prev_kvs.empty()) << "prev_kvs returned without being asked";
  });
}

TEST_P(KvConformanceTest, DeletingMissingKeyDeletesNothingAndKeepsRevision) {
  run_void([&]() -> asio::awaitable<void> {
    must(co_await kv().put("x", "1"), "put");
    const Revision before = co_await revision_of(kv());
    auto d = must(co_await kv().del("nope"), "del");
    EXPECT_EQ(d.deleted, 0);
    EXPECT_EQ(d.header.revision, before);
    auto r = must(co_await kv().delete_range(DeleteRequest::prefix("nothing/")), "delete");
    EXPECT_EQ(r.deleted, 0);
    EXPECT_EQ(co_await revision_of(kv()), before);
  });
}

}  // namespace

GTEST_ALLOW_UNINSTANTIATED_PARAMETERIZED_TEST(KvConformanceTest);
COORD_INSTANTIATE_BACKENDS(KvConformanceTest);

}  // namespace coord::test
