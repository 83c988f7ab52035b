#pragma once
// Configuration: defaults for workloads, the catalog and `check`, read from (lowest first)
//   built-in default < user config file < project aiadvise.json "config" < environment < flag.
// See docs/configuration.md.

#include <map>
#include <optional>
#include <string>
#include <vector>

#include "aiadvise/util/json_document.hpp"

namespace aiadvise::cli {

/// Where one setting's value came from.
struct SettingSource {
  enum class Kind { default_value, user_file, project_file, environment, flag };
  Kind kind = Kind::default_value;
  std::string origin;  ///< the file's path, the variable's name, the flag's name; "" for the default

  /// "default", "user config", "project config", "environment", "flag".
  std::string kind_name() const;
  /// "default", "file PATH", "env VAR", "flag --x".
  std::string describe() const;
};

/// The setting names, in the order `config show` lists them.
const std::vector<std::string>& config_setting_names();

struct Config {
  std::vector<std::string> cloud;     ///< allowed clouds when the workload names none; empty: all
  std::optional<std::string> region;  ///< region for prices when the workload names none
  bool spot = false;                  ///< allow spot when the workload does not say
  /// Extra catalog paths, lowest precedence first (later ones are merged over earlier ones); these
  /// accumulate over every source rather than replace each other.
  std::vector<std::string> catalog;
  std::vector<SettingSource> catalog_sources;  ///< one per path in `catalog`
  double max_cost_ratio = 1.5;           ///< check --max-cost-ratio
  double min_cost_difference_usd = 0.5;  ///< check --min-cost-difference
  std::string fail_on = "fail";          ///< check --fail-on

  std::map<std::string, SettingSource> sources;  ///< setting name -> where its value came from

  /// The files consulted, and whether each existed.
  struct File {
    std::string role;  ///< "user" or "project"
    std::string path;
    bool found = false;
  };
  std::vector<File> files;
  bool resolved = false;  ///< false: never resolved (the `completion` command), so nothing above applies
};

/// What resolution reads besides the environment.
struct ConfigInputs {
  std::string user_file;          ///< "" = the default: $AIADVISE_CONFIG, else $XDG_CONFIG_HOME/aiadvise/config.json
  bool skip_files = false;        ///< --no-config: read neither file
  std::string project_file = "aiadvise.json";  ///< in the current directory
  /// Raw values of the setting flags given on the command line: setting name -> (flag, value).
  std::map<std::string, std::pair<std::string, std::string>> flags;
  std::vector<std::string> catalog_flags;  ///< --catalog, in order
  util::JsonLimits limits;
  std::size_t max_input_bytes = util::JsonLimits{}.max_bytes;
};

/// $AIADVISE_CONFIG, else $XDG_CONFIG_HOME/aiadvise/config.json, else ~/.config/aiadvise/config.json.
std::string default_user_config_path();

/// Resolves every setting. Throws util::InputError (exit 2), listing every problem with its file,
/// line and column or its variable, for a bad config file, environment variable or flag value.
Config resolve_config(const ConfigInputs& inputs);

/// `config show`: the settings as a table or as JSON.
std::string render_config_table(const Config& config);
util::Json config_to_json(const Config& config);

}  // namespace aiadvise::cli
