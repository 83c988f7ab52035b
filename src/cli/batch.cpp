// JSON Lines batch mode shared by `recommend --batch` and `check --batch`.

#include <fmt/format.h>

#include <sched.h>
#include <unistd.h>

#include <CLI/CLI.hpp>
#include <algorithm>
#include <cerrno>
#include <condition_variable>
#include <deque>
#include <exception>
#include <memory>
#include <mutex>
#include <thread>
#include <utility>
#include <vector>
#include <chrono>
#include <cstdlib>
#include <cstring>
#include <filesystem>

#include "aiadvise/cli/exit_codes.hpp"
#include "aiadvise/render/json.hpp"
#include "aiadvise/scoring/recommend.hpp"
#include "aiadvise/util/diagnostics.hpp"
#include "aiadvise/util/file_io.hpp"
#include "aiadvise/util/heap.hpp"
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

/// What one JSON value may cost of a line's cap (util::InputBudget's default for the run's cap).
constexpr std::size_t k_bytes_per_value = 8;

/// A line as read.
struct Line {
  std::size_t number = 0;
  util::LineReader::Status status = util::LineReader::Status::line;
  std::string text;
};

/// What a line answers: its output text (without the newline) or its errors, or nothing for a
/// blank line. Worked out on any thread; written in input order by Writer.
struct Answer {
  bool blank = false;
  std::string text;
  std::vector<util::Diagnostic> diagnostics;
  int worst = k_exit_ok;
  std::exception_ptr failure;  ///< not an input error (a bug, no memory): ends the run at this line
};

Answer answer(const Line& line, const std::string& name, const GlobalOptions& global, const BatchHandler& handle) {
  Answer a;
  try {
    if (line.status == util::LineReader::Status::too_long) {
      a.diagnostics.push_back(util::Diagnostic{name, line.number, 1, "",
                                               fmt::format("line longer than the cap of {} bytes (raise it with --max-line-bytes)",
                                                           global.max_line_bytes)});
    } else if (line.text.find_first_not_of(" \t") == std::string::npos) {
      a.blank = true;  // blank lines separate nothing and are skipped
      return a;
    } else {
      // NOTE: a line's values are its own, not drawn from the run's input budget: each line is
      // let go before the next, so a stream of any length stays within the line's cap (one value
      // per 8 bytes of --max-line-bytes, as the budget allows per byte of --max-input-bytes).
      util::JsonLimits limits = global.limits();
      limits.max_bytes = global.max_line_bytes;
      limits.draw_from_budget = false;
      limits.max_values = std::max<std::size_t>(1, global.max_line_bytes / k_bytes_per_value);
      const util::JsonDocument doc = util::JsonDocument::parse(name, line.text, limits, a.diagnostics);
      if (doc.over_value_cap()) {
        for (auto& d : a.diagnostics) {
          d.message = fmt::format("more JSON values than one line may hold ({}, one per {} bytes of --max-line-bytes; raise "
                                  "it with --max-line-bytes)",
                                  limits.max_values, k_bytes_per_value);
        }
      }
      if (doc.ok()) {
        try {
          handle(doc, line.number, a.worst, a.text);
        } catch (const util::InputError& e) {
          a.diagnostics = e.diagnostics();
        }
      }
      // Positions inside the line become positions in the stream.
      for (auto& d : a.diagnostics) {
        d.file = name;
        if (d.line <= 1) d.line = line.number;
      }
    }
    if (!a.diagnostics.empty()) {
      // Replace, never throw on, invalid UTF-8: one odd line must not end the stream.
      a.text.clear();
      render::append_json(a.text, util::Json{{"line", line.number}, {"error", diagnostics_json(a.diagnostics)}});
    }
    a.text += '\n';
  } catch (...) {
    a = Answer{};
    a.failure = std::current_exception();
  }
  return a;
}

/// Writes answers in input order: the output, the diagnostics (up to a cap), the counts.
class Writer {
 public:
  explicit Writer(Io& io) : m_io(io) {}

  /// False when the run must stop here: the output could not be written, or the line failed (then
  /// failure() rethrows what it threw).
  bool write(Answer& a, std::size_t number) {
    if (a.failure) {
      m_failure = a.failure;
      return false;
    }
    if (a.blank) return true;
    if (!a.diagnostics.empty()) {
      m_bad = true;
      ++m_bad_lines;
      // Streamed as they occur, up to a cap: a stream of bad lines (or of random bytes) must not
      // grow memory or flood the terminal; each line's own output holds its full error.
      for (const auto& d : a.diagnostics) {
        if (m_shown < k_max_diagnostics_shown) {
          m_io.diagnose(util::format_diagnostic(d) + "\n");
          ++m_shown;
        } else {
          ++m_not_shown;
        }
        m_not_shown += d.more;
      }
    }
    if (a.worst != k_exit_ok) m_worst = a.worst;
    m_status = m_io.emit(a.text);
    if (m_status != 0) return false;
    m_progress.update(number, m_bad_lines);
    return true;
  }

  /// Whether write() asked the run to stop.
  bool stopped() const { return m_failure || m_status != 0; }

  void rethrow_failure() const {
    if (m_failure) std::rethrow_exception(m_failure);
  }

  int finish() {
    if (m_not_shown > 0) {
      m_io.diagnose(fmt::format("aiadvise: {} more problems not shown ({} bad lines in all; each line's output holds its errors)\n",
                                m_not_shown, m_bad_lines));
    }
    if (m_status > 0) {
      m_io.err += fmt::format("aiadvise: error: cannot write the result to standard output: {}\n", std::strerror(m_status));
      return k_exit_io;
    }
    return m_bad ? k_exit_invalid : m_worst;
  }

 private:
  Io& m_io;
  Progress m_progress;
  std::size_t m_bad_lines = 0, m_shown = 0, m_not_shown = 0;
  bool m_bad = false;
  int m_worst = k_exit_ok;
  int m_status = 0;
  std::exception_ptr m_failure;
};

/// Lines answered by `jobs` threads, in groups, and written in input order by whichever thread
/// finishes the group that is next (so output leaves as soon as it can, whatever the reader is
/// waiting for). At most k_groups_per_job groups a thread, and k_read_ahead_bytes of lines in all
/// (or one group), are read ahead: memory stays bounded whatever the input.
class Pool {
 public:
  static constexpr std::size_t k_group_lines = 16;
  static constexpr std::size_t k_group_bytes = std::size_t{256} << 10;  ///< a group closes at this many bytes of lines
  static constexpr std::size_t k_groups_per_job = 4;
  static constexpr std::size_t k_read_ahead_bytes = std::size_t{8} << 20;

  Pool(unsigned jobs, const std::string& name, const GlobalOptions& global, const BatchHandlerFactory& make_handler,
       std::size_t kept_decisions, Writer& writer)
      : m_name(name), m_global(global), m_make_handler(make_handler), m_kept(kept_decisions), m_writer(writer),
        m_limit(std::size_t{jobs} * k_groups_per_job) {
    m_threads.reserve(jobs);
    try {
      for (unsigned i = 0; i < jobs; ++i) m_threads.emplace_back([this] { work(); });
    } catch (...) {
      abandon();
      throw;
    }
  }
  Pool(const Pool&) = delete;
  Pool& operator=(const Pool&) = delete;
  /// Without finish() (the reading thread failed): the threads stop after their current group.
  ~Pool() { abandon(); }

  /// Hands on a group of lines; false when the run stopped (nothing more is wanted).
  bool submit(std::vector<Line> lines, std::size_t bytes) {
    auto group = std::make_shared<Group>();
    group->lines = std::move(lines);
    group->bytes = bytes;
    std::unique_lock lock(m_mutex);
    m_space.wait(lock, [&] {
      return m_stop || m_order.empty() || (m_order.size() < m_limit && m_bytes + bytes <= k_read_ahead_bytes);
    });
    if (m_stop) return false;
    m_bytes += bytes;
    m_order.push_back(group);
    m_pending.push_back(std::move(group));
    m_work.notify_one();
    return true;
  }

  /// Waits until every group handed on is answered and written (or the run stopped), then ends
  /// the threads. A thread that failed outside a line rethrows here.
  void finish() {
    {
      const std::lock_guard lock(m_mutex);
      m_closed = true;
    }
    m_work.notify_all();
    join();
    if (m_failure) std::rethrow_exception(std::exchange(m_failure, nullptr));
  }

 private:
  struct Group {
    std::vector<Line> lines;
    std::vector<Answer> answers;
    std::size_t bytes = 0;  ///< of the lines' text
    bool done = false;
  };

  void join() {
    for (auto& t : m_threads) {
      if (t.joinable()) t.join();
    }
  }

  void abandon() {
    {
      const std::lock_guard lock(m_mutex);
      stop();
    }
    join();
  }

  void work() {
    try {
      // Each thread keeps its own decisions and its own handler's caches.
      const scoring::Memo memo(m_kept);
      const BatchHandler handle = m_make_handler();
      for (;;) {
        std::shared_ptr<Group> group;
        {
          std::unique_lock lock(m_mutex);
          m_work.wait(lock, [&] { return m_stop || m_closed || !m_pending.empty(); });
          if (m_stop || m_pending.empty()) return;
          group = std::move(m_pending.front());
          m_pending.pop_front();
        }
        group->answers.reserve(group->lines.size());
        for (const Line& line : group->lines) group->answers.push_back(answer(line, m_name, m_global, handle));
        const std::lock_guard lock(m_mutex);
        group->done = true;
        write_ready();
      }
    } catch (...) {
      const std::lock_guard lock(m_mutex);
      if (!m_failure) m_failure = std::current_exception();
      stop();
    }
  }

  // With m_mutex held: writes the answered groups at the front, in order.
  void write_ready() {
    while (!m_stop && !m_order.empty() && m_order.front()->done) {
      const std::shared_ptr<Group> group = std::move(m_order.front());
      m_order.pop_front();
      m_bytes -= group->bytes;
      for (std::size_t i = 0; i < group->answers.size(); ++i) {
        if (!m_writer.write(group->answers[i], group->lines[i].number)) {
          stop();
          return;
        }
      }
      m_space.notify_one();
    }
  }

  // With m_mutex held.
  void stop() {
    m_stop = true;
    m_pending.clear();
    m_work.notify_all();
    m_space.notify_all();
  }

  const std::string& m_name;
  const GlobalOptions& m_global;
  const BatchHandlerFactory& m_make_handler;
  const std::size_t m_kept;
  Writer& m_writer;
  const std::size_t m_limit;
  std::mutex m_mutex;
  std::condition_variable m_work, m_space;
  std::deque<std::shared_ptr<Group>> m_pending;  ///< not yet taken by a thread
  std::deque<std::shared_ptr<Group>> m_order;    ///< not yet written, in input order
  std::size_t m_bytes = 0;                       ///< of the lines of m_order
  bool m_closed = false, m_stop = false;
  std::exception_ptr m_failure;
  std::vector<std::thread> m_threads;
};

/// Closes the batch's file (not stdin) however the run ends.
struct Closer {
  std::FILE* file;
  ~Closer() {
    if (file && file != stdin) std::fclose(file);
  }
};

}  // namespace

unsigned default_jobs() {
  unsigned cpus = 0;
#ifdef __linux__
  cpu_set_t set;
  CPU_ZERO(&set);
  if (sched_getaffinity(0, sizeof set, &set) == 0) cpus = static_cast<unsigned>(CPU_COUNT(&set));
#endif
  if (cpus == 0) cpus = std::thread::hardware_concurrency();
  return std::clamp(cpus, 1u, 8u);
}

CLI::Option* add_jobs_option(CLI::App& cmd, unsigned& jobs) {
  return cmd.add_option("-j,--jobs", jobs,
                        "Threads answering --batch lines (default 0: the CPUs this process may use, at most 8); the output is the same "
                        "for any number")
      ->check(CLI::Range(0, 256))
      ->needs("--batch")
      ->capture_default_str();
}

int run_batch(const std::string& path, const GlobalOptions& global, Io& io, const BatchHandlerFactory& make_handler,
              BatchOptions options) {
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
  const Closer closer{file};
  util::LineReader reader(file, global.max_line_bytes);
  Writer writer(io);
  bool read_error = false;
  const auto read = [&](Line& line) {
    const auto got = reader.next(line.text);
    if (got == util::LineReader::Status::error) read_error = true;
    if (got == util::LineReader::Status::end || got == util::LineReader::Status::error) return false;
    line.number = reader.line_number();
    line.status = got;
    return true;
  };
  if (options.jobs <= 1) {
    // Fleets repeat workload shapes: a decision made for one line is reused for the same workload
    // on a later line (the memo keeps a bounded number, so memory does not grow with the input).
    const scoring::Memo memo(options.kept_decisions);
    const BatchHandler handle = make_handler();
    Line line;
    while (read(line)) {
      Answer a = answer(line, name, global, handle);
      if (!writer.write(a, line.number)) break;
    }
  } else {
    util::allow_thread_arenas(options.jobs);
    Pool pool(options.jobs, name, global, make_handler, options.kept_decisions, writer);
    std::vector<Line> group;
    std::size_t bytes = 0;
    Line line;
    for (;;) {
      const bool got = read(line);
      if (got) {
        bytes += line.text.size();
        group.push_back(std::move(line));
      }
      // A group goes when full, at the end, or when more would wait on input (a slow producer's
      // lines are answered as they come).
      if (!group.empty() && (!got || group.size() == Pool::k_group_lines || bytes >= Pool::k_group_bytes || reader.drained())) {
        if (!pool.submit(std::move(group), bytes)) break;
        group.clear();
        bytes = 0;
      }
      if (!got) break;
    }
    pool.finish();
  }
  writer.rethrow_failure();
  if (read_error && !writer.stopped()) {
    throw util::InputError(std::vector<util::Diagnostic>{util::Diagnostic{name, reader.line_number() + 1, 0, "", "read error"}});
  }
  return writer.finish();
}

}  // namespace aiadvise::cli
