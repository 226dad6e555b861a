// args.h: the coord command's small argument parser.
//
// A command declares the flags it accepts (FlagSpec); parse_args splits the
// words after the subcommand into flag values, switches, positionals and the
// words after "--" (a command to run). Flags are --name VALUE, --name=VALUE
// or a declared short alias (-l). Unknown flags and missing values are
// usage errors (cli::Failure with kUsageExit).
// Thread-safety: plain values.
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <set>
#include <string>
#include <vector>

namespace coord::cli {

// FlagSpec declares one flag of a command.
struct FlagSpec {
  std::string name;          // long name without dashes: "workers"
  bool takes_value = true;   // false: a switch (--sweep)
  std::string help;          // one line for `coord help`
  std::string short_name;    // optional single letter: "l" for -l
};

// ParsedArgs is the outcome of parse_args.
class ParsedArgs {
 public:
  // has tells whether the flag or switch was given.
  bool has(const std::string& name) const;
  // get returns the flag's value, or nullopt when absent.
  std::optional<std::string> get(const std::string& name) const;
  // get_or returns the flag's value or fallback.
  std::string get_or(const std::string& name, const std::string& fallback) const;
  // get_int parses the flag as an integer in [min, max]; fallback when
  // absent. A malformed or out-of-range value is a usage error.
  std::int64_t get_int(const std::string& name, std::int64_t fallback,
                       std::int64_t min = 0, std::int64_t max = INT64_MAX) const;
  // get_double parses the flag as a number >= 0 (seconds, rates).
  double get_double(const std::string& name, double fallback) const;

  // positional returns word i, or throws a usage error naming `what`.
  const std::string& positional(std::size_t i, const std::string& what) const;
  const std::vector<std::string>& positionals() const { return positionals_; }
  // rest is what followed "--".
  const std::vector<std::string>& rest() const { return rest_; }

 private:
  friend ParsedArgs parse_args(const std::vector<std::string>&, const std::vector<FlagSpec>&,
                               std::size_t);
  std::map<std::string, std::string> values_;
  std::set<std::string> switches_;
  std::vector<std::string> positionals_;
  std::vector<std::string> rest_;
};

// parse_args parses words against specs. At most max_positionals words may
// be positional. Throws cli::Failure (usage) on an unknown flag, a missing
// value or too many positionals.
ParsedArgs parse_args(const std::vector<std::string>& words, const std::vector<FlagSpec>& specs,
                      std::size_t max_positionals);

// parse_int parses s as a whole decimal integer in [min, max]; what names
// the value in the usage error it throws otherwise.
std::int64_t parse_int(const std::string& s, const std::string& what, std::int64_t min = INT64_MIN,
                       std::int64_t max = INT64_MAX);

}  // namespace coord::cli
