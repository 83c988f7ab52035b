#include "cli/workload_options.hpp"

#include <CLI/CLI.hpp>
#include <fmt/format.h>

#include <algorithm>
#include <optional>

#include "aiadvise/models/local.hpp"
#include "aiadvise/models/names.hpp"
#include "aiadvise/util/file_io.hpp"
#include "aiadvise/util/text.hpp"

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

workload::FlagValues with_config_defaults(const workload::FlagValues& flags, const util::Json* workload,
                                          const GlobalOptions& global, std::vector<std::string>* notes) {
  workload::FlagValues out = flags;
  const Config& config = global.config;
  auto lacks = [&](const char* key) {
    return !flags.count(key) && !(workload && workload->is_object() && workload->contains(key) && !workload->at(key).is_null());
  };
  auto note = [&](const std::string& setting, const std::string& value) {
    if (!notes) return;
    auto it = config.sources.find(setting);
    const std::string from = it != config.sources.end() ? it->second.describe() : "config";
    notes->push_back(fmt::format("{}: {} (from {})", setting, value, from));
  };
  if (!config.cloud.empty() && lacks("cloud")) {
    out["cloud"] = util::join(config.cloud, ",");
    note("cloud", util::join(config.cloud, ", "));
  }
  if (config.region && lacks("region")) {
    out["region"] = *config.region;
    note("region", *config.region);
  }
  if (config.spot && lacks("spot")) {
    out["spot"] = "true";
    note("spot", "true");
  }
  return out;
}

namespace {

// The model a workload describes by files (model_config, or a Hugging Face name in the local cache
// that `catalog` does not have), read, with `flags` then naming it; nothing for a catalog model.
std::optional<models::LocalModel> read_files_model(const util::Json* workload, workload::FlagValues& flags,
                                                   const GlobalOptions& global, const catalog::Catalog& catalog) {
  auto field = [&](const char* key) -> std::optional<std::string> {
    if (auto it = flags.find(key); it != flags.end()) return it->second;
    if (workload && workload->is_object() && workload->contains(key) && (*workload)[key].is_string()) return (*workload)[key].get<std::string>();
    return std::nullopt;
  };
  const auto config = field("model_config");
  const auto name = field("model");
  models::LocalModel local;
  if (config) {
    local = models::read_local_model(*config, name.value_or(""), global.limits());
  } else if (name && name->find('/') != std::string::npos && !models::match_catalog_model(*name, catalog)) {
    // NOTE: a Hugging Face name the catalog maps is answered from the catalog (sourced, with API
    // prices); the cache is for the others. --model-config reads local files for any model.
    const auto snapshot = models::find_in_hf_cache(*name);
    if (!snapshot) return std::nullopt;
    local = models::read_local_model(snapshot->string(), *name, global.limits());
    local.assumed.front() += " (from the Hugging Face cache)";
  } else {
    return std::nullopt;
  }
  flags["model"] = local.model.id;
  return local;
}

// `model` added to `catalog`, in place of one of the same id if there is one.
void add_model(catalog::Catalog& catalog, catalog::Model model) {
  const auto at = std::lower_bound(catalog.models.begin(), catalog.models.end(), model.id,
                                   [](const catalog::Model& m, const std::string& id) { return m.id < id; });
  if (at != catalog.models.end() && at->id == model.id) *at = std::move(model);
  else catalog.models.insert(at, std::move(model));
  catalog.index();
}

// normalise_with_config once the model is known: `model_notes` say what was read about it.
workload::Workload normalise_given(const util::JsonDocument* doc, const workload::FlagValues& given,
                                   std::vector<std::string> model_notes, const GlobalOptions& global,
                                   const catalog::Catalog& catalog) {
  std::vector<std::string> notes;
  workload::Workload w =
      workload::normalise(doc, with_config_defaults(given, doc ? &doc->value() : nullptr, global, &notes), catalog);
  auto known = [&w](const std::string& n) { return std::find(w.assumed.begin(), w.assumed.end(), n) != w.assumed.end(); };
  // What was read about the model first; then which defaults came from the configuration, like
  // the built-in ones.
  std::vector<std::string> first;
  for (auto& n : model_notes) {
    if (!known(n)) first.push_back(std::move(n));
  }
  w.assumed.insert(w.assumed.begin(), first.begin(), first.end());
  for (auto& n : notes) {
    if (!known(n)) w.assumed.push_back(std::move(n));
  }
  return w;
}

}  // namespace

bool add_local_model(const util::Json* workload, workload::FlagValues& flags, const GlobalOptions& global,
                     catalog::Catalog& catalog, std::vector<std::string>& notes) {
  std::optional<models::LocalModel> local = read_files_model(workload, flags, global, catalog);
  if (!local) return false;
  add_model(catalog, std::move(local->model));
  notes.insert(notes.end(), local->assumed.begin(), local->assumed.end());
  return true;
}

workload::Workload normalise_with_config(const util::JsonDocument* doc, const workload::FlagValues& flags,
                                         const GlobalOptions& global, catalog::Catalog& catalog) {
  std::vector<std::string> model_notes;
  workload::FlagValues given = flags;
  add_local_model(doc ? &doc->value() : nullptr, given, global, catalog, model_notes);
  return normalise_given(doc, given, std::move(model_notes), global, catalog);
}

workload::Workload LineCatalogs::normalise(const util::JsonDocument& line, const workload::FlagValues& flags,
                                           const GlobalOptions& global, const catalog::Catalog** catalog) {
  workload::FlagValues given = flags;
  std::optional<models::LocalModel> local = read_files_model(&line.value(), given, global, m_run);
  if (!local) {
    *catalog = &m_run;
    return normalise_given(&line, given, {}, global, m_run);
  }
  // NOTE: a line answers as it would alone, so its model goes into a copy of the run's catalog,
  // never into the run's own: added there, it would be what a later line naming the same id (or
  // the same Hugging Face name, then found in the catalog and no longer read) gets. Only lines
  // with such a model pay for a copy (a few MB, and decisions made afresh for its new generation),
  // and the last few copies are kept for lines that read an equal model again, so such a line keeps
  // its catalog, its generation and so what the memo and the output cache kept for it. Changing the run's catalog and undoing it
  // after the line would instead give it a new generation each time (everything kept for the
  // other lines forgotten), and the undo would have to be exact.
  auto it = std::find_if(m_local.begin(), m_local.end(), [&](const Local& l) { return l.model == local->model; });
  if (it != m_local.end()) {
    m_local.splice(m_local.begin(), m_local, it);
  } else {
    std::unique_ptr<catalog::Catalog> copy;
    if (m_local.size() >= k_kept) {
      copy = std::move(m_local.back().catalog);  // its storage reused
      m_local.pop_back();
    } else {
      copy = std::make_unique<catalog::Catalog>();
    }
    static_cast<catalog::CatalogData&>(*copy) = m_run;
    add_model(*copy, local->model);  // indexes: a new generation
    m_local.push_front(Local{std::move(local->model), std::move(copy)});
  }
  *catalog = m_local.front().catalog.get();
  return normalise_given(&line, given, std::move(local->assumed), global, **catalog);
}

workload::Workload read_workload(const WorkloadOptions& options, const GlobalOptions& global,
                                 catalog::Catalog& catalog) {
  const workload::FlagValues given = workload_flags_given(options);
  if (options.workload_file.empty()) return normalise_with_config(nullptr, given, global, catalog);
  std::vector<util::Diagnostic> diagnostics;
  const auto doc = util::JsonDocument::parse(util::display_name(options.workload_file),
                                             util::read_input(options.workload_file, global.max_input_bytes),
                                             global.limits(), diagnostics);
  if (!doc.ok()) throw util::InputError(std::move(diagnostics));
  return normalise_with_config(&doc, given, global, catalog);
}

}  // namespace aiadvise::cli
