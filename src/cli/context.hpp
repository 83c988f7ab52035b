#pragma once
// What every subcommand shares: global options, the buffered output, and catalog loading.

#include <functional>
#include <memory>
#include <string_view>
#include <string>
#include <type_traits>
#include <utility>
#include <vector>

#include "aiadvise/catalog/catalog.hpp"
#include "aiadvise/cli/app.hpp"
#include "aiadvise/util/json_document.hpp"
#include "aiadvise/util/numeric.hpp"
#include "cli/config.hpp"

namespace CLI {
class App;
class Option;
class Validator;
}

namespace aiadvise::cli {

struct GlobalOptions {
  std::vector<std::string> catalog_paths;
  bool no_default_catalog = false;
  bool verbose = false;
  bool quiet = false;
  std::size_t max_input_bytes = util::JsonLimits{}.max_bytes;
  std::size_t max_depth = util::JsonLimits{}.max_depth;
  std::size_t max_line_bytes = 1u << 20;  ///< JSON Lines (--batch)
  std::string config_file;  ///< --config FILE: the user config file to read instead of the default
  bool no_config = false;   ///< --no-config: read no config file (the environment and flags still apply)
  std::string output_file;  ///< --output-file PATH: the result is written there atomically, not to stdout
  bool no_color = false;    ///< --no-color
  Terminal terminal;

  /// Colour on: a terminal that allows it, and no --no-color.
  bool color() const { return terminal.color_allowed && !no_color; }
  /// Width for tables and wrapped lines: the terminal's, else $COLUMNS, else 80.
  std::size_t width() const { return terminal.columns; }

  /// The effective configuration, resolved after parsing and before the command runs:
  /// default < user config < project aiadvise.json "config" < environment < flag (docs/configuration.md).
  /// `config.max_cost_ratio`, `config.min_cost_difference_usd` and `config.fail_on` already include
  /// check's --max-cost-ratio, --min-cost-difference and --fail-on when they were given.
  /// cloud/region/spot are workload defaults, applied by read_workload when the workload lacks them.
  Config config;

  util::JsonLimits limits() const { return util::JsonLimits{max_input_bytes, max_depth, true}; }
};

/// Results and diagnostics are built in memory and written once, so bad input never leaves
/// half a document on stdout.
struct Io {
  std::string out;
  std::string err;
  /// Set by `run` for streaming commands (batch): writes straight to stdout and returns 0, an
  /// errno, or -1 when the reader closed the pipe. Unset: output collects in `out`.
  std::function<int(std::string_view)> stream;
  /// Set by `run`: writes diagnostics straight to stderr, as they occur. Unset: they collect in `err`.
  std::function<void(std::string_view)> err_stream;

  int emit(std::string_view text) {
    if (stream) return stream(text);
    out += text;
    return 0;
  }
  void diagnose(std::string_view text) {
    if (err_stream) err_stream(text);
    else err += text;
  }
};

/// The most diagnostics printed on stderr in one run; the rest are counted in a last line.
inline constexpr std::size_t k_max_diagnostics_shown = 100;

/// One line of a batch: appends the line's result to `out` as one line of JSON text (as
/// render::append_json writes it, without the newline), or throws util::InputError.
using BatchHandler = std::function<void(const util::JsonDocument& line, std::size_t number, int& worst, std::string& out)>;
/// Makes the handler of one thread of a batch, on that thread: what it keeps between lines (caches
/// of output text, catalogs with a line's model) is its own, so handlers never share a write.
using BatchHandlerFactory = std::function<BatchHandler()>;

struct BatchOptions {
  /// Each thread's scoring::Memo keeps at most this many decisions (0: only what is prepared per catalog).
  std::size_t kept_decisions = 128;
  /// Threads answering lines (--jobs); 1: the calling thread alone. The output is the same for any
  /// number: lines are answered in groups and written in input order.
  unsigned jobs = 1;
};

/// --batch: runs a handler on each JSON Lines record of `path` ("-": stdin) and writes one JSON
/// result per line, in order, streaming. A bad line yields {"line": N, "error": ...} and the run
/// goes on. Returns 2 if any line was bad, else `worst` as updated by the handlers (0 or 1). The
/// catalogs the handlers read must have been share()d when jobs > 1.
int run_batch(const std::string& path, const GlobalOptions& global, Io& io, const BatchHandlerFactory& make_handler,
              BatchOptions options = {});

/// --jobs's default: the CPUs this process may run on (its affinity), at most 8.
unsigned default_jobs();
/// Adds `-j,--jobs N` to a command with --batch (which it needs); 0 leaves default_jobs().
CLI::Option* add_jobs_option(CLI::App& cmd, unsigned& jobs);

/// A subcommand's work, chosen while parsing and run afterwards.
using Action = std::function<int(Io&)>;

/// What a command needs of the catalog: typed values only (`decide`), or also each entry's merged
/// JSON and field origins (`inspect`: `catalog list|show|validate|import`).
enum class CatalogUse { decide, inspect };

/// The default catalog plus the config files' "catalog" paths, $AIADVISE_CATALOG and --catalog.
/// For `decide` with no user catalog this is the catalog baked in at build time (no JSON parsing).
catalog::Catalog load_catalog(const GlobalOptions& global, CatalogUse use = CatalogUse::decide);

/// Whether this run is the process's (`run(argc, argv)`, then exit) rather than one of many in a
/// program (run_captured: tests).
bool process_exits_after_run();

/// Large values a command is done with (a catalog, a decision, a report): when the process exits
/// after this run they are kept, still reachable, instead of freed one node at a time just before
/// the exit frees them all (about a tenth of a `recommend`; clang's -disable-free does the same);
/// otherwise they are freed here as usual.
template <typename T>
void release(T&& value) {
  if (!process_exits_after_run()) return;  // `value` is freed by its owner
  static auto* const kept = new std::vector<std::shared_ptr<void>>();  // reachable: not a leak
  kept->push_back(std::make_shared<std::decay_t<T>>(std::forward<T>(value)));
}

/// A flag's check: decimal text (util::parse_decimal) within `bounds`; NaN, hexadecimal, spaces
/// and subnormal values are refused with the range in the message.
CLI::Validator decimal_range(const util::Bounds& bounds);

/// Adds --format (also -o and --output, unless the command uses those names itself) with the given
/// choices, accepted in any case. When it is not given, dispatch sets it after parsing: from the
/// --output-file extension (.json, .md, .html) if that is a choice, else "table" on a terminal and
/// "json" otherwise (a pipe, a file).
CLI::Option* add_format_option(CLI::App& app, std::string& format, const std::vector<std::string>& choices);

void setup_catalog(CLI::App& app, const GlobalOptions& global, Action& action);
/// `catalog diff`, added under the `catalog` subcommand (cmd_catalog_diff.cpp).
void setup_catalog_diff(CLI::App& catalog, const GlobalOptions& global, Action& action);
void setup_estimate(CLI::App& app, const GlobalOptions& global, Action& action);
void setup_recommend(CLI::App& app, const GlobalOptions& global, Action& action);
void setup_rules(CLI::App& app, const GlobalOptions& global, Action& action);
void setup_check(CLI::App& app, const GlobalOptions& global, Action& action);
void setup_completion(CLI::App& app, const GlobalOptions& global, Action& action);
void setup_config(CLI::App& app, const GlobalOptions& global, Action& action);
void setup_help(CLI::App& app, const GlobalOptions& global, Action& action);
void setup_calibrate(CLI::App& app, const GlobalOptions& global, Action& action);

}  // namespace aiadvise::cli
