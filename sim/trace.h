// trace.h: the simulator's event trace, folded into one 64-bit hash.
//
// Every observable event (an op issued or completed with its result, a fault,
// a checker observation) is appended with the virtual time. The hash folds
// every event a 64-bit word at a time (multiply and xor-shift), so two runs
// with the same seed and build give the same hash when their histories are
// identical, and almost surely different hashes when not.
// Optionally the events are also kept as text (for debugging a replay).
// Thread-safety: none; the world's thread only.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace coord::sim {

class Trace {
 public:
  // Trace keeps event text only when `record` is true.
  explicit Trace(bool record = false) : record_(record) {}

  // add folds one event (time in ns, a tag, a node or -1, and two numbers).
  void add(std::int64_t t_ns, std::string_view tag, std::int64_t node, std::int64_t a = 0,
           std::int64_t b = 0);

  // note folds free text (used for rarely emitted events).
  void note(std::int64_t t_ns, std::string_view text);

  // hash returns the running hash.
  std::uint64_t hash() const { return hash_; }
  // events returns the number of events folded.
  std::uint64_t events() const { return events_; }
  // lines returns the recorded text (empty unless recording).
  const std::vector<std::string>& lines() const { return lines_; }

 private:
  // mix folds n bytes (and n) eight at a time; mix_word folds one word:
  // xor, multiply by an odd constant, fold the high bits down.
  void mix(const void* p, std::size_t n);
  void mix_i64(std::int64_t v) { mix_word(static_cast<std::uint64_t>(v)); }
  void mix_word(std::uint64_t w) {
    hash_ = (hash_ ^ w) * 0x9e3779b97f4a7c15ULL;
    hash_ ^= hash_ >> 29;
  }

  bool record_;
  std::uint64_t hash_ = 0xcbf29ce484222325ULL;
  std::uint64_t events_ = 0;
  std::vector<std::string> lines_;
};

}  // namespace coord::sim
