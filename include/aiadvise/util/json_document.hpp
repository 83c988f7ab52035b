#pragma once
/// A parsed JSON input that remembers its text, so that any JSON pointer can be turned back into
/// a line and column. Parsing is strict where nlohmann_json 3.11 is lenient: NUL bytes, duplicate
/// keys and nesting beyond a cap are errors, and every error is located.

#include <nlohmann/json.hpp>

#include <cstddef>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "aiadvise/util/diagnostics.hpp"

namespace aiadvise::util {

using Json = nlohmann::json;

/// The highest --max-depth accepted. Readers and nlohmann_json copy and print values recursively,
/// so nesting is capped well below what the stack holds (docs/reliability.md, "Nesting").
inline constexpr std::size_t k_max_depth_ceiling = 1000;

/// The highest --max-input-bytes (and --max-line-bytes) accepted.
inline constexpr std::size_t k_max_input_bytes_ceiling = std::size_t{1} << 30;

/// Caps on what a JSON input may be; each has a flag to raise it.
struct JsonLimits {
  std::size_t max_bytes = 64u << 20;  ///< whole input
  std::size_t max_depth = 64;         ///< nesting of arrays and objects; the cap itself is accepted
  /// Whether the values built count against the run's util::InputBudget (file_io.hpp): true for
  /// inputs held for the whole run; false for a --batch line (freed before the next is read, and
  /// capped by --max-line-bytes) and for the embedded catalog.
  bool draw_from_budget = true;
  /// Values the document may hold when it does not draw from the budget (a share of the budget
  /// given to one of several documents parsed at once); unlimited otherwise.
  std::size_t max_values = static_cast<std::size_t>(-1);
};

struct TextPosition {
  std::size_t line = 0;  ///< 1-based
  std::size_t column = 0;  ///< 1-based, in characters (UTF-8 code points)
};

/// Line and column of a byte offset (one scan from the start; JsonDocument::locate keeps
/// checkpoints instead, for many lookups).
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
  /// JSON values built (containers included), as the run's util::InputBudget counts them.
  std::size_t values() const { return m_values; }
  /// Whether parsing stopped at the cap on values (JsonLimits::max_values or the budget's).
  bool over_value_cap() const { return m_over_value_cap; }
  const std::string& name() const { return m_name; }
  const std::string& text() const { return m_text; }
  const Json& value() const { return m_value; }
  /// For a reader that takes the values over (the catalog merger); locate() needs only the text.
  Json& mutable_value() { return m_value; }

  /// Where the value at `pointer` starts; falls back to the nearest enclosing value that exists.
  /// Lookups share an index of what was searched, so that n diagnostics in one container cost
  /// about one pass over the text, not n.
  TextPosition locate(std::string_view pointer) const;

  /// A diagnostic about the value at `pointer` in this document.
  Diagnostic diagnostic(std::string pointer, std::string message) const;

 private:
  class Locator;
  Locator& locator() const;

  std::string m_name;
  std::string m_text;
  Json m_value;
  bool m_ok = false;
  std::size_t m_values = 0;
  bool m_over_value_cap = false;
  /// Built on the first lookup; shared by copies (it holds offsets into the same text).
  mutable std::shared_ptr<Locator> m_locator;
};

/// Appends a diagnostic about the value at `pointer` in `doc`, within the cap of
/// util::k_max_diagnostics: past it the position is not even looked up.
void add_diagnostic(std::vector<Diagnostic>& list, const JsonDocument& doc, std::string pointer, std::string message);

}  // namespace aiadvise::util
