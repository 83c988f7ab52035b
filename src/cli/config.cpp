#include "cli/config.hpp"

#include <fmt/format.h>

#include <sys/stat.h>

#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <filesystem>

#include "aiadvise/catalog/loader.hpp"
#include "aiadvise/catalog/types.hpp"
#include "aiadvise/util/diagnostics.hpp"
#include "aiadvise/util/file_io.hpp"
#include "aiadvise/util/json_reader.hpp"
#include "aiadvise/util/numeric.hpp"
#include "aiadvise/util/table.hpp"
#include "aiadvise/util/text.hpp"

namespace aiadvise::cli {

namespace fs = std::filesystem;
using util::Diagnostic;
using util::Json;
using util::Location;

namespace {

const std::vector<std::string> k_fail_on{"fail", "warn"};

// NOTE: the stated ranges of the two numeric settings, the same from a file, a variable or a flag.
constexpr util::Bounds k_ratio_range{1.0, 1000.0};
constexpr util::Bounds k_difference_range{0.0, 1e9};

// The environment variable of each setting (catalog: catalog::k_catalog_env).
const std::vector<std::pair<std::string, std::string>>& env_names() {
  static const std::vector<std::pair<std::string, std::string>> names{
      {"cloud", "AIADVISE_CLOUD"},
      {"region", "AIADVISE_REGION"},
      {"spot", "AIADVISE_SPOT"},
      {"catalog", catalog::k_catalog_env},
      {"check.max_cost_ratio", "AIADVISE_MAX_COST_RATIO"},
      {"check.min_cost_difference_usd", "AIADVISE_MIN_COST_DIFFERENCE"},
      {"check.fail_on", "AIADVISE_FAIL_ON"},
  };
  return names;
}

std::optional<std::string> env(const std::string& name) {
  const char* v = std::getenv(name.c_str());
  if (!v || !*v) return std::nullopt;
  return std::string(v);
}

std::string expand_home(const std::string& path) {
  if (path == "~" || path.rfind("~/", 0) == 0) {
    if (auto home = env("HOME")) return *home + path.substr(1);
  }
  return path;
}

// Relative paths in a config file are relative to the file's directory.
std::string resolve_path(const std::string& path, const std::string& file) {
  const std::string expanded = expand_home(path);
  const fs::path p(expanded);
  if (p.is_absolute()) return expanded;
  const fs::path dir = fs::path(file).parent_path();
  return dir.empty() ? expanded : (dir / p).lexically_normal().string();
}

std::string format_number(double v) { return fmt::format("{}", v); }

// Values from the environment or a flag: text, checked with the same rules as a file.
struct TextSetting {
  Config& config;
  std::vector<Diagnostic>& diagnostics;
  SettingSource source;

  void bad(std::string message) { util::add_diagnostic(diagnostics, Diagnostic{"", 0, 0, source.origin, std::move(message)}); }

  void apply(const std::string& setting, const std::string& raw) {
    const std::string text = util::escape_for_terminal(raw);
    if (setting == "cloud") {
      std::vector<std::string> clouds;
      for (const auto& c : util::split_list(raw, ',')) {
        const auto& names = catalog::cloud_names();
        if (std::find(names.begin(), names.end(), c) == names.end()) {
          return bad(fmt::format("unknown cloud '{}'{}; expected any of {}", util::escape_for_terminal(c),
                                 util::did_you_mean(c, names), util::join(names, ", ")));
        }
        clouds.push_back(c);
      }
      if (clouds.empty()) return bad("expected a comma-separated list of clouds: aws, gcp, azure");
      config.cloud = clouds;
    } else if (setting == "region") {
      config.region = raw;
    } else if (setting == "spot") {
      if (raw == "1" || raw == "true" || raw == "yes" || raw == "on") config.spot = true;
      else if (raw == "0" || raw == "false" || raw == "no" || raw == "off") config.spot = false;
      else return bad(fmt::format("expected true or false (1/0, yes/no, on/off), got '{}'", text));
    } else if (setting == "check.max_cost_ratio" || setting == "check.min_cost_difference_usd") {
      // Decimal text only: strtod would also take " 5", "0x10" and "inf".
      const bool ratio = setting == "check.max_cost_ratio";
      const util::Bounds& range = ratio ? k_ratio_range : k_difference_range;
      const auto v = util::parse_decimal(raw);
      if (!v) return bad(fmt::format("expected {} (decimal digits, no spaces), got '{}'", util::describe_bounds(range), text));
      if (auto problem = util::check_bounds(*v, range, text)) return bad(*problem);
      (ratio ? config.max_cost_ratio : config.min_cost_difference_usd) = *v;
    } else if (setting == "check.fail_on") {
      if (raw != "fail" && raw != "warn") {
        return bad(fmt::format("expected fail or warn, got '{}'{}", text, util::did_you_mean(raw, k_fail_on)));
      }
      config.fail_on = raw;
    } else {
      return;
    }
    config.sources[setting] = source;
  }
};

// The settings object of a config file: the whole user file, or the project file's "config".
void read_settings(const util::JsonDocument& doc, const std::string& pointer, SettingSource source, Config& config,
                   std::vector<Diagnostic>& diagnostics) {
  const Json* object = &doc.value();
  if (!pointer.empty()) {
    const Json::json_pointer p(pointer);
    if (!doc.value().is_object() || !doc.value().contains(p)) return;  // check's business, not ours
    object = &doc.value().at(p);
  }
  if (!object->is_object()) {
    util::add_diagnostic(diagnostics, doc, pointer, fmt::format("expected a settings object, got {}", util::describe_value(*object)));
    return;
  }
  util::ObjectReader r(*object, Location{&doc, pointer}, diagnostics);
  r.allow("$schema");
  r.allow("description");
  if (r.has("cloud")) {
    const Json& raw = object->at("cloud");
    const auto clouds = r.string_list("cloud", &catalog::cloud_names());
    if (raw.is_array() && raw.empty()) {
      r.error("cloud", "expected at least one cloud: aws, gcp, azure");
    } else if (!clouds.empty()) {
      config.cloud = clouds;
      config.sources["cloud"] = source;
    }
  }
  if (auto region = r.string("region")) {
    if (region->empty()) r.error("region", "expected a region name, got an empty string");
    else {
      config.region = *region;
      config.sources["region"] = source;
    }
  }
  if (auto spot = r.boolean("spot")) {
    config.spot = *spot;
    config.sources["spot"] = source;
  }
  if (r.has("catalog")) {
    for (const auto& path : r.string_list("catalog")) {
      if (path.empty()) {
        r.error("catalog", "expected catalog file or directory paths, got an empty string");
        continue;
      }
      config.catalog.push_back(resolve_path(path, source.origin));
      config.catalog_sources.push_back(source);
    }
  }
  if (const Json* check = r.object("check")) {
    util::ObjectReader c(*check, Location{&doc, util::pointer_append(pointer, "check")}, diagnostics);
    if (auto v = c.number("max_cost_ratio", k_ratio_range)) {
      config.max_cost_ratio = *v;
      config.sources["check.max_cost_ratio"] = source;
    }
    if (auto v = c.number("min_cost_difference_usd", k_difference_range)) {
      config.min_cost_difference_usd = *v;
      config.sources["check.min_cost_difference_usd"] = source;
    }
    if (auto v = c.one_of("fail_on", k_fail_on)) {
      config.fail_on = *v;
      config.sources["check.fail_on"] = source;
    }
    c.finish();
  }
  r.finish();
}

// Reads one config file if it exists (or must exist). Returns whether it was found.
bool read_file(const std::string& path, bool must_exist, const std::string& pointer, SettingSource::Kind kind,
               const ConfigInputs& inputs, Config& config, std::vector<Diagnostic>& diagnostics) {
  // NOTE: only a missing file is "absent". A symlink loop or a permission problem is an error, and
  // anything but a regular file (a terminal, a FIFO) is refused before it is opened, so that a
  // configuration path can never make aiadvise wait for input.
  struct stat st {};
  if (::stat(path.c_str(), &st) != 0) {
    const int error = errno;
    if (error == ENOENT || error == ENOTDIR) {
      if (must_exist) util::add_diagnostic(diagnostics, Diagnostic{path, 0, 0, "", "config file not found"});
      return false;
    }
    util::add_diagnostic(diagnostics, Diagnostic{path, 0, 0, "", fmt::format("cannot read the config file: {}",
                                                                              error == ELOOP ? "a loop of symbolic links"
                                                                                             : std::strerror(error))});
    return true;
  }
  if (S_ISDIR(st.st_mode)) {
    util::add_diagnostic(diagnostics, Diagnostic{path, 0, 0, "", "expected a config file, got a directory"});
    return true;
  }
  if (!S_ISREG(st.st_mode)) {
    util::add_diagnostic(diagnostics, Diagnostic{path, 0, 0, "", fmt::format("expected a config file, got {}",
                                                                              util::file_kind_name(st.st_mode))});
    return true;
  }
  std::vector<Diagnostic> parse_diagnostics;
  const auto doc = util::JsonDocument::parse(path, util::read_input(path, inputs.max_input_bytes, util::InputKind::regular),
                                             inputs.limits, parse_diagnostics);
  if (!doc.ok()) {
    util::add_diagnostics(diagnostics, parse_diagnostics);
    return true;
  }
  read_settings(doc, pointer, SettingSource{kind, path}, config, diagnostics);
  return true;
}

}  // namespace

std::string SettingSource::kind_name() const {
  switch (kind) {
    case Kind::default_value: return "default";
    case Kind::user_file: return "user config";
    case Kind::project_file: return "project config";
    case Kind::environment: return "environment";
    case Kind::flag: return "flag";
  }
  return "default";
}

std::string SettingSource::describe() const {
  switch (kind) {
    case Kind::default_value: return "default";
    case Kind::user_file:
    case Kind::project_file: return "file " + origin;
    case Kind::environment: return "env " + origin;
    case Kind::flag: return "flag " + origin;
  }
  return "default";
}

const std::vector<std::string>& config_setting_names() {
  static const std::vector<std::string> names{
      "cloud", "region", "spot", "catalog", "check.max_cost_ratio", "check.min_cost_difference_usd", "check.fail_on"};
  return names;
}

std::string default_user_config_path() {
  if (auto path = env("AIADVISE_CONFIG")) return *path;
  if (auto xdg = env("XDG_CONFIG_HOME")) return (fs::path(*xdg) / "aiadvise" / "config.json").string();
  if (auto home = env("HOME")) return (fs::path(*home) / ".config" / "aiadvise" / "config.json").string();
  return "";
}

Config resolve_config(const ConfigInputs& inputs) {
  Config config;
  config.resolved = true;
  std::vector<Diagnostic> diagnostics;

  // 1-2. The user's file, then the project's.
  if (!inputs.skip_files) {
    const bool explicit_file = !inputs.user_file.empty();
    const bool from_env = !explicit_file && env("AIADVISE_CONFIG").has_value();
    const std::string user = explicit_file ? inputs.user_file : default_user_config_path();
    if (!util::is_valid_utf8(user)) {
      // From $AIADVISE_CONFIG, $XDG_CONFIG_HOME or $HOME (a flag was checked with the command line).
      util::add_diagnostic(diagnostics, Diagnostic{"", 0, 0, "config file",
                                                   fmt::format("the path '{}' is not valid UTF-8 text", util::escape_for_terminal(user))});
    } else if (!user.empty()) {
      const bool found = read_file(user, explicit_file || from_env, "", SettingSource::Kind::user_file, inputs, config, diagnostics);
      config.files.push_back({"user", user, found});
    }
    if (!inputs.project_file.empty()) {
      const bool found = read_file(inputs.project_file, false, "/config", SettingSource::Kind::project_file, inputs, config, diagnostics);
      config.files.push_back({"project", inputs.project_file, found});
    }
  }

  // 3. The environment.
  for (const auto& [setting, name] : env_names()) {
    auto value = env(name);
    if (!value) continue;
    const SettingSource source{SettingSource::Kind::environment, name};
    if (!util::is_valid_utf8(*value)) {
      util::add_diagnostic(diagnostics, Diagnostic{"", 0, 0, name, fmt::format("'{}' is not valid UTF-8 text",
                                                                                util::escape_for_terminal(*value))});
      continue;
    }
    if (setting == "catalog") {
      for (auto& path : util::split_list(*value, ':')) {
        config.catalog.push_back(path);
        config.catalog_sources.push_back(source);
      }
    } else {
      TextSetting{config, diagnostics, source}.apply(setting, *value);
    }
  }

  // 4. Flags.
  for (const auto& [setting, flag] : inputs.flags) {
    TextSetting{config, diagnostics, SettingSource{SettingSource::Kind::flag, flag.first}}.apply(setting, flag.second);
  }
  for (const auto& path : inputs.catalog_flags) {
    config.catalog.push_back(path);
    config.catalog_sources.push_back(SettingSource{SettingSource::Kind::flag, "--catalog"});
  }

  if (!diagnostics.empty()) throw util::InputError(std::move(diagnostics));
  return config;
}

namespace {

std::string catalog_origin(const Config& config) {
  std::vector<std::string> origins;
  for (const auto& s : config.catalog_sources) {
    const std::string d = s.describe();
    if (std::find(origins.begin(), origins.end(), d) == origins.end()) origins.push_back(d);
  }
  return origins.empty() ? "default" : util::join(origins, "; ");
}

SettingSource source_of(const Config& config, const std::string& setting) {
  auto it = config.sources.find(setting);
  return it != config.sources.end() ? it->second : SettingSource{};
}

Json value_of(const Config& config, const std::string& setting) {
  if (setting == "cloud") return config.cloud.empty() ? Json(catalog::cloud_names()) : Json(config.cloud);
  if (setting == "region") return config.region ? Json(*config.region) : Json(nullptr);
  if (setting == "spot") return config.spot;
  if (setting == "catalog") return config.catalog;
  if (setting == "check.max_cost_ratio") return config.max_cost_ratio;
  if (setting == "check.min_cost_difference_usd") return config.min_cost_difference_usd;
  if (setting == "check.fail_on") return config.fail_on;
  return nullptr;
}

std::string value_text(const Config& config, const std::string& setting) {
  if (setting == "cloud" && config.cloud.empty()) return "aws, gcp, azure (all)";
  if (setting == "region" && !config.region) return "(the catalog's reference region)";
  if (setting == "catalog" && config.catalog.empty()) return "(none)";
  if (setting == "check.max_cost_ratio") return format_number(config.max_cost_ratio);
  if (setting == "check.min_cost_difference_usd") return format_number(config.min_cost_difference_usd);
  const Json v = value_of(config, setting);
  if (v.is_string()) return v.get<std::string>();
  if (v.is_boolean()) return v.get<bool>() ? "true" : "false";
  if (v.is_array()) {
    std::vector<std::string> parts;
    for (const auto& e : v) parts.push_back(e.get<std::string>());
    return util::join(parts, setting == "catalog" ? ":" : ", ");
  }
  return v.dump();
}

}  // namespace

std::string render_config_table(const Config& config) {
  util::Table table({"SETTING", "VALUE", "SOURCE"});
  for (const auto& name : config_setting_names()) {
    const std::string source = name == "catalog" ? catalog_origin(config) : source_of(config, name).describe();
    table.add_row({name, util::escape_for_terminal(value_text(config, name)), util::escape_for_terminal(source)});
  }
  std::string out = table.render();
  out += "\nConfig files (lowest precedence first; then environment, then flags):\n";
  if (config.files.empty()) out += "  none read (--no-config)\n";
  for (const auto& f : config.files) {
    out += fmt::format("  {:<8} {} ({})\n", f.role, util::escape_for_terminal(f.path), f.found ? "read" : "not found");
  }
  return out;
}

Json config_to_json(const Config& config) {
  Json settings = Json::array();
  for (const auto& name : config_setting_names()) {
    Json s{{"name", name}, {"value", value_of(config, name)}};
    if (name == "catalog") {
      Json sources = Json::array();
      for (const auto& src : config.catalog_sources) {
        sources.push_back(Json{{"source", src.kind_name()}, {"origin", src.origin}});
      }
      s["source"] = config.catalog_sources.empty() ? "default" : config.catalog_sources.back().kind_name();
      s["origins"] = sources;
    } else {
      const SettingSource src = source_of(config, name);
      s["source"] = src.kind_name();
      if (!src.origin.empty()) s["origin"] = src.origin;
    }
    settings.push_back(std::move(s));
  }
  Json files = Json::array();
  for (const auto& f : config.files) files.push_back(Json{{"role", f.role}, {"path", f.path}, {"found", f.found}});
  return Json{{"settings", settings}, {"files", files}};
}

}  // namespace aiadvise::cli
