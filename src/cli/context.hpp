#pragma once
// What every subcommand shares: global options, the buffered output, and catalog loading.

#include <functional>
#include <string>
#include <vector>

#include "aiadvise/catalog/catalog.hpp"
#include "aiadvise/util/json_document.hpp"

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

  util::JsonLimits limits() const { return util::JsonLimits{max_input_bytes, max_depth}; }
};

/// Results and diagnostics are built in memory and written once, so bad input never leaves
/// half a document on stdout.
struct Io {
  std::string out;
  std::string err;
};

/// A subcommand's work, chosen while parsing and run afterwards.
using Action = std::function<int(Io&)>;

/// The default catalog plus --catalog paths and $AIADVISE_CATALOG.
catalog::Catalog load_catalog(const GlobalOptions& global);

enum class Format { table, json, markdown };
/// Adds --format with the given choices to a subcommand.
void add_format_option(CLI::App& app, std::string& format, const std::vector<std::string>& choices);

void setup_catalog(CLI::App& app, const GlobalOptions& global, Action& action);
void setup_estimate(CLI::App& app, const GlobalOptions& global, Action& action);
void setup_recommend(CLI::App& app, const GlobalOptions& global, Action& action);
void setup_rules(CLI::App& app, const GlobalOptions& global, Action& action);
void setup_check(CLI::App& app, const GlobalOptions& global, Action& action);

}  // namespace aiadvise::cli
