// `check --baseline PREVIOUS.json`: what a change did, for a pull-request comment. Findings are
// matched by workload and rule (their messages carry numbers that move with every change), and the
// proposed cost per hour is added up before and after.

#include <fmt/format.h>

#include <cmath>
#include <map>
#include <set>

#include "aiadvise/check/check.hpp"

namespace aiadvise::check {

using util::Json;

namespace {

struct Key {
  std::string workload, rule;
  auto operator<=>(const Key&) const = default;
};

/// The proposed choice's price per hour, or NaN when the report has none.
double hourly(const Json* workload) {
  if (workload == nullptr || !workload->contains("estimate")) return std::nan("");
  const Json& e = (*workload)["estimate"];
  if (!e.is_object() || !e.contains("price_usd_per_hour") || !e["price_usd_per_hour"].is_number()) return std::nan("");
  return e["price_usd_per_hour"].get<double>();
}

double round6(double v) { return std::round(v * 1e6) / 1e6; }

/// Checks the shape of an earlier report and collects every problem.
void validate(const util::JsonDocument& doc) {
  std::vector<util::Diagnostic> errors;
  const Json& root = doc.value();
  if (!root.is_object()) {
    errors.push_back(doc.diagnostic("", "expected the JSON report of `aiadvise check --format json`"));
    throw util::InputError(std::move(errors));
  }
  if (!root.contains("schema_version") || root["schema_version"] != 1)
    errors.push_back(doc.diagnostic(root.contains("schema_version") ? "/schema_version" : "",
                                    "expected a check report with schema_version 1 (from `aiadvise check --format json`)"));
  if (!root.contains("workloads") || !root["workloads"].is_array()) {
    errors.push_back(doc.diagnostic(root.contains("workloads") ? "/workloads" : "", "expected \"workloads\": an array of checked workloads"));
  } else {
    const Json& workloads = root["workloads"];
    for (std::size_t i = 0; i < workloads.size(); ++i) {
      const std::string at = util::pointer_append("/workloads", i);
      const Json& w = workloads[i];
      if (!w.is_object() || !w.contains("name") || !w["name"].is_string()) {
        errors.push_back(doc.diagnostic(at, "expected a workload with a \"name\""));
        continue;
      }
      if (!w.contains("findings") || !w["findings"].is_array()) {
        errors.push_back(doc.diagnostic(at, "expected \"findings\": an array"));
        continue;
      }
      for (std::size_t j = 0; j < w["findings"].size(); ++j) {
        const Json& f = w["findings"][j];
        if (!f.is_object() || !f.contains("rule") || !f["rule"].is_string())
          errors.push_back(doc.diagnostic(util::pointer_append(util::pointer_append(at, "findings"), j), "expected a finding with a \"rule\""));
      }
    }
  }
  if (!errors.empty()) throw util::InputError(std::move(errors));
}

std::multimap<Key, Json> findings_of(const Json& report) {
  std::multimap<Key, Json> out;
  for (const auto& w : report["workloads"]) {
    const std::string name = w["name"].get<std::string>();
    for (const auto& f : w["findings"]) {
      out.emplace(Key{name, f["rule"].get<std::string>()},
                  Json{{"workload", name}, {"rule", f["rule"]}, {"severity", f.value("severity", "")}, {"message", f.value("message", "")}});
    }
  }
  return out;
}

}  // namespace

void compare_with_baseline(Json& report, const util::JsonDocument& previous) {
  validate(previous);
  const Json& before = previous.value();
  auto old_findings = findings_of(before);
  Json added = Json::array(), resolved = Json::array(), unchanged = Json::array();
  for (const auto& [key, finding] : findings_of(report)) {
    auto it = old_findings.find(key);
    if (it == old_findings.end()) {
      added.push_back(finding);
    } else {
      unchanged.push_back(finding);
      old_findings.erase(it);
    }
  }
  for (const auto& [key, finding] : old_findings) resolved.push_back(finding);

  std::map<std::string, const Json*> old_workloads, new_workloads;
  for (const auto& w : before["workloads"]) old_workloads[w["name"].get<std::string>()] = &w;
  for (const auto& w : report["workloads"]) new_workloads[w["name"].get<std::string>()] = &w;
  Json workloads_added = Json::array(), workloads_removed = Json::array(), cost_changes = Json::array();
  double cost_before = 0, cost_after = 0;
  int unpriced = 0;
  std::set<std::string> names;
  for (const auto& [n, w] : old_workloads) names.insert(n);
  for (const auto& [n, w] : new_workloads) names.insert(n);
  for (const auto& name : names) {
    const Json* o = old_workloads.count(name) ? old_workloads[name] : nullptr;
    const Json* n = new_workloads.count(name) ? new_workloads[name] : nullptr;
    if (o == nullptr) workloads_added.push_back(name);
    if (n == nullptr) workloads_removed.push_back(name);
    const double ob = hourly(o), nb = hourly(n);
    if ((o && std::isnan(ob)) || (n && std::isnan(nb))) ++unpriced;
    const double before_value = std::isnan(ob) ? 0 : ob, after_value = std::isnan(nb) ? 0 : nb;
    cost_before += before_value;
    cost_after += after_value;
    if (before_value != after_value) {
      cost_changes.push_back({{"workload", name},
                              {"before_usd_per_hour", std::isnan(ob) ? Json() : Json(round6(ob))},
                              {"after_usd_per_hour", std::isnan(nb) ? Json() : Json(round6(nb))}});
    }
  }
  report["baseline"] = {
      {"file", previous.name()},
      {"counts", {{"new", added.size()}, {"resolved", resolved.size()}, {"unchanged", unchanged.size()}}},
      {"findings", {{"new", added}, {"resolved", resolved}, {"unchanged", unchanged}}},
      {"workloads", {{"added", workloads_added}, {"removed", workloads_removed}}},
      {"cost",
       {{"before_usd_per_hour", round6(cost_before)},
        {"after_usd_per_hour", round6(cost_after)},
        {"difference_usd_per_hour", round6(cost_after - cost_before)},
        {"unpriced_workloads", unpriced},
        {"changes", cost_changes}}},
  };
}

}  // namespace aiadvise::check
