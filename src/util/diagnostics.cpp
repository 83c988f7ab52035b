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

void add_diagnostic(std::vector<Diagnostic>& list, Diagnostic diagnostic) {
  add_made_diagnostic(list, [&] { return std::move(diagnostic); });
}

void add_diagnostics(std::vector<Diagnostic>& list, const std::vector<Diagnostic>& more) {
  for (const auto& d : more) {
    add_made_diagnostic(list, [&] { return Diagnostic{d.file, d.line, d.column, d.pointer, d.message}; });
    if (!list.empty()) list.back().more += d.more;
  }
}

std::size_t count_problems(const std::vector<Diagnostic>& list) {
  std::size_t n = list.size();
  for (const auto& d : list) n += d.more;
  return n;
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
