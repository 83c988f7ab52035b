#pragma once
// The workload flags shared by estimate, recommend and check.

#include <memory>
#include <string>
#include <vector>

#include "aiadvise/workload/workload.hpp"
#include "cli/context.hpp"

namespace aiadvise::cli {

struct WorkloadOptions {
  std::string workload_file;  ///< --workload FILE or "-"
  std::vector<std::pair<std::string, CLI::Option*>> options;  ///< key -> option
  std::vector<std::string> values;  ///< storage, one per option
};

/// Adds --workload and every workload flag to `app`.
void add_workload_options(CLI::App& app, WorkloadOptions& options);

/// The workload flags given on the command line.
workload::FlagValues workload_flags_given(const WorkloadOptions& options);

/// Reads --workload (if any) and the flags, and normalises against the catalog.
workload::Workload read_workload(const WorkloadOptions& options, const GlobalOptions& global,
                                 const catalog::Catalog& catalog);

}  // namespace aiadvise::cli
