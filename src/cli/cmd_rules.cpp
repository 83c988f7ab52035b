// `aiadvise rules list|show`: the decision rules, which are data in the catalog.

#include <CLI/CLI.hpp>
#include <fmt/format.h>

#include <memory>

#include "aiadvise/cli/exit_codes.hpp"
#include "aiadvise/rules/rules.hpp"
#include "aiadvise/util/table.hpp"
#include "aiadvise/util/text.hpp"
#include "cli/context.hpp"

namespace aiadvise::cli {

namespace {

struct RulesOptions {
  std::string id;
  std::string format;
};

int run_rules_list(const RulesOptions& o, const GlobalOptions& global, Io& io) {
  const catalog::Catalog c = load_catalog(global);
  const auto rules = rules::compile(c.rules);
  if (o.format == "json") {
    util::Json out = util::Json::array();
    for (const auto& raw : c.rules) out.push_back(raw);
    std::sort(out.begin(), out.end(), [](const util::Json& a, const util::Json& b) { return a["id"] < b["id"]; });
    io.out = util::Json{{"rules", out}}.dump(2) + "\n";
    return k_exit_ok;
  }
  std::string out;
  for (const auto& r : rules) out += fmt::format("{}  {}\n", r.id, r.description);
  io.out = out;
  return k_exit_ok;
}

int run_rules_fields(const std::string& format, const GlobalOptions&, Io& io) {
  if (format == "json") {
    util::Json out = util::Json::array();
    for (const auto& [name, meaning] : rules::known_fields()) out.push_back({{"field", name}, {"meaning", meaning}});
    io.out = util::Json{{"fields", out}}.dump(2) + "\n";
    return k_exit_ok;
  }
  util::Table t({"field", "meaning"});
  for (const auto& [name, meaning] : rules::known_fields()) t.add_row({name, meaning});
  io.out = t.render();
  return k_exit_ok;
}

}  // namespace

void setup_rules(CLI::App& app, const GlobalOptions& global, Action& action) {
  CLI::App* rules_cmd = app.add_subcommand("rules", "List the decision rules (data in the catalog; docs/rules/<id>.md explains each)");
  rules_cmd->require_subcommand(1);
  rules_cmd->footer(R"(Examples:
  aiadvise rules list
  aiadvise rules list -o json | jq -r '.rules[] | select(.effect.exclude) | .id'
  aiadvise rules fields
  aiadvise --catalog my-rules.json rules list

Output: a table on a terminal, JSON otherwise (-o/--format picks one). See docs/rules/.)");
  auto o = std::make_shared<RulesOptions>();
  CLI::App* list = rules_cmd->add_subcommand("list", "Every rule id with its one-line description");
  list->footer("Examples:\n  aiadvise rules list\n  aiadvise rules list --format json");
  add_format_option(*list, o->format, {"table", "json"});
  list->callback([o, &global, &action] { action = [o, &global](Io& io) { return run_rules_list(*o, global, io); }; });
  auto fields_format = std::make_shared<std::string>();
  CLI::App* fields = rules_cmd->add_subcommand("fields", "The facts a rule's condition can read");
  fields->footer("Examples:\n  aiadvise rules fields\n  aiadvise rules fields --format json");
  add_format_option(*fields, *fields_format, {"table", "json"});
  fields->callback([fields_format, &global, &action] {
    action = [fields_format, &global](Io& io) { return run_rules_fields(*fields_format, global, io); };
  });
}

}  // namespace aiadvise::cli
