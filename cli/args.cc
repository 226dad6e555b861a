#include "cli/args.h"

#include <charconv>
#include <cstdlib>

#include "cli/failure.h"

namespace coord::cli {
namespace {

const FlagSpec* find_spec(const std::vector<FlagSpec>& specs, const std::string& name,
                          bool is_short) {
  for (const auto& s : specs) {
    if (is_short ? s.short_name == name : s.name == name) return &s;
  }
  return nullptr;
}

}  // namespace

bool ParsedArgs::has(const std::string& name) const {
  return values_.count(name) > 0 || switches_.count(name) > 0;
}

std::optional<std::string> ParsedArgs::get(const std::string& name) const {
  auto it = values_.find(name);
  if (it == values_.end()) return std::nullopt;
  return it->second;
}

std::string ParsedArgs::get_or(const std::string& name, const std::string& fallback) const {
  auto v = get(name);
  return v ? *v : fallback;
}

std::int64_t ParsedArgs::get_int(const std::string& name, std::int64_t fallback,
                                 std::int64_t min, std::int64_t max) const {
  auto v = get(name);
  if (!v) return fallback;
  return parse_int(*v, "--" + name, min, max);
}

double ParsedArgs::get_double(const std::string& name, double fallback) const {
  auto v = get(name);
  if (!v) return fallback;
  char* end = nullptr;
  double d = std::strtod(v->c_str(), &end);
  if (v->empty() || *end != '\0' || !(d >= 0)) {
    throw usage_error("--" + name + " expects a non-negative number, got '" + *v + "'");
  }
  return d;
}

const std::string& ParsedArgs::positional(std::size_t i, const std::string& what) const {
  if (i >= positionals_.size()) throw usage_error("missing " + what);
  return positionals_[i];
}

std::int64_t parse_int(const std::string& s, const std::string& what, std::int64_t min,
                       std::int64_t max) {
  std::int64_t v = 0;
  auto [p, ec] = std::from_chars(s.data(), s.data() + s.size(), v);
  if (s.empty() || ec != std::errc() || p != s.data() + s.size()) {
    throw usage_error(what + " expects a whole number, got '" + s + "'");
  }
  if (v < min || v > max) {
    throw usage_error(what + " must be between " + std::to_string(min) + " and " +
                      std::to_string(max) + ", got " + s);
  }
  return v;
}

ParsedArgs parse_args(const std::vector<std::string>& words, const std::vector<FlagSpec>& specs,
                      std::size_t max_positionals) {
  ParsedArgs out;
  for (std::size_t i = 0; i < words.size(); ++i) {
    const std::string& w = words[i];
    if (w == "--") {
      out.rest_.assign(words.begin() + static_cast<std::ptrdiff_t>(i) + 1, words.end());
      break;
    }
    const bool is_long = w.rfind("--", 0) == 0;
    const bool is_short = !is_long && w.size() == 2 && w[0] == '-' && w[1] != '-';
    if (!is_long && !is_short) {
      if (out.positionals_.size() >= max_positionals) {
        throw usage_error("unexpected argument '" + w + "'");
      }
      out.positionals_.push_back(w);
      continue;
    }
    std::string name = is_long ? w.substr(2) : w.substr(1);
    std::optional<std::string> inline_value;
    if (auto eq = name.find('='); is_long && eq != std::string::npos) {
      inline_value = name.substr(eq + 1);
      name.resize(eq);
    }
    const FlagSpec* spec = find_spec(specs, name, is_short);
    if (!spec) throw usage_error("unknown flag '" + w + "' (see coord help)");
    if (!spec->takes_value) {
      if (inline_value) throw usage_error("flag --" + spec->name + " takes no value");
      out.switches_.insert(spec->name);
      continue;
    }
    if (!inline_value) {
      if (i + 1 >= words.size()) throw usage_error("flag --" + spec->name + " needs a value");
      inline_value = words[++i];
    }
    out.values_[spec->name] = *inline_value;
  }
  return out;
}

}  // namespace coord::cli
