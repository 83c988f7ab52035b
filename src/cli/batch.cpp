// JSON Lines batch mode shared by `recommend --batch` and `check --batch`.

#include <fmt/format.h>

#include <unistd.h>

#include <cerrno>
#include <chrono>
#include <cstdlib>
#include <cstring>
#include <filesystem>

#include "aiadvise/cli/exit_codes.hpp"
#include "aiadvise/render/json.hpp"
#include "aiadvise/scoring/recommend.hpp"
#include "aiadvise/util/diagnostics.hpp"
#include "aiadvise/util/file_io.hpp"
#include "aiadvise/util/line_reader.hpp"
#include "cli/context.hpp"

namespace aiadvise::cli {

namespace {

// A progress line on stderr for long runs: only on a terminal (never in pipes or CI logs), or when
// AIADVISE_PROGRESS=1 asks for it; AIADVISE_PROGRESS=0 turns it off.
class Progress {
 public:
  Progress() {
    const char* env = std::getenv("AIADVISE_PROGRESS");
    const char* term = std::getenv("TERM");
    if (env) m_on = std::string(env) == "1";
    else m_on = isatty(STDERR_FILENO) == 1 && !std::getenv("CI") && !(term && std::string(term) == "dumb");
    m_start = std::chrono::steady_clock::now();  // m_last starts at the epoch: the first line shows at once
  }
  void update(std::size_t lines, std::size_t bad) {
    if (!m_on) return;
    const auto now = std::chrono::steady_clock::now();
    if (now - m_last < std::chrono::milliseconds(200)) return;
    m_last = now;
    const double seconds = std::chrono::duration<double>(now - m_start).count();
    std::fprintf(stderr, "\r\x1b[Kaiadvise: %zu lines, %zu bad, %.0f lines/s", lines, bad,
                 seconds > 0 ? static_cast<double>(lines) / seconds : 0.0);
    m_shown = true;
  }
  ~Progress() {
    if (m_shown) std::fputs("\r\x1b[K", stderr);
  }

 private:
  bool m_on = false, m_shown = false;
  std::chrono::steady_clock::time_point m_start, m_last;
};

util::Json diagnostics_json(const std::vector<util::Diagnostic>& diagnostics) {
  util::Json out = util::Json::array();
  for (const auto& d : diagnostics) {
    out.push_back({{"line", d.line}, {"column", d.column}, {"pointer", d.pointer}, {"message", d.message}});
  }
  return out;
}

}  // namespace

int run_batch(const std::string& path, const GlobalOptions& global, Io& io, const BatchHandler& handle, std::size_t kept_decisions) {
  std::FILE* file = stdin;
  const std::string name = util::display_name(path);
  if (path != "-") {
    // Reuse the checks of read_input for a clear message on a missing path or a directory.
    std::error_code ec;
    if (std::filesystem::is_directory(path, ec)) {
      throw util::InputError(std::vector<util::Diagnostic>{util::Diagnostic{name, 0, 0, "", "cannot read: is a directory, expected a file"}});
    }
    file = std::fopen(path.c_str(), "rb");
    if (!file) {
      throw util::InputError(std::vector<util::Diagnostic>{
          util::Diagnostic{name, 0, 0, "", fmt::format("cannot read: {}", errno == ENOENT ? "no such file" : std::strerror(errno))}});
    }
  }
  util::LineReader reader(file, global.max_line_bytes);
  Progress progress;
  // Fleets repeat workload shapes: a decision made for one line is reused for the same workload on
  // a later line (the memo keeps a bounded number, so memory does not grow with the input).
  const scoring::Memo memo(kept_decisions);
  std::size_t bad_lines = 0, shown = 0, not_shown = 0;
  bool bad = false;
  int worst = k_exit_ok;
  std::string line, text;
  int status = 0;
  for (;;) {
    const auto got = reader.next(line);
    if (got == util::LineReader::Status::end) break;
    if (got == util::LineReader::Status::error) {
      if (file != stdin) std::fclose(file);
      throw util::InputError(std::vector<util::Diagnostic>{util::Diagnostic{name, reader.line_number() + 1, 0, "", "read error"}});
    }
    const std::size_t number = reader.line_number();
    text.clear();
    std::vector<util::Diagnostic> diagnostics;
    if (got == util::LineReader::Status::too_long) {
      diagnostics.push_back(util::Diagnostic{name, number, 1, "",
                                             fmt::format("line longer than the cap of {} bytes (raise it with --max-line-bytes)",
                                                         global.max_line_bytes)});
    } else if (line.find_first_not_of(" \t") == std::string::npos) {
      continue;  // blank lines separate nothing and are skipped
    } else {
      const util::JsonDocument doc = util::JsonDocument::parse(name, line, global.limits(), diagnostics);
      if (doc.ok()) {
        try {
          handle(doc, number, worst, text);
        } catch (const util::InputError& e) {
          diagnostics = e.diagnostics();
        }
      }
      // Positions inside the line become positions in the stream.
      for (auto& d : diagnostics) {
        d.file = name;
        if (d.line <= 1) d.line = number;
      }
    }
    if (!diagnostics.empty()) {
      bad = true;
      ++bad_lines;
      // Streamed as they occur, up to a cap: a stream of bad lines (or of random bytes) must not
      // grow memory or flood the terminal; each line's own output holds its full error.
      for (const auto& d : diagnostics) {
        if (shown < k_max_diagnostics_shown) {
          io.diagnose(util::format_diagnostic(d) + "\n");
          ++shown;
        } else {
          ++not_shown;
        }
        not_shown += d.more;
      }
      // Replace, never throw on, invalid UTF-8: one odd line must not end the stream.
      text.clear();
      render::append_json(text, util::Json{{"line", number}, {"error", diagnostics_json(diagnostics)}});
    }
    text += '\n';
    status = io.emit(text);
    if (status != 0) break;
    progress.update(number, bad_lines);
  }
  if (file != stdin) std::fclose(file);
  if (not_shown > 0) {
    io.diagnose(fmt::format("aiadvise: {} more problems not shown ({} bad lines in all; each line's output holds its errors)\n",
                            not_shown, bad_lines));
  }
  if (status > 0) {
    io.err += fmt::format("aiadvise: error: cannot write the result to standard output: {}\n", std::strerror(status));
    return k_exit_io;
  }
  return bad ? k_exit_invalid : worst;
}

}  // namespace aiadvise::cli
