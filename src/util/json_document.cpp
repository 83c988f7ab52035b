#include "aiadvise/util/json_document.hpp"

#include <fmt/format.h>

#include "aiadvise/util/text.hpp"

#include <cstdint>
#include <map>
#include <optional>

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
  return fmt::format("{}/{}", pointer, index);
}

namespace {

// Builds the DOM like nlohmann's own SAX DOM parser, and also enforces the depth cap and
// rejects duplicate keys, remembering the pointer of each problem to locate it afterwards.
class StrictBuilder final : public nlohmann::json_sax<Json> {
 public:
  explicit StrictBuilder(std::size_t max_depth) : m_max_depth(max_depth) {}

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
    *slot() = std::move(v);
    return true;
  }

  bool open(Json&& container) {
    if (m_stack.size() + 1 > m_max_depth) {
      m_depth_exceeded = true;
      return false;
    }
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
  Json m_root;
  std::vector<Frame> m_stack;
  bool m_depth_exceeded = false;
  std::vector<std::string> m_duplicates;
  std::optional<std::size_t> m_error_offset;
  std::string m_error_message;
  int m_error_id = 0;
};

// Walks valid JSON text (no DOM) to find where values start. Used only to report positions.
class Locator {
 public:
  explicit Locator(std::string_view text) : m_text(text) {}

  // Start offsets of every value whose pointer equals `target` (several with duplicate keys).
  std::vector<std::size_t> find_all(std::string_view target) {
    m_target = target;
    m_found.clear();
    m_pos = 0;
    skip_space();
    value("");
    return m_found;
  }

  // Offset of the bracket that first crosses `max_depth`.
  std::optional<std::size_t> depth_crossing(std::size_t max_depth) const {
    std::size_t depth = 0;
    bool in_string = false;
    for (std::size_t i = 0; i < m_text.size(); ++i) {
      const char c = m_text[i];
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

 private:
  void skip_space() {
    while (m_pos < m_text.size() &&
           (m_text[m_pos] == ' ' || m_text[m_pos] == '\n' || m_text[m_pos] == '\r' || m_text[m_pos] == '\t')) {
      ++m_pos;
    }
  }

  std::string string_token() {
    std::string out;
    ++m_pos;  // opening quote
    while (m_pos < m_text.size() && m_text[m_pos] != '"') {
      if (m_text[m_pos] == '\\' && m_pos + 1 < m_text.size()) {
        // Keys with escapes are rare in catalogs; decode the simple ones, keep the rest raw.
        const char e = m_text[m_pos + 1];
        out += (e == 'n') ? '\n' : (e == 't') ? '\t' : (e == '"' || e == '\\' || e == '/') ? e : '?';
        m_pos += 2;
        continue;
      }
      out += m_text[m_pos++];
    }
    ++m_pos;  // closing quote
    return out;
  }

  void value(const std::string& pointer) {
    if (pointer == m_target) m_found.push_back(m_pos);
    if (m_pos >= m_text.size()) return;
    const char c = m_text[m_pos];
    // Only descend where the target could be below.
    const bool below = m_target.size() > pointer.size() && m_target.compare(0, pointer.size(), pointer) == 0 &&
                       m_target[pointer.size()] == '/';
    if (c == '{') {
      ++m_pos;
      skip_space();
      while (m_pos < m_text.size() && m_text[m_pos] != '}') {
        std::string key = string_token();
        skip_space();
        ++m_pos;  // ':'
        skip_space();
        if (below) value(pointer_append(pointer, key));
        else skip_value();
        skip_space();
        if (m_pos < m_text.size() && m_text[m_pos] == ',') ++m_pos, skip_space();
      }
      ++m_pos;
    } else if (c == '[') {
      ++m_pos;
      skip_space();
      std::size_t index = 0;
      while (m_pos < m_text.size() && m_text[m_pos] != ']') {
        if (below) value(pointer_append(pointer, index));
        else skip_value();
        ++index;
        skip_space();
        if (m_pos < m_text.size() && m_text[m_pos] == ',') ++m_pos, skip_space();
      }
      ++m_pos;
    } else {
      skip_value();
    }
  }

  void skip_value() {
    std::size_t depth = 0;
    bool in_string = false;
    for (; m_pos < m_text.size(); ++m_pos) {
      const char c = m_text[m_pos];
      if (in_string) {
        if (c == '\\') ++m_pos;
        else if (c == '"') {
          in_string = false;
          if (depth == 0) {
            ++m_pos;
            return;
          }
        }
      } else if (c == '"') {
        in_string = true;
      } else if (c == '[' || c == '{') {
        ++depth;
      } else if (c == ']' || c == '}') {
        if (depth == 0) return;
        if (--depth == 0) {
          ++m_pos;
          return;
        }
      } else if (depth == 0 && (c == ',' || c == ' ' || c == '\n' || c == '\r' || c == '\t')) {
        return;
      }
    }
  }

  std::string_view m_text;
  std::string_view m_target;
  std::vector<std::size_t> m_found;
  std::size_t m_pos = 0;
};

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

  StrictBuilder builder(limits.max_depth);
  const bool parsed = Json::sax_parse(view, &builder, Json::input_format_t::json, true);
  if (builder.depth_exceeded()) {
    Locator locator(view);
    const std::size_t offset = locator.depth_crossing(limits.max_depth).value_or(0);
    return fail_at(offset, fmt::format("nesting deeper than the cap of {} levels (raise it with --max-depth)",
                                       limits.max_depth));
  }
  if (!parsed) {
    return fail_at(builder.error_offset().value_or(0), clean_parse_message(builder.error_message()));
  }
  doc.m_value = builder.take();
  if (!builder.duplicates().empty()) {
    Locator locator(view);
    for (const auto& pointer : builder.duplicates()) {
      const auto offsets = locator.find_all(pointer);
      const TextPosition first = position_of_offset(view, offsets.empty() ? 0 : offsets.front());
      const TextPosition again = position_of_offset(view, offsets.size() > 1 ? offsets[1] : 0);
      diagnostics.push_back(Diagnostic{doc.m_name, again.line, again.column, pointer,
                                       fmt::format("duplicate key (first defined at line {}, column {})",
                                                   first.line, first.column)});
    }
    return doc;
  }
  doc.m_ok = true;
  return doc;
}

TextPosition JsonDocument::locate(std::string_view pointer) const {
  Locator locator(m_text);
  std::string current(pointer);
  for (;;) {
    const auto offsets = locator.find_all(current);
    if (!offsets.empty()) return position_of_offset(m_text, offsets.front());
    if (current.empty()) return TextPosition{1, 1};
    current = current.substr(0, current.rfind('/'));
  }
}

Diagnostic JsonDocument::diagnostic(std::string pointer, std::string message) const {
  const TextPosition p = locate(pointer);
  return Diagnostic{m_name, p.line, p.column, std::move(pointer), std::move(message)};
}

}  // namespace aiadvise::util
