#include "aiadvise/catalog/loader.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <cstdlib>
#include <deque>
#include <filesystem>
#include <functional>
#include <future>
#include <iterator>
#include <system_error>
#include <unordered_map>

#include "aiadvise/catalog/embedded.hpp"
#include "aiadvise/util/file_io.hpp"
#include "aiadvise/util/heap.hpp"
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
      util::add_diagnostic(m_diagnostics, doc, "",
                           fmt::format("expected an object of catalog sections ({}), got {}", util::join(all_sections(), ", "),
                                       util::describe_value(root)));
      return;
    }
    if (root.empty()) {
      util::add_diagnostic(m_diagnostics, doc, "",
                           fmt::format("a catalog file needs at least one section ({})", util::join(all_sections(), ", ")));
      return;
    }
    for (auto&& [section, value] : root.items()) {
      const std::string pointer = util::pointer_append("", section);
      if (section == "catalog") {
        add_meta(doc, value, pointer);
        continue;
      }
      if (std::find(list_sections().begin(), list_sections().end(), section) == list_sections().end()) {
        util::add_diagnostic(m_diagnostics, doc, pointer,
                             fmt::format("unknown catalog section '{}'{}", section, util::did_you_mean(section, all_sections())));
        continue;
      }
      if (!value.is_array()) {
        util::add_diagnostic(m_diagnostics, doc, pointer, fmt::format("expected an array of entries, got {}", util::describe_value(value)));
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
  void merge_fields(MergedEntry& target, const JsonDocument& doc, Json& entry, const std::string& pointer,
                    bool offers_by_region = false) const {
    const bool first = target.entry.document == &doc && target.entry.pointer == pointer;
    if (m_keep_origins) {
      for (const auto& item : entry.items()) {
        std::string& origin = target.origin.fields[item.key()];
        // Offers merge by region, so several files can share the field: name them all.
        if (offers_by_region && item.key() == "offers" && !origin.empty() && origin != doc.name() &&
            origin.find(", " + doc.name()) == std::string::npos) {
          origin += ", " + doc.name();
        } else if (!(offers_by_region && item.key() == "offers" && !origin.empty())) {
          origin = doc.name();
        }
      }
    }
    if (first && target.value.empty()) {
      target.value = std::move(entry);
      for (auto it = target.value.begin(); it != target.value.end();) {
        it = it->is_null() ? target.value.erase(it) : std::next(it);
      }
      return;
    }
    for (auto&& [key, field] : entry.items()) {
      if (key == "offers" && offers_by_region && field.is_array()) {
        merge_offers(target, doc, field, util::pointer_append(pointer, key), first);
        continue;
      }
      if (field.is_null()) {
        target.value.erase(key);
      } else {
        target.value[key] = std::move(field);
      }
      if (!first) target.fields[key] = Location{&doc, util::pointer_append(pointer, key)};
    }
  }

  // An instance's offers merge by region, so that two files pricing different regions of one
  // instance add up rather than replace each other; an offer for a region already there replaces
  // the fields it names (null erases one). Where each merged offer came from is kept under
  // "offers/<index>" for the diagnostics of the typed reader.
  void merge_offers(MergedEntry& target, const JsonDocument& doc, Json& incoming, const std::string& pointer, bool first) const {
    Json& merged = target.value["offers"];
    if (!merged.is_array()) merged = Json::array();
    // An offer is an object with "region", or the compact [region, ...].
    auto region_of = [](const Json& x) -> const std::string* {
      if (x.is_object()) {
        auto it = x.find("region");
        return it != x.end() && it->is_string() ? &it->get_ref<const std::string&>() : nullptr;
      }
      return x.is_array() && !x.empty() && x[0].is_string() ? &x[0].get_ref<const std::string&>() : nullptr;
    };
    // Where each region's offer is among the merged ones (an instance sold in every region has
    // dozens; a scan per incoming offer made merging a catalog of every region quadratic).
    std::unordered_map<std::string, std::size_t> index;
    index.reserve(merged.size() + incoming.size());
    for (std::size_t m = 0; m < merged.size(); ++m) {
      if (const std::string* region = region_of(merged[m])) index.emplace(*region, m);
    }
    for (std::size_t k = 0; k < incoming.size(); ++k) {
      Json& offer = incoming[k];
      std::size_t at = merged.size();
      if (const std::string* region = region_of(offer)) at = index.emplace(*region, at).first->second;
      if (at == merged.size()) {
        if (offer.is_object()) {
          for (auto it = offer.begin(); it != offer.end();) it = it->is_null() ? offer.erase(it) : std::next(it);
        }
        merged.push_back(std::move(offer));
      } else if (!offer.is_object() || !merged[at].is_object()) {
        merged[at] = std::move(offer);  // the compact form replaces the whole offer
      } else {
        for (auto&& [key, field] : offer.items()) {
          if (field.is_null()) merged[at].erase(key);
          else merged[at][key] = std::move(field);
        }
      }
      if (!first) target.fields["offers/" + std::to_string(at)] = Location{&doc, util::pointer_append(pointer, k)};
    }
  }

  void add_meta(const JsonDocument& doc, Json& value, const std::string& pointer) {
    if (!value.is_object()) {
      util::add_diagnostic(m_diagnostics, doc, pointer, fmt::format("expected an object, got {}", util::describe_value(value)));
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
      util::add_diagnostic(m_diagnostics, doc, pointer, fmt::format("expected an object, got {}", util::describe_value(entry)));
      return;
    }
    auto id_it = entry.find("id");
    if (id_it == entry.end() || id_it->is_null()) {
      util::add_diagnostic(m_diagnostics, doc, pointer, "missing required field 'id'");
      return;
    }
    if (!id_it->is_string() || !util::is_kebab_id(id_it->get<std::string>())) {
      util::add_diagnostic(
          m_diagnostics, doc, util::pointer_append(pointer, "id"),
          fmt::format("expected a kebab-case id (lower-case letters, digits, '-' and '.'; at most 64 characters), got {}",
                      util::describe_value(*id_it)));
      return;
    }
    const std::string id = id_it->get<std::string>();
    if (auto seen = seen_here.find(id); seen != seen_here.end()) {
      const auto first = doc.locate(seen->second);
      util::add_diagnostic(m_diagnostics, doc, util::pointer_append(pointer, "id"),
                           fmt::format("duplicate id '{}' in {} (first defined at line {}, column {})", id, section, first.line,
                                       first.column));
      return;
    }
    seen_here.emplace(id, pointer);
    auto& merged = m_sections[section];
    auto [it, inserted] = merged.try_emplace(id);
    if (inserted) {
      it->second.entry = Location{&doc, pointer};
      it->second.origin.file = doc.name();
    }
    merge_fields(it->second, doc, entry, pointer, section == "instances");
  }

  std::vector<Diagnostic>& m_diagnostics;
  bool m_keep_origins;
  std::map<std::string, std::map<std::string, MergedEntry>> m_sections;
  MergedEntry m_meta;
  bool m_has_meta = false;
};

// The documents parsed, in the order of `sources`, their diagnostics in that order too. Several
// large documents (a user catalog of every region is megabytes of JSON) are parsed at once, one
// thread each: parsing is most of loading them, and documents are independent until merged.
std::vector<JsonDocument> parse_all(const std::vector<SourceText>& sources, const util::JsonLimits& limits,
                                    std::vector<Diagnostic>& diagnostics) {
  constexpr std::size_t k_parallel_bytes = 1 << 20;  // below this in all, a thread costs more than it saves
  constexpr std::size_t k_heap_per_byte = 12;         // memory per byte of JSON, about (values of ~100 bytes, one per 8 bytes)
  std::size_t total = 0, user = 0;
  for (const auto& s : sources) {
    total += s.text.size();
    user += s.embedded ? 0 : s.text.size();
  }
  util::JsonLimits embedded_limits;
  embedded_limits.draw_from_budget = false;  // validated at build time; not the user's input
  auto parse = [&](std::size_t k, std::vector<Diagnostic>& out) {
    const auto& source = sources[k];
    return JsonDocument::parse(source.name, source.text, source.embedded ? embedded_limits : limits, out);
  };
  std::vector<JsonDocument> docs;
  docs.reserve(sources.size());
  auto one_after_another = [&] {
    docs.clear();
    for (std::size_t k = 0; k < sources.size(); ++k) docs.push_back(parse(k, diagnostics));
    return std::move(docs);
  };
  if (user >= k_parallel_bytes) util::prepare_heap(total * k_heap_per_byte);  // not for the embedded catalog alone
  if (sources.size() < 2 || total < k_parallel_bytes) return one_after_another();
  // Documents that draw from the run's input budget (util::InputBudget, one for all inputs) are
  // parsed at once too, each capped at its share of the values left, in proportion to its bytes;
  // together they are charged afterwards. A document that reaches its share is parsed again, with
  // all the others, one after the other against the budget itself, so that what is accepted and
  // what is reported (which file crossed the budget, where) never depends on the threads.
  util::InputBudget* budget = limits.draw_from_budget ? util::InputBudget::current() : nullptr;
  std::vector<util::JsonLimits> own(sources.size(), limits);
  if (budget) {
    const double left = static_cast<double>(budget->values_left());
    double charged = 0;
    for (const auto& s : sources) charged += s.embedded ? 0 : static_cast<double>(s.text.size());
    for (std::size_t k = 0; k < sources.size(); ++k) {
      if (sources[k].embedded) continue;  // parsed with embedded_limits
      own[k].draw_from_budget = false;
      const double share = charged > 0 ? left * (static_cast<double>(sources[k].text.size()) / charged) : left;
      own[k].max_values = static_cast<std::size_t>(std::min(left, share));
    }
  }
  auto parse_own = [&](std::size_t k, std::vector<Diagnostic>& out) {
    const auto& source = sources[k];
    return JsonDocument::parse(source.name, source.text, source.embedded ? embedded_limits : own[k], out);
  };
  std::vector<std::vector<Diagnostic>> found(sources.size());
  std::vector<std::future<JsonDocument>> pending;
  for (std::size_t k = 1; k < sources.size(); ++k) {
    try {
      pending.push_back(std::async(std::launch::async, parse_own, k, std::ref(found[k])));
    } catch (const std::system_error&) {
      pending.push_back(std::async(std::launch::deferred, parse_own, k, std::ref(found[k])));  // no thread to be had
    }
  }
  docs.push_back(parse_own(0, found[0]));
  for (auto& f : pending) docs.push_back(f.get());  // rethrows what a parse threw
  if (budget) {
    std::size_t values = 0;
    bool capped = false;
    for (std::size_t k = 0; k < docs.size(); ++k) {
      if (sources[k].embedded) continue;
      values += docs[k].values();
      capped = capped || docs[k].over_value_cap();
    }
    if (capped || !budget->take_values(values)) return one_after_another();
  }
  for (auto& d : found) diagnostics.insert(diagnostics.end(), std::make_move_iterator(d.begin()), std::make_move_iterator(d.end()));
  return docs;
}

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
    std::vector<Diagnostic> problems;
    for (const auto& entry : fs::directory_iterator(path, ec)) {
      if (entry.path().extension() != ".json") continue;
      std::error_code kind_ec;
      if (entry.is_directory(kind_ec)) continue;
      // NOTE: a name that is not UTF-8 could not be shown in JSON output (`catalog validate`'s
      // "files"); it is refused rather than read under another name.
      if (!util::is_valid_utf8(entry.path().string())) {
        util::add_diagnostic(problems, Diagnostic{util::escape_for_terminal(entry.path().string()), 0, 0, "",
                                                  "file name is not valid UTF-8 text: rename the file"});
        continue;
      }
      files.push_back(entry.path().string());
    }
    if (!problems.empty()) throw util::InputError(std::move(problems));
    if (ec) {
      throw util::InputError(std::vector<Diagnostic>{Diagnostic{path, 0, 0, "", "cannot read directory: " + ec.message()}});
    }
    if (files.empty()) {
      throw util::InputError(std::vector<Diagnostic>{Diagnostic{path, 0, 0, "", "directory holds no *.json catalog file"}});
    }
    std::sort(files.begin(), files.end());
    std::vector<SourceText> out;
    for (const auto& f : files) out.push_back(SourceText{f, util::read_input(f, limits.max_bytes, util::InputKind::regular)});
    return out;
  }
  // A catalog is read implicitly (from a config file or $AIADVISE_CATALOG too): a regular file, or
  // standard input when named "-".
  std::vector<SourceText> out;  // not `return {SourceText{...}}`: an initializer list copies its elements
  out.push_back(SourceText{util::display_name(path), util::read_input(path, limits.max_bytes, util::InputKind::regular)});
  return out;
}

Catalog load_catalog_texts(const std::vector<SourceText>& sources, const util::JsonLimits& limits, bool keep_json) {
  std::vector<Diagnostic> diagnostics;
  std::deque<JsonDocument> documents;
  for (auto& doc : parse_all(sources, limits, diagnostics)) {
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
      util::add_diagnostics(read_problems, e.diagnostics());
    }
  }
  if (!read_problems.empty()) throw util::InputError(std::move(read_problems));
  return load_catalog_texts(sources, options.limits, options.keep_json);
}

}  // namespace aiadvise::catalog
