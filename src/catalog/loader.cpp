#include "aiadvise/catalog/loader.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <cstdlib>
#include <deque>
#include <filesystem>

#include "aiadvise/catalog/embedded.hpp"
#include "aiadvise/util/file_io.hpp"
#include "aiadvise/util/json_reader.hpp"
#include "aiadvise/util/text.hpp"
#include "catalog/entries.hpp"

namespace aiadvise::catalog {

using util::Diagnostic;
using util::Json;
using util::JsonDocument;
using util::Location;

namespace {

const std::vector<std::string>& list_sections() {
  static const std::vector<std::string> sections{"families", "models", "hardware", "instances", "services", "rules", "factors"};
  return sections;
}

struct MergedEntry {
  Json value = Json::object();
  Location entry;                           ///< where the id was first defined
  std::map<std::string, Location> fields;   ///< where each field's current value is
  EntryOrigin origin;
};

class Merger {
 public:
  Merger(std::vector<Diagnostic>& diagnostics, bool keep_origins) : m_diagnostics(diagnostics), m_keep_origins(keep_origins) {}

  /// Takes the document's values over (moved, not copied); the document keeps its text for locating.
  void add_document(JsonDocument& doc) {
    Json& root = doc.mutable_value();
    if (!root.is_object()) {
      m_diagnostics.push_back(doc.diagnostic("", fmt::format("expected an object of catalog sections ({}), got {}",
                                                             util::join(all_sections(), ", "),
                                                             util::describe_value(root))));
      return;
    }
    if (root.empty()) {
      m_diagnostics.push_back(doc.diagnostic("", fmt::format("a catalog file needs at least one section ({})",
                                                             util::join(all_sections(), ", "))));
      return;
    }
    for (auto&& [section, value] : root.items()) {
      const std::string pointer = util::pointer_append("", section);
      if (section == "catalog") {
        add_meta(doc, value, pointer);
        continue;
      }
      if (std::find(list_sections().begin(), list_sections().end(), section) == list_sections().end()) {
        m_diagnostics.push_back(doc.diagnostic(pointer, fmt::format("unknown catalog section '{}'{}", section,
                                                                    util::did_you_mean(section, all_sections()))));
        continue;
      }
      if (!value.is_array()) {
        m_diagnostics.push_back(doc.diagnostic(pointer, fmt::format("expected an array of entries, got {}",
                                                                    util::describe_value(value))));
        continue;
      }
      std::map<std::string, std::string> seen_here;  // id -> pointer, to name the first definition
      for (std::size_t i = 0; i < value.size(); ++i) {
        add_entry(doc, section, value[i], util::pointer_append(pointer, i), seen_here);
      }
    }
  }

  std::map<std::string, std::map<std::string, MergedEntry>>& sections() { return m_sections; }
  MergedEntry& meta() { return m_meta; }
  bool has_meta() const { return m_has_meta; }

 private:
  static const std::vector<std::string>& all_sections() {
    static const std::vector<std::string> all = [] {
      auto s = list_sections();
      s.insert(s.begin(), "catalog");
      return s;
    }();
    return all;
  }

  // Fields replace whole (objects too), so each field has exactly one origin to report. Where the
  // entry was first defined, a field's location is found from the entry's (EntryReaders), so only
  // fields set by a later file are recorded in `fields`.
  void merge_fields(MergedEntry& target, const JsonDocument& doc, Json& entry, const std::string& pointer) const {
    const bool first = target.entry.document == &doc && target.entry.pointer == pointer;
    if (m_keep_origins) {
      for (const auto& item : entry.items()) target.origin.fields[item.key()] = doc.name();
    }
    if (first && target.value.empty()) {
      target.value = std::move(entry);
      for (auto it = target.value.begin(); it != target.value.end();) {
        it = it->is_null() ? target.value.erase(it) : std::next(it);
      }
      return;
    }
    for (auto&& [key, field] : entry.items()) {
      if (field.is_null()) {
        target.value.erase(key);
      } else {
        target.value[key] = std::move(field);
      }
      if (!first) target.fields[key] = Location{&doc, util::pointer_append(pointer, key)};
    }
  }

  void add_meta(const JsonDocument& doc, Json& value, const std::string& pointer) {
    if (!value.is_object()) {
      m_diagnostics.push_back(doc.diagnostic(pointer, fmt::format("expected an object, got {}", util::describe_value(value))));
      return;
    }
    if (!m_has_meta) {
      m_meta.entry = Location{&doc, pointer};
      m_meta.origin.file = doc.name();
      m_has_meta = true;
    }
    merge_fields(m_meta, doc, value, pointer);
  }

  void add_entry(const JsonDocument& doc, const std::string& section, Json& entry, const std::string& pointer,
                 std::map<std::string, std::string>& seen_here) {
    if (!entry.is_object()) {
      m_diagnostics.push_back(doc.diagnostic(pointer, fmt::format("expected an object, got {}", util::describe_value(entry))));
      return;
    }
    auto id_it = entry.find("id");
    if (id_it == entry.end() || id_it->is_null()) {
      m_diagnostics.push_back(doc.diagnostic(pointer, "missing required field 'id'"));
      return;
    }
    if (!id_it->is_string() || !util::is_kebab_id(id_it->get<std::string>())) {
      m_diagnostics.push_back(doc.diagnostic(
          util::pointer_append(pointer, "id"),
          fmt::format("expected a kebab-case id (lower-case letters, digits, '-' and '.'; at most 64 characters), got {}",
                      util::describe_value(*id_it))));
      return;
    }
    const std::string id = id_it->get<std::string>();
    if (auto seen = seen_here.find(id); seen != seen_here.end()) {
      const auto first = doc.locate(seen->second);
      m_diagnostics.push_back(doc.diagnostic(util::pointer_append(pointer, "id"),
                                             fmt::format("duplicate id '{}' in {} (first defined at line {}, column {})",
                                                         id, section, first.line, first.column)));
      return;
    }
    seen_here.emplace(id, pointer);
    auto& merged = m_sections[section];
    auto [it, inserted] = merged.try_emplace(id);
    if (inserted) {
      it->second.entry = Location{&doc, pointer};
      it->second.origin.file = doc.name();
    }
    merge_fields(it->second, doc, entry, pointer);
  }

  std::vector<Diagnostic>& m_diagnostics;
  bool m_keep_origins;
  std::map<std::string, std::map<std::string, MergedEntry>> m_sections;
  MergedEntry m_meta;
  bool m_has_meta = false;
};

template <typename T>
void sort_by_id(std::vector<T>& items) {
  const auto by_id = [](const T& a, const T& b) { return a.id < b.id; };
  if (!std::is_sorted(items.begin(), items.end(), by_id)) std::sort(items.begin(), items.end(), by_id);  // merged in id order already
}

}  // namespace

std::vector<SourceText> embedded_sources() {
  std::vector<SourceText> out;
  for (const auto& file : embedded_catalog_files()) out.push_back(SourceText{std::string(file.name), std::string(file.text), true});
  return out;
}

std::vector<SourceText> read_catalog_path(const std::string& path, const util::JsonLimits& limits) {
  namespace fs = std::filesystem;
  std::error_code ec;
  if (path != "-" && fs::is_directory(path, ec)) {
    std::vector<std::string> files;
    for (const auto& entry : fs::directory_iterator(path, ec)) {
      if (entry.path().extension() == ".json" && !entry.is_directory()) files.push_back(entry.path().string());
    }
    if (ec) {
      throw util::InputError(std::vector<Diagnostic>{Diagnostic{path, 0, 0, "", "cannot read directory: " + ec.message()}});
    }
    if (files.empty()) {
      throw util::InputError(std::vector<Diagnostic>{Diagnostic{path, 0, 0, "", "directory holds no *.json catalog file"}});
    }
    std::sort(files.begin(), files.end());
    std::vector<SourceText> out;
    for (const auto& f : files) out.push_back(SourceText{f, util::read_input(f, limits.max_bytes)});
    return out;
  }
  return {SourceText{util::display_name(path), util::read_input(path, limits.max_bytes)}};
}

Catalog load_catalog_texts(const std::vector<SourceText>& sources, const util::JsonLimits& limits, bool keep_json) {
  std::vector<Diagnostic> diagnostics;
  std::deque<JsonDocument> documents;
  for (const auto& source : sources) {
    JsonDocument doc = JsonDocument::parse(source.name, source.text, source.embedded ? util::JsonLimits{} : limits, diagnostics);
    if (doc.ok()) documents.push_back(std::move(doc));
  }

  Merger merger(diagnostics, keep_json);
  for (auto& doc : documents) merger.add_document(doc);

  Catalog catalog;
  for (const auto& source : sources) catalog.files.push_back(source.name);

  EntryReaders readers(diagnostics);
  if (merger.has_meta()) {
    auto& m = merger.meta();
    catalog.meta = readers.meta(m.value, m.entry, m.fields);
    if (keep_json) {
      catalog.raw["catalog"]["catalog"] = m.value;
      catalog.origins["catalog"]["catalog"] = m.origin;
    }
  }
  for (auto& [section, entries] : merger.sections()) {
    for (auto& [id, entry] : entries) {
      if (section == "families") catalog.families.push_back(readers.family(entry.value, entry.entry, entry.fields));
      else if (section == "models") catalog.models.push_back(readers.model(entry.value, entry.entry, entry.fields));
      else if (section == "hardware") catalog.hardware.push_back(readers.hardware(entry.value, entry.entry, entry.fields));
      else if (section == "instances") catalog.instances.push_back(readers.instance(entry.value, entry.entry, entry.fields));
      else if (section == "services") catalog.services.push_back(readers.service(entry.value, entry.entry, entry.fields));
      else if (section == "rules") catalog.rules.push_back(readers.rule(entry.value, entry.entry, entry.fields));
      else if (section == "factors") catalog.factors.push_back(readers.factor(entry.value, entry.entry, entry.fields));
    }
  }
  sort_by_id(catalog.families);
  sort_by_id(catalog.models);
  sort_by_id(catalog.hardware);
  sort_by_id(catalog.instances);
  sort_by_id(catalog.services);
  sort_by_id(catalog.factors);
  catalog.index();

  // Cross-references need the whole merged catalog.
  for (auto& [section, entries] : merger.sections()) {
    for (auto& [id, entry] : entries) readers.check_references(catalog, section, entry.value, entry.entry, entry.fields);
  }
  if (keep_json) {
    for (auto& [section, entries] : merger.sections()) {
      auto& raw = catalog.raw[section];
      auto& origins = catalog.origins[section];
      for (auto& [id, entry] : entries) {
        raw.emplace_hint(raw.end(), id, std::move(entry.value));
        origins.emplace_hint(origins.end(), id, std::move(entry.origin));
      }
    }
  }

  if (!diagnostics.empty()) {
    // Deterministic order: by file as given, then position.
    std::map<std::string, std::size_t> file_order;
    for (std::size_t i = 0; i < sources.size(); ++i) file_order.try_emplace(sources[i].name, i);
    std::stable_sort(diagnostics.begin(), diagnostics.end(), [&](const Diagnostic& a, const Diagnostic& b) {
      const auto fa = file_order.count(a.file) ? file_order[a.file] : sources.size();
      const auto fb = file_order.count(b.file) ? file_order[b.file] : sources.size();
      return std::tie(fa, a.line, a.column) < std::tie(fb, b.line, b.column);
    });
    throw util::InputError(std::move(diagnostics));
  }
  return catalog;
}

Catalog load_catalog(const LoadOptions& options) {
  std::vector<SourceText> sources;
  if (options.include_embedded) sources = embedded_sources();
  std::vector<Diagnostic> read_problems;
  for (const auto& path : options.paths) {
    try {
      auto more = read_catalog_path(path, options.limits);
      sources.insert(sources.end(), std::make_move_iterator(more.begin()), std::make_move_iterator(more.end()));
    } catch (const util::InputError& e) {
      read_problems.insert(read_problems.end(), e.diagnostics().begin(), e.diagnostics().end());
    }
  }
  if (!read_problems.empty()) throw util::InputError(std::move(read_problems));
  return load_catalog_texts(sources, options.limits, options.keep_json);
}

}  // namespace aiadvise::catalog
