#include "aiadvise/cli/app.hpp"

#include <CLI/CLI.hpp>
#include <fmt/format.h>
#include <spdlog/sinks/stdout_color_sinks.h>
#include <spdlog/spdlog.h>

#include <algorithm>
#include <csignal>
#include <optional>
#include <cstdlib>
#include <cerrno>
#include <cstring>
#include <functional>
#include <map>
#include <iostream>
#include <sstream>

#include "aiadvise/catalog/embedded.hpp"
#include "aiadvise/catalog/baked.hpp"
#include "aiadvise/catalog/loader.hpp"
#include "aiadvise/cli/exit_codes.hpp"
#include "aiadvise/util/diagnostics.hpp"
#include "aiadvise/util/file_io.hpp"
#include "aiadvise/util/text.hpp"
#include "cli/context.hpp"

namespace aiadvise::cli {

namespace {

constexpr const char* k_footer = R"(Examples:
  aiadvise recommend --model llama-3.1-8b --qps 5 --tpot-ms 50
  aiadvise recommend --model resnet-50 --phase training --dataset-samples 1.28M --epochs 90 --deadline-hours 24
  aiadvise estimate --model llama-2-70b --precision fp16 --instance p4d.24xlarge
  aiadvise rules list
  aiadvise catalog list gpus
  aiadvise catalog list instances --cloud aws --accelerator nvidia-a100-80gb --format json
  aiadvise catalog show p4d.24xlarge --origin
  aiadvise catalog validate my-prices.json
  aiadvise config show

Exit codes: 0 ok, 1 findings (check), 2 usage or invalid input, 3 internal error,
4 output could not be written. See docs/exit-codes.md.
Environment: AIADVISE_CATALOG adds user catalog paths (':'-separated); NO_COLOR disables colour;
AIADVISE_CLOUD, AIADVISE_REGION, AIADVISE_SPOT, AIADVISE_MAX_COST_RATIO, AIADVISE_MIN_COST_DIFFERENCE and
AIADVISE_FAIL_ON override the config files (~/.config/aiadvise/config.json, ./aiadvise.json "config").
See `aiadvise config show`, docs/configuration.md and aiadvise(1).)";

// The catalog's date from the embedded catalog.json alone, so --version stays as cheap as a
// process start.
std::string embedded_catalog_date() {
  for (const auto& file : catalog::embedded_catalog_files()) {
    if (file.name != "data/catalog/catalog.json") continue;
    const auto doc = util::Json::parse(file.text, nullptr, false);
    if (doc.is_object() && doc.contains("catalog") && doc["catalog"].contains("as_of") &&
        doc["catalog"]["as_of"].is_string()) {
      return doc["catalog"]["as_of"].get<std::string>();
    }
  }
  return "unknown";
}

void configure_logging(const GlobalOptions& global) {
  // NOTE: spdlog's default logger writes to stdout; results own stdout, so diagnostics go to stderr.
  static auto logger = [] {
    auto l = spdlog::stderr_color_st("aiadvise");
    l->set_pattern("aiadvise: %l: %v");
    return l;
  }();
  spdlog::set_default_logger(logger);
  spdlog::set_level(global.verbose ? spdlog::level::debug : global.quiet ? spdlog::level::err : spdlog::level::warn);
}

std::string format_errors(const util::InputError& e) {
  std::string out;
  for (const auto& d : e.diagnostics()) out += util::format_diagnostic(d) + '\n';
  if (e.diagnostics().size() > 1) out += fmt::format("aiadvise: {} problems found\n", e.diagnostics().size());
  return out;
}

// CLI11 says "A subcommand is required" for `aiadvise frobnicate`; name the word and the nearest command.
std::optional<std::string> unknown_command(const CLI::App& app, const std::vector<std::string>& args) {
  std::vector<std::string> commands;
  for (const CLI::App* sub : app.get_subcommands([](const CLI::App*) { return true; })) commands.push_back(sub->get_name());
  for (std::size_t i = 0; i < args.size(); ++i) {
    const std::string& arg = args[i];
    if (arg.rfind("-", 0) == 0) {
      // Global options that take a value in the next argument.
      if (arg == "--catalog" || arg == "--config" || arg == "--max-input-bytes" || arg == "--max-depth" || arg == "--max-line-bytes") ++i;
      continue;
    }
    if (std::find(commands.begin(), commands.end(), arg) != commands.end()) return std::nullopt;
    return fmt::format("unknown command '{}'{}; commands: {}", arg, util::did_you_mean(arg, commands),
                       util::join(commands, ", "));
  }
  return std::nullopt;
}

// CLI11 lists unexpected arguments in reverse; name the first unknown option and the nearest one.
std::optional<std::string> unknown_option(const CLI::App& app, const std::vector<std::string>& args) {
  std::vector<std::string> known;
  std::function<void(const CLI::App&)> collect = [&](const CLI::App& a) {
    for (const CLI::Option* o : a.get_options()) {
      for (const auto& name : o->get_lnames()) known.push_back("--" + name);
      for (const auto& name : o->get_snames()) known.push_back("-" + name);
    }
    for (const CLI::App* sub : a.get_subcommands()) collect(*sub);  // the parsed ones
  };
  collect(app);
  for (const auto& arg : args) {
    if (arg.size() < 2 || arg[0] != '-' || arg == "-") continue;
    const std::string name = arg.substr(0, arg.find('='));
    if (std::find(known.begin(), known.end(), name) == known.end()) {
      return fmt::format("unknown option '{}'{}", name, util::did_you_mean(name, known));
    }
  }
  return std::nullopt;
}

// The setting flags of the command that was parsed: check's thresholds, and every setting for
// `config show`. (Workload flags reach the workload itself through read_workload.)
const CLI::App* parsed_subcommand(const CLI::App* app, const std::string& name) {
  if (!app) return nullptr;
  for (const CLI::App* sub : app->get_subcommands()) {  // the parsed ones
    if (sub->get_name() == name) return sub;
  }
  return nullptr;
}

std::map<std::string, std::pair<std::string, std::string>> setting_flags(const CLI::App& app) {
  static const std::vector<std::pair<const char*, const char*>> k_flags{
      {"--cloud", "cloud"},
      {"--region", "region"},
      {"--spot", "spot"},
      {"--max-cost-ratio", "check.max_cost_ratio"},
      {"--min-cost-difference", "check.min_cost_difference_usd"},
      {"--fail-on", "check.fail_on"},
  };
  std::map<std::string, std::pair<std::string, std::string>> out;
  const CLI::App* cmd = nullptr;
  if (const CLI::App* check = parsed_subcommand(&app, "check")) cmd = check;
  if (const CLI::App* show = parsed_subcommand(parsed_subcommand(&app, "config"), "show")) cmd = show;
  if (!cmd) return out;
  const bool is_check = cmd->get_name() == "check";
  for (const auto& [flag, setting] : k_flags) {
    if (is_check && std::string_view(setting).rfind("check.", 0) != 0) continue;
    const CLI::Option* opt = cmd->get_option_no_throw(flag);
    if (!opt || opt->count() == 0) continue;
    out[setting] = {flag, std::string_view(flag) == "--spot" ? std::string("true") : opt->as<std::string>()};
  }
  return out;
}

// Resolves the configuration for every command but `completion`: its scripts are generated at
// install time and must not depend on the installing user's files.
void resolve_global_config(const CLI::App& app, GlobalOptions& global) {
  if (parsed_subcommand(&app, "completion")) return;
  ConfigInputs inputs;
  inputs.user_file = global.config_file;
  inputs.skip_files = global.no_config;
  inputs.flags = setting_flags(app);
  inputs.catalog_flags = global.catalog_paths;
  inputs.limits = global.limits();
  inputs.max_input_bytes = global.max_input_bytes;
  global.config = resolve_config(inputs);
  spdlog::debug("config: {} file(s) consulted, {} setting(s) not at their default", global.config.files.size(),
                global.config.sources.size() + (global.config.catalog.empty() ? 0 : 1));
}

RunResult dispatch(const std::vector<std::string>& args, const std::function<int(std::string_view)>& stream) {
  RunResult result;
  GlobalOptions global;
  Action action;

  CLI::App app{"aiadvise: which compute, which instance, and managed or self-managed, for an ML workload.\n"
               "Offline, multi-cloud (AWS, GCP, Azure), and with its reasons.",
               "aiadvise"};
  app.footer(k_footer);
  app.set_version_flag("--version", fmt::format("aiadvise {} (catalog {})", AIADVISE_VERSION, embedded_catalog_date()),
                       "Print the version and the catalog's date");
  app.require_subcommand(1);
  app.fallthrough();
  app.add_option("--catalog", global.catalog_paths,
                 "User catalog file or directory merged over the default (repeatable; also $AIADVISE_CATALOG)")
      ->type_name("PATH");
  app.add_option("--config", global.config_file,
                 "Config file to read instead of $XDG_CONFIG_HOME/aiadvise/config.json (also $AIADVISE_CONFIG)")
      ->type_name("FILE");
  app.add_flag("--no-config", global.no_config, "Read no config file (user or ./aiadvise.json); the environment still applies");
  app.add_flag("--no-default-catalog", global.no_default_catalog, "Do not load the embedded default catalog");
  app.add_flag("-v,--verbose", global.verbose, "Print debug diagnostics on stderr");
  app.add_flag("-q,--quiet", global.quiet, "Print only errors on stderr");
  app.add_option("--max-input-bytes", global.max_input_bytes, "Cap on the size of any JSON input (default 64 MiB)")
      ->check(CLI::PositiveNumber);
  app.add_option("--max-depth", global.max_depth, "Cap on JSON nesting depth (default 64)")->check(CLI::PositiveNumber);
  app.add_option("--max-line-bytes", global.max_line_bytes, "Cap on one line of a --batch JSON Lines input (default 1 MiB)")
      ->check(CLI::PositiveNumber);

  setup_catalog(app, global, action);
  setup_recommend(app, global, action);
  setup_estimate(app, global, action);
  setup_check(app, global, action);
  setup_rules(app, global, action);
  setup_completion(app, global, action);
  setup_config(app, global, action);
  setup_calibrate(app, global, action);

  std::vector<std::string> reversed(args.rbegin(), args.rend());
  std::ostringstream out, err;
  try {
    app.parse(reversed);
  } catch (const CLI::CallForHelp& e) {
    result.code = app.exit(e, out, err);
    result.out = out.str();
    return result;
  } catch (const CLI::CallForAllHelp& e) {
    result.code = app.exit(e, out, err);
    result.out = out.str();
    return result;
  } catch (const CLI::CallForVersion& e) {
    result.code = app.exit(e, out, err);
    result.out = out.str();
    return result;
  } catch (const CLI::ParseError& e) {
    result.code = k_exit_invalid;
    std::string message = e.what();
    if (auto unknown = unknown_command(app, args)) message = *unknown;
    else if (auto option = unknown_option(app, args)) message = *option;
    result.err = fmt::format("aiadvise: error: {}\nRun 'aiadvise --help' for usage.\n", util::escape_for_terminal(message));
    return result;
  }
  configure_logging(global);
  if (!action) {
    result.code = k_exit_invalid;
    result.err = "aiadvise: error: no command given\nRun 'aiadvise --help' for usage.\n";
    return result;
  }
  Io io;
  io.stream = stream;
  try {
    resolve_global_config(app, global);
    result.code = action(io);
    result.out = std::move(io.out);
    result.err = std::move(io.err);
  } catch (const util::InputError& e) {
    result.code = k_exit_invalid;
    result.err = io.err + format_errors(e);
  }
  return result;
}

}  // namespace

catalog::Catalog load_catalog(const GlobalOptions& global, CatalogUse use) {
  catalog::LoadOptions options;
  options.include_embedded = !global.no_default_catalog;
  options.limits = global.limits();
  options.keep_json = use == CatalogUse::inspect;
  // The config files' "catalog" paths first; then $AIADVISE_CATALOG and --catalog, as always (these
  // are read here, not from global.config, because `catalog validate` passes its own paths).
  for (std::size_t i = 0; i < global.config.catalog.size(); ++i) {
    const auto kind = global.config.catalog_sources[i].kind;
    if (kind == SettingSource::Kind::user_file || kind == SettingSource::Kind::project_file) {
      options.paths.push_back(global.config.catalog[i]);
    }
  }
  if (const char* env = std::getenv(catalog::k_catalog_env); env && *env) {
    for (auto& path : util::split_list(env, ':')) options.paths.push_back(path);
  }
  for (const auto& path : global.catalog_paths) options.paths.push_back(path);
  spdlog::debug("loading catalog: default={}, {} user path(s)", options.include_embedded, options.paths.size());
  if (use == CatalogUse::decide && options.include_embedded && options.paths.empty()) {
    // Validated when aiadvise was built; equal to loading the embedded JSON (tests/unit/catalog/test_baked.cpp).
    return catalog::baked_default_catalog();
  }
  return catalog::load_catalog(options);
}

void add_format_option(CLI::App& app, std::string& format, const std::vector<std::string>& choices) {
  app.add_option("--format", format, "Output format: " + util::join(choices, ", "))
      ->check(CLI::IsMember(choices))
      ->capture_default_str();
}

RunResult run_captured(const std::vector<std::string>& args) { return run_streaming(args, {}); }

RunResult run_streaming(const std::vector<std::string>& args, const std::function<int(std::string_view)>& stream) {
  try {
    return dispatch(args, stream);
  } catch (const std::exception& e) {
    return RunResult{k_exit_internal, "", fmt::format("aiadvise: internal error: {}\n", util::escape_for_terminal(e.what()))};
  } catch (...) {
    return RunResult{k_exit_internal, "", "aiadvise: internal error: unknown exception\n"};
  }
}

int run(int argc, const char* const* argv) {
  // A reader that closes the pipe early (`| head -1`) is not an error: ignore SIGPIPE, and
  // write_stdout treats EPIPE as success.
  std::signal(SIGPIPE, SIG_IGN);
  std::vector<std::string> args;
  for (int i = 1; i < argc; ++i) args.emplace_back(argv[i]);
  bool pipe_closed = false;
  RunResult result = run_streaming(args, [&pipe_closed](std::string_view text) {
    if (pipe_closed) return -1;
    const int error = util::write_stdout(text);
    if (error == 0 && std::ferror(stdout)) return EIO;
    return error;
  });
  if (!result.err.empty()) std::fputs(result.err.c_str(), stderr);
  if (const int error = util::write_stdout(result.out); error != 0) {
    std::fprintf(stderr, "aiadvise: error: cannot write the result to standard output: %s\n", std::strerror(error));
    return k_exit_io;
  }
  return result.code;
}

}  // namespace aiadvise::cli
