#include "aiadvise/util/text.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cctype>
#include <charconv>
#include <cmath>
#include <cstdint>

namespace aiadvise::util {

namespace {

// Length of the UTF-8 sequence starting at text[i], or 0 when it is not valid UTF-8.
std::size_t utf8_length(std::string_view text, std::size_t i, std::uint32_t& code_point) {
  const auto byte = [&](std::size_t k) { return static_cast<unsigned char>(text[k]); };
  const unsigned char lead = byte(i);
  std::size_t length = 0;
  std::uint32_t min = 0;
  if (lead < 0x80) {
    code_point = lead;
    return 1;
  } else if ((lead & 0xE0) == 0xC0) {
    length = 2, code_point = lead & 0x1Fu, min = 0x80;
  } else if ((lead & 0xF0) == 0xE0) {
    length = 3, code_point = lead & 0x0Fu, min = 0x800;
  } else if ((lead & 0xF8) == 0xF0) {
    length = 4, code_point = lead & 0x07u, min = 0x10000;
  } else {
    return 0;
  }
  if (i + length > text.size()) return 0;
  for (std::size_t k = 1; k < length; ++k) {
    if ((byte(i + k) & 0xC0) != 0x80) return 0;
    code_point = (code_point << 6) | (byte(i + k) & 0x3Fu);
  }
  if (code_point < min || code_point > 0x10FFFF || (code_point >= 0xD800 && code_point <= 0xDFFF)) return 0;
  return length;
}

bool is_bidi_control(std::uint32_t cp) {
  return cp == 0x200E || cp == 0x200F || cp == 0x061C || (cp >= 0x202A && cp <= 0x202E) ||
         (cp >= 0x2066 && cp <= 0x2069);
}

}  // namespace

std::string escape_for_terminal(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  for (std::size_t i = 0; i < text.size();) {
    std::uint32_t cp = 0;
    const std::size_t length = utf8_length(text, i, cp);
    if (length == 0) {
      out += fmt::format("\\x{:02x}", static_cast<unsigned char>(text[i]));
      ++i;
      continue;
    }
    if (cp < 0x20 || cp == 0x7F || (cp >= 0x80 && cp < 0xA0)) {
      switch (cp) {
        case '\n': out += "\\n"; break;
        case '\t': out += "\\t"; break;
        case '\r': out += "\\r"; break;
        default: out += fmt::format("\\x{:02x}", cp);
      }
    } else if (is_bidi_control(cp)) {
      out += fmt::format("\\u{{{:04x}}}", cp);
    } else {
      out.append(text.substr(i, length));
    }
    i += length;
  }
  return out;
}

std::size_t edit_distance(std::string_view a, std::string_view b) {
  std::vector<std::size_t> row(b.size() + 1);
  for (std::size_t j = 0; j <= b.size(); ++j) row[j] = j;
  for (std::size_t i = 1; i <= a.size(); ++i) {
    std::size_t diagonal = row[0];
    row[0] = i;
    for (std::size_t j = 1; j <= b.size(); ++j) {
      const std::size_t above = row[j];
      row[j] = std::min({row[j] + 1, row[j - 1] + 1, diagonal + (a[i - 1] == b[j - 1] ? 0 : 1)});
      diagonal = above;
    }
  }
  return row[b.size()];
}

std::size_t typo_distance(std::string_view a, std::string_view b) {
  // Three rows: the one before the previous is needed for a transposition.
  std::vector<std::size_t> before(b.size() + 1), previous(b.size() + 1), current(b.size() + 1);
  for (std::size_t j = 0; j <= b.size(); ++j) previous[j] = j;
  for (std::size_t i = 1; i <= a.size(); ++i) {
    current[0] = i;
    for (std::size_t j = 1; j <= b.size(); ++j) {
      const std::size_t cost = a[i - 1] == b[j - 1] ? 0 : 1;
      current[j] = std::min({previous[j] + 1, current[j - 1] + 1, previous[j - 1] + cost});
      if (i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1]) current[j] = std::min(current[j], before[j - 2] + 1);
    }
    std::swap(before, previous);
    std::swap(previous, current);
  }
  return previous[b.size()];
}

std::optional<std::string> nearest(std::string_view word, const std::vector<std::string>& candidates) {
  // NOTE: a third of the word's length (at least 2) keeps "gpt-2" -> "gpt-j" plausible while not
  // suggesting an unrelated id for a short word.
  const std::size_t limit = std::max<std::size_t>(2, word.size() / 3);
  const auto common_prefix = [&](const std::string& candidate) {
    std::size_t n = 0;
    while (n < word.size() && n < candidate.size() && word[n] == candidate[n]) ++n;
    return n;
  };
  std::optional<std::string> best;
  std::size_t best_distance = limit + 1;
  const auto length_gap = [&](const std::string& candidate) {
    return candidate.size() > word.size() ? candidate.size() - word.size() : word.size() - candidate.size();
  };
  for (const auto& candidate : candidates) {
    const std::size_t d = typo_distance(word, candidate);
    // Ties go to the same length (a swapped pair), then to the longer shared prefix ("vcpu" ->
    // "vcpus", not "cpu"), then to the smaller id.
    const bool better =
        d < best_distance ||
        (d == best_distance && best &&
         (length_gap(candidate) < length_gap(*best) ||
          (length_gap(candidate) == length_gap(*best) &&
           (common_prefix(candidate) > common_prefix(*best) ||
            (common_prefix(candidate) == common_prefix(*best) && candidate < *best)))));
    if (better) {
      best_distance = d;
      best = candidate;
    }
  }
  if (best_distance > limit) return std::nullopt;
  return best;
}

std::string did_you_mean(std::string_view word, const std::vector<std::string>& candidates) {
  if (auto n = nearest(word, candidates)) return fmt::format(" (did you mean '{}'?)", escape_for_terminal(*n));
  return "";
}

std::optional<double> parse_count(std::string_view text) {
  while (!text.empty() && text.front() == ' ') text.remove_prefix(1);
  while (!text.empty() && text.back() == ' ') text.remove_suffix(1);
  if (text.empty()) return std::nullopt;
  double multiplier = 1;
  switch (text.back()) {
    case 'k': case 'K': multiplier = 1e3; break;
    case 'm': case 'M': multiplier = 1e6; break;
    case 'b': case 'B': case 'g': case 'G': multiplier = 1e9; break;
    case 't': case 'T': multiplier = 1e12; break;
    default: break;
  }
  if (multiplier != 1) text.remove_suffix(1);
  if (text.empty() || text.front() == '-' || text.front() == '+') return std::nullopt;
  double value = 0;
  const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (ec != std::errc() || end != text.data() + text.size() || !std::isfinite(value)) return std::nullopt;
  value *= multiplier;
  if (!std::isfinite(value)) return std::nullopt;
  return value;
}

std::string format_count(double value) {
  static constexpr std::pair<double, const char*> k_units[] = {{1e12, "T"}, {1e9, "B"}, {1e6, "M"}, {1e3, "k"}};
  for (const auto& [scale, suffix] : k_units) {
    if (std::fabs(value) >= scale) return fmt::format("{:.3g}{}", value / scale, suffix);
  }
  return fmt::format("{:.3g}", value);
}

std::string wrap(std::string_view text, std::size_t width, std::string_view first_indent, std::string_view rest_indent) {
  const auto columns = [](std::string_view s) {
    std::size_t n = 0;
    for (unsigned char c : s) n += (c & 0xC0) != 0x80;
    return n;
  };
  // Words, with a number kept together with the short unit after it ("49.6 ms", "15.0 GiB").
  std::vector<std::string> words;
  for (std::size_t start = 0; start < text.size();) {
    if (text[start] == ' ') {
      ++start;
      continue;
    }
    std::size_t end = text.find(' ', start);
    if (end == std::string_view::npos) end = text.size();
    std::string word(text.substr(start, end - start));
    const bool unit = !words.empty() && !words.back().empty() && std::isdigit(static_cast<unsigned char>(words.back().back())) &&
                      std::isalpha(static_cast<unsigned char>(word.front())) && word.size() <= 7;
    if (unit) words.back() += " " + word;
    else words.push_back(std::move(word));
    start = end;
  }
  std::string out(first_indent);
  std::size_t line = columns(first_indent);
  bool empty_line = true;
  for (const auto& word : words) {
    const std::size_t w = columns(word);
    if (!empty_line && width > 0 && line + 1 + w > width) {
      out += '\n';
      out += rest_indent;
      line = columns(rest_indent);
      empty_line = true;
    }
    if (!empty_line) {
      out += ' ';
      ++line;
    }
    out += word;
    line += w;
    empty_line = false;
  }
  out += '\n';
  return out;
}

std::string join(const std::vector<std::string>& parts, std::string_view separator) {
  std::string out;
  for (std::size_t i = 0; i < parts.size(); ++i) {
    if (i) out += separator;
    out += parts[i];
  }
  return out;
}

std::vector<std::string> split_list(std::string_view text, char separator) {
  std::vector<std::string> parts;
  std::size_t start = 0;
  while (start <= text.size()) {
    std::size_t end = text.find(separator, start);
    if (end == std::string_view::npos) end = text.size();
    std::string_view part = text.substr(start, end - start);
    while (!part.empty() && part.front() == ' ') part.remove_prefix(1);
    while (!part.empty() && part.back() == ' ') part.remove_suffix(1);
    if (!part.empty()) parts.emplace_back(part);
    start = end + 1;
  }
  return parts;
}

}  // namespace aiadvise::util
