#pragma once
/// The CI gate: does a proposed infrastructure choice fit its ML workload? Each workload gets
/// pass, warn or fail, with findings that name a rule, the numbers compared and the option
/// aiadvise would pick instead.

#include <map>
#include <optional>
#include <string>
#include <vector>

#include "aiadvise/catalog/catalog.hpp"
#include "aiadvise/check/terraform.hpp"
#include "aiadvise/util/json_document.hpp"
#include "aiadvise/workload/workload.hpp"

namespace aiadvise::check {

enum class Severity { pass = 0, warn = 1, fail = 2 };
std::string_view to_string(Severity s);

struct Finding {
  std::string rule;  ///< a catalog rule id (fit-memory, ...) or a check id (check-cost-ratio, ...)
  Severity severity = Severity::fail;
  std::string message;  ///< with the numbers compared
};

/// What the team chose.
struct Proposed {
  std::string cloud;     ///< optional; checked against the instance's cloud
  std::string instance;  ///< catalog id or cloud name ("ml." prefixes are accepted)
  int count = 0;         ///< 0: size the fleet to the targets
  std::string service;   ///< optional; default: the cloud's plain VM service
  std::string origin;    ///< "flags", "project", "terraform: <address>"
};

struct Options {
  double max_cost_ratio = 1.5;
  /// The cost finding also needs this absolute difference (USD per hour for serving, per run for
  /// training and batch jobs), so a 2x ratio on a few cents does not fail a pipeline.
  double min_cost_difference_usd = 0.5;
};

struct WorkloadCheck {
  std::string name;
  Proposed proposed;
  Severity verdict = Severity::pass;
  std::vector<Finding> findings;
  util::Json workload;       ///< normalised
  util::Json proposed_option;  ///< the proposed choice, estimated (null when it could not be)
  util::Json best;           ///< what aiadvise would pick (null when nothing is feasible)
};

WorkloadCheck check_workload(const std::string& name, const workload::Workload& w, const Proposed& proposed,
                             const catalog::Catalog& catalog, const Options& options);

/// The whole report, which every format renders.
util::Json check_report(const std::vector<WorkloadCheck>& checks, const std::vector<SkippedResource>& skipped,
                        const std::vector<std::string>& warnings, const Options& options, Severity fail_on);

/// One workload of a project file, with what the team proposed for it.
struct ProjectWorkload {
  std::string name;
  workload::Workload workload;
  std::optional<Proposed> proposed;
};

struct Project {
  std::vector<ProjectWorkload> workloads;
  std::map<std::string, std::string> terraform_resources;  ///< Terraform address -> workload name
};

/// Reads one workload entry ({name, workload, proposed}) at `at` in `doc`; `fallback_name` names an
/// entry without a name. Throws util::InputError listing every problem.
ProjectWorkload read_project_entry(const util::JsonDocument& doc, const std::string& at, const catalog::Catalog& catalog,
                                   const std::string& fallback_name = "");

/// Reads a project file (data/schema/project.schema.json). Throws util::InputError listing every
/// problem, each located in the file.
Project read_project(const util::JsonDocument& doc, const catalog::Catalog& catalog);

/// Renderers. The table fits `width` columns (0: no limit), wrapping findings at spaces.
std::string render_table(const util::Json& report, std::size_t width = 0);
std::string render_markdown(const util::Json& report);
std::string render_github(const util::Json& report);

}  // namespace aiadvise::check
