// bank.h: the STM bank shared by `coord stm-bank`, `coord bench stm` and
// the demo: accounts are keys prefix + "account-<i>" holding a decimal
// balance; a transfer moves money between two of them in one STM.
// Thread-safety: plain values; the functions are coroutines on any client.
#pragma once

#include <boost/asio/awaitable.hpp>
#include <cstdint>
#include <string>
#include <vector>

#include "api/client.h"

namespace coord::cli {

struct Bank {
  std::string prefix = "stm-bank/";
  int accounts = 5;
  std::int64_t initial = 100;  // opening balance of every account
  std::string account(int i) const { return prefix + "account-" + std::to_string(i); }
};

// bank_open creates every account with the initial balance unless the bank
// already exists (all accounts absent: one txn). Errors: the client's.
boost::asio::awaitable<Result<void>> bank_open(Client& c, const Bank& bank);

// bank_transfer moves min(amount, balance of from) from `from` to `to` in
// one serializable STM. Errors: the STM's.
boost::asio::awaitable<Result<void>> bank_transfer(Client& c, const Bank& bank, int from, int to,
                                                   std::int64_t amount);

// bank_balances reads every balance (0 for a missing account).
boost::asio::awaitable<Result<std::vector<std::int64_t>>> bank_balances(Client& c,
                                                                        const Bank& bank);

}  // namespace coord::cli
