// Which workload each planned resource serves: the project file's terraform.resources mapping
// (keys as written in configuration, with or without instance keys), else the resource's
// aiadvise-workload tag or label. A mapping key that names nothing in the plan is an error, so a
// renamed resource cannot turn the gate into a silent pass.

#include <fmt/format.h>

#include <algorithm>
#include <set>

#include "aiadvise/check/address.hpp"
#include "aiadvise/check/check.hpp"
#include "aiadvise/util/text.hpp"

namespace aiadvise::check {

namespace {

/// Every address in the plan, with and without instance keys, for "did you mean".
std::vector<std::string> plan_addresses(const TerraformPlan& plan) {
  std::set<std::string> all;
  for (const auto& r : plan.resources) {
    all.insert(r.address);
    all.insert(configuration_address(r.address));
  }
  for (const auto& s : plan.skipped) {
    all.insert(s.address);
    all.insert(configuration_address(s.address));
  }
  return {all.begin(), all.end()};
}

}  // namespace

void check_terraform_plan(const TerraformPlan& plan, const Project& project, const catalog::Catalog& catalog, const Options& options,
                          std::vector<WorkloadCheck>& checks, std::vector<SkippedResource>& skipped, std::vector<std::string>& warnings) {
  std::vector<util::Diagnostic> errors;
  const std::vector<std::string> addresses = plan_addresses(plan);
  for (const auto& entry : project.terraform_resources) {
    // Named copies: clang 14 (the fuzz build) cannot capture a structured binding in a lambda.
    const std::string& key = entry.first;
    const std::string& name = entry.second;
    const bool maps_compute = std::any_of(plan.resources.begin(), plan.resources.end(),
                                          [&](const PlannedResource& r) { return address_matches(key, r.address); });
    if (maps_compute) continue;
    std::vector<std::string> reasons;
    for (const auto& s : plan.skipped) {
      if (address_matches(key, s.address)) reasons.push_back(fmt::format("{}: {}", s.address, s.reason));
    }
    const SourceLocation& at = project.terraform_locations.at(key);
    if (!reasons.empty()) {
      warnings.push_back(fmt::format("{}:{}: terraform.resources maps '{}' to workload '{}', but it is not checked: {}", at.file, at.line, key,
                                     name, util::join(reasons, "; ")));
      continue;
    }
    std::string hint = util::did_you_mean(key, addresses);
    if (hint.empty() && key.find('[') == std::string::npos) {
      hint = " (addresses are written as in configuration, e.g. module.NAME.TYPE.NAME, with or without [INDEX] or [\"KEY\"])";
    }
    errors.push_back(util::Diagnostic{at.file, static_cast<std::size_t>(at.line), static_cast<std::size_t>(at.column), at.pointer,
                                      fmt::format("'{}' names no resource in the plan {}{}", key, plan.file, hint)});
  }
  if (!errors.empty()) throw util::InputError(std::move(errors));

  std::map<std::string, const ProjectWorkload*> by_name;
  for (const auto& pw : project.workloads) by_name[pw.name] = &pw;
  for (const auto& r : plan.resources) {
    // The most specific key wins: aws_instance.gpu[0] over aws_instance.gpu.
    const std::string* key = nullptr;
    int specificity = -1;
    for (const auto& [k, name] : project.terraform_resources) {
      if (!address_matches(k, r.address)) continue;
      const int s = key_specificity(k);
      if (s > specificity) {
        key = &k;
        specificity = s;
      }
    }
    const std::string name = key != nullptr ? project.terraform_resources.at(*key) : r.workload;
    if (name.empty()) {
      skipped.push_back({r.label(), r.type, fmt::format("no '{}' tag or label, and no mapping in the project file", workload_tag),
                         SkipKind::no_workload});
      continue;
    }
    auto pw = by_name.find(name);
    if (pw == by_name.end()) {
      skipped.push_back({r.label(), r.type, fmt::format("tagged for workload '{}', which the project file does not define", name),
                         SkipKind::unknown_workload});
      continue;
    }
    Proposed p;
    p.cloud = r.cloud;
    p.instance = r.instance.empty() ? r.instance_as_written : r.instance;
    p.count = r.count;
    p.service = r.service;
    p.origin = "terraform: " + r.label();
    p.assumptions = r.assumptions;
    p.notes = r.notes;
    WorkloadCheck ch = check_workload(name + " (" + r.label() + ")", pw->second->workload, p, catalog, options);
    ch.workload = name;
    ch.address = r.label();
    if (key != nullptr) ch.locations.push_back(project.terraform_locations.at(*key));
    if (!pw->second->location.file.empty()) ch.locations.push_back(pw->second->location);
    if (!plan.file.empty() && r.line > 0) ch.locations.push_back(SourceLocation{plan.file, r.line, 0, r.pointer, "plan values"});
    checks.push_back(std::move(ch));
  }
}

}  // namespace aiadvise::check
