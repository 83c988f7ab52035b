// `aiadvise config show`: every effective setting, its value and where it came from.

#include <CLI/CLI.hpp>

#include <memory>

#include "aiadvise/cli/exit_codes.hpp"
#include "cli/context.hpp"

namespace aiadvise::cli {

namespace {

struct ConfigShowOptions {
  std::string format;
  // Parsed only so that they can be previewed: resolve_global_config reads them from the parser.
  std::string cloud, region, max_cost_ratio, min_cost_difference, fail_on;
  bool spot = false;
};

}  // namespace

void setup_config(CLI::App& app, const GlobalOptions& global, Action& action) {
  auto o = std::make_shared<ConfigShowOptions>();
  CLI::App* config = app.add_subcommand("config", "Show the effective configuration (config files, environment, flags)");
  config->require_subcommand(1);
  config->footer(R"(Examples:
  aiadvise config show
  aiadvise config show -o json
  aiadvise --config team.json config show
  AIADVISE_CLOUD=aws aiadvise config show

See docs/configuration.md.)");
  CLI::App* show = config->add_subcommand("show", "Print each setting, its value and where it came from");
  show->footer(R"(Precedence, lowest first: default < user config ($XDG_CONFIG_HOME/aiadvise/config.json, or
--config FILE, or $AIADVISE_CONFIG) < project config (the "config" object of ./aiadvise.json) <
environment (AIADVISE_CLOUD, AIADVISE_REGION, AIADVISE_SPOT, AIADVISE_CATALOG, AIADVISE_MAX_COST_RATIO,
AIADVISE_MIN_COST_DIFFERENCE, AIADVISE_FAIL_ON) < flag. Catalog paths accumulate over every source.
cloud, region and spot apply only when a workload does not say.

Examples:
  aiadvise config show
  aiadvise config show --format json
  AIADVISE_REGION=eu-west-1 aiadvise config show --fail-on warn

Exit codes: 0 ok, 2 for an invalid config file, variable or flag (located), 4 output could not be written.
See docs/configuration.md.)");
  add_format_option(*show, o->format, {"table", "json"});
  show->add_option("--cloud", o->cloud, "Preview: allowed clouds, as recommend/estimate/check --cloud")->type_name("LIST");
  show->add_option("--region", o->region, "Preview: region for prices, as --region")->type_name("R");
  show->add_flag("--spot", o->spot, "Preview: allow spot, as --spot");
  show->add_option("--max-cost-ratio", o->max_cost_ratio, "Preview: check --max-cost-ratio")->type_name("X");
  show->add_option("--min-cost-difference", o->min_cost_difference, "Preview: check --min-cost-difference")->type_name("USD");
  show->add_option("--fail-on", o->fail_on, "Preview: check --fail-on (fail or warn)")->type_name("SEVERITY");
  show->callback([o, &global, &action] {
    action = [o, &global](Io& io) {
      if (o->format == "json") io.out = config_to_json(global.config).dump(2) + "\n";
      else io.out = render_config_table(global.config);
      return k_exit_ok;
    };
  });
}

}  // namespace aiadvise::cli
