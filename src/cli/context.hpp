#pragma once
// What every subcommand shares: global options, the buffered output, and catalog loading.

#include <functional>
#include <string_view>
#include <string>
#include <vector>

#include "aiadvise/catalog/catalog.hpp"
#include "aiadvise/util/json_document.hpp"
#include "cli/config.hpp"

namespace CLI {
class App;
class Option;
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

  /// The effective configuration, resolved after parsing and before the command runs:
  /// default < user config < project aiadvise.json "config" < environment < flag (docs/configuration.md).
  /// `config.max_cost_ratio`, `config.min_cost_difference_usd` and `config.fail_on` already include
  /// check's --max-cost-ratio, --min-cost-difference and --fail-on when they were given.
  /// cloud/region/spot are workload defaults, applied by read_workload when the workload lacks them.
  Config config;

  util::JsonLimits limits() const { return util::JsonLimits{max_input_bytes, max_depth}; }
};

/// Results and diagnostics are built in memory and written once, so bad input never leaves
/// half a document on stdout.
struct Io {
  std::string out;
  std::string err;
  /// Set by `run` for streaming commands (batch): writes straight to stdout and returns 0, an
  /// errno, or -1 when the reader closed the pipe. Unset: output collects in `out`.
  std::function<int(std::string_view)> stream;

  int emit(std::string_view text) {
    if (stream) return stream(text);
    out += text;
    return 0;
  }
};

/// --batch: runs `handle` on each JSON Lines record of `path` ("-": stdin) and writes one JSON
/// result per line, in order, streaming. A bad line yields {"line": N, "error": ...} and the run
/// goes on. Returns 2 if any line was bad, else `worst` as updated by `handle` (0 or 1).
int run_batch(const std::string& path, const GlobalOptions& global, Io& io,
              const std::function<util::Json(const util::JsonDocument& line, std::size_t number, int& worst)>& handle);

/// A subcommand's work, chosen while parsing and run afterwards.
using Action = std::function<int(Io&)>;

/// What a command needs of the catalog: typed values only (`decide`), or also each entry's merged
/// JSON and field origins (`inspect`: `catalog list|show|validate|import`).
enum class CatalogUse { decide, inspect };

/// The default catalog plus the config files' "catalog" paths, $AIADVISE_CATALOG and --catalog.
/// For `decide` with no user catalog this is the catalog baked in at build time (no JSON parsing).
catalog::Catalog load_catalog(const GlobalOptions& global, CatalogUse use = CatalogUse::decide);

enum class Format { table, json, markdown };
/// Adds --format with the given choices to a subcommand.
void add_format_option(CLI::App& app, std::string& format, const std::vector<std::string>& choices);

void setup_catalog(CLI::App& app, const GlobalOptions& global, Action& action);
void setup_estimate(CLI::App& app, const GlobalOptions& global, Action& action);
void setup_recommend(CLI::App& app, const GlobalOptions& global, Action& action);
void setup_rules(CLI::App& app, const GlobalOptions& global, Action& action);
void setup_check(CLI::App& app, const GlobalOptions& global, Action& action);
void setup_completion(CLI::App& app, const GlobalOptions& global, Action& action);
void setup_config(CLI::App& app, const GlobalOptions& global, Action& action);
void setup_calibrate(CLI::App& app, const GlobalOptions& global, Action& action);

}  // namespace aiadvise::cli
