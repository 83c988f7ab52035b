#include "aiadvise/util/json_fast.hpp"

#include <charconv>
#include <cmath>
#include <cstdint>
#include <string>
#include <system_error>

namespace aiadvise::util {
namespace {

using Json = nlohmann::json;

// A recursive-descent reader over the text in place. Every method returns false to decline; the
// caller then discards the partial value.
class PlainReader {
 public:
  PlainReader(std::string_view text, std::size_t max_depth, std::size_t max_values)
      : m_p(text.data()), m_end(text.data() + text.size()), m_max_depth(max_depth), m_max_values(max_values) {}

  bool document(Json& out) {
    space();
    if (!value(out, 0)) return false;
    space();
    return m_p == m_end;
  }

  std::size_t values() const { return m_values; }

 private:
  void space() {
    while (m_p < m_end && (*m_p == ' ' || *m_p == '\n' || *m_p == '\r' || *m_p == '\t')) ++m_p;
  }

  bool counted() { return ++m_values <= m_max_values; }

  bool value(Json& out, std::size_t depth) {
    if (m_p == m_end || !counted()) return false;
    switch (*m_p) {
      case '{': return object(out, depth + 1);
      case '[': return array(out, depth + 1);
      case '"': {
        std::string s;
        if (!string(s)) return false;
        out = std::move(s);
        return true;
      }
      case 't': return literal("true", out, Json(true));
      case 'f': return literal("false", out, Json(false));
      case 'n': return literal("null", out, Json(nullptr));
      default: return number(out);
    }
  }

  bool literal(std::string_view word, Json& out, Json&& v) {
    if (static_cast<std::size_t>(m_end - m_p) < word.size() || std::string_view(m_p, word.size()) != word) return false;
    m_p += word.size();
    out = std::move(v);
    return true;
  }

  // The depth cap is nlohmann-parse's (StrictBuilder in json_document.cpp): `max_depth` levels are accepted.
  bool object(Json& out, std::size_t depth) {
    if (depth > m_max_depth) return false;
    ++m_p;
    out = Json::object();
    auto& members = out.get_ref<Json::object_t&>();
    space();
    if (m_p < m_end && *m_p == '}') {
      ++m_p;
      return true;
    }
    for (;;) {
      std::string key;
      if (m_p == m_end || *m_p != '"' || !string(key)) return false;
      space();
      if (m_p == m_end || *m_p != ':') return false;
      ++m_p;
      space();
      auto [it, inserted] = members.emplace(std::move(key), nullptr);
      if (!inserted || !value(it->second, depth)) return false;  // a duplicate key is diagnosed by the full parser
      space();
      if (m_p == m_end) return false;
      if (*m_p == '}') {
        ++m_p;
        return true;
      }
      if (*m_p != ',') return false;
      ++m_p;
      space();
    }
  }

  bool array(Json& out, std::size_t depth) {
    if (depth > m_max_depth) return false;
    ++m_p;
    out = Json::array();
    auto& items = out.get_ref<Json::array_t&>();
    space();
    if (m_p < m_end && *m_p == ']') {
      ++m_p;
      return true;
    }
    for (;;) {
      items.emplace_back();
      if (!value(items.back(), depth)) return false;
      space();
      if (m_p == m_end) return false;
      if (*m_p == ']') {
        ++m_p;
        return true;
      }
      if (*m_p != ',') return false;
      ++m_p;
      space();
    }
  }

  // Printable ASCII and the two-character escapes only; anything else is left to the full parser.
  bool string(std::string& out) {
    ++m_p;
    const char* run = m_p;
    for (;;) {
      if (m_p == m_end) return false;
      const auto c = static_cast<unsigned char>(*m_p);
      if (c == '"') break;
      if (c < 0x20 || c >= 0x80) return false;
      if (c != '\\') {
        ++m_p;
        continue;
      }
      out.append(run, m_p);
      if (m_end - m_p < 2) return false;
      switch (m_p[1]) {
        case '"': out += '"'; break;
        case '\\': out += '\\'; break;
        case '/': out += '/'; break;
        case 'b': out += '\b'; break;
        case 'f': out += '\f'; break;
        case 'n': out += '\n'; break;
        case 'r': out += '\r'; break;
        case 't': out += '\t'; break;
        default: return false;  // \u and invalid escapes
      }
      m_p += 2;
      run = m_p;
    }
    out.append(run, m_p);
    ++m_p;
    return true;
  }

  // JSON's number grammar; integers as nlohmann_json stores them (unsigned when not negative,
  // signed when negative, "-0" included), other numbers as doubles, correctly rounded as strtod.
  bool number(Json& out) {
    const char* start = m_p;
    const bool negative = *m_p == '-';
    if (negative) ++m_p;
    const auto digits = [&] {
      const char* from = m_p;
      while (m_p < m_end && *m_p >= '0' && *m_p <= '9') ++m_p;
      return m_p - from;
    };
    if (m_p == m_end) return false;
    if (*m_p == '0') {
      ++m_p;
    } else if (digits() == 0) {
      return false;
    }
    bool integral = true;
    if (m_p < m_end && *m_p == '.') {
      ++m_p;
      if (digits() == 0) return false;
      integral = false;
    }
    if (m_p < m_end && (*m_p == 'e' || *m_p == 'E')) {
      ++m_p;
      if (m_p < m_end && (*m_p == '+' || *m_p == '-')) ++m_p;
      if (digits() == 0) return false;
      integral = false;
    }
    if (integral && negative) {
      std::int64_t v = 0;
      const auto r = std::from_chars(start, m_p, v);
      if (r.ec != std::errc() || r.ptr != m_p) return false;
      out = Json(static_cast<Json::number_integer_t>(v));
      return true;
    }
    if (integral) {
      std::uint64_t v = 0;
      const auto r = std::from_chars(start, m_p, v);
      if (r.ec != std::errc() || r.ptr != m_p) return false;
      out = Json(static_cast<Json::number_unsigned_t>(v));
      return true;
    }
    double v = 0;
    const auto r = std::from_chars(start, m_p, v, std::chars_format::general);
    if (r.ec != std::errc() || r.ptr != m_p) return false;
    if (!(std::isnormal(v) || v == 0)) return false;  // overflow and subnormals: the full parser's business
    out = Json(v);
    return true;
  }

  const char* m_p;
  const char* m_end;
  std::size_t m_max_depth;
  std::size_t m_max_values;
  std::size_t m_values = 0;
};

}  // namespace

std::optional<FastParse> parse_plain_json(std::string_view text, std::size_t max_depth, std::size_t max_values) {
  PlainReader reader(text, max_depth, max_values);
  FastParse out;
  if (!reader.document(out.value)) return std::nullopt;
  out.values = reader.values();
  return out;
}

}  // namespace aiadvise::util
