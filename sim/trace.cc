#include "sim/trace.h"

#include <algorithm>
#include <cstring>

namespace coord::sim {

void Trace::mix(const void* p, std::size_t n) {
  const auto* bytes = static_cast<const unsigned char*>(p);
  mix_i64(static_cast<std::int64_t>(n));
  for (std::size_t i = 0; i < n; i += 8) {
    std::uint64_t w = 0;
    std::memcpy(&w, bytes + i, std::min<std::size_t>(8, n - i));
    mix_word(w);
  }
}

void Trace::add(std::int64_t t_ns, std::string_view tag, std::int64_t node, std::int64_t a,
                std::int64_t b) {
  ++events_;
  mix_i64(t_ns);
  mix(tag.data(), tag.size());
  mix_i64(node);
  mix_i64(a);
  mix_i64(b);
  if (record_) {
    lines_.push_back(std::to_string(t_ns) + " " + std::string(tag) + " n" +
                     std::to_string(node) + " " + std::to_string(a) + " " + std::to_string(b));
  }
}

void Trace::note(std::int64_t t_ns, std::string_view text) {
  ++events_;
  mix_i64(t_ns);
  mix(text.data(), text.size());
  if (record_) lines_.push_back(std::to_string(t_ns) + " " + std::string(text));
}

}  // namespace coord::sim
