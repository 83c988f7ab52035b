#pragma once
/// A parsed JSON input that remembers its text, so that any JSON pointer can be turned back into
/// a line and column. Parsing is strict where nlohmann_json 3.11 is lenient: NUL bytes, duplicate
/// keys and nesting beyond a cap are errors, and every error is located.

#include <nlohmann/json.hpp>

#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

#include "aiadvise/util/diagnostics.hpp"

namespace aiadvise::util {

using Json = nlohmann::json;

/// Caps on what a JSON input may be; each has a flag to raise it.
struct JsonLimits {
  std::size_t max_bytes = 64u << 20;  ///< whole input
  std::size_t max_depth = 64;         ///< nesting of arrays and objects; the cap itself is accepted
};

struct TextPosition {
  std::size_t line = 0;  ///< 1-based
  std::size_t column = 0;  ///< 1-based, in characters (UTF-8 code points)
};

/// Line and column of a byte offset.
TextPosition position_of_offset(std::string_view text, std::size_t offset);

/// Appends one reference token to a JSON pointer, escaping '~' and '/'.
std::string pointer_append(std::string_view pointer, std::string_view token);
std::string pointer_append(std::string_view pointer, std::size_t index);

class JsonDocument {
 public:
  /// Parses `text`; problems are appended to `diagnostics` and ok() is false.
  static JsonDocument parse(std::string name, std::string text, const JsonLimits& limits,
                            std::vector<Diagnostic>& diagnostics);

  bool ok() const { return m_ok; }
  const std::string& name() const { return m_name; }
  const std::string& text() const { return m_text; }
  const Json& value() const { return m_value; }
  /// For a reader that takes the values over (the catalog merger); locate() needs only the text.
  Json& mutable_value() { return m_value; }

  /// Where the value at `pointer` starts; falls back to the nearest enclosing value that exists.
  TextPosition locate(std::string_view pointer) const;

  /// A diagnostic about the value at `pointer` in this document.
  Diagnostic diagnostic(std::string pointer, std::string message) const;

 private:
  std::string m_name;
  std::string m_text;
  Json m_value;
  bool m_ok = false;
};

}  // namespace aiadvise::util
