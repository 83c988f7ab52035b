// Project files: the workloads a team runs and the infrastructure it proposes for each.

#include <fmt/format.h>

#include <set>

#include "aiadvise/check/check.hpp"
#include "aiadvise/util/json_reader.hpp"
#include "aiadvise/util/text.hpp"

namespace aiadvise::check {

using util::Json;
using util::Location;

ProjectWorkload read_project_entry(const util::JsonDocument& doc, const std::string& at, const catalog::Catalog& catalog,
                                   const std::string& fallback_name) {
  std::vector<util::Diagnostic> diagnostics;
  const Json& entry = at.empty() ? doc.value() : doc.value().at(Json::json_pointer(at));
  if (!entry.is_object()) {
    throw util::InputError(std::vector<util::Diagnostic>{doc.diagnostic(at, fmt::format("expected an object, got {}", util::describe_value(entry)))});
  }
  util::ObjectReader r(entry, Location{&doc, at}, diagnostics);
  ProjectWorkload pw;
  pw.name = r.string("name", fallback_name.empty()).value_or(fallback_name);
  const Json* w = r.object("workload", true);
  if (const Json* p = r.object("proposed")) {
    util::ObjectReader pr(*p, Location{&doc, util::pointer_append(at, "proposed")}, diagnostics);
    Proposed proposed;
    proposed.cloud = pr.one_of("cloud", catalog::cloud_names()).value_or("");
    proposed.instance = pr.string("instance").value_or("");
    proposed.count = static_cast<int>(pr.integer("count", 1).value_or(0));
    proposed.service = pr.string("service").value_or("");
    if (!proposed.service.empty() && !catalog.service(proposed.service)) {
      pr.error("service", fmt::format("unknown service '{}'{}", proposed.service, util::did_you_mean(proposed.service, catalog.ids("services"))));
    }
    if (proposed.instance.empty() && proposed.service.empty()) pr.error("instance", "give an instance (or a serverless service)");
    proposed.origin = "project";
    pr.finish();
    pw.proposed = proposed;
  }
  // NOTE: keys starting with "x-" are the user's own extensions and are kept out of validation.
  for (const auto& [key, value] : entry.items()) {
    if (key.rfind("x-", 0) == 0 || key == "description" || key == "owner") r.allow(key);
  }
  r.finish();
  if (w) {
    try {
      pw.workload = workload::normalise(&doc, {}, catalog, util::pointer_append(at, "workload"));
    } catch (const util::InputError& e) {
      diagnostics.insert(diagnostics.end(), e.diagnostics().begin(), e.diagnostics().end());
    }
  }
  if (!diagnostics.empty()) throw util::InputError(std::move(diagnostics));
  return pw;
}

Project read_project(const util::JsonDocument& doc, const catalog::Catalog& catalog) {
  std::vector<util::Diagnostic> diagnostics;
  Project project;
  project.file = doc.name();
  const Json& root = doc.value();
  if (!root.is_object()) {
    throw util::InputError(std::vector<util::Diagnostic>{
        doc.diagnostic("", fmt::format("expected a project object with \"workloads\", got {}", util::describe_value(root)))});
  }
  util::ObjectReader top(root, Location{&doc, ""}, diagnostics);
  const Json* workloads = top.array("workloads", true);
  const Json* terraform = top.object("terraform");
  // "config" holds the user's defaults (docs/configuration.md); it is read by the command line.
  for (const char* key : {"name", "description", "$schema", "config"}) top.allow(key);
  // NOTE: keys starting with "x-" are the user's own extensions and are kept out of validation.
  for (const auto& [key, value] : root.items()) {
    if (key.rfind("x-", 0) == 0) top.allow(key);
  }
  top.finish();
  std::map<std::string, std::string> names;  // name -> pointer of its first definition
  if (workloads) {
    for (std::size_t i = 0; i < workloads->size(); ++i) {
      const std::string at = util::pointer_append("/workloads", i);
      const Json& entry = (*workloads)[i];
      if (!entry.is_object()) {
        diagnostics.push_back(doc.diagnostic(at, fmt::format("expected an object, got {}", util::describe_value(entry))));
        continue;
      }
      try {
        ProjectWorkload pw = read_project_entry(doc, at, catalog);
        if (auto seen = names.find(pw.name); seen != names.end()) {
          const auto first = doc.locate(seen->second);
          diagnostics.push_back(doc.diagnostic(util::pointer_append(at, "name"),
                                               fmt::format("duplicate workload name '{}' (first defined at line {}, column {})", pw.name,
                                                           first.line, first.column)));
          continue;
        }
        names.emplace(pw.name, util::pointer_append(at, "name"));
        const auto position = doc.locate(at);
        pw.location = SourceLocation{doc.name(), static_cast<int>(position.line), static_cast<int>(position.column), at, "workload entry"};
        project.workloads.push_back(std::move(pw));
      } catch (const util::InputError& e) {
        diagnostics.insert(diagnostics.end(), e.diagnostics().begin(), e.diagnostics().end());
      }
    }
  }
  if (terraform) {
    util::ObjectReader t(*terraform, Location{&doc, "/terraform"}, diagnostics);
    if (const Json* resources = t.object("resources")) {
      for (const auto& [address, name] : resources->items()) {
        const Location where{&doc, util::pointer_append("/terraform/resources", address)};
        if (!name.is_string()) {
          diagnostics.push_back(util::diagnostic_at(where, fmt::format("expected a workload name, got {}", util::describe_value(name))));
        } else if (!names.count(name.get<std::string>())) {
          std::vector<std::string> known;
          for (const auto& [n, p] : names) known.push_back(n);
          diagnostics.push_back(util::diagnostic_at(where, fmt::format("no workload named '{}' in this project{}", name.get<std::string>(),
                                                                       util::did_you_mean(name.get<std::string>(), known))));
        } else {
          project.terraform_resources[address] = name.get<std::string>();
          const auto position = doc.locate(where.pointer);
          project.terraform_locations[address] =
              SourceLocation{doc.name(), static_cast<int>(position.line), static_cast<int>(position.column), where.pointer, "terraform.resources mapping"};
        }
      }
    }
    t.finish();
  }
  if (!diagnostics.empty()) throw util::InputError(std::move(diagnostics));
  return project;
}

}  // namespace aiadvise::check
