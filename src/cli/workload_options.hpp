#pragma once
// The workload flags shared by estimate, recommend and check.

#include <list>
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

/// `flags` plus the configured workload defaults (cloud, region, spot from global.config) that
/// neither the flags nor `workload` (the workload's JSON object; may be null) set. `notes`, if
/// given, receives one "assumed" line per default applied.
workload::FlagValues with_config_defaults(const workload::FlagValues& flags, const util::Json* workload,
                                          const GlobalOptions& global, std::vector<std::string>* notes = nullptr);

/// A model described by files (model_config, or a Hugging Face name in the local cache that the
/// catalog does not have) is read and added to `catalog`, and `flags` then name it; `notes`
/// receives what was read, for `assumed`. Nothing happens for a catalog model. Returns whether
/// `catalog` changed.
bool add_local_model(const util::Json* workload, workload::FlagValues& flags, const GlobalOptions& global,
                     catalog::Catalog& catalog, std::vector<std::string>& notes);

/// Normalises `doc` (may be null) with `flags` and the configured defaults, which are listed in
/// the workload's `assumed` like the built-in ones. A model from files is added to `catalog` first.
workload::Workload normalise_with_config(const util::JsonDocument* doc, const workload::FlagValues& flags,
                                         const GlobalOptions& global, catalog::Catalog& catalog);

/// The catalogs a batch run answers its lines against, so that each line is answered as it would be
/// alone: a line whose model is read from files (model_config, or the Hugging Face cache) gets the
/// run's catalog with that model added, and no other line sees it.
class LineCatalogs {
 public:
  /// Catalogs with a model from files kept for later lines that read an equal model (each about
  /// the size of the run's catalog: a few MB).
  static constexpr std::size_t k_kept = 4;

  explicit LineCatalogs(const catalog::Catalog& run) : m_run(run) {}
  LineCatalogs(const LineCatalogs&) = delete;
  LineCatalogs& operator=(const LineCatalogs&) = delete;

  /// `line` normalised as normalise_with_config does; `*catalog` is set to the catalog to answer it
  /// against: the run's, or one with the line's model, valid until the next call.
  workload::Workload normalise(const util::JsonDocument& line, const workload::FlagValues& flags, const GlobalOptions& global,
                               const catalog::Catalog** catalog);

 private:
  struct Local {
    catalog::Model model;                      ///< the model read from files
    std::unique_ptr<catalog::Catalog> catalog;  ///< the run's catalog with `model`
  };
  const catalog::Catalog& m_run;
  std::list<Local> m_local;  ///< the most recently used first, at most k_kept
};

/// Reads --workload (if any) and the flags, and normalises against the catalog. The configured
/// workload defaults apply where both lack a field: default < config < workload file < flag.
workload::Workload read_workload(const WorkloadOptions& options, const GlobalOptions& global,
                                 catalog::Catalog& catalog);

}  // namespace aiadvise::cli
