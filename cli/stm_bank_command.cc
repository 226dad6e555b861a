// stm_bank_command.cc: `coord stm-bank`, etcd's classic STM demo: workers
// move money between accounts in serializable transactions; every balance
// and the sum are printed, and the sum must be what it was.
#ifdef COORD_CLI_HAVE_STM
#include <iostream>
#include <random>

#include "api/txn.h"
#include "cli/backend.h"
#include "cli/bank.h"
#include "cli/bench.h"
#include "cli/commands.h"
#include "cli/failure.h"
#include "recipes/stm.h"

namespace coord::cli {

boost::asio::awaitable<Result<void>> bank_open(Client& c, const Bank& bank) {
  TxnRequest t;
  for (int i = 0; i < bank.accounts; ++i) {
    t.compare.push_back(Compare::version(bank.account(i)) == std::int64_t{0});
  }
  for (int i = 0; i < bank.accounts; ++i) {
    t.success.push_back(Op::put(bank.account(i), std::to_string(bank.initial)));
  }
  auto r = co_await c.txn(std::move(t));
  if (!r) co_return r.error();
  co_return Result<void>{};
}

boost::asio::awaitable<Result<void>> bank_transfer(Client& c, const Bank& bank, int from, int to,
                                                   std::int64_t amount) {
  // Named first: g++ 12 and lambda temporaries in co_await (FINDINGS F2).
  StmApply apply = [&](Stm& stm) -> Task<void> {
    auto a = co_await stm.get(bank.account(from));
    if (!a) co_return a.error();
    auto b = co_await stm.get(bank.account(to));
    if (!b) co_return b.error();
    const std::int64_t have = a->empty() ? 0 : std::stoll(*a);
    const std::int64_t moved = std::min(have, amount);
    stm.put(bank.account(from), std::to_string(have - moved));
    stm.put(bank.account(to), std::to_string((b->empty() ? 0 : std::stoll(*b)) + moved));
    co_return Result<void>{};
  };
  auto r = co_await run_stm(c, apply);
  if (!r) co_return r.error();
  co_return Result<void>{};
}

boost::asio::awaitable<Result<std::vector<std::int64_t>>> bank_balances(Client& c,
                                                                        const Bank& bank) {
  TxnRequest t;  // one read-only txn: a consistent snapshot of every account
  for (int i = 0; i < bank.accounts; ++i) t.success.push_back(Op::get(bank.account(i)));
  auto r = co_await c.txn(std::move(t));
  if (!r) co_return r.error();
  std::vector<std::int64_t> out;
  for (const auto& op : r->responses) {
    const auto& kvs = op.range().kvs;
    out.push_back(kvs.empty() ? 0 : std::stoll(kvs.front().value));
  }
  co_return out;
}

int run_stm_bank(const Words& words) {
  auto specs = backend_flags();
  specs.push_back({"accounts", true, "accounts (default 5)"});
  specs.push_back({"workers", true, "concurrent workers (default 10)"});
  specs.push_back({"transfers", true, "transfers in total (default 100)"});
  specs.push_back({"name", true, "key prefix of the bank (default stm-bank)"});
  specs.push_back({"seed", true, "random seed of the transfers (default 1)"});
  ParsedArgs args = parse_args(words, specs, 0);
  Bank bank;
  bank.prefix = args.get_or("name", "stm-bank") + "/";
  bank.accounts = static_cast<int>(args.get_int("accounts", 5, 2, 128));
  const int workers = static_cast<int>(args.get_int("workers", 10, 1, 1024));
  const auto transfers = args.get_int("transfers", 100, 0, 100'000'000);
  const auto seed = static_cast<std::uint32_t>(args.get_int("seed", 1));
  auto backend = Backend::open(parse_backend(args));
  auto client = backend->client();
  auto& rt = backend->runtime();
  check(rt.run(bank_open(*client, bank)), "open accounts");
  const auto before = check(rt.run(bank_balances(*client, bank)), "read balances");
  std::atomic<std::int64_t> next{0};
  auto done = rt.run(run_parallel(rt.executor(), workers, [&](std::size_t w) -> boost::asio::awaitable<Result<void>> {
    std::mt19937 rng(seed * 7919u + static_cast<std::uint32_t>(w));
    std::uniform_int_distribution<int> pick(0, bank.accounts - 1);
    std::uniform_int_distribution<int> amount(1, 20);
    while (next.fetch_add(1) < transfers) {
      const int from = pick(rng);
      const int to = (from + 1 + pick(rng) % (bank.accounts - 1)) % bank.accounts;
      auto r = co_await bank_transfer(*client, bank, from, to, amount(rng));
      if (!r) co_return r.error();
    }
    co_return Result<void>{};
  }));
  check(std::move(done), "transfer");
  const auto after = check(rt.run(bank_balances(*client, bank)), "read balances");
  std::int64_t sum_before = 0, sum_after = 0;
  for (int i = 0; i < bank.accounts; ++i) {
    sum_before += before[i];
    sum_after += after[i];
    std::cout << bank.account(i) << " " << after[i] << "\n";
  }
  std::cout << "sum " << sum_after << (sum_after == sum_before ? " (conserved)" : " (CHANGED from " + std::to_string(sum_before) + ")") << std::endl;
  return sum_after == sum_before ? kOkExit : kCheckExit;
}

}  // namespace coord::cli
#endif
