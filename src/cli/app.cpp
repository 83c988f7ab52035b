#include "aiadvise/cli/app.hpp"

#include <CLI/CLI.hpp>
#include <fmt/format.h>
#include <spdlog/sinks/stdout_color_sinks.h>
#include <spdlog/spdlog.h>
#include <sys/ioctl.h>
#include <unistd.h>

#include <unistd.h>

#include <algorithm>
#include <cctype>
#include <csignal>
#include <exception>
#include <new>
#include <optional>
#include <cstdlib>
#include <cerrno>
#include <cstring>
#include <filesystem>
#include <functional>
#include <map>
#include <iostream>
#include <sstream>

#include "aiadvise/catalog/embedded.hpp"
#include "aiadvise/catalog/baked.hpp"
#include "aiadvise/catalog/loader.hpp"
#include "aiadvise/cli/exit_codes.hpp"
#include "aiadvise/util/atomic_file.hpp"
#include "aiadvise/util/diagnostics.hpp"
#include "aiadvise/util/file_io.hpp"
#include "aiadvise/util/numeric.hpp"
#include "aiadvise/util/text.hpp"
#include "cli/context.hpp"

namespace aiadvise::cli {

namespace {

constexpr std::size_t k_memory_reserve_bytes = 32u << 20;

constexpr const char* k_footer = R"(Examples:
  aiadvise recommend --model llama-3.1-8b --qps 5 --tpot-ms 50
  aiadvise recommend --model meta-llama/Llama-3.1-8B-Instruct --qps 5 -o wide
  aiadvise recommend --model-config ./my-model/ --qps 2
  aiadvise recommend --model resnet-50 --phase training --dataset-samples 1.28M --epochs 90 --deadline-hours 24
  aiadvise estimate --model llama-2-70b --precision fp16 --instance p4d.24xlarge
  aiadvise check --project aiadvise.json --format markdown --output-file comment.md
  aiadvise rules list
  aiadvise catalog list gpus
  aiadvise catalog show p4d.24xlarge --origin
  aiadvise config show
  aiadvise help recommend

Output: a table on a terminal, JSON otherwise (a pipe, a file), for every command; -o/--output/--format
picks one (any case). --output-file PATH writes the result atomically (format from .json/.md/.html).
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
  const auto& all = e.diagnostics();
  const std::size_t shown = std::min(all.size(), k_max_diagnostics_shown);
  for (std::size_t i = 0; i < shown; ++i) out += util::format_diagnostic(all[i]) + '\n';
  const std::size_t total = util::count_problems(all);
  if (total > shown) out += fmt::format("aiadvise: {} problems found ({} shown)\n", total, shown);
  else if (total > 1) out += fmt::format("aiadvise: {} problems found\n", total);
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
      if (arg == "--catalog" || arg == "--config" || arg == "--max-input-bytes" || arg == "--max-depth" || arg == "--max-line-bytes" ||
          arg == "--output-file") {
        ++i;
      }
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
  if (parsed_subcommand(&app, "completion") || parsed_subcommand(&app, "help")) return;
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

// Text is bytes until proven UTF-8: every argument is checked before anything reads it, so that no
// flag value, path or id can reach a JSON document (which would then fail to print) or a message.
std::optional<std::string> invalid_utf8_argument(const std::vector<std::string>& args) {
  for (std::size_t i = 0; i < args.size(); ++i) {
    const std::string& arg = args[i];
    if (util::is_valid_utf8(arg)) continue;
    const auto equals = arg.find('=');
    std::string name;
    std::string value = arg;
    if (arg.rfind("--", 0) == 0 && equals != std::string::npos && util::is_valid_utf8(arg.substr(0, equals))) {
      name = arg.substr(0, equals);
      value = arg.substr(equals + 1);
    } else if (i > 0 && args[i - 1].size() > 1 && args[i - 1][0] == '-' && util::is_valid_utf8(args[i - 1])) {
      name = args[i - 1];
    }
    const std::string what = name.empty() ? fmt::format("argument {}", i + 1) : name;
    return fmt::format("{}: '{}' is not valid UTF-8 text (aiadvise reads its command line as UTF-8)", what,
                       util::escape_for_terminal(value));
  }
  return std::nullopt;
}

// Choices of an option from its IsMember validator, which shows them in the type name as "{a,b}".
std::vector<std::string> choices_of(const CLI::Option& option) {
  const std::string type = option.get_type_name();
  const auto open = type.find('{');
  const auto close = type.find('}', open);
  if (open == std::string::npos || close == std::string::npos) return {};
  return util::split_list(type.substr(open + 1, close - open - 1));
}

// The format a command prints when none was asked for: JSON unless stdout is a terminal, or what
// the --output-file name says.
std::string default_format(const std::vector<std::string>& choices, const GlobalOptions& global) {
  auto has = [&](const char* f) { return std::find(choices.begin(), choices.end(), f) != choices.end(); };
  if (!global.output_file.empty()) {
    std::string ext = std::filesystem::path(global.output_file).extension().string();
    for (auto& ch : ext) ch = static_cast<char>(std::tolower(static_cast<unsigned char>(ch)));
    for (const auto& [suffix, format] : std::vector<std::pair<const char*, const char*>>{
             {".md", "markdown"}, {".markdown", "markdown"}, {".html", "html"}, {".htm", "html"}, {".txt", "table"}}) {
      if (ext == suffix && has(format)) return format;
    }
  } else if (global.terminal.is_tty && has("table")) {
    return "table";
  }
  return has("json") ? "json" : choices.empty() ? "" : choices.front();
}

// Sets --format of the command that was parsed (the deepest one) where it was not given.
void resolve_format(CLI::App& app, const GlobalOptions& global) {
  CLI::App* cmd = &app;
  for (bool deeper = true; deeper;) {
    deeper = false;
    for (CLI::App* sub : cmd->get_subcommands()) {  // the parsed ones
      cmd = sub;
      deeper = true;
      break;
    }
  }
  CLI::Option* format = cmd->get_option_no_throw("--format");
  if (!format || format->count() > 0) return;
  const std::string value = default_format(choices_of(*format), global);
  if (value.empty()) return;
  format->add_result(value);
  format->run_callback();
}

// `aiadvise` alone: what it is, its commands, and where to start.
std::string short_help(const CLI::App& app) {
  std::string out = app.get_description() + "\n\nUsage: aiadvise COMMAND [OPTIONS]\n\nCommands:\n";
  std::size_t width = 0;
  const auto subs = app.get_subcommands([](const CLI::App*) { return true; });
  for (const CLI::App* sub : subs) width = std::max(width, sub->get_name().size());
  for (const CLI::App* sub : subs) {
    out += util::wrap(sub->get_description(), 80, fmt::format("  {:<{}}  ", sub->get_name(), width), std::string(width + 4, ' '));
  }
  out += "\nStart with:\n  aiadvise recommend --model llama-3.1-8b --qps 5\n  aiadvise help recommend\n\n"
         "Run 'aiadvise --help' for every option, or 'aiadvise help COMMAND' for one command.\n";
  return out;
}

RunResult dispatch(const std::vector<std::string>& args, const std::function<int(std::string_view)>& stream,
                   const Terminal& terminal) {
  RunResult result;
  if (auto problem = invalid_utf8_argument(args)) {
    result.code = k_exit_invalid;
    result.err = fmt::format("aiadvise: error: {}\n", *problem);
    return result;
  }
  GlobalOptions global;
  global.terminal = terminal;
  Action action;

  CLI::App app{"aiadvise: which compute, which instance, and managed or self-managed, for an ML workload.\n"
               "Offline, multi-cloud (AWS, GCP, Azure), and with its reasons.",
               "aiadvise"};
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
  app.add_option("--max-input-bytes", global.max_input_bytes,
                 "Cap on the input one run reads, all files together (default 64 MiB, at most 1 GiB)")
      ->transform(decimal_range(util::Bounds{1, static_cast<double>(util::k_max_input_bytes_ceiling), true}));
  app.add_option("--max-depth", global.max_depth,
                 fmt::format("Cap on JSON nesting depth (default 64, at most {})", util::k_max_depth_ceiling))
      ->transform(decimal_range(util::Bounds{1, static_cast<double>(util::k_max_depth_ceiling), true}));
  app.add_option("--max-line-bytes", global.max_line_bytes, "Cap on one line of a --batch JSON Lines input (default 1 MiB, at most 1 GiB)")
      ->transform(decimal_range(util::Bounds{1, static_cast<double>(util::k_max_input_bytes_ceiling), true}));
  app.add_option("--output-file", global.output_file,
                 "Write the result to PATH (atomically: the old file or the whole new one, never a mix) instead of stdout; "
                 "the format follows its extension (.json, .md, .html), else JSON")
      ->type_name("PATH");
  app.add_flag("--no-color", global.no_color, "No colour, even on a terminal (also NO_COLOR)");

  setup_catalog(app, global, action);
  setup_recommend(app, global, action);
  setup_estimate(app, global, action);
  setup_check(app, global, action);
  setup_rules(app, global, action);
  setup_completion(app, global, action);
  setup_config(app, global, action);
  setup_help(app, global, action);
  setup_calibrate(app, global, action);
  // NOTE: set after the subcommands, which copy their parent's footer when created: each command
  // shows its own examples, not these.
  app.footer(k_footer);

  if (args.empty()) {
    result.out = short_help(app);
    return result;
  }

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
    result.err = "aiadvise: error: no command given\nRun 'aiadvise help' for the commands.\n";
    return result;
  }
  if (!global.output_file.empty()) global.terminal.is_tty = false;
  resolve_format(app, global);
  Io io;
  // The result goes to --output-file in one piece: nothing streams.
  if (global.output_file.empty()) io.stream = stream;
  if (stream) io.err_stream = [](std::string_view text) { std::fwrite(text.data(), 1, text.size(), stderr); };
  // Every input of the run draws from one budget: bytes read, and JSON values held.
  util::InputBudget budget(global.max_input_bytes);
  try {
    resolve_global_config(app, global);
    result.code = action(io);
    result.out = std::move(io.out);
    result.err = std::move(io.err);
  } catch (const util::InputError& e) {
    result.code = k_exit_invalid;
    result.err = io.err + format_errors(e);
    return result;
  }
  if (!global.output_file.empty() && (result.code == k_exit_ok || result.code == k_exit_findings)) {
    try {
      util::write_file_atomic(global.output_file, result.out);
      result.out.clear();
    } catch (const util::WriteError& e) {
      result.code = k_exit_io;
      result.out.clear();
      result.err += fmt::format("aiadvise: error: {}\n", util::escape_for_terminal(e.what()));
    }
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

CLI::Validator decimal_range(const util::Bounds& bounds) {
  // NOTE: CLI11's own number checks let NaN through (every comparison with it is false) and read
  // hexadecimal and leading spaces; flags take decimal text only, like environment variables.
  return CLI::Validator(
      [bounds](std::string& text) -> std::string {
        const auto v = util::parse_decimal(text);
        if (!v) return fmt::format("expected {} (decimal digits), got '{}'", util::describe_bounds(bounds), util::escape_for_terminal(text));
        if (auto problem = util::check_bounds(*v, bounds, util::escape_for_terminal(text))) return *problem;
        if (bounds.integral) text = fmt::format("{:.0f}", *v);  // "1e6" reaches an integer option as "1000000"
        return std::string();
      },
      "NUMBER");
}

CLI::Option* add_format_option(CLI::App& app, std::string& format, const std::vector<std::string>& choices) {
  // NOTE: -o and --output as kubectl and gh spell it, unless the command already uses the names
  // (catalog import writes its catalog to -o FILE).
  const bool short_free = !app.get_option_no_throw("-o") && !app.get_option_no_throw("--output");
  const bool table = std::find(choices.begin(), choices.end(), "table") != choices.end();
  return app
      .add_option(short_free ? "-o,--format,--output" : "--format", format,
                  "Output format: " + util::join(choices, ", ") + " (any case)" +
                      (table ? "; default: table on a terminal, json otherwise" : ""))
      ->transform(CLI::IsMember(choices, CLI::ignore_case))
      ->type_name("FORMAT");
}

Terminal detect_terminal() {
  Terminal t;
  t.is_tty = isatty(STDOUT_FILENO) == 1;
  struct winsize size {};
  if (t.is_tty && ioctl(STDOUT_FILENO, TIOCGWINSZ, &size) == 0 && size.ws_col > 0) {
    t.columns = size.ws_col;
  } else if (const char* columns = std::getenv("COLUMNS"); columns && *columns) {
    const auto n = util::parse_count(columns);
    if (n && *n >= 20 && *n <= 1000) t.columns = static_cast<std::size_t>(*n);
  }
  const char* term = std::getenv("TERM");
  const char* no_color = std::getenv("NO_COLOR");
  t.color_allowed = t.is_tty && !(no_color && *no_color) && !(term && std::string_view(term) == "dumb");
  return t;
}

RunResult run_captured(const std::vector<std::string>& args, const Terminal& terminal) { return run_streaming(args, {}, terminal); }

RunResult run_streaming(const std::vector<std::string>& args, const std::function<int(std::string_view)>& stream,
                        const Terminal& terminal) {
  try {
    return dispatch(args, stream, terminal);
  } catch (const std::bad_alloc&) {
    return RunResult{k_exit_internal, "", "aiadvise: error: out of memory (the inputs need more memory than is available; "
                                          "lower --max-input-bytes, or split the input)\n"};
  } catch (const std::exception& e) {
    return RunResult{k_exit_internal, "", fmt::format("aiadvise: internal error: {}\n", util::escape_for_terminal(e.what()))};
  } catch (...) {
    return RunResult{k_exit_internal, "", "aiadvise: internal error: unknown exception\n"};
  }
}

namespace {

// Memory kept back so that, when an allocation fails, the program can still unwind: destructors
// that allocate (nlohmann_json frees a tree through a vector of its children) get it, and the
// bad_alloc reaches run_streaming, which says so and returns exit code 3.
char* g_reserve = nullptr;
bool g_process_run = false;  // set by run(argc, argv)

void on_out_of_memory() {
  if (g_reserve != nullptr) {
    delete[] g_reserve;
    g_reserve = nullptr;
    return;  // operator new tries again
  }
  throw std::bad_alloc();
}

// Should an allocation still fail where no exception may pass (a destructor), say so and exit 3
// rather than abort.
[[noreturn]] void on_terminate() {
  if (std::exception_ptr e = std::current_exception()) {
    try {
      std::rethrow_exception(e);
    } catch (const std::bad_alloc&) {
      static const char message[] = "aiadvise: error: out of memory\n";
      (void)!::write(STDERR_FILENO, message, sizeof message - 1);
      ::_exit(k_exit_internal);
    } catch (...) {
    }
  }
  std::abort();
}

}  // namespace

bool process_exits_after_run() { return g_process_run; }

int run(int argc, const char* const* argv) {
  // A reader that closes the pipe early (`| head -1`) is not an error: ignore SIGPIPE, and
  // write_stdout reports EPIPE as the reader having gone.
  std::signal(SIGPIPE, SIG_IGN);
  g_reserve = new char[k_memory_reserve_bytes];
  g_process_run = true;
  std::set_new_handler(on_out_of_memory);
  std::set_terminate(on_terminate);
  std::vector<std::string> args;
  for (int i = 1; i < argc; ++i) args.emplace_back(argv[i]);
  bool pipe_closed = false;
  RunResult result = run_streaming(
      args,
      [&pipe_closed](std::string_view text) {
        if (pipe_closed) return util::k_reader_gone;
        const int error = util::write_stdout(text);
        if (error == util::k_reader_gone) pipe_closed = true;  // the batch stops at once, quietly
        if (error == 0 && std::ferror(stdout)) return EIO;
        return error;
      },
      detect_terminal());
  if (!result.err.empty()) std::fputs(result.err.c_str(), stderr);
  if (const int error = util::write_stdout(result.out); error != 0 && error != util::k_reader_gone) {
    std::fprintf(stderr, "aiadvise: error: cannot write the result to standard output: %s\n", std::strerror(error));
    return k_exit_io;
  }
  return result.code;
}

}  // namespace aiadvise::cli
