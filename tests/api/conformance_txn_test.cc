// conformance_txn_test.cc: Txn compares and revision accounting (§12.K.1,
// §12.K.2), as etcd 3.4 applies them (etcdserver/apply.go applyCompare,
// compareToPath; mvcc/kvstore_txn.go storeTxnWrite.End).
#include <boost/asio/co_spawn.hpp>
#include <string>
#include <vector>

#include "api/event.h"
#include "tests/api/conformance.h"

namespace coord::test {
namespace {

class TxnConformanceTest : public ConformanceTest {};

// holds evaluates one compare against the store with a txn that writes
// nothing, so the check itself cannot change the store.
asio::awaitable<bool> holds(Client& kv, Compare c) {
  TxnRequest t;
  t.compare.push_back(std::move(c));
  co_return must(co_await kv.txn(std::move(t)), "txn").succeeded;
}

Compare make_compare(std::string key, Compare::Target target, Compare::Op op, std::int64_t n) {
  return Compare::Builder{std::move(key), target}.make(op, n);
}

bool expected(Compare::Op op, int cmp) {
  switch (op) {
    case Compare::Op::kEqual: return cmp == 0;
    case Compare::Op::kNotEqual: return cmp != 0;
    case Compare::Op::kGreater: return cmp > 0;
    case Compare::Op::kLess: return cmp < 0;
  }
  return false;
}

// value_operands lists operands for a stored value "m\xff", each with the
// sign of stored <=> operand (bytes compare unsigned). Built outside the
// coroutine: g++ 12 miscompiles braced string tables inside coroutines.
std::vector<std::pair<std::string, int>> value_operands() {
  return {{"m", 1}, {"m\xff", 0}, {"n", -1}, {"m\xff\0"s, -1}, {"\xff", -1}, {"M\xff", 1}};
}

const Compare::Op kOps[] = {Compare::Op::kEqual, Compare::Op::kNotEqual,
                            Compare::Op::kGreater, Compare::Op::kLess};

TEST_P(TxnConformanceTest, NumericComparesOnMissingKeySeeZero) {
  run_void([&]() -> asio::awaitable<void> {
    for (auto target : {Compare::Target::kVersion, Compare::Target::kCreate,
                        Compare::Target::kMod, Compare::Target::kLease}) {
      SCOPED_TRACE(static_cast<int>(target));
      EXPECT_TRUE(co_await holds(kv(), make_compare("missing", target, Compare::Op::kEqual, 0)));
      EXPECT_FALSE(co_await holds(kv(), make_compare("missing", target, Compare::Op::kGreater, 0)));
      EXPECT_TRUE(co_await holds(kv(), make_compare("missing", target, Compare::Op::kLess, 1)));
      EXPECT_FALSE(co_await holds(kv(), make_compare("missing", target, Compare::Op::kNotEqual, 0)));
    }
  });
}

TEST_P(TxnConformanceTest, ValueCompareOnMissingKeyAlwaysFails) {
  run_void([&]() -> asio::awaitable<void> {
    EXPECT_FALSE(co_await holds(kv(), Compare::value("missing") == ""));
    EXPECT_FALSE(co_await holds(kv(), Compare::value("missing") != "x"));
    EXPECT_FALSE(co_await holds(kv(), Compare::value("missing") < "z"));
    EXPECT_FALSE(co_await holds(kv(), Compare::value("missing") > ""));
    // An existing empty value does compare equal to "".
    must(co_await kv().put("empty", ""), "put");
    EXPECT_TRUE(co_await holds(kv(), Compare::value("empty") == ""));
  });
}

TEST_P(TxnConformanceTest, EveryNumericTargetAndOpComparesAgainstTheStoredKey) {
  run_void([&]() -> asio::awaitable<void> {
    auto lease = must(co_await kv().lease_grant(60), "grant").id;
    must(co_await kv().put("other", "x"), "put");
    must(co_await kv().put("k", "v", lease), "put");
    must(co_await kv().put("k", "v", lease), "put");
    auto kvv = must(co_await kv().get("k"), "get");
    if (!kvv) throw std::runtime_error("k missing");
    const std::pair<Compare::Target, std::int64_t> actual[] = {
        {Compare::Target::kVersion, kvv->version},
        {Compare::Target::kCreate, kvv->create_revision},
        {Compare::Target::kMod, kvv->mod_revision},
        {Compare::Target::kLease, kvv->lease}};
    for (auto [target, value] : actual) {
      for (auto op : kOps) {
        for (std::int64_t delta : {-1, 0, 1}) {
          SCOPED_TRACE(testing::Message() << "target " << static_cast<int>(target) << " op "
                                          << static_cast<int>(op) << " delta " << delta);
          const bool got = co_await holds(kv(), make_compare("k", target, op, value + delta));
          // stored <op> (value + delta): the sign of stored - operand is -delta.
          EXPECT_EQ(got, expected(op, -static_cast<int>(delta)));
        }
      }
    }
  });
}

TEST_P(TxnConformanceTest, ValueComparesAreBytewise) {
  run_void([&]() -> asio::awaitable<void> {
    must(co_await kv().put("k", "m\xff"), "put");
    const auto operands = value_operands();
    for (const auto& [operand, sign] : operands) {
      for (auto op : kOps) {
        SCOPED_TRACE(testing::Message() << "operand size " << operand.size() << " op "
                                        << static_cast<int>(op));
        Compare c = Compare::value("k").make(op, operand);
        const bool got = co_await holds(kv(), std::move(c));
        EXPECT_EQ(got, expected(op, sign));
      }
    }
  });
}

TEST_P(TxnConformanceTest, ConcurrentCreateIfAbsentHasExactlyOneWinner) {
  run_void([&]() -> asio::awaitable<void> {
    constexpr int kRacers = 10;
    std::vector<std::shared_ptr<Client>> clients;
    for (int i = 0; i < kRacers; ++i) clients.push_back(harness().new_client());
    int finished = 0, winners = 0, errors = 0;
    AsyncEvent all_done;
    auto ex = co_await asio::this_coro::executor;
    for (int i = 0; i < kRacers; ++i) {
      TxnRequest t;
      t.compare.push_back(Compare::version("race") == kZero);
      t.success.push_back(Op::put("race", "racer" + std::to_string(i)));
      asio::co_spawn(ex, clients[i]->txn(std::move(t)),
                     [&](std::exception_ptr e, Result<TxnResponse> r) {
                       if (e || !r) ++errors;
                       else if (r->succeeded) ++winners;
                       if (++finished == kRacers) all_done.set();
                     });
    }
    must(co_await within(all_done.wait()), "racers");
    EXPECT_EQ(errors, 0);
    EXPECT_EQ(winners, 1);
    auto got = must(co_await kv().get("race"), "get");
    EXPECT_TRUE(got && got->version == 1);
  });
}

TEST_P(TxnConformanceTest, TxnWithoutComparesTakesTheSuccessBranch) {
  run_void([&]() -> asio::awaitable<void> {
    TxnRequest t;
    t.success.push_back(Op::put("then", "1"));
    t.failure.push_back(Op::put("else", "1"));
    auto r = must(co_await kv().txn(t), "txn");
    EXPECT_TRUE(r.succeeded);
    EXPECT_TRUE(must(co_await kv().get("then"), "get").has_value());
    EXPECT_FALSE(must(co_await kv().get("else"), "get").has_value());
  });
}

TEST_P(TxnConformanceTest, FailedCompareRunsTheElseBranch) {
  run_void([&]() -> asio::awaitable<void> {
    must(co_await kv().put("k", "v"), "put");
    TxnRequest t;
    t.compare.push_back(Compare::value("k") == "v");
    t.compare.push_back(Compare::version("k") == 5);  // one false compare fails all
    t.success.push_back(Op::put("then", "1"));
    t.failure.push_back(Op::put("else", "1"));
    t.failure.push_back(Op::get("k"));
    auto r = must(co_await kv().txn(t), "txn");
    EXPECT_FALSE(r.succeeded);
    EXPECT_EQ(r.responses.size(), 2u);
    if (r.responses.size() == 2) {
      EXPECT_EQ(r.responses[1].range().kvs.size(), 1u);
    }
    EXPECT_FALSE(must(co_await kv().get("then"), "get").has_value());
    EXPECT_TRUE(must(co_await kv().get("else"), "get").has_value());
  });
}

TEST_P(TxnConformanceTest, ThreePutsShareOneRevision) {
  run_void([&]() -> asio::awaitable<void> {
    const Revision before = co_await revision_of(kv());
    TxnRequest t;
    t.success = {Op::put("t/1", "a"), Op::put("t/2", "b"), Op::put("t/3", "c")};
    auto r = must(co_await kv().txn(t), "txn");
    EXPECT_EQ(r.header.revision, before + 1);
    auto all = co_await snapshot(kv(), "t/");
    EXPECT_EQ(all.kvs.size(), 3u);
    for (const auto& k : all.kvs) {
      EXPECT_EQ(k.create_revision, r.header.revision) << k.key;
      EXPECT_EQ(k.mod_revision, r.header.revision) << k.key;
    }
    EXPECT_EQ(all.header.revision, before + 1);
  });
}

TEST_P(TxnConformanceTest, ReadsNoOpDeletesAndFailedComparesDoNotBumpRevision) {
  run_void([&]() -> asio::awaitable<void> {
    must(co_await kv().put("k", "v"), "put");
    const Revision rev = co_await revision_of(kv());
    must(co_await kv().get("k"), "get");
    TxnRequest read_only;
    read_only.success = {Op::get("k"), Op::range(RangeRequest::prefix(""))};
    auto ro = must(co_await kv().txn(read_only), "read-only txn");
    EXPECT_EQ(ro.header.revision, rev);
    TxnRequest delete_missing;
    delete_missing.success = {Op::del("missing"), Op::del(DeleteRequest::prefix("none/"))};
    auto dm = must(co_await kv().txn(delete_missing), "txn delete missing");
    EXPECT_EQ(dm.header.revision, rev);
    if (dm.responses.size() == 2) {
      EXPECT_EQ(dm.responses[0].del().deleted, 0);
    }
    TxnRequest failed;
    failed.compare = {Compare::value("k") == "not v"};
    failed.success = {Op::put("k", "changed")};
    auto f = must(co_await kv().txn(failed), "failed txn");
    EXPECT_FALSE(f.succeeded);
    EXPECT_EQ(f.header.revision, rev);
    EXPECT_EQ(co_await revision_of(kv()), rev);
    auto got = must(co_await kv().get("k"), "get");
    EXPECT_TRUE(got && got->value == "v" && got->version == 1);
  });
}

TEST_P(TxnConformanceTest, ReadsInsideTxnSeeEarlierWritesOfTheSameTxn) {
  run_void([&]() -> asio::awaitable<void> {
    TxnRequest t;
    t.success = {Op::put("k", "new"), Op::get("k")};
    auto r = must(co_await kv().txn(t), "txn");
    EXPECT_EQ(r.responses.size(), 2u);
    if (r.responses.size() != 2) co_return;
    const auto& kvs = r.responses[1].range().kvs;
    EXPECT_EQ(kvs.size(), 1u);
    if (kvs.size() == 1) {
      EXPECT_EQ(kvs[0].value, "new");
      EXPECT_EQ(kvs[0].mod_revision, r.header.revision);
    }
  });
}

TEST_P(TxnConformanceTest, NestedTxnComparesSeeTheStoreBeforeTheOuterTxn) {
  run_void([&]() -> asio::awaitable<void> {
    const Revision before = co_await revision_of(kv());
    TxnRequest inner;
    inner.compare = {Compare::version("a") == kZero};  // true before the outer put
    inner.success = {Op::put("inner-then", "1")};
    inner.failure = {Op::put("inner-else", "1")};
    TxnRequest outer;
    outer.success = {Op::put("a", "1"), Op::txn(inner)};
    auto r = must(co_await kv().txn(outer), "txn");
    EXPECT_TRUE(r.succeeded);
    EXPECT_EQ(r.header.revision, before + 1);
    EXPECT_EQ(r.responses.size(), 2u);
    if (r.responses.size() == 2) {
      EXPECT_TRUE(r.responses[1].txn().succeeded);
      EXPECT_EQ(r.responses[1].txn().responses.size(), 1u);
    }
    auto then_kv = must(co_await kv().get("inner-then"), "get");
    EXPECT_TRUE(then_kv && then_kv->mod_revision == before + 1);
    EXPECT_FALSE(must(co_await kv().get("inner-else"), "get").has_value());
  });
}

TEST_P(TxnConformanceTest, RangeCompareMustHoldForEveryKeyInRange) {
  run_void([&]() -> asio::awaitable<void> {
    must(co_await kv().put("r/1", "x"), "put");
    must(co_await kv().put("r/2", "x"), "put");
    auto all_x = Compare::value("r/") == "x";
    all_x.range_end = prefix_end("r/");
    EXPECT_TRUE(co_await holds(kv(), all_x));
    must(co_await kv().put("r/3", "y"), "put");
    EXPECT_FALSE(co_await holds(kv(), all_x));
    auto none = Compare::version("q/") == kZero;  // empty range: a zero KeyValue
    none.range_end = prefix_end("q/");
    EXPECT_TRUE(co_await holds(kv(), none));
    auto young = Compare::version("r/") < 2;
    young.range_end = prefix_end("r/");
    EXPECT_TRUE(co_await holds(kv(), young));
  });
}

TEST_P(TxnConformanceTest, MissingLeaseInTakenBranchFailsTheWholeTxn) {
  run_void([&]() -> asio::awaitable<void> {
    auto lease = must(co_await kv().lease_grant(30), "grant").id;
    must(co_await kv().lease_revoke(lease), "revoke");
    const Revision before = co_await revision_of(kv());
    TxnRequest t;
    t.success = {Op::put("first", "1"), Op::put("leased", "1", lease)};
    EXPECT_ERRC(co_await kv().txn(t), Errc::kLeaseNotFound);
    EXPECT_FALSE(must(co_await kv().get("first"), "get").has_value());
    EXPECT_EQ(co_await revision_of(kv()), before);
    // The same op in the branch not taken is never checked.
    t.compare = {Compare::version("first") != kZero};
    t.failure = {Op::put("first", "1")};
    auto r = must(co_await kv().txn(t), "txn");
    EXPECT_FALSE(r.succeeded);
    EXPECT_TRUE(must(co_await kv().get("first"), "get").has_value());
  });
}

TEST_P(TxnConformanceTest, DeleteInTxnReportsCountAndPrevKvs) {
  run_void([&]() -> asio::awaitable<void> {
    must(co_await kv().put("d/1", "a"), "put");
    must(co_await kv().put("d/2", "b"), "put");
    auto del = DeleteRequest::prefix("d/");
    del.prev_kv = true;
    TxnRequest t;
    t.success = {Op::del(del), Op::put("e", "1")};
    auto r = must(co_await kv().txn(t), "txn");
    EXPECT_EQ(r.responses.size(), 2u);
    if (r.responses.size() != 2) co_return;
    EXPECT_EQ(r.responses[0].del().deleted, 2);
    EXPECT_EQ(keys_of(r.responses[0].del().prev_kvs), (std::vector<std::string>{"d/1", "d/2"}));
  });
}

TEST_P(TxnConformanceTest, PutInsideTxnReturnsPrevKvWhenAsked) {
  run_void([&]() -> asio::awaitable<void> {
    auto old = must(co_await kv().put("k", "old"), "put");
    PutRequest p;
    p.key = "k";
    p.value = "new";
    p.prev_kv = true;
    TxnRequest t;
    t.success = {Op::put(p), Op::put("fresh", "1")};
    auto r = must(co_await kv().txn(t), "txn");
    EXPECT_EQ(r.responses.size(), 2u);
    if (r.responses.size() != 2) co_return;
    const auto& prev = r.responses[0].put().prev_kv;
    EXPECT_TRUE(prev && prev->value == "old" && prev->mod_revision == old.header.revision);
    EXPECT_FALSE(r.responses[1].put().prev_kv.has_value());
  });
}

}  // namespace

GTEST_ALLOW_UNINSTANTIATED_PARAMETERIZED_TEST(TxnConformanceTest);
COORD_INSTANTIATE_BACKENDS(TxnConformanceTest);

}  // namespace coord::test
