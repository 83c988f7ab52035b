#pragma once
/// Diagnostics: what went wrong in an input, where, and the one exception type for bad input.

#include <cstddef>
#include <stdexcept>
#include <string>
#include <vector>

namespace aiadvise::util {

/// One problem in one input, located by file, line, column and JSON pointer.
struct Diagnostic {
  std::string file;     ///< file name as the user gave it, or "<stdin>", or "" for no file
  std::size_t line = 0; ///< 1-based; 0 when unknown
  std::size_t column = 0;
  std::string pointer;  ///< JSON pointer of the offending value; "" for the whole document
  std::string message;
  /// Problems found after a list was full (k_max_diagnostics) and counted here instead of kept.
  std::size_t more = 0;
};

/// The most diagnostics a list keeps: past it, problems are only counted (Diagnostic::more), so
/// that a hostile input cannot make the report of its problems larger than memory.
inline constexpr std::size_t k_max_diagnostics = 100'000;

/// Appends `make()` to `list`, or, when the list is full, only counts one more problem on its last
/// entry; `make` (which may search a document for a position) is then not called.
template <typename Make>
void add_made_diagnostic(std::vector<Diagnostic>& list, Make&& make) {
  if (list.size() < k_max_diagnostics) list.push_back(make());
  else ++list.back().more;
}
/// Appends `diagnostic` within the cap. (Located forms: json_document.hpp, json_reader.hpp.)
void add_diagnostic(std::vector<Diagnostic>& list, Diagnostic diagnostic);
/// Appends `more` (and what it counted) within the cap.
void add_diagnostics(std::vector<Diagnostic>& list, const std::vector<Diagnostic>& more);

/// How many problems a list stands for: its entries and what they counted.
std::size_t count_problems(const std::vector<Diagnostic>& list);

/// "aiadvise: error: FILE:LINE:COL: POINTER: message", with control and bidi characters escaped.
std::string format_diagnostic(const Diagnostic& diagnostic, const char* severity = "error");

/// Thrown for input the user can fix (exit code 2). Carries every problem found, not only the first.
class InputError : public std::runtime_error {
 public:
  explicit InputError(std::vector<Diagnostic> diagnostics);
  explicit InputError(std::string message);
  const std::vector<Diagnostic>& diagnostics() const { return m_diagnostics; }

 private:
  std::vector<Diagnostic> m_diagnostics;
};

}  // namespace aiadvise::util
