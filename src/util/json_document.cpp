#include "aiadvise/util/json_document.hpp"
#include "aiadvise/util/json_fast.hpp"

#include <fmt/format.h>

#include "aiadvise/util/text.hpp"

#include <algorithm>
#include <charconv>
#include <cstdint>
#include <limits>
#include <map>
#include <memory>
#include <optional>
#include <unordered_map>

#include "aiadvise/util/file_io.hpp"

namespace aiadvise::util {

TextPosition position_of_offset(std::string_view text, std::size_t offset) {
  TextPosition position{1, 1};
  if (offset > text.size()) offset = text.size();
  for (std::size_t i = 0; i < offset; ++i) {
    const auto c = static_cast<unsigned char>(text[i]);
    if (c == '\n') {
      ++position.line;
      position.column = 1;
    } else if ((c & 0xC0) != 0x80) {
      ++position.column;  // continuation bytes do not start a character
    }
  }
  return position;
}

std::string pointer_append(std::string_view pointer, std::string_view token) {
  std::string out(pointer);
  out += '/';
  for (char c : token) {
    if (c == '~') out += "~0";
    else if (c == '/') out += "~1";
    else out += c;
  }
  return out;
}

std::string pointer_append(std::string_view pointer, std::size_t index) {
  char digits[24];
  const auto end = std::to_chars(digits, digits + sizeof digits, index).ptr;
  std::string out;
  out.reserve(pointer.size() + 1 + static_cast<std::size_t>(end - digits));
  out.append(pointer).append(1, '/').append(digits, end);
  return out;
}

namespace {

// Builds the DOM like nlohmann's own SAX DOM parser, and also enforces the depth cap and
// rejects duplicate keys, remembering the pointer of each problem to locate it afterwards.
class StrictBuilder final : public nlohmann::json_sax<Json> {
 public:
  StrictBuilder(std::size_t max_depth, std::size_t max_values) : m_max_depth(max_depth), m_max_values(max_values) {}

  bool null() override { return add(Json(nullptr)); }
  bool boolean(bool v) override { return add(Json(v)); }
  bool number_integer(number_integer_t v) override { return add(Json(v)); }
  bool number_unsigned(number_unsigned_t v) override { return add(Json(v)); }
  bool number_float(number_float_t v, const string_t&) override { return add(Json(v)); }
  bool string(string_t& v) override { return add(Json(std::move(v))); }
  bool binary(binary_t& v) override { return add(Json::binary(std::move(v))); }

  bool start_object(std::size_t) override { return open(Json::object()); }
  bool start_array(std::size_t) override { return open(Json::array()); }
  bool end_object() override { return close(); }
  bool end_array() override { return close(); }

  bool key(string_t& k) override {
    Frame& frame = m_stack.back();
    // One map operation per key: emplace finds a duplicate (whose later value then wins, as in
    // nlohmann_json; the duplicate is an error anyway) and gives the slot of the value.
    auto [it, inserted] = frame.value->get_ref<Json::object_t&>().emplace(std::move(k), nullptr);
    frame.key = &it->first;
    frame.next = &it->second;
    if (!inserted) m_duplicates.push_back(pointer_append(current_pointer(), *frame.key));
    return true;
  }

  bool parse_error(std::size_t position, const std::string& last_token,
                   const nlohmann::detail::exception& e) override {
    // The position is just past the last character read. A number overflow is reported where the
    // number starts; a syntax error where the parser stopped.
    if (e.id == 406 && position >= last_token.size()) {
      m_error_offset = position - last_token.size();
    } else {
      m_error_offset = position > 0 ? position - 1 : 0;
    }
    m_error_message = e.what();
    m_error_id = e.id;
    return false;
  }

  Json take() { return std::move(m_root); }
  bool depth_exceeded() const { return m_depth_exceeded; }
  bool values_exceeded() const { return m_values_exceeded; }
  std::size_t values() const { return m_values; }
  const std::vector<std::string>& duplicates() const { return m_duplicates; }
  std::optional<std::size_t> error_offset() const { return m_error_offset; }
  const std::string& error_message() const { return m_error_message; }
  int error_id() const { return m_error_id; }

 private:
  struct Frame {
    Json* value;
    const std::string* key = nullptr;  ///< in an object: the key whose value is being read
    Json* next = nullptr;              ///< in an object: where that value goes
  };

  // Where the next value goes. Pointers are built only when a problem needs one (current_pointer).
  Json* slot() {
    if (m_stack.empty()) return &m_root;
    Frame& frame = m_stack.back();
    if (frame.value->is_array()) {
      frame.value->push_back(nullptr);
      return &frame.value->back();
    }
    return frame.next;
  }

  // The pointer of the innermost open container: each enclosing array is inside its last element.
  std::string current_pointer() const {
    std::string pointer;
    for (std::size_t i = 0; i + 1 < m_stack.size(); ++i) {
      const Frame& frame = m_stack[i];
      pointer = frame.value->is_array() ? pointer_append(pointer, frame.value->size() - 1) : pointer_append(pointer, *frame.key);
    }
    return pointer;
  }

  bool add(Json&& v) {
    if (++m_values > m_max_values) return too_many();
    *slot() = std::move(v);
    return true;
  }

  bool too_many() {
    m_values_exceeded = true;
    return false;
  }

  bool open(Json&& container) {
    if (m_stack.size() + 1 > m_max_depth) {
      m_depth_exceeded = true;
      return false;
    }
    if (++m_values > m_max_values) return too_many();
    Json* target = slot();
    *target = std::move(container);
    m_stack.push_back(Frame{target});
    return true;
  }

  bool close() {
    m_stack.pop_back();
    return true;
  }

  std::size_t m_max_depth;
  std::size_t m_max_values;
  std::size_t m_values = 0;
  bool m_values_exceeded = false;
  Json m_root;
  std::vector<Frame> m_stack;
  bool m_depth_exceeded = false;
  std::vector<std::string> m_duplicates;
  std::optional<std::size_t> m_error_offset;
  std::string m_error_message;
  int m_error_id = 0;
};

// Skips whitespace from `pos`.
std::size_t skip_space(std::string_view text, std::size_t pos) {
  while (pos < text.size() && (text[pos] == ' ' || text[pos] == '\n' || text[pos] == '\r' || text[pos] == '\t')) ++pos;
  return pos;
}

// The end of the value (of valid JSON) that starts at `pos`.
std::size_t skip_value(std::string_view text, std::size_t pos) {
  std::size_t depth = 0;
  bool in_string = false;
  for (; pos < text.size(); ++pos) {
    const char c = text[pos];
    if (in_string) {
      if (c == '\\') ++pos;
      else if (c == '"') {
        in_string = false;
        if (depth == 0) return pos + 1;
      }
    } else if (c == '"') {
      in_string = true;
    } else if (c == '[' || c == '{') {
      ++depth;
    } else if (c == ']' || c == '}') {
      if (depth == 0) return pos;
      if (--depth == 0) return pos + 1;
    } else if (depth == 0 && (c == ',' || c == ' ' || c == '\n' || c == '\r' || c == '\t')) {
      return pos;
    }
  }
  return pos;
}

void append_utf8(std::string& out, std::uint32_t cp) {
  if (cp < 0x80) {
    out += static_cast<char>(cp);
  } else if (cp < 0x800) {
    out += static_cast<char>(0xC0 | (cp >> 6));
    out += static_cast<char>(0x80 | (cp & 0x3F));
  } else if (cp < 0x10000) {
    out += static_cast<char>(0xE0 | (cp >> 12));
    out += static_cast<char>(0x80 | ((cp >> 6) & 0x3F));
    out += static_cast<char>(0x80 | (cp & 0x3F));
  } else {
    out += static_cast<char>(0xF0 | (cp >> 18));
    out += static_cast<char>(0x80 | ((cp >> 12) & 0x3F));
    out += static_cast<char>(0x80 | ((cp >> 6) & 0x3F));
    out += static_cast<char>(0x80 | (cp & 0x3F));
  }
}

// Reads the string token at `pos` (its opening quote), decoding escapes; returns the position
// after its closing quote.
std::size_t read_string(std::string_view text, std::size_t pos, std::string& out) {
  out.clear();
  ++pos;
  const auto hex4 = [&](std::size_t at) {
    std::uint32_t v = 0;
    for (std::size_t k = at; k < at + 4 && k < text.size(); ++k) {
      const char h = text[k];
      v = v * 16 + static_cast<std::uint32_t>(h <= '9' ? h - '0' : (h | 0x20) - 'a' + 10);
    }
    return v;
  };
  while (pos < text.size() && text[pos] != '"') {
    if (text[pos] != '\\' || pos + 1 >= text.size()) {
      out += text[pos++];
      continue;
    }
    const char e = text[pos + 1];
    pos += 2;
    switch (e) {
      case 'b': out += '\b'; break;
      case 'f': out += '\f'; break;
      case 'n': out += '\n'; break;
      case 'r': out += '\r'; break;
      case 't': out += '\t'; break;
      case 'u': {
        std::uint32_t cp = hex4(pos);
        pos += 4;
        if (cp >= 0xD800 && cp <= 0xDBFF && pos + 6 <= text.size() && text[pos] == '\\' && text[pos + 1] == 'u') {
          const std::uint32_t low = hex4(pos + 2);
          cp = 0x10000 + ((cp - 0xD800) << 10) + (low - 0xDC00);
          pos += 6;
        }
        append_utf8(out, cp);
        break;
      }
      default: out += e;  // '"', '\\', '/'
    }
  }
  return pos + 1;
}

// The reference tokens of a JSON pointer, unescaped.
std::vector<std::string> pointer_tokens(std::string_view pointer) {
  std::vector<std::string> tokens;
  std::size_t start = 1;
  while (start <= pointer.size() && !pointer.empty()) {
    const std::size_t slash = pointer.find('/', start);
    const std::string_view raw = pointer.substr(start, slash == std::string_view::npos ? std::string_view::npos : slash - start);
    std::string token;
    for (std::size_t i = 0; i < raw.size(); ++i) {
      if (raw[i] == '~' && i + 1 < raw.size()) {
        token += raw[i + 1] == '1' ? '/' : '~';
        ++i;
      } else {
        token += raw[i];
      }
    }
    tokens.push_back(std::move(token));
    if (slash == std::string_view::npos) break;
    start = slash + 1;
  }
  return tokens;
}

}  // namespace

// Finds where values start in the text of a valid document, without a DOM. A container searched a
// second time is indexed (its children's keys and start offsets), so that many lookups in one
// container (20,000 unknown keys) cost one pass over it rather than one each; positions come from
// checkpoints taken every kilobyte in one pass. Only what is searched is indexed.
class JsonDocument::Locator {
 public:
  // Start offsets of every value at `pointer` (several when a key is duplicated).
  std::vector<std::size_t> find_all(std::string_view text, std::string_view pointer) {
    std::vector<std::size_t> current{skip_space(text, 0)};
    for (const std::string& token : pointer_tokens(pointer)) {
      std::vector<std::size_t> next;
      for (const std::size_t at : current) {
        if (at >= text.size()) continue;
        if (text[at] == '{') {
          children(text, at, token, next);
        } else if (text[at] == '[') {
          std::size_t index = 0;
          const auto [end, ec] = std::from_chars(token.data(), token.data() + token.size(), index);
          if (ec == std::errc() && end == token.data() + token.size()) element(text, at, index, next);
        }
      }
      current = std::move(next);
      if (current.empty()) break;
    }
    return current;
  }

  TextPosition position(std::string_view text, std::size_t offset) {
    if (offset > text.size()) offset = text.size();
    if (m_checkpoints.empty()) {
      // One pass: the position at every multiple of k_step.
      TextPosition p{1, 1};
      for (std::size_t i = 0; i < text.size(); ++i) {
        if (i % k_step == 0) m_checkpoints.push_back(p);
        advance(p, static_cast<unsigned char>(text[i]));
      }
      if (text.size() % k_step == 0) m_checkpoints.push_back(p);
    }
    const std::size_t k = offset / k_step;
    TextPosition p = m_checkpoints[k];
    for (std::size_t i = k * k_step; i < offset; ++i) advance(p, static_cast<unsigned char>(text[i]));
    return p;
  }

 private:
  static constexpr std::size_t k_step = 1024;

  static void advance(TextPosition& p, unsigned char c) {
    if (c == '\n') {
      ++p.line;
      p.column = 1;
    } else if ((c & 0xC0) != 0x80) {
      ++p.column;  // continuation bytes do not start a character
    }
  }

  struct Container {
    std::size_t searches = 0;
    bool indexed = false;
    std::vector<std::pair<std::string, std::size_t>> keys;  // objects: (key, value offset), by key, then offset
    std::vector<std::size_t> items;                          // arrays: element offsets
  };

  // Calls `visit(key, value_offset)` for each member of the object at `at`, in order; stops when
  // it returns false.
  template <typename Visit>
  static void members(std::string_view text, std::size_t at, Visit&& visit) {
    std::size_t pos = skip_space(text, at + 1);
    std::string key;
    while (pos < text.size() && text[pos] == '"') {
      pos = skip_space(text, read_string(text, pos, key));
      pos = skip_space(text, pos + 1);  // ':'
      if (!visit(key, pos)) return;
      pos = skip_space(text, skip_value(text, pos));
      if (pos < text.size() && text[pos] == ',') pos = skip_space(text, pos + 1);
    }
  }

  template <typename Visit>
  static void elements(std::string_view text, std::size_t at, Visit&& visit) {
    std::size_t pos = skip_space(text, at + 1);
    for (std::size_t index = 0; pos < text.size() && text[pos] != ']'; ++index) {
      if (!visit(index, pos)) return;
      pos = skip_space(text, skip_value(text, pos));
      if (pos < text.size() && text[pos] == ',') pos = skip_space(text, pos + 1);
    }
  }

  void children(std::string_view text, std::size_t at, const std::string& key, std::vector<std::size_t>& out) {
    Container& c = m_containers[at];
    if (!c.indexed && c.searches++ == 0) {
      members(text, at, [&](const std::string& k, std::size_t value) {
        if (k == key) out.push_back(value);
        return true;
      });
      return;
    }
    if (!c.indexed) {
      members(text, at, [&](const std::string& k, std::size_t value) {
        c.keys.emplace_back(k, value);
        return true;
      });
      std::stable_sort(c.keys.begin(), c.keys.end(), [](const auto& a, const auto& b) { return a.first < b.first; });
      c.indexed = true;
    }
    auto it = std::lower_bound(c.keys.begin(), c.keys.end(), key, [](const auto& e, const std::string& k) { return e.first < k; });
    for (; it != c.keys.end() && it->first == key; ++it) out.push_back(it->second);
  }

  void element(std::string_view text, std::size_t at, std::size_t index, std::vector<std::size_t>& out) {
    Container& c = m_containers[at];
    if (!c.indexed && c.searches++ == 0) {
      elements(text, at, [&](std::size_t i, std::size_t value) {
        if (i == index) out.push_back(value);
        return i < index;
      });
      return;
    }
    if (!c.indexed) {
      elements(text, at, [&](std::size_t, std::size_t value) {
        c.items.push_back(value);
        return true;
      });
      c.indexed = true;
    }
    if (index < c.items.size()) out.push_back(c.items[index]);
  }

  std::unordered_map<std::size_t, Container> m_containers;  // by the offset of the container's bracket
  std::vector<TextPosition> m_checkpoints;
};

namespace {

// Offset of the bracket that first crosses `max_depth`.
std::optional<std::size_t> depth_crossing(std::string_view text, std::size_t max_depth) {
  std::size_t depth = 0;
  bool in_string = false;
  for (std::size_t i = 0; i < text.size(); ++i) {
    const char c = text[i];
    if (in_string) {
      if (c == '\\') ++i;
      else if (c == '"') in_string = false;
    } else if (c == '"') {
      in_string = true;
    } else if (c == '[' || c == '{') {
      if (++depth > max_depth) return i;
    } else if (c == ']' || c == '}') {
      if (depth > 0) --depth;
    }
  }
  return std::nullopt;
}

// Offset where the value numbered `n` (from 0, in document order; keys are not values) starts.
std::size_t offset_of_value(std::string_view text, std::size_t n) {
  std::size_t count = 0;
  std::string scratch;
  for (std::size_t pos = skip_space(text, 0); pos < text.size();) {
    const char c = text[pos];
    if (c == ',' || c == ':' || c == ']' || c == '}') {
      pos = skip_space(text, pos + 1);
      continue;
    }
    std::size_t end = pos + 1;
    if (c == '"') {
      end = read_string(text, pos, scratch);
      const std::size_t after = skip_space(text, end);
      if (after < text.size() && text[after] == ':') {  // a key
        pos = after;
        continue;
      }
    } else if (c != '[' && c != '{') {
      end = skip_value(text, pos);
    }
    if (count++ == n) return pos;
    pos = skip_space(text, std::max(end, pos + 1));
  }
  return text.size();
}

// nlohmann's messages start "[json.exception.parse_error.101] parse error at line 1, column 5: ";
// the position is reported our way, so keep only what follows.
std::string clean_parse_message(const std::string& what) {
  std::string message = what;
  if (auto bracket = message.find("] "); bracket != std::string::npos) message = message.substr(bracket + 2);
  if (auto colon = message.find(": "); colon != std::string::npos && message.rfind("parse error", 0) == 0) {
    message = message.substr(colon + 2);
  }
  // The parser quotes what it read, which may be invalid UTF-8: escape it so the message itself is
  // valid text (it ends up in JSON output in batch mode).
  return "invalid JSON: " + escape_for_terminal(message);
}

bool is_blank(std::string_view text) {
  for (char c : text) {
    if (c != ' ' && c != '\n' && c != '\r' && c != '\t') return false;
  }
  return true;
}

}  // namespace

JsonDocument JsonDocument::parse(std::string name, std::string text, const JsonLimits& limits,
                                 std::vector<Diagnostic>& diagnostics) {
  JsonDocument doc;
  doc.m_name = std::move(name);
  doc.m_text = std::move(text);
  const std::string_view view = doc.m_text;
  auto fail_at = [&](std::size_t offset, std::string message) {
    const TextPosition p = position_of_offset(view, offset);
    diagnostics.push_back(Diagnostic{doc.m_name, p.line, p.column, "", std::move(message)});
    return std::move(doc);
  };

  if (view.size() > limits.max_bytes) {
    return fail_at(limits.max_bytes, fmt::format("input is larger than the cap of {} bytes (raise it with --max-input-bytes)",
                                                 limits.max_bytes));
  }
  if (is_blank(view)) return fail_at(view.size(), "empty input: expected a JSON value");
  // NOTE: UTF-16 input starts with a byte-order mark, or has a NUL beside every ASCII character;
  // name the encoding rather than report a stray byte.
  if (view.size() >= 2 && ((view[0] == '\xFF' && view[1] == '\xFE') || (view[0] == '\xFE' && view[1] == '\xFF'))) {
    return fail_at(0, "input is UTF-16 (byte-order mark); expected UTF-8");
  }
  if (view.size() >= 2 && (view[0] == '\0') != (view[1] == '\0')) {
    return fail_at(0, "input looks like UTF-16 or UTF-32 (NUL bytes between characters); expected UTF-8");
  }
  if (auto nul = view.find('\0'); nul != std::string_view::npos) {
    return fail_at(nul, "NUL byte in input");
  }

  InputBudget* budget = limits.draw_from_budget ? InputBudget::current() : nullptr;
  const std::size_t max_values = budget ? budget->values_left() : limits.max_values;
  // Plain, well-formed documents are read by the fast path; anything it declines (an error to
  // locate among them) is parsed again by nlohmann_json below, which builds the same value.
  if (auto fast = parse_plain_json(view, limits.max_depth, max_values)) {
    if (budget) budget->take_values(fast->values);
    doc.m_values = fast->values;
    doc.m_value = std::move(fast->value);
    doc.m_ok = true;
    return doc;
  }
  StrictBuilder builder(limits.max_depth, max_values);
  const bool parsed = Json::sax_parse(view, &builder, Json::input_format_t::json, true);
  if (builder.depth_exceeded()) {
    const std::size_t offset = depth_crossing(view, limits.max_depth).value_or(0);
    return fail_at(offset, fmt::format("nesting deeper than the cap of {} levels (raise it with --max-depth)",
                                       limits.max_depth));
  }
  if (builder.values_exceeded()) {
    doc.m_over_value_cap = true;
    if (!budget) {
      return fail_at(offset_of_value(view, max_values),
                     fmt::format("more JSON values than this document may hold ({})", max_values));
    }
    // NOTE: the values built so far are dropped with the builder; the count is what this run may
    // still hold, so several files share one budget.
    return fail_at(offset_of_value(view, max_values),
                   fmt::format("more JSON values than this run may hold ({} in all inputs together, one per {} bytes of "
                               "--max-input-bytes; raise it with --max-input-bytes)",
                               budget->values(), budget->bytes() / std::max<std::size_t>(budget->values(), 1)));
  }
  if (!parsed) {
    return fail_at(builder.error_offset().value_or(0), clean_parse_message(builder.error_message()));
  }
  if (budget) budget->take_values(builder.values());
  doc.m_values = builder.values();
  doc.m_value = builder.take();
  if (!builder.duplicates().empty()) {
    // The n-th repeat of a pointer is its (n + 1)-th occurrence in the text.
    // Each pointer is searched once, however often it repeats.
    std::unordered_map<std::string_view, std::size_t> repeats;
    std::unordered_map<std::string_view, std::vector<std::size_t>> found;
    for (const auto& pointer : builder.duplicates()) {
      const std::size_t n = ++repeats[pointer];
      add_made_diagnostic(diagnostics, [&] {
        auto it = found.find(pointer);
        if (it == found.end()) it = found.emplace(pointer, doc.locator().find_all(view, pointer)).first;
        const auto& offsets = it->second;
        const TextPosition first = doc.locator().position(view, offsets.empty() ? 0 : offsets.front());
        const TextPosition again = doc.locator().position(view, n < offsets.size() ? offsets[n] : 0);
        return Diagnostic{doc.m_name, again.line, again.column, pointer,
                          fmt::format("duplicate key (first defined at line {}, column {})", first.line, first.column)};
      });
    }
    return doc;
  }
  doc.m_ok = true;
  return doc;
}

JsonDocument::Locator& JsonDocument::locator() const {
  if (!m_locator) m_locator = std::make_shared<Locator>();
  return *m_locator;
}

TextPosition JsonDocument::locate(std::string_view pointer) const {
  std::string_view current = pointer;
  for (;;) {
    const auto offsets = locator().find_all(m_text, current);
    if (!offsets.empty()) return locator().position(m_text, offsets.front());
    if (current.empty()) return TextPosition{1, 1};
    current = current.substr(0, current.rfind('/'));
  }
}

Diagnostic JsonDocument::diagnostic(std::string pointer, std::string message) const {
  const TextPosition p = locate(pointer);
  return Diagnostic{m_name, p.line, p.column, std::move(pointer), std::move(message)};
}

void add_diagnostic(std::vector<Diagnostic>& list, const JsonDocument& doc, std::string pointer, std::string message) {
  add_made_diagnostic(list, [&] { return doc.diagnostic(std::move(pointer), std::move(message)); });
}

}  // namespace aiadvise::util
