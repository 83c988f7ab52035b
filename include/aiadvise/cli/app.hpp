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

/// Where the result goes, as the process finds it at start.
struct Terminal {
  bool is_tty = false;         ///< stdout is a terminal: tables by default, else JSON
  std::size_t columns = 80;    ///< its width (else $COLUMNS, else 80): tables fit it, long lines wrap
  bool color_allowed = false;  ///< a terminal, NO_COLOR unset, TERM not "dumb"
};

/// What `run` finds: isatty(stdout), the window's width (TIOCGWINSZ, else $COLUMNS, else 80), NO_COLOR.
Terminal detect_terminal();

/// Runs aiadvise in-process and returns what it would print; nothing is written to stdout (an
/// --output-file is written). `terminal` stands for stdout: by default a pipe of 80 columns.
RunResult run_captured(const std::vector<std::string>& args, const Terminal& terminal = {});

/// The same, but streaming commands (--batch) hand each result line to `stream` as it is made;
/// `stream` returns 0, an errno, or -1 when the reader has gone (stop quietly).
RunResult run_streaming(const std::vector<std::string>& args, const std::function<int(std::string_view)>& stream,
                        const Terminal& terminal = {});

/// Runs aiadvise: writes the result to stdout once, diagnostics to stderr, returns the exit code.
int run(int argc, const char* const* argv);

}  // namespace aiadvise::cli
