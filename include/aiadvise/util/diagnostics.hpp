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
};

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
