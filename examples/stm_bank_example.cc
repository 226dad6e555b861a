// stm_bank_example: etcd's classic STM demo. Five accounts of 100; ten
// threads each make 100 transfers of half of a random account's balance to
// another random account, every transfer in one software transaction. The
// sum stays 500 whatever the interleaving.
// Usage: stm_bank_example [--etcd HOST:PORT]
#include <cstdio>
#include <random>
#include <string>
#include <thread>
#include <vector>

#include "api/blocking.h"
#include "examples/example_backend.h"
#include "recipes/blocking/stm.h"

namespace {

constexpr int kAccounts = 5;
constexpr int kWorkers = 10;
constexpr int kTransfers = 100;

std::string account(int i) { return "accts/" + std::to_string(i); }

// transfer moves half of `from`'s balance to `to` in one transaction.
coord::Result<coord::TxnResponse> transfer(coord::blocking::Client& client, int from, int to) {
  return coord::blocking::run_stm(client, [&](coord::blocking::Stm& stm) {
    auto a = stm.get(account(from));
    if (!a) return coord::Result<void>(a.error());
    auto b = stm.get(account(to));
    if (!b) return coord::Result<void>(b.error());
    const long have = std::stol(*a);
    const long moved = have / 2;
    stm.put(account(from), std::to_string(have - moved));
    stm.put(account(to), std::to_string(std::stol(*b) + moved));
    return coord::Result<void>();
  });
}

}  // namespace

int main(int argc, char** argv) {
  auto kv = examples::open_backend(argc, argv);
  if (!kv) return 1;
  coord::blocking::Client client(kv, std::make_shared<coord::blocking::Runtime>(2));
  for (int i = 0; i < kAccounts; ++i) client.put(account(i), "100").value();

  std::vector<std::thread> workers;
  for (int w = 0; w < kWorkers; ++w) {
    workers.emplace_back([&client, w] {
      std::mt19937 rng(w);
      std::uniform_int_distribution<int> pick(0, kAccounts - 1);
      for (int t = 0; t < kTransfers; ++t) {
        const int from = pick(rng);
        const int to = (from + 1 + pick(rng) % (kAccounts - 1)) % kAccounts;
        if (auto r = transfer(client, from, to); !r) {
          std::fprintf(stderr, "error: transfer: %s\n", r.error().message().c_str());
        }
      }
    });
  }
  for (auto& t : workers) t.join();

  long sum = 0;
  for (int i = 0; i < kAccounts; ++i) {
    const long balance = std::stol(client.get(account(i)).value()->value);
    std::printf("%s %ld\n", account(i).c_str(), balance);
    sum += balance;
  }
  std::printf("sum %ld\n", sum);
  return sum == 100 * kAccounts ? 0 : 2;
}
