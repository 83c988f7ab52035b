#include "aiadvise/models/names.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cctype>

#include "aiadvise/util/text.hpp"

namespace aiadvise::models {

namespace {

std::string lower(std::string_view s) {
  std::string out(s);
  for (auto& ch : out) ch = static_cast<char>(std::tolower(static_cast<unsigned char>(ch)));
  return out;
}

std::vector<std::string> tokens(const std::string& s) {
  std::vector<std::string> out;
  std::size_t start = 0;
  while (start <= s.size()) {
    std::size_t end = s.find('-', start);
    if (end == std::string::npos) end = s.size();
    if (end > start) out.push_back(s.substr(start, end - start));
    start = end + 1;
  }
  return out;
}

// Words of fine-tuned variants and re-releases that keep the base model's architecture and size.
bool is_variant_word(const std::string& t) {
  static const std::vector<std::string> words{"instruct", "chat", "it", "hf", "base", "pt"};
  // A release date (YYMM: Qwen3-30B-A3B-Instruct-2507, Mistral-Small-3.1-24B-Base-2503).
  const bool date = t.size() == 4 && std::all_of(t.begin(), t.end(), [](char ch) { return std::isdigit(static_cast<unsigned char>(ch)) != 0; });
  return date || std::find(words.begin(), words.end(), t) != words.end();
}

/// "meta-llama/Meta-Llama-3.1-8B-Instruct" -> "llama-3.1-8b"; `stripped` says whether a variant
/// word was removed.
std::string normalise(std::string_view name, bool* stripped = nullptr) {
  std::string s = lower(name);
  if (const auto slash = s.rfind('/'); slash != std::string::npos) s = s.substr(slash + 1);
  std::replace(s.begin(), s.end(), '_', '-');
  std::replace(s.begin(), s.end(), ' ', '-');
  if (s.rfind("meta-", 0) == 0) s = s.substr(5);
  std::vector<std::string> kept;
  for (auto& t : tokens(s)) {
    if (is_variant_word(t)) {
      if (stripped) *stripped = true;
      continue;
    }
    kept.push_back(t);
  }
  return util::join(kept, "-");
}

std::string compact(std::string s) {
  s.erase(std::remove(s.begin(), s.end(), '-'), s.end());
  return s;
}

/// "org/name" of every huggingface.co link in a source field.
std::vector<std::string> hf_repos(const std::string& source) {
  std::vector<std::string> out;
  constexpr std::string_view host = "huggingface.co/";
  for (std::size_t at = source.find(host); at != std::string::npos; at = source.find(host, at + 1)) {
    std::size_t start = at + host.size();
    std::size_t end = start;
    int slashes = 0;
    while (end < source.size() && source[end] != ' ' && source[end] != ';' && source[end] != ',') {
      if (source[end] == '/' && ++slashes == 2) break;
      ++end;
    }
    const std::string repo = source.substr(start, end - start);
    if (slashes >= 1 && repo.find('/') != std::string::npos && repo.rfind("datasets/", 0) != 0 && repo.rfind("spaces/", 0) != 0) {
      out.push_back(repo);
    }
  }
  return out;
}

bool is_size(const std::string& t) {
  // 8b, 0.5b, 350m, 8x7b, a22b, e4b
  std::string s = t;
  if (!s.empty() && (s[0] == 'a' || s[0] == 'e') && s.size() > 1 && std::isdigit(static_cast<unsigned char>(s[1]))) s = s.substr(1);
  if (s.empty() || (s.back() != 'b' && s.back() != 'm' && s.back() != 'k' && s.back() != 't')) return false;
  s.pop_back();
  if (s.empty()) return false;
  for (char ch : s) {
    if (!std::isdigit(static_cast<unsigned char>(ch)) && ch != '.' && ch != 'x') return false;
  }
  return std::isdigit(static_cast<unsigned char>(s.front())) != 0;
}

bool has_digit(const std::string& t) {
  return std::any_of(t.begin(), t.end(), [](char ch) { return std::isdigit(static_cast<unsigned char>(ch)) != 0; });
}

/// What must agree for two names to be the same model: every token with a digit (version, size),
/// a size without its unit letter ("7" and "7b" are one size).
std::vector<std::string> numbered_tokens(const std::string& normalised) {
  std::vector<std::string> out;
  for (auto t : tokens(normalised)) {
    if (!has_digit(t)) continue;
    if (is_size(t)) t.pop_back();
    out.push_back(t);
  }
  return out;
}

/// The model line: the leading letters ("gemma" of gemma-2-9b, "qwen" of qwen2.5-7b).
std::string line_of(const std::string& normalised) {
  std::string out;
  for (char ch : normalised) {
    if (!std::isalpha(static_cast<unsigned char>(ch))) break;
    out += ch;
  }
  return out;
}

}  // namespace

std::optional<ModelMatch> match_catalog_model(std::string_view name, const catalog::Catalog& c) {
  if (c.model(name)) return ModelMatch{std::string(name), ""};
  const std::string given(name);
  for (const auto& m : c.models) {
    if (lower(m.id) == lower(given)) return ModelMatch{m.id, fmt::format("model: {} (catalog id of '{}')", m.id, given)};
  }
  bool stripped = false;
  const std::string n = normalise(name, &stripped);
  const std::string variant = stripped ? "; a fine-tuned variant has the base model's architecture and size" : "";
  for (int pass = 0; pass < 2; ++pass) {
    auto same = [&](const std::string& a, const std::string& b) { return pass == 0 ? a == b : compact(a) == compact(b); };
    for (const auto& m : c.models) {
      bool matched = same(normalise(m.id), n);
      for (const auto& repo : hf_repos(m.provenance.source)) matched = matched || same(normalise(repo), n);
      if (matched) return ModelMatch{m.id, fmt::format("model: {} (the catalog's entry for '{}'{})", m.id, given, variant)};
    }
  }
  return std::nullopt;
}

std::string unknown_model_message(std::string_view name, const catalog::Catalog& c, const std::string& hf_cache) {
  const std::string given = util::escape_for_terminal(name);
  const std::string n = normalise(name);
  const auto numbers = numbered_tokens(n);
  // A typo: near in spelling with the same version and size.
  std::optional<std::string> typo;
  std::size_t best = std::max<std::size_t>(2, n.size() / 4) + 1;
  std::vector<std::string> same_line;
  for (const auto& m : c.models) {
    const std::string mn = normalise(m.id);
    if (numbered_tokens(mn) == numbers) {
      const std::size_t d = util::typo_distance(n, mn);
      if (d < best) {
        best = d;
        typo = m.id;
      }
    }
    if (!line_of(n).empty() && line_of(mn) == line_of(n)) same_line.push_back(m.id);
  }
  std::string out = fmt::format("unknown model '{}'", given);
  if (typo) {
    out += fmt::format(" (did you mean '{}'?)", *typo);
  } else if (!same_line.empty()) {
    if (same_line.size() > 8) same_line.resize(8);
    out += fmt::format("; the catalog's {} models are other versions or sizes, not this one: {}", line_of(n), util::join(same_line, ", "));
  }
  // The size flags, from the name where it says them ("30b-a3b": 30B total, 3B active).
  std::string total, active;
  for (const auto& t : tokens(n)) {
    if (!is_size(t) || t.find('x') != std::string::npos) continue;
    std::string upper = t;
    for (auto& ch : upper) ch = static_cast<char>(std::toupper(static_cast<unsigned char>(ch)));
    if (upper[0] == 'A' && active.empty()) active = upper.substr(1);
    else if (std::isdigit(static_cast<unsigned char>(upper[0])) && total.empty()) total = upper;
  }
  // NOTE: only a name with a size in billions reads as an LLM; anything else gets the family to choose.
  const bool llm = !active.empty() || (!total.empty() && total.back() == 'B');
  const std::string size_flags = !llm ? fmt::format("--family FAMILY --params {} (aiadvise catalog list families)", total.empty() ? "N" : total)
                                 : active.empty() ? fmt::format("--family llm-decoder --params {}", total)
                                                  : fmt::format("--family llm-moe --params {} --active-params {}", total.empty() ? "N" : total, active);
  out += fmt::format(". Ways forward: (1) give its size: {}; (2) describe it: --model-config PATH (its config.json or model directory){}; "
                     "(3) add it to a user catalog (--catalog FILE; docs/catalog.md)",
                     size_flags,
                     name.find('/') != std::string_view::npos
                         ? fmt::format(", or download it so that it is in the Hugging Face cache ({})", hf_cache)
                         : "");
  return out;
}

std::string unknown_family_message(std::string_view name, const catalog::Catalog& c) {
  const std::string given(name);
  const auto ids = c.ids("families");
  std::string out = fmt::format("unknown family '{}'", util::escape_for_terminal(given));
  if (auto near = util::nearest(given, ids)) return out + fmt::format(" (did you mean '{}'?)", *near);
  std::vector<std::string> starting;
  for (const auto& id : ids) {
    if (id.rfind(lower(given), 0) == 0 || id.find("-" + lower(given)) != std::string::npos) starting.push_back(id);
  }
  if (!starting.empty()) return out + fmt::format(" (did you mean {}?)", util::join(starting, " or "));
  return out + fmt::format("; families: {}", util::join(ids, ", "));
}

}  // namespace aiadvise::models
