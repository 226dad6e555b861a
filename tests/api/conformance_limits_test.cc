// conformance_limits_test.cc: etcd's limits and input errors
// (shared/reference/etcd-contract.md, "Errors the server returns"), and that
// a rejected request leaves the store untouched: same data, same revision.
#include <string>
#include <vector>

#include "tests/api/conformance.h"

namespace coord::test {
namespace {

class LimitsConformanceTest : public ConformanceTest {
 protected:
  // seed writes a few keys so "intact" has something to check.
  asio::awaitable<RangeResponse> seed() {
    must(co_await kv().put("keep/a", "1"), "put");
    must(co_await kv().put("keep/b", "2"), "put");
    must(co_await kv().put("keep/a", "3"), "put");
    co_return co_await snapshot(kv(), "");
  }

  // expect_intact checks that the whole store still equals before.
  asio::awaitable<void> expect_intact(const RangeResponse& before, const std::string& after_what) {
    auto now = co_await snapshot(kv(), "");
    EXPECT_EQ(now.header.revision, before.header.revision) << "revision moved after " << after_what;
    EXPECT_EQ(now.kvs, before.kvs) << "data changed after " << after_what;
  }
};

PutRequest put_of(std::string key, std::string value) {
  PutRequest p;
  p.key = std::move(key);
  p.value = std::move(value);
  return p;
}

TEST_P(LimitsConformanceTest, EmptyKeyIsRejectedEverywhere) {
  run_void([&]() -> asio::awaitable<void> {
    auto before = co_await seed();
    EXPECT_ERRC(co_await kv().range(RangeRequest::single("")), Errc::kInvalidArgument);
    EXPECT_ERRC(co_await kv().put("", "v"), Errc::kInvalidArgument);
    EXPECT_ERRC(co_await kv().del(""), Errc::kInvalidArgument);
    TxnRequest t;
    t.success = {Op::put("fine", "1"), Op::put("", "v")};
    EXPECT_ERRC(co_await kv().txn(t), Errc::kInvalidArgument);
    co_await expect_intact(before, "empty keys");
  });
}

TEST_P(LimitsConformanceTest, TxnWith128OpsIsAcceptedAnd129IsTooMany) {
  run_void([&]() -> asio::awaitable<void> {
    auto before = co_await seed();
    TxnRequest t;
    for (int i = 0; i < 129; ++i) t.success.push_back(Op::put("many/" + std::to_string(i), "v"));
    EXPECT_ERRC(co_await kv().txn(t), Errc::kTooManyOps);
    co_await expect_intact(before, "129 ops");
    TxnRequest compares;
    for (int i = 0; i < 129; ++i) compares.compare.push_back(Compare::version("c" + std::to_string(i)) == kZero);
    EXPECT_ERRC(co_await kv().txn(compares), Errc::kTooManyOps);
    TxnRequest failure;
    for (int i = 0; i < 129; ++i) failure.failure.push_back(Op::get("g" + std::to_string(i)));
    EXPECT_ERRC(co_await kv().txn(failure), Errc::kTooManyOps);
    co_await expect_intact(before, "129 compares / else ops");
    t.success.pop_back();
    auto ok = must(co_await kv().txn(t), "txn of 128 ops");
    EXPECT_EQ(ok.header.revision, before.header.revision + 1);
    auto req = RangeRequest::prefix("many/");
    req.count_only = true;
    EXPECT_EQ(must(co_await kv().range(req), "count").count, 128);
  });
}

TEST_P(LimitsConformanceTest, WritingTheSameKeyTwiceInABranchIsDuplicate) {
  run_void([&]() -> asio::awaitable<void> {
    auto before = co_await seed();
    TxnRequest two_puts;
    two_puts.success = {Op::put("dup", "1"), Op::put("dup", "2")};
    EXPECT_ERRC(co_await kv().txn(two_puts), Errc::kDuplicateKey);
    TxnRequest put_and_delete;
    put_and_delete.success = {Op::put("keep/a", "1"), Op::del("keep/a")};
    EXPECT_ERRC(co_await kv().txn(put_and_delete), Errc::kDuplicateKey);
    TxnRequest put_in_deleted_range;
    put_in_deleted_range.failure = {Op::del(DeleteRequest::prefix("keep/")), Op::put("keep/z", "1")};
    EXPECT_ERRC(co_await kv().txn(put_in_deleted_range), Errc::kDuplicateKey);
    TxnRequest inner;
    inner.success = {Op::put("dup", "inner")};
    TxnRequest nested;
    nested.success = {Op::put("dup", "outer"), Op::txn(inner)};
    EXPECT_ERRC(co_await kv().txn(nested), Errc::kDuplicateKey);
    co_await expect_intact(before, "duplicate keys");
  });
}

TEST_P(LimitsConformanceTest, SameKeyInDifferentBranchesOrReadTwiceIsAllowed) {
  run_void([&]() -> asio::awaitable<void> {
    TxnRequest t;
    t.compare = {Compare::version("x") == kZero};
    t.success = {Op::put("x", "then"), Op::get("x"), Op::get("x")};
    t.failure = {Op::put("x", "else")};
    auto r = must(co_await kv().txn(t), "txn");
    EXPECT_TRUE(r.succeeded);
    TxnRequest inner_then_else;
    TxnRequest inner;
    inner.success = {Op::put("y", "1")};
    inner.failure = {Op::put("y", "2")};
    inner_then_else.success = {Op::txn(inner)};
    must(co_await kv().txn(inner_then_else), "nested txn with the key in both branches");
    TxnRequest two_deletes;
    two_deletes.success = {Op::del("x"), Op::del(DeleteRequest::prefix("x"))};
    must(co_await kv().txn(two_deletes), "overlapping deletes");
    EXPECT_FALSE(must(co_await kv().get("x"), "get").has_value());
  });
}

TEST_P(LimitsConformanceTest, RequestAboveOneAndAHalfMebibytesIsTooLarge) {
  run_void([&]() -> asio::awaitable<void> {
    auto before = co_await seed();
    const std::size_t limit = 1572864;
    EXPECT_ERRC(co_await kv().put(put_of("big", std::string(limit + 64 * 1024, 'x'))),
                Errc::kRequestTooLarge);
    TxnRequest t;  // each op fits, the request does not
    t.success = {Op::put("big/1", std::string(limit / 2 + 1024, 'a')),
                 Op::put("big/2", std::string(limit / 2 + 1024, 'b'))};
    EXPECT_ERRC(co_await kv().txn(t), Errc::kRequestTooLarge);
    co_await expect_intact(before, "too large requests");
    auto ok = must(co_await kv().put(put_of("big", std::string(1024 * 1024, 'y'))), "1 MiB put");
    auto got = must(co_await kv().get("big"), "get");
    EXPECT_TRUE(got && got->value.size() == 1024u * 1024u && got->mod_revision == ok.header.revision);
  });
}

TEST_P(LimitsConformanceTest, LeaseTtlAboveMaximumIsRejected) {
  run_void([&]() -> asio::awaitable<void> {
    auto before = co_await seed();
    EXPECT_ERRC(co_await kv().lease_grant(kMaxLeaseTtl + 1), Errc::kLeaseTtlTooLarge);
    auto leases = must(co_await kv().lease_leases(), "leases");
    EXPECT_TRUE(leases.leases.empty());
    co_await expect_intact(before, "huge TTL");
  });
}

TEST_P(LimitsConformanceTest, FutureRevisionIsRejected) {
  run_void([&]() -> asio::awaitable<void> {
    auto before = co_await seed();
    const Revision future = before.header.revision + 1;
    auto req = RangeRequest::single("keep/a");
    req.revision = future;
    EXPECT_ERRC(co_await kv().range(req), Errc::kFutureRevision);
    TxnRequest t;
    t.success = {Op::put("w", "1"), Op::range(req)};
    EXPECT_ERRC(co_await kv().txn(t), Errc::kFutureRevision);
    EXPECT_ERRC(co_await kv().compact({future, false}), Errc::kFutureRevision);
    co_await expect_intact(before, "future revisions");
    req.revision = before.header.revision;  // the current revision is readable
    must(co_await kv().range(req), "read at the current revision");
  });
}

TEST_P(LimitsConformanceTest, CompactedRevisionIsRejectedAndCompactionPointIsReadable) {
  run_void([&]() -> asio::awaitable<void> {
    auto r1 = must(co_await kv().put("c", "1"), "put").header.revision;
    auto r2 = must(co_await kv().put("c", "2"), "put").header.revision;
    must(co_await kv().put("c", "3"), "put");
    auto before = co_await snapshot(kv(), "");
    auto compacted = must(co_await kv().compact({r2, true}), "compact");
    EXPECT_EQ(compacted.header.revision, before.header.revision) << "compaction is not a write";
    auto req = RangeRequest::single("c");
    req.revision = r1;
    EXPECT_ERRC(co_await kv().range(req), Errc::kCompacted);
    TxnRequest t;
    t.success = {Op::range(req)};
    EXPECT_ERRC(co_await kv().txn(t), Errc::kCompacted);
    EXPECT_ERRC(co_await kv().compact({r2, false}), Errc::kCompacted);
    EXPECT_ERRC(co_await kv().compact({r1, false}), Errc::kCompacted);
    co_await expect_intact(before, "compacted reads");
    auto at_r2 = must(co_await kv().get("c", r2), "read at the compaction revision");
    EXPECT_TRUE(at_r2 && at_r2->value == "2");
  });
}

TEST_P(LimitsConformanceTest, CompactionAtTheCurrentRevisionKeepsEveryLiveKey) {
  run_void([&]() -> asio::awaitable<void> {
    must(co_await kv().put("live/a", "1"), "put");
    must(co_await kv().put("live/a", "2"), "put");
    must(co_await kv().put("live/b", "1"), "put");
    must(co_await kv().put("gone", "1"), "put");
    must(co_await kv().del("gone"), "del");
    auto before = co_await snapshot(kv(), "");
    must(co_await kv().compact({before.header.revision, true}), "compact");
    co_await expect_intact(before, "compaction");
    auto a = must(co_await kv().get("live/a"), "get");
    EXPECT_TRUE(a && a->version == 2 && a->value == "2");
    // The next write continues the revision sequence.
    auto p = must(co_await kv().put("gone", "back"), "put");
    EXPECT_EQ(p.header.revision, before.header.revision + 1);
    auto g = must(co_await kv().get("gone"), "get");
    EXPECT_TRUE(g && g->version == 1 && g->create_revision == p.header.revision);
  });
}

TEST_P(LimitsConformanceTest, PutOnUnknownLeaseFailsWithoutWriting) {
  run_void([&]() -> asio::awaitable<void> {
    auto before = co_await seed();
    EXPECT_ERRC(co_await kv().put("keep/a", "new", 0x1234567), Errc::kLeaseNotFound);
    EXPECT_ERRC(co_await kv().put("fresh", "v", 0x1234567), Errc::kLeaseNotFound);
    co_await expect_intact(before, "unknown lease");
  });
}

}  // namespace

GTEST_ALLOW_UNINSTANTIATED_PARAMETERIZED_TEST(LimitsConformanceTest);
COORD_INSTANTIATE_BACKENDS(LimitsConformanceTest);

}  // namespace coord::test
