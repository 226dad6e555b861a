// rng.h: the simulator's one seeded random generator.
//
// Rng is xoshiro256** seeded through splitmix64. Every sampling helper is
// integer arithmetic of our own (no std:: distributions), so a seed gives the
// same stream bit for bit on every toolchain.
// Thread-safety: none; the world's thread only.
#pragma once

#include <cstdint>

namespace coord::sim {

class Rng {
 public:
  // Rng seeds the state from seed with splitmix64.
  explicit Rng(std::uint64_t seed) {
    for (auto& s : s_) s = splitmix(seed);
  }

  // next returns the next 64 random bits.
  std::uint64_t next() {
    const std::uint64_t result = rotl(s_[1] * 5, 7) * 9;
    const std::uint64_t t = s_[1] << 17;
    s_[2] ^= s_[0];
    s_[3] ^= s_[1];
    s_[1] ^= s_[2];
    s_[0] ^= s_[3];
    s_[2] ^= t;
    s_[3] = rotl(s_[3], 45);
    return result;
  }

  // below returns a value in [0, n); 0 when n == 0.
  std::uint64_t below(std::uint64_t n) {
    if (n == 0) return 0;
    return static_cast<std::uint64_t>((static_cast<unsigned __int128>(next()) * n) >> 64);
  }

  // between returns a value in [lo, hi]. REQUIRES: lo <= hi.
  std::int64_t between(std::int64_t lo, std::int64_t hi) {
    return lo + static_cast<std::int64_t>(below(static_cast<std::uint64_t>(hi - lo) + 1));
  }

  // chance returns true with probability per_million / 1e6.
  bool chance(std::uint32_t per_million) { return below(1'000'000) < per_million; }

  // fork returns a new generator seeded from this one (independent streams).
  Rng fork() { return Rng(next()); }

 private:
  static std::uint64_t rotl(std::uint64_t x, int k) { return (x << k) | (x >> (64 - k)); }
  static std::uint64_t splitmix(std::uint64_t& x) {
    std::uint64_t z = (x += 0x9e3779b97f4a7c15ULL);
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
    return z ^ (z >> 31);
  }
  std::uint64_t s_[4];
};

}  // namespace coord::sim
