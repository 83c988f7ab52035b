#include "aiadvise/util/json_reader.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>

#include "aiadvise/util/text.hpp"

namespace aiadvise::util {

namespace {
// NOTE: no quantity aiadvise reads is anywhere near 1e18 (the largest are dataset token counts,
// around 1e13); a larger value is a typo or an attack, and would overflow integer conversions.
constexpr double k_max_plausible = 1e18;

const char* rule_text(NumberRule rule) {
  switch (rule) {
    case NumberRule::positive: return "a positive number";
    case NumberRule::non_negative: return "a non-negative number";
    case NumberRule::any: break;
  }
  return "a number";
}
}  // namespace

Diagnostic diagnostic_at(const Location& where, std::string message) {
  if (where.document) return where.document->diagnostic(where.pointer, std::move(message));
  return Diagnostic{"", 0, 0, where.pointer, std::move(message)};
}

namespace {
// Writes `value` as JSON until `out` holds more than `limit` bytes, then stops: a message about a
// 60 MB array prints its start without serialising the rest (or recursing through all of it).
void describe_into(const Json& value, std::string& out, std::size_t limit) {
  if (out.size() > limit) return;
  if (value.is_array()) {
    out += '[';
    bool first = true;
    for (const auto& item : value) {
      if (out.size() > limit) return;
      if (!first) out += ',';
      first = false;
      describe_into(item, out, limit);
    }
    out += ']';
  } else if (value.is_object()) {
    out += '{';
    bool first = true;
    for (const auto& [key, item] : value.items()) {
      if (out.size() > limit) return;
      if (!first) out += ',';
      first = false;
      out += Json(key).dump(-1, ' ', false, Json::error_handler_t::replace);
      out += ':';
      describe_into(item, out, limit);
    }
    out += '}';
  } else {
    out += value.dump(-1, ' ', false, Json::error_handler_t::replace);
  }
}
}  // namespace

void add_diagnostic(std::vector<Diagnostic>& list, const Location& where, std::string message) {
  add_made_diagnostic(list, [&] { return diagnostic_at(where, std::move(message)); });
}

std::string describe_value(const Json& value) {
  std::string text;
  describe_into(value, text, 60);
  if (text.size() > 60) text = text.substr(0, 57) + "...";
  return text;
}

bool is_kebab_id(std::string_view text) {
  if (text.empty() || text.size() > 64) return false;
  bool previous_separator = true;  // no leading separator
  for (char c : text) {
    const bool alnum = (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9');
    const bool separator = c == '-' || c == '.';
    if (!alnum && !separator) return false;
    if (separator && previous_separator) return false;
    previous_separator = separator;
  }
  return !previous_separator;
}

std::optional<std::string> check_number(const Json& value, NumberRule rule, double& out) {
  if (!value.is_number()) return fmt::format("expected {}, got {}", rule_text(rule), describe_value(value));
  out = value.get<double>();
  if (!std::isfinite(out)) return fmt::format("expected {}, got a non-finite value", rule_text(rule));
  if (!is_normal_or_zero(out)) {
    return fmt::format("expected {}, got {} (too small to compute with: a subnormal number)", rule_text(rule), describe_value(value));
  }
  if (std::fabs(out) > k_max_plausible) {
    return fmt::format("expected {}, got {} (implausibly large; the limit is 1e18)", rule_text(rule), describe_value(value));
  }
  if ((rule == NumberRule::positive && !(out > 0)) || (rule == NumberRule::non_negative && out < 0)) {
    return fmt::format("expected {}, got {}", rule_text(rule), describe_value(value));
  }
  return std::nullopt;
}

ObjectReader::ObjectReader(const Json& object, Location where, std::vector<Diagnostic>& diagnostics,
                           std::function<Location(std::string_view)> field_location)
    : m_object(object), m_where(std::move(where)), m_diagnostics(diagnostics), m_field_location(std::move(field_location)) {}

void ObjectReader::know(std::string_view key) {
  if (std::find(m_known.begin(), m_known.end(), key) == m_known.end()) m_known.emplace_back(key);
}

void ObjectReader::allow(std::string_view key) { know(key); }

bool ObjectReader::has(std::string_view key) const {
  auto it = m_object.find(key);
  return it != m_object.end() && !it->is_null();
}

Location ObjectReader::location_of(std::string_view key) const {
  if (m_field_location) return m_field_location(key);
  return Location{m_where.document, pointer_append(m_where.pointer, key)};
}

void ObjectReader::error(std::string_view key, std::string message) {
  add_diagnostic(m_diagnostics, location_of(key), std::move(message));
}

const Json* ObjectReader::find(std::string_view key, bool required) {
  know(key);
  auto it = m_object.find(key);
  if (it == m_object.end() || it->is_null()) {
    if (required) {
      add_diagnostic(m_diagnostics, m_where, fmt::format("missing required field '{}'", key));
    }
    return nullptr;
  }
  return &*it;
}

std::optional<std::string> ObjectReader::string(std::string_view key, bool required) {
  const Json* v = find(key, required);
  if (!v) return std::nullopt;
  if (!v->is_string()) {
    error(key, fmt::format("expected a string, got {}", describe_value(*v)));
    return std::nullopt;
  }
  return v->get<std::string>();
}

std::optional<std::string> ObjectReader::id(std::string_view key, bool required) {
  auto s = string(key, required);
  if (s && !is_kebab_id(*s)) {
    error(key, fmt::format("expected a kebab-case id (lower-case letters, digits, '-' and '.'; at most 64 characters), got {}",
                           describe_value(Json(*s))));
    return std::nullopt;
  }
  return s;
}

std::optional<std::string> ObjectReader::date(std::string_view key, bool required) {
  auto s = string(key, required);
  if (!s) return s;
  if (!is_iso_date(*s)) {
    error(key, fmt::format("expected a calendar date as YYYY-MM-DD, got {}", describe_value(Json(*s))));
    return std::nullopt;
  }
  return s;
}

std::optional<double> ObjectReader::number(std::string_view key, NumberRule rule, bool required) {
  const Json* v = find(key, required);
  if (!v) return std::nullopt;
  double out = 0;
  if (auto problem = check_number(*v, rule, out)) {
    error(key, *problem);
    return std::nullopt;
  }
  return out;
}

std::optional<double> ObjectReader::number(std::string_view key, const Bounds& bounds, bool required) {
  const Json* v = find(key, required);
  if (!v) return std::nullopt;
  if (!v->is_number()) {
    error(key, fmt::format("expected {}, got {}", describe_bounds(bounds), describe_value(*v)));
    return std::nullopt;
  }
  const double out = v->get<double>();
  if (check_bounds(out, bounds)) {  // checked again to write the value as it was written, only when it fails
    error(key, *check_bounds(out, bounds, describe_value(*v)));
    return std::nullopt;
  }
  return out;
}

std::optional<std::int64_t> ObjectReader::integer(std::string_view key, std::int64_t min, std::int64_t max, bool required) {
  const Json* v = find(key, required);
  if (!v) return std::nullopt;
  // NOTE: an integer literal beyond int64 is stored as unsigned or as a double by the parser; both
  // read as a double here, which is compared with the bounds before any conversion.
  const auto n = v->is_number() ? to_integer(v->get<double>(), min, max) : std::nullopt;
  if (!n) {
    error(key, fmt::format("expected {}, got {}",
                           describe_bounds(Bounds{static_cast<double>(min), static_cast<double>(max), true}), describe_value(*v)));
    return std::nullopt;
  }
  return n;
}

std::optional<bool> ObjectReader::boolean(std::string_view key, bool required) {
  const Json* v = find(key, required);
  if (!v) return std::nullopt;
  if (!v->is_boolean()) {
    error(key, fmt::format("expected true or false, got {}", describe_value(*v)));
    return std::nullopt;
  }
  return v->get<bool>();
}

std::optional<std::string> ObjectReader::one_of(std::string_view key, const std::vector<std::string>& allowed,
                                                bool required) {
  auto s = string(key, required);
  if (!s) return s;
  for (const auto& a : allowed) {
    if (a == *s) return s;
  }
  error(key, fmt::format("unknown value {}{}; expected one of: {}", describe_value(Json(*s)), did_you_mean(*s, allowed),
                         join(allowed, ", ")));
  return std::nullopt;
}

std::vector<std::string> ObjectReader::string_list(std::string_view key, const std::vector<std::string>* allowed,
                                                   bool required) {
  std::vector<std::string> out;
  const Json* v = find(key, required);
  if (!v) return out;
  if (!v->is_array()) {
    error(key, fmt::format("expected an array of strings, got {}", describe_value(*v)));
    return out;
  }
  const Location base = location_of(key);
  for (std::size_t i = 0; i < v->size(); ++i) {
    const Json& item = (*v)[i];
    const Location at{base.document, pointer_append(base.pointer, i)};
    if (!item.is_string()) {
      add_diagnostic(m_diagnostics, at, fmt::format("expected a string, got {}", describe_value(item)));
      continue;
    }
    const auto s = item.get<std::string>();
    if (allowed) {
      bool known = false;
      for (const auto& a : *allowed) known = known || a == s;
      if (!known) {
        add_diagnostic(
            m_diagnostics, at, fmt::format("unknown value {}{}; expected one of: {}", describe_value(item), did_you_mean(s, *allowed),
                            join(*allowed, ", ")));
        continue;
      }
    }
    out.push_back(s);
  }
  return out;
}

const Json* ObjectReader::object(std::string_view key, bool required) {
  const Json* v = find(key, required);
  if (v && !v->is_object()) {
    error(key, fmt::format("expected an object, got {}", describe_value(*v)));
    return nullptr;
  }
  return v;
}

const Json* ObjectReader::array(std::string_view key, bool required) {
  const Json* v = find(key, required);
  if (v && !v->is_array()) {
    error(key, fmt::format("expected an array, got {}", describe_value(*v)));
    return nullptr;
  }
  return v;
}

void ObjectReader::finish() {
  std::vector<std::string> known;  // sorted once, for the suggestions
  for (const auto& [key, value] : m_object.items()) {
    if (std::find(m_known.begin(), m_known.end(), key) != m_known.end()) continue;
    if (known.empty()) {
      known = m_known;
      std::sort(known.begin(), known.end());
    }
    error(key, fmt::format("unknown field '{}'{}", key, did_you_mean(key, known)));
  }
}

}  // namespace aiadvise::util
