#include "support/scenario.hpp"

#include <utility>

#include "aiadvise/cli/app.hpp"
#include "support/helpers.hpp"

namespace aiadvise::test::scenario {

json recommend(std::vector<std::string> args) { return run_json("recommend", std::move(args)); }

json run_json(const std::string& command, std::vector<std::string> args) {
  args.insert(args.begin(), command);
  args.push_back("--format");
  args.push_back("json");
  const auto r = aiadvise::cli::run_captured(args);
  INFO("args: " << json(args).dump() << "\nstderr: " << r.err);
  REQUIRE(r.code == 0);
  return json::parse(r.out);
}

const json& pick(const json& r) {
  REQUIRE(r.at("verdict") == "ok");
  return r.at("recommendation");
}

double accelerator_memory_gib(const json& option) {
  if (option.at("accelerator").is_null()) return 0;
  const auto* h = default_catalog().hardware_by_id(option.at("accelerator").get<std::string>());
  REQUIRE(h != nullptr);
  return h->memory_gib.value_or(0) * option.at("accelerators_per_instance").get<int>() * option.at("count").get<int>();
}

bool fired(const json& r, const std::string& id) {
  for (const auto& f : r.at("rules_fired")) {
    if (f.at("id") == id) return true;
  }
  return false;
}

bool excluded_by(const json& r, const std::string& id) { return r.at("excluded").contains(id); }

std::string reasons(const json& r) { return r.at("compute").at("reasons").dump() + r.at("deployment").at("reasons").dump(); }

}  // namespace aiadvise::test::scenario
