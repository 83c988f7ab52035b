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
  std::vector<std::string> assumptions;  ///< defaults the plan left to the provider, each with its source
  std::vector<std::string> notes;        ///< what the plan reader noted (counts, scaling, why a type is unknown)
};

/// A place in a file that a finding points at: the project file's workload entry or mapping, or
/// the plan's values of a resource.
struct SourceLocation {
  std::string file;     ///< as the user gave it
  int line = 0;
  int column = 0;
  std::string pointer;  ///< JSON pointer in that file
  std::string what;     ///< "workload entry", "terraform.resources mapping", "plan values"
};

struct Options {
  double max_cost_ratio = 1.5;
  /// The cost finding also needs this absolute difference (USD per hour for serving, per run for
  /// training and batch jobs), so a 2x ratio on a few cents does not fail a pipeline.
  double min_cost_difference_usd = 0.5;
};

struct WorkloadCheck {
  std::string name;
  std::string workload;  ///< the project's workload name ("workload" for flags)
  std::string address;   ///< Terraform address (with its part), "" when not from a plan
  std::vector<SourceLocation> locations;  ///< most specific first
  Proposed proposed;
  Severity verdict = Severity::pass;
  std::vector<Finding> findings;
  util::Json workload_spec;  ///< the workload, normalised
  util::Json proposed_option;  ///< the proposed choice, estimated (null when it could not be)
  util::Json best;           ///< what aiadvise would pick (null when nothing is feasible)
};

WorkloadCheck check_workload(const std::string& name, const workload::Workload& w, const Proposed& proposed,
                             const catalog::Catalog& catalog, const Options& options);

/// The whole report, which every format renders. With a catalog, the report also describes each
/// rule that fired (SARIF's rule metadata).
util::Json check_report(const std::vector<WorkloadCheck>& checks, const std::vector<SkippedResource>& skipped,
                        const std::vector<std::string>& warnings, const Options& options, Severity fail_on,
                        const catalog::Catalog* catalog = nullptr);

/// One line describing each check-* finding id, for `rules`-like listings and SARIF.
const std::map<std::string, std::string>& check_rule_descriptions();

/// Compares a report with an earlier one (`check --baseline PREVIOUS.json`): findings new,
/// resolved and unchanged (by workload and rule), workloads added and removed, and the proposed
/// cost before and after. Adds it to `report` as "baseline". Throws util::InputError when
/// `previous` is not a check report.
void compare_with_baseline(util::Json& report, const util::JsonDocument& previous);

/// One workload of a project file, with what the team proposed for it.
struct ProjectWorkload {
  std::string name;
  workload::Workload workload;
  std::optional<Proposed> proposed;
  SourceLocation location;  ///< the entry in the project file
};

struct Project {
  std::string file;
  std::vector<ProjectWorkload> workloads;
  std::map<std::string, std::string> terraform_resources;  ///< Terraform address (as in configuration) -> workload name
  std::map<std::string, SourceLocation> terraform_locations;  ///< the same keys -> where the mapping is written
};

/// Reads one workload entry ({name, workload, proposed}) at `at` in `doc`; `fallback_name` names an
/// entry without a name. Throws util::InputError listing every problem.
ProjectWorkload read_project_entry(const util::JsonDocument& doc, const std::string& at, const catalog::Catalog& catalog,
                                   const std::string& fallback_name = "");

/// Reads a project file (data/schema/project.schema.json). Throws util::InputError listing every
/// problem, each located in the file.
Project read_project(const util::JsonDocument& doc, const catalog::Catalog& catalog);

/// Holds each planned resource against the workload its mapping or tag names. Appends one check
/// per resource to `checks` and what is not checked to `skipped` (with its kind) and `warnings`.
/// Throws util::InputError, located in the project file, for every terraform.resources key that
/// names no resource in the plan (with a "did you mean" over the plan's addresses).
void check_terraform_plan(const TerraformPlan& plan, const Project& project, const catalog::Catalog& catalog, const Options& options,
                          std::vector<WorkloadCheck>& checks, std::vector<SkippedResource>& skipped, std::vector<std::string>& warnings);

/// Renderers. The table fits `width` columns (0: no limit), wrapping findings at spaces; `verbose`
/// lists every skipped resource (otherwise they are counted by reason).
std::string render_table(const util::Json& report, std::size_t width = 0, bool verbose = false);
std::string render_markdown(const util::Json& report);
std::string render_github(const util::Json& report, bool verbose = false);
/// SARIF 2.1.0 for code scanning: one result per finding, located at the workload's entry.
std::string render_sarif(const util::Json& report);
/// JUnit XML: one test case per workload, failing when a finding is at or above --fail-on.
std::string render_junit(const util::Json& report);

}  // namespace aiadvise::check
