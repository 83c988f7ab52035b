// Terraform addresses and the project file's keys that name them.

#include "aiadvise/check/address.hpp"

namespace aiadvise::check {

std::optional<std::vector<AddressStep>> parse_address(std::string_view address) {
  std::vector<AddressStep> steps;
  std::size_t i = 0;
  while (i <= address.size()) {
    AddressStep step;
    const std::size_t start = i;
    while (i < address.size() && address[i] != '.' && address[i] != '[') ++i;
    step.name = std::string(address.substr(start, i - start));
    if (step.name.empty()) return std::nullopt;
    if (i < address.size() && address[i] == '[') {
      const std::size_t open = i++;
      bool quoted = false;
      while (i < address.size()) {
        const char c = address[i];
        if (quoted && c == '\\' && i + 1 < address.size()) {
          i += 2;
          continue;
        }
        if (c == '"') quoted = !quoted;
        if (!quoted && c == ']') break;
        ++i;
      }
      if (i >= address.size()) return std::nullopt;  // unclosed
      step.key = std::string(address.substr(open + 1, i - open - 1));
      if (step.key->empty()) return std::nullopt;
      ++i;  // past ']'
    }
    steps.push_back(std::move(step));
    if (i == address.size()) break;
    if (address[i] != '.') return std::nullopt;  // "x[0]y"
    ++i;
    if (i == address.size()) return std::nullopt;  // trailing dot
  }
  return steps;
}

std::string configuration_address(std::string_view address) {
  const auto steps = parse_address(address);
  if (!steps) return std::string(address);
  std::string out;
  for (const auto& s : *steps) {
    if (!out.empty()) out += '.';
    out += s.name;
  }
  return out;
}

bool address_matches(std::string_view key, std::string_view address) {
  const auto k = parse_address(key);
  const auto a = parse_address(address);
  if (!k || !a || k->size() != a->size()) return false;
  for (std::size_t i = 0; i < k->size(); ++i) {
    if ((*k)[i].name != (*a)[i].name) return false;
    if ((*k)[i].key && (*k)[i].key != (*a)[i].key) return false;
  }
  return true;
}

int key_specificity(std::string_view key) {
  const auto steps = parse_address(key);
  int n = 0;
  if (steps) {
    for (const auto& s : *steps) n += s.key ? 1 : 0;
  }
  return n;
}

}  // namespace aiadvise::check
