#include "aiadvise/util/diagnostics.hpp"

#include <fmt/format.h>

#include "aiadvise/util/text.hpp"

namespace aiadvise::util {

std::string format_diagnostic(const Diagnostic& d, const char* severity) {
  std::string where;
  if (!d.file.empty()) {
    where = escape_for_terminal(d.file);
    if (d.line > 0) where += fmt::format(":{}:{}", d.line, d.column);
    where += ": ";
  }
  if (!d.pointer.empty()) where += escape_for_terminal(d.pointer) + ": ";
  return fmt::format("aiadvise: {}: {}{}", severity, where, escape_for_terminal(d.message));
}

static std::string summarise(const std::vector<Diagnostic>& diagnostics) {
  if (diagnostics.empty()) return "invalid input";
  return diagnostics.front().message;
}

InputError::InputError(std::vector<Diagnostic> diagnostics)
    : std::runtime_error(summarise(diagnostics)), m_diagnostics(std::move(diagnostics)) {}

InputError::InputError(std::string message)
    : std::runtime_error(message), m_diagnostics{Diagnostic{"", 0, 0, "", std::move(message)}} {}

}  // namespace aiadvise::util
