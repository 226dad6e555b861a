// conformance_watch_test.cc: etcd's watch guarantees (ordered, unique,
// atomic, resumable, compaction errors; §12.K.4) on every backend.
#include <boost/asio/co_spawn.hpp>
#include <string>
#include <vector>

#include "api/deadline.h"
#include "api/event.h"
#include "tests/api/conformance.h"

namespace coord::test {
namespace {

class WatchConformanceTest : public ConformanceTest {
 protected:
  asio::awaitable<std::unique_ptr<WatchStream>> open(WatchRequest req) {
    co_return must(co_await kv().watch(std::move(req)), "watch");
  }
};

struct Seen {
  Event::Type type;
  std::string key;
  Revision rev;
  bool operator==(const Seen&) const = default;
};

void PrintTo(const Seen& s, std::ostream* os) {
  *os << (s.type == Event::Type::kDelete ? "DELETE " : "PUT ") << s.key << "@" << s.rev;
}

std::vector<Seen> seen_of(const std::vector<Event>& events) {
  std::vector<Seen> out;
  for (const auto& e : events) out.push_back({e.type, e.kv.key, e.kv.mod_revision});
  return out;
}

constexpr auto kPut = Event::Type::kPut;
constexpr auto kDel = Event::Type::kDelete;

TEST_P(WatchConformanceTest, PastRevisionReplaysHistoryInOrderIncludingDeletes) {
  run_void([&]() -> asio::awaitable<void> {
    auto r1 = must(co_await kv().put("w/a", "1"), "put").header.revision;
    auto r2 = must(co_await kv().put("w/b", "1"), "put").header.revision;
    must(co_await kv().put("elsewhere", "1"), "put");
    auto r3 = must(co_await kv().put("w/a", "2"), "put").header.revision;
    auto r4 = must(co_await kv().del("w/a"), "del").header.revision;
    auto w = co_await open(WatchRequest::prefix("w/", r1));
    auto events = co_await read_events(*w, 4);
    const std::vector<Seen> want = {
        {kPut, "w/a", r1}, {kPut, "w/b", r2}, {kPut, "w/a", r3}, {kDel, "w/a", r4}};
    EXPECT_EQ(seen_of(events), want);
    if (events.size() == 4) {
      EXPECT_EQ(events[2].kv.value, "2");
      EXPECT_EQ(events[2].kv.version, 2);
      EXPECT_EQ(events[2].kv.create_revision, r1);
      // A DELETE carries the key and the deletion revision, nothing else.
      EXPECT_EQ(events[3].kv.version, 0);
      EXPECT_EQ(events[3].kv.create_revision, 0);
    }
    // Live events continue the same stream, in order, exactly once.
    auto r5 = must(co_await kv().put("w/c", "1"), "put").header.revision;
    auto live = co_await read_events(*w, 1);
    EXPECT_EQ(seen_of(live), (std::vector<Seen>{{kPut, "w/c", r5}}));
  });
}

TEST_P(WatchConformanceTest, TxnEventsArriveInOneResponseInRequestOrder) {
  run_void([&]() -> asio::awaitable<void> {
    must(co_await kv().put("t/gone", "1"), "put");
    const Revision start = co_await revision_of(kv()) + 1;
    auto w = co_await open(WatchRequest::prefix("t/", start));
    TxnRequest t;
    t.success = {Op::put("t/z", "1"), Op::put("t/a", "1"), Op::del("t/gone"), Op::put("t/m", "1")};
    auto rev = must(co_await kv().txn(t), "txn").header.revision;
    std::vector<WatchResponse> responses;
    auto events = co_await read_events(*w, 4, &responses);
    EXPECT_EQ(responses.size(), 1u) << "one revision split across responses";
    const std::vector<Seen> want = {
        {kPut, "t/z", rev}, {kPut, "t/a", rev}, {kDel, "t/gone", rev}, {kPut, "t/m", rev}};
    EXPECT_EQ(seen_of(events), want);
  });
}

TEST_P(WatchConformanceTest, WatchBelowCompactionFailsWithCompactRevision) {
  run_void([&]() -> asio::awaitable<void> {
    auto r1 = must(co_await kv().put("k", "1"), "put").header.revision;
    must(co_await kv().put("k", "2"), "put");
    auto r3 = must(co_await kv().put("k", "3"), "put").header.revision;
    must(co_await kv().compact({r3, true}), "compact");
    auto w = co_await open(WatchRequest::single("k", r1));
    auto first = co_await within(w->next());
    EXPECT_ERRC(first, Errc::kCompacted);
    EXPECT_EQ(w->compact_revision(), r3);
    EXPECT_ERRC(co_await within(w->next()), Errc::kCompacted);  // the error sticks
  });
}

TEST_P(WatchConformanceTest, WatchFromTheCompactionRevisionDeliversTheDeleteThere) {
  run_void([&]() -> asio::awaitable<void> {
    must(co_await kv().put("k", "1"), "put");
    auto del_rev = must(co_await kv().del("k"), "del").header.revision;
    must(co_await kv().compact({del_rev, true}), "compact");
    auto w = co_await open(WatchRequest::single("k", del_rev));
    if (!harness().keeps_tombstone_at_compaction()) {
      // A server defect, pinned down so an upgrade shows up here: etcd
      // before 3.5.15 accepts the watch and stays silent (etcd #18089).
      auto next = co_await with_timeout(kv().clock(), 1s, w->next());
      EXPECT_TRUE(is_errc(next.error(), Errc::kDeadlineExceeded)) << "the server now keeps it";
      co_return;
    }
    auto events = co_await read_events(*w, 1);
    EXPECT_EQ(seen_of(events), (std::vector<Seen>{{kDel, "k", del_rev}}));
  });
}

TEST_P(WatchConformanceTest, EstablishedWatchSurvivesLaterCompaction) {
  run_void([&]() -> asio::awaitable<void> {
    auto r1 = must(co_await kv().put("k", "1"), "put").header.revision;
    auto w = co_await open(WatchRequest::single("k", r1));
    auto first = co_await read_events(*w, 1);
    EXPECT_EQ(seen_of(first), (std::vector<Seen>{{kPut, "k", r1}}));
    auto r2 = must(co_await kv().put("k", "2"), "put").header.revision;
    must(co_await kv().compact({r2, true}), "compact");
    auto r3 = must(co_await kv().put("k", "3"), "put").header.revision;
    auto rest = co_await read_events(*w, 2);
    EXPECT_EQ(seen_of(rest), (std::vector<Seen>{{kPut, "k", r2}, {kPut, "k", r3}}));
  });
}

TEST_P(WatchConformanceTest, ResumingFromLastRevisionPlusOneHasNoGapsOrDuplicates) {
  run_void([&]() -> asio::awaitable<void> {
    const Revision start = co_await revision_of(kv()) + 1;
    std::vector<Seen> want;
    for (int i = 0; i < 6; ++i) {
      const std::string key = "r/" + std::to_string(i % 3);
      auto rev = must(co_await kv().put(key, std::to_string(i)), "put").header.revision;
      want.push_back({kPut, key, rev});
    }
    std::vector<Seen> got;
    {
      auto w = co_await open(WatchRequest::prefix("r/", start));
      auto part = co_await read_events(*w, 3);
      got = seen_of(part);
      w->cancel();
    }
    auto w2 = co_await open(WatchRequest::prefix("r/", got.back().rev + 1));
    auto rest = co_await read_events(*w2, want.size() - got.size());
    for (auto& s : seen_of(rest)) got.push_back(s);
    EXPECT_EQ(got, want);
  });
}

TEST_P(WatchConformanceTest, FiltersDropPutsOrDeletes) {
  run_void([&]() -> asio::awaitable<void> {
    const Revision start = co_await revision_of(kv()) + 1;
    auto a = must(co_await kv().put("f/a", "1"), "put").header.revision;
    must(co_await kv().put("f/b", "1"), "put");
    auto da = must(co_await kv().del("f/a"), "del").header.revision;
    auto c = must(co_await kv().put("f/c", "1"), "put").header.revision;
    auto db = must(co_await kv().del("f/b"), "del").header.revision;
    auto no_puts = WatchRequest::prefix("f/", start);
    no_puts.filter_put = true;
    auto wd = co_await open(no_puts);
    auto deletes = seen_of(co_await read_events(*wd, 2));
    EXPECT_EQ(deletes, (std::vector<Seen>{{kDel, "f/a", da}, {kDel, "f/b", db}}));
    auto no_deletes = WatchRequest::prefix("f/", start);
    no_deletes.filter_delete = true;
    auto wp = co_await open(no_deletes);
    auto puts = seen_of(co_await read_events(*wp, 3));
    EXPECT_EQ(puts.size(), 3u);
    if (puts.size() == 3) {
      EXPECT_EQ(puts[0], (Seen{kPut, "f/a", a}));
      EXPECT_EQ(puts[2], (Seen{kPut, "f/c", c}));
    }
  });
}

TEST_P(WatchConformanceTest, PrevKvIsAttachedToPutsAndDeletes) {
  run_void([&]() -> asio::awaitable<void> {
    const Revision start = co_await revision_of(kv()) + 1;
    auto r1 = must(co_await kv().put("p", "old"), "put").header.revision;
    must(co_await kv().put("p", "new"), "put");
    must(co_await kv().del("p"), "del");
    auto req = WatchRequest::single("p", start);
    req.prev_kv = true;
    auto w = co_await open(req);
    auto events = co_await read_events(*w, 3);
    if (events.size() != 3) co_return;
    EXPECT_FALSE(events[0].prev_kv.has_value()) << "a created key has no previous pair";
    EXPECT_TRUE(events[1].prev_kv && events[1].prev_kv->value == "old" &&
                events[1].prev_kv->mod_revision == r1);
    EXPECT_TRUE(events[2].prev_kv && events[2].prev_kv->value == "new" &&
                events[2].prev_kv->version == 2);
    auto plain = co_await open(WatchRequest::single("p", start));
    auto without = co_await read_events(*plain, 2);
    EXPECT_FALSE(without[1].prev_kv.has_value()) << "prev_kv sent without being asked";
  });
}

TEST_P(WatchConformanceTest, ProgressRequestReportsTheCurrentRevision) {
  run_void([&]() -> asio::awaitable<void> {
    must(co_await kv().put("other", "1"), "put");
    const Revision rev = co_await revision_of(kv());
    auto w = co_await open(WatchRequest::single("quiet", rev + 1));
    must(co_await w->request_progress(), "request_progress");
    auto resp = must(co_await within(w->next()), "next");
    EXPECT_TRUE(resp.progress_notify);
    EXPECT_TRUE(resp.events.empty());
    EXPECT_EQ(resp.header.revision, rev);
  });
}

TEST_P(WatchConformanceTest, CancelEndsTheStreamWithCancelled) {
  run_void([&]() -> asio::awaitable<void> {
    auto w = co_await open(WatchRequest::single("k"));
    std::optional<Result<WatchResponse>> pending;
    AsyncEvent done;
    asio::co_spawn(co_await asio::this_coro::executor, w->next(),
                   [&](std::exception_ptr e, Result<WatchResponse> r) {
                     if (!e) pending = std::move(r);
                     done.set();
                   });
    co_await real_sleep(20ms);  // let next() start waiting
    w->cancel();
    must(co_await within(done.wait()), "pending next");
    EXPECT_TRUE(pending.has_value());
    if (pending) {
      EXPECT_ERRC(*pending, Errc::kCancelled);
    }
    must(co_await kv().put("k", "after cancel"), "put");
    EXPECT_ERRC(co_await within(w->next()), Errc::kCancelled);
  });
}

TEST_P(WatchConformanceTest, TimedOutNextLeavesTheStreamUsable) {
  run_void([&]() -> asio::awaitable<void> {
    auto w = co_await open(WatchRequest::single("k"));
    // with_timeout fixes its deadline when called, before the spawned wait
    // starts, so advancing past it ends the wait whichever runs first.
    std::optional<Result<WatchResponse>> timed;
    AsyncEvent done;
    asio::co_spawn(co_await asio::this_coro::executor,
                   with_timeout(kv().clock(), 1s, w->next()),
                   [&](std::exception_ptr e, Result<WatchResponse> r) {
                     if (!e) timed = std::move(r);
                     done.set();
                   });
    harness().advance(1s);
    must(co_await within(done.wait()), "timed next");
    EXPECT_TRUE(timed.has_value());
    if (timed) {
      EXPECT_ERRC(*timed, Errc::kDeadlineExceeded);
    }
    auto rev = must(co_await kv().put("k", "v"), "put").header.revision;
    auto events = co_await read_events(*w, 1);
    EXPECT_EQ(seen_of(events), (std::vector<Seen>{{kPut, "k", rev}}));
  });
}

TEST_P(WatchConformanceTest, WatchFromZeroSeesOnlyLaterChanges) {
  run_void([&]() -> asio::awaitable<void> {
    must(co_await kv().put("k", "before"), "put");
    auto w = co_await open(WatchRequest::single("k"));
    auto rev = must(co_await kv().put("k", "after"), "put").header.revision;
    auto events = co_await read_events(*w, 1);
    EXPECT_EQ(seen_of(events), (std::vector<Seen>{{kPut, "k", rev}}));
    if (!events.empty()) {
      EXPECT_EQ(events[0].kv.value, "after");
    }
  });
}

TEST_P(WatchConformanceTest, ManyWritesArriveCompleteInOrderAndOnce) {
  run_void([&]() -> asio::awaitable<void> {
    const Revision start = co_await revision_of(kv()) + 1;
    auto w = co_await open(WatchRequest::prefix("m/", start));
    auto other = harness().new_client();
    std::vector<Seen> want;
    // g++ 12: no co_await inside ?: or braced lists (sim/FINDINGS.md F2).
    for (int i = 0; i < 300; ++i) {
      Client* writer = &kv();
      if (i % 2) writer = other.get();
      const std::string key = "m/" + std::to_string(i % 7);
      if (i % 5 == 4) {
        auto d = must(co_await writer->del(key), "del");
        if (d.deleted == 1) want.push_back(Seen{kDel, key, d.header.revision});
      } else {
        auto p = must(co_await writer->put(key, "v"), "put");
        want.push_back(Seen{kPut, key, p.header.revision});
      }
    }
    auto events = co_await read_events(*w, want.size());
    EXPECT_EQ(seen_of(events), want);
  });
}

TEST_P(WatchConformanceTest, FutureStartRevisionSkipsEarlierChanges) {
  run_void([&]() -> asio::awaitable<void> {
    const Revision now = co_await revision_of(kv());
    auto w = co_await open(WatchRequest::single("k", now + 3));
    std::vector<Seen> want;
    for (int i = 1; i <= 4; ++i) {
      auto p = must(co_await kv().put("k", std::to_string(i)), "put");
      if (p.header.revision >= now + 3) want.push_back(Seen{kPut, "k", p.header.revision});
    }
    EXPECT_EQ(want.size(), 2u);
    auto events = co_await read_events(*w, 2);
    EXPECT_EQ(seen_of(events), want);
  });
}

TEST_P(WatchConformanceTest, EveryWatcherOfAKeySeesEveryEvent) {
  run_void([&]() -> asio::awaitable<void> {
    const Revision start = co_await revision_of(kv()) + 1;
    auto other = harness().new_client();
    auto w1 = co_await open(WatchRequest::single("k", start));
    auto w2 = must(co_await other->watch(WatchRequest::prefix("k", start)), "watch");
    auto p = must(co_await kv().put("k", "1"), "put");
    auto d = must(co_await kv().del("k"), "del");
    const std::vector<Seen> want = {{kPut, "k", p.header.revision}, {kDel, "k", d.header.revision}};
    auto e1 = co_await read_events(*w1, 2);
    auto e2 = co_await read_events(*w2, 2);
    EXPECT_EQ(seen_of(e1), want);
    EXPECT_EQ(seen_of(e2), want);
  });
}

}  // namespace

GTEST_ALLOW_UNINSTANTIATED_PARAMETERIZED_TEST(WatchConformanceTest);
COORD_INSTANTIATE_BACKENDS(WatchConformanceTest);

}  // namespace coord::test
