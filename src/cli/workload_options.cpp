#include "cli/workload_options.hpp"

#include <CLI/CLI.hpp>

#include "aiadvise/util/file_io.hpp"

namespace aiadvise::cli {

void add_workload_options(CLI::App& app, WorkloadOptions& options) {
  app.add_option("--workload", options.workload_file, "Workload as JSON (a file, or - for stdin); flags override its fields")
      ->type_name("FILE");
  const auto& flags = workload::workload_flags();
  options.values.resize(flags.size());
  options.options.reserve(flags.size());
  for (std::size_t i = 0; i < flags.size(); ++i) {
    const auto& f = flags[i];
    std::string key = std::string(f.name).substr(2);
    std::replace(key.begin(), key.end(), '-', '_');
    CLI::Option* opt = nullptr;
    if (f.type_name[0] == '\0') {
      opt = app.add_flag(f.name, f.help);
    } else {
      opt = app.add_option(f.name, options.values[i], f.help)->type_name(f.type_name);
    }
    opt->group("Workload");
    options.options.emplace_back(key, opt);
  }
}

workload::FlagValues workload_flags_given(const WorkloadOptions& options) {
  workload::FlagValues flags;
  for (std::size_t i = 0; i < options.options.size(); ++i) {
    const auto& [key, opt] = options.options[i];
    if (opt->count() > 0) flags[key] = options.values[i];
  }
  return flags;
}

workload::Workload read_workload(const WorkloadOptions& options, const GlobalOptions& global,
                                 const catalog::Catalog& catalog) {
  const workload::FlagValues flags = workload_flags_given(options);
  if (options.workload_file.empty()) return workload::normalise(nullptr, flags, catalog);
  std::vector<util::Diagnostic> diagnostics;
  const auto doc = util::JsonDocument::parse(util::display_name(options.workload_file),
                                             util::read_input(options.workload_file, global.max_input_bytes),
                                             global.limits(), diagnostics);
  if (!doc.ok()) throw util::InputError(std::move(diagnostics));
  return workload::normalise(&doc, flags, catalog);
}

}  // namespace aiadvise::cli
