#pragma once
/// The command line: one entry point that parses, dispatches and holds the only top-level catch.

#include <functional>
#include <string>
#include <string_view>
#include <vector>

namespace aiadvise::cli {

/// What a run produced: the exit code, the result text (stdout) and the diagnostics (stderr).
struct RunResult {
  int code = 0;
  std::string out;
  std::string err;
};

/// Runs aiadvise in-process and returns what it would print; nothing is written. For tests.
RunResult run_captured(const std::vector<std::string>& args);

/// The same, but streaming commands (--batch) hand each result line to `stream` as it is made;
/// `stream` returns 0, an errno, or -1 when the reader has gone (stop quietly).
RunResult run_streaming(const std::vector<std::string>& args, const std::function<int(std::string_view)>& stream);

/// Runs aiadvise: writes the result to stdout once, diagnostics to stderr, returns the exit code.
int run(int argc, const char* const* argv);

}  // namespace aiadvise::cli
