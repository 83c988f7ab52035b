// `aiadvise catalog list|show|validate|import`: browse, check and extend the catalog.

#include <CLI/CLI.hpp>
#include <fmt/format.h>

#include <algorithm>
#include <cstdlib>
#include <ctime>
#include <filesystem>
#include <memory>

#include "aiadvise/catalog/loader.hpp"
#include "aiadvise/catalog/offers.hpp"
#include "aiadvise/catalog/skypilot.hpp"
#include "aiadvise/cli/exit_codes.hpp"
#include "aiadvise/render/json.hpp"
#include "aiadvise/util/atomic_file.hpp"
#include "aiadvise/util/diagnostics.hpp"
#include "aiadvise/util/file_io.hpp"
#include "aiadvise/util/json_reader.hpp"
#include "aiadvise/util/table.hpp"
#include "aiadvise/util/text.hpp"
#include "cli/context.hpp"

namespace aiadvise::cli {

namespace {

// A string member of a rule, or "" (Json::value's template, inlined here, drew a false
// -Wnull-dereference from g++ 12).
std::string string_member(const util::Json& object, const char* key) {
  const auto it = object.find(key);
  return it != object.end() && it->is_string() ? it->get_ref<const std::string&>() : std::string();
}

using catalog::Catalog;
using catalog::ComputeKind;
using util::Json;

struct ListOptions {
  std::string kind;
  std::string format = "table";
  std::vector<std::string> clouds;
  std::string accelerator;
  double min_accelerator_memory_gib = 0;
  double max_price = 0;
  std::string vcpus;
  std::string compute;
  std::string region;
};

struct ShowOptions {
  std::string id;
  std::string format = "table";
  bool origin = false;
};

struct ValidateOptions {
  std::vector<std::string> paths;
  std::string format = "table";
};

struct ImportOptions {
  std::string source;  ///< the format: skypilot
  std::string file;
  std::string cloud;
  std::string region;
  std::string as_of;
  std::string output;
  std::string format = "table";
  bool strict = false;
};

const std::vector<std::string> k_list_kinds{"families", "models", "hardware", "gpus", "accelerators", "cpus",
                                            "instances", "services", "rules"};

std::string num(std::optional<double> v, const char* spec = "{:g}") {
  return v ? fmt::format(fmt::runtime(spec), *v) : "unknown";
}

// "8", "4-16", "8-", "-16": an inclusive range.
std::pair<double, double> parse_range(const std::string& text) {
  auto fail = [&] {
    throw util::InputError(std::vector<util::Diagnostic>{
        util::Diagnostic{"", 0, 0, "", fmt::format("--vcpus: expected N, MIN-MAX, MIN- or -MAX, got '{}'",
                                                   util::escape_for_terminal(text))}});
  };
  const auto dash = text.find('-');
  if (dash == std::string::npos) {
    auto v = util::parse_count(text);
    if (!v) fail();
    return {*v, *v};
  }
  const std::string lo = text.substr(0, dash), hi = text.substr(dash + 1);
  std::pair<double, double> range{0, 1e300};
  if (!lo.empty()) {
    auto v = util::parse_count(lo);
    if (!v) fail();
    range.first = *v;
  }
  if (!hi.empty()) {
    auto v = util::parse_count(hi);
    if (!v) fail();
    range.second = *v;
  }
  if (lo.empty() && hi.empty()) fail();
  if (range.first > range.second) {
    throw util::InputError(std::vector<util::Diagnostic>{util::Diagnostic{
        "", 0, 0, "", fmt::format("--vcpus: the range '{}' is empty: its minimum {:g} is above its maximum {:g}",
                                  util::escape_for_terminal(text), range.first, range.second)}});
  }
  return range;
}

bool matches_accelerator(const Catalog& c, const catalog::Instance& i, const std::string& wanted) {
  if (wanted.empty()) return true;
  if (wanted == "none" || wanted == "cpu") return !i.accelerator;
  if (!i.accelerator) return false;
  const catalog::Hardware* h = c.hardware_by_id(*i.accelerator);
  if (*i.accelerator == wanted) return true;
  if (h && to_string(h->kind) == wanted) return true;
  // A substring of the id: "a100" matches nvidia-a100-40gb and nvidia-a100-80gb.
  return i.accelerator->find(wanted) != std::string::npos;
}

// One row per instance and region it is offered in (an instance without offers: one row for its
// home region, unpriced).
Json list_instances(const Catalog& c, const ListOptions& o, util::Table& table) {
  Json out = Json::array();
  std::pair<double, double> vcpus{0, 1e300};
  if (!o.vcpus.empty()) vcpus = parse_range(o.vcpus);
  if (!o.region.empty()) {
    if (auto problem = catalog::check_regions(c, o.region)) {
      throw util::InputError(std::vector<util::Diagnostic>{util::Diagnostic{"", 0, 0, "--region", *problem}});
    }
  }
  const std::string regions_text = catalog::canonical_regions(o.region);
  const catalog::RegionChoice regions(regions_text);
  auto price = [](const std::optional<double>& v) { return v ? Json(*v) : Json(nullptr); };
  for (const auto& i : c.instances) {
    if (!o.clouds.empty() &&
        std::find(o.clouds.begin(), o.clouds.end(), std::string(to_string(i.cloud))) == o.clouds.end()) {
      continue;
    }
    if (!matches_accelerator(c, i, o.accelerator)) continue;
    const catalog::Hardware* h = i.accelerator ? c.hardware_by_id(*i.accelerator) : nullptr;
    if (o.min_accelerator_memory_gib > 0 && (!h || !h->memory_gib || *h->memory_gib < o.min_accelerator_memory_gib)) {
      continue;
    }
    if (i.vcpus < vcpus.first || i.vcpus > vcpus.second) continue;
    if (!o.compute.empty()) {
      const std::string kind = h ? std::string(to_string(h->kind)) : "cpu";
      if (kind != o.compute) continue;
    }
    catalog::Offer unpriced;
    unpriced.region = i.region;
    std::vector<const catalog::Offer*> rows;
    if (i.offers.empty()) rows.push_back(&unpriced);
    for (const auto& offer : i.offers) rows.push_back(&offer);
    if (regions.any()) {
      // The cheapest offer of each instance.
      const auto choice = catalog::choose_offer(i, regions, false);
      rows.assign(1, choice.offer ? choice.offer : &unpriced);
    }
    for (const catalog::Offer* offer : rows) {
      if (!regions.allows(offer->region)) continue;
      if (o.max_price > 0 && (!offer->price_usd_per_hour || *offer->price_usd_per_hour > o.max_price)) continue;
      Json row = Json::object();
      row["id"] = i.id;
      row["cloud"] = std::string(to_string(i.cloud));
      row["instance"] = i.name;
      row["region"] = offer->region;
      row["price_usd_per_hour"] = price(offer->price_usd_per_hour);
      row["spot_price_usd_per_hour"] = price(offer->spot_price_usd_per_hour);
      row["vcpus"] = i.vcpus;
      row["memory_gib"] = i.memory_gib;
      row["accelerator"] = i.accelerator ? Json(*i.accelerator) : Json(nullptr);
      row["accelerator_count"] = i.accelerator_share ? Json(*i.accelerator_share) : Json(i.accelerator_count);
      row["home_region"] = offer->region == i.region;
      if (offer->zones) row["zones"] = *offer->zones;
      const catalog::Provenance& p = offer->provenance.source.empty() ? i.price_provenance : offer->provenance;
      row["price_source"] = p.source;
      row["price_as_of"] = p.as_of;
      out.push_back(std::move(row));
      const std::string count = i.accelerator_share ? fmt::format("{:.3g}", *i.accelerator_share) : std::to_string(i.accelerator_count);
      const double accel_memory = h && h->memory_gib ? *h->memory_gib * i.accelerator_share.value_or(i.accelerator_count) : 0;
      table.add_row({i.id, std::string(to_string(i.cloud)), i.name, std::string(offer->region), fmt::format("{:g}", i.vcpus),
                     fmt::format("{:g}", i.memory_gib), i.accelerator ? fmt::format("{}x {}", count, *i.accelerator) : "-",
                     h && h->memory_gib ? fmt::format("{:.0f}", accel_memory) : "-", num(offer->price_usd_per_hour),
                     num(offer->spot_price_usd_per_hour)});
    }
  }
  return out;
}

int run_list(const ListOptions& o, const GlobalOptions& global, Io& io) {
  const Catalog c = load_catalog(global, CatalogUse::inspect);
  Json items = Json::array();
  std::string section = o.kind;
  std::unique_ptr<util::Table> table;
  if (o.kind == "instances") {
    table = std::make_unique<util::Table>(std::vector<std::string>{
        "id", "cloud", "name", "region", "vcpus", "memory_gib", "accelerators", "accel_memory_gib", "usd_per_hour", "spot_usd_per_hour"});
    items = list_instances(c, o, *table);
  } else if (o.kind == "hardware" || o.kind == "gpus" || o.kind == "accelerators" || o.kind == "cpus") {
    section = "hardware";
    table = std::make_unique<util::Table>(std::vector<std::string>{"id", "kind", "name", "memory_gib", "bandwidth_gb_per_s",
                                                                   "tflops_bf16", "tflops_fp8", "frameworks"});
    for (const auto& h : c.hardware) {
      if (o.kind == "gpus" && h.kind != ComputeKind::gpu) continue;
      if (o.kind == "accelerators" && h.kind == ComputeKind::cpu) continue;
      if (o.kind == "cpus" && h.kind != ComputeKind::cpu) continue;
      if (!o.compute.empty() && to_string(h.kind) != o.compute) continue;
      if (o.min_accelerator_memory_gib > 0 && (!h.memory_gib || *h.memory_gib < o.min_accelerator_memory_gib)) continue;
      auto tf = [&](catalog::Precision p) {
        auto it = h.tflops.find(p);
        return it == h.tflops.end() ? std::string("-") : fmt::format("{:g}", it->second);
      };
      items.push_back(c.raw.at("hardware").at(h.id));
      table->add_row({h.id, std::string(to_string(h.kind)), h.name, h.memory_gib ? fmt::format("{:.1f}", *h.memory_gib) : "-",
                      num(h.memory_bandwidth_gb_per_s), tf(catalog::Precision::bf16), tf(catalog::Precision::fp8),
                      util::join(h.frameworks, ",")});
    }
  } else if (o.kind == "families") {
    table = std::make_unique<util::Table>(std::vector<std::string>{"id", "sizing", "training", "inference", "name"});
    for (const auto& f : c.families) {
      items.push_back(c.raw.at("families").at(f.id));
      table->add_row({f.id, std::string(to_string(f.sizing)), std::string(to_string(f.training.default_kind)),
                      std::string(to_string(f.inference.default_kind)), f.name});
    }
  } else if (o.kind == "models") {
    table = std::make_unique<util::Table>(std::vector<std::string>{"id", "family", "params", "layers", "kv_heads", "context", "name"});
    for (const auto& m : c.models) {
      items.push_back(c.raw.at("models").at(m.id));
      auto opt = [](std::optional<int> v) { return v ? std::to_string(*v) : std::string("-"); };
      table->add_row({m.id, m.family, m.params ? util::format_count(*m.params) : "-", opt(m.architecture.layers),
                      opt(m.architecture.kv_heads), opt(m.architecture.context_length), m.name});
    }
  } else if (o.kind == "services") {
    table = std::make_unique<util::Table>(std::vector<std::string>{"id", "cloud", "management", "kind", "accelerators", "pricing"});
    for (const auto& s : c.services) {
      if (!o.clouds.empty() &&
          std::find(o.clouds.begin(), o.clouds.end(), std::string(to_string(s.cloud))) == o.clouds.end()) {
        continue;
      }
      std::vector<std::string> kinds;
      for (auto k : s.accelerators) kinds.emplace_back(to_string(k));
      items.push_back(c.raw.at("services").at(s.id));
      table->add_row({s.id, std::string(to_string(s.cloud)), s.managed ? "managed" : "self-managed", s.kind,
                      util::join(kinds, ","), s.pricing_model});
    }
  } else if (o.kind == "rules") {
    table = std::make_unique<util::Table>(std::vector<std::string>{"id", "description"});
    for (const auto& r : c.rules) {
      items.push_back(r);
      table->add_row({string_member(r, "id"), string_member(r, "description")});
    }
  }
  if (o.format == "json") {
    Json doc = Json::object();
    doc[section] = std::move(items);
    io.out = render::json_text(doc);
  } else {
    io.out = table->render();
  }
  return k_exit_ok;
}

// What a chip computes in (with the peak per precision) and which frameworks run on it, with
// their sources: what the eligibility of a candidate reads (docs/catalog.md, "Precisions").
Json capabilities_json(const catalog::Hardware& h, const Json& entry) {
  Json precisions = Json::array();
  for (catalog::Precision p : catalog::supported_precisions(h)) {
    Json item{{"precision", std::string(catalog::to_string(p))}, {"tflops", nullptr}};
    if (auto it = h.tflops.find(p); it != h.tflops.end()) item["tflops"] = it->second;
    precisions.push_back(std::move(item));
  }
  const bool stated = !h.precisions.empty();
  Json out{{"precisions", precisions},
           {"precisions_source", stated ? Json(h.precisions_provenance.source) : Json(nullptr)},
           {"precisions_as_of", stated ? Json(h.precisions_provenance.as_of) : Json(nullptr)},
           {"frameworks", h.frameworks},
           {"framework_notes", entry.contains("framework_notes") ? entry["framework_notes"] : Json(nullptr)},
           {"frameworks_source", h.provenance.source},
           {"frameworks_as_of", h.provenance.as_of}};
  return out;
}

// A source field of several references ("url ; url") one to a line, indented.
std::string source_lines(const std::string& source) {
  std::string out;
  std::size_t start = 0;
  while (start <= source.size()) {
    std::size_t end = source.find(" ; ", start);
    if (end == std::string::npos) end = source.size();
    if (end > start) out += "  " + util::escape_for_terminal(source.substr(start, end - start)) + "\n";
    start = end + 3;
  }
  return out;
}

std::string capabilities_text(const catalog::Hardware& h, const Json& entry) {
  const std::string framework_notes = entry.contains("framework_notes") && entry["framework_notes"].is_string() ? entry["framework_notes"].get<std::string>() : "";
  if (h.kind == ComputeKind::cpu && h.precisions.empty() && h.tflops.empty()) {
    return fmt::format("\nframeworks: {}\n", util::join(h.frameworks, ", "));
  }
  util::Table table(std::vector<std::string>{"precision", "peak_tflops"});
  for (catalog::Precision p : catalog::supported_precisions(h)) {
    auto it = h.tflops.find(p);
    table.add_row({std::string(catalog::to_string(p)), it == h.tflops.end() ? std::string("unknown") : fmt::format("{:g}", it->second)});
  }
  std::string out = "\nprecisions (a workload at another one runs at the nearest wider one listed):\n" + table.render();
  if (!h.precisions.empty()) {
    out += fmt::format("precisions source (as of {}):\n", h.precisions_provenance.as_of) + source_lines(h.precisions_provenance.source);
  } else {
    out += "precisions source: none in the catalog (the tflops keys stand for them)\n";
  }
  out += fmt::format("frameworks: {}\n", util::join(h.frameworks, ", "));
  if (!framework_notes.empty()) out += util::wrap(util::escape_for_terminal(framework_notes), 78, "  ", "  ");
  out += fmt::format("frameworks source (as of {}):\n", h.provenance.as_of) + source_lines(h.provenance.source);
  return out;
}

int run_show(const ShowOptions& o, const GlobalOptions& global, Io& io) {
  const Catalog c = load_catalog(global, CatalogUse::inspect);
  std::string section, id = o.id;
  if (const catalog::Instance* i = c.instance(o.id)) {
    section = "instances";
    id = i->id;
  } else {
    for (const auto& [s, entries] : c.raw) {
      if (entries.count(o.id)) {
        section = s;
        break;
      }
    }
  }
  if (section.empty()) {
    std::vector<std::string> all;
    for (const auto& [s, entries] : c.raw) {
      for (const auto& [k, v] : entries) all.push_back(k);
    }
    for (const auto& i : c.instances) all.push_back(i.name);
    throw util::InputError(fmt::format("no catalog entry with id '{}'{}", util::escape_for_terminal(o.id),
                                       util::did_you_mean(o.id, all)));
  }
  const Json& entry = c.raw.at(section).at(id);
  const catalog::EntryOrigin& origin = c.origins.at(section).at(id);
  const catalog::Hardware* hardware = section == "hardware" ? c.hardware_by_id(id) : nullptr;
  if (o.format == "json") {
    Json doc = Json::object();
    doc["section"] = section;
    doc["entry"] = entry;
    if (hardware) doc["capabilities"] = capabilities_json(*hardware, entry);
    if (o.origin) {
      doc["origin"] = Json::object();
      doc["origin"]["defined_in"] = origin.file;
      doc["origin"]["fields"] = origin.fields;
    }
    io.out = render::json_text(doc);
    return k_exit_ok;
  }
  std::vector<std::string> headers{"field", "value"};
  if (o.origin) headers.push_back("origin");
  util::Table table(headers);
  for (const auto& [key, value] : entry.items()) {
    std::string text = value.is_string() ? value.get<std::string>() : value.dump();
    if (text.size() > 100) text = text.substr(0, 97) + "...";
    std::vector<std::string> row{key, util::escape_for_terminal(text)};
    if (o.origin) row.push_back(origin.fields.count(key) ? origin.fields.at(key) : origin.file);
    table.add_row(std::move(row));
  }
  io.out = fmt::format("{} {}\n\n", section, id) + table.render();
  if (hardware) io.out += capabilities_text(*hardware, entry);
  return k_exit_ok;
}

int run_validate(const ValidateOptions& o, const GlobalOptions& global, Io& io) {
  GlobalOptions g = global;
  g.catalog_paths.insert(g.catalog_paths.end(), o.paths.begin(), o.paths.end());
  const Catalog c = load_catalog(g, CatalogUse::inspect);
  std::size_t priced = 0;
  for (const auto& i : c.instances) priced += i.price_usd_per_hour.has_value();
  if (o.format == "json") {
    Json doc{{"valid", true},
             {"files", c.files},
             {"counts",
              {{"families", c.families.size()},
               {"models", c.models.size()},
               {"hardware", c.hardware.size()},
               {"instances", c.instances.size()},
               {"instances_priced", priced},
               {"services", c.services.size()},
               {"rules", c.rules.size()}}}};
    io.out = render::json_text(doc);
  } else {
    io.out = fmt::format(
        "catalog is valid: {} files; {} families, {} models, {} hardware, {} instances ({} priced), {} services, {} rules\n",
        c.files.size(), c.families.size(), c.models.size(), c.hardware.size(), c.instances.size(), priced,
        c.services.size(), c.rules.size());
  }
  return k_exit_ok;
}

std::string today_utc() {
  const std::time_t now = std::time(nullptr);
  std::tm tm{};
  gmtime_r(&now, &tm);
  char buffer[16];
  std::strftime(buffer, sizeof buffer, "%Y-%m-%d", &tm);
  return buffer;
}

// The import merged over the catalog it was made for must load. It always should (the importer
// range-checks what it writes); if it does not, the problem is reported against the CSV rows the
// entry was made from, and nothing is written.
void check_round_trip(const catalog::skypilot::ImportResult& result, const std::string& text, const std::string& output_name,
                      const std::string& csv_name, const GlobalOptions& global) {
  auto sources = catalog::embedded_sources();
  if (global.no_default_catalog) sources.clear();
  for (const auto& path : global.catalog_paths) {
    auto more = catalog::read_catalog_path(path, global.limits());
    sources.insert(sources.end(), more.begin(), more.end());
  }
  sources.push_back(catalog::SourceText{output_name, text});
  try {
    catalog::load_catalog_texts(sources, global.limits(), false);
  } catch (const util::InputError& e) {
    std::vector<util::Diagnostic> located;
    for (const auto& d : e.diagnostics()) {
      if (d.file != output_name) {
        located.push_back(d);
        continue;
      }
      // "/instances/K/...": entry K of the output.
      std::size_t entry = static_cast<std::size_t>(-1);
      if (d.pointer.rfind("/instances/", 0) == 0) entry = std::strtoul(d.pointer.c_str() + 11, nullptr, 10);
      std::size_t line = 0;
      std::string rows;
      if (entry < result.entry_lines.size() && !result.entry_lines[entry].empty()) {
        line = result.entry_lines[entry].front();
        rows = fmt::format(" (the entry made from {} row(s) starting at line {})", result.entry_lines[entry].size(), line);
      }
      located.push_back(util::Diagnostic{csv_name, line, 0, "",
                                         fmt::format("the imported entry would not load: {}{}; nothing written", d.message, rows)});
    }
    throw util::InputError(std::move(located));
  }
}

int run_import(const ImportOptions& o, const GlobalOptions& global, Io& io) {
  // NOTE: "-o -" writes the catalog to standard output, and the summary then goes to stderr. Any
  // other target must be a regular file, a new name, or a link to a regular file (followed, the
  // link kept): refused before any work, so a device, FIFO or directory is never replaced.
  const bool to_stdout = o.output == "-";
  if (!to_stdout) {
    if (auto why = util::unwritable_target(o.output)) {
      throw util::InputError(std::vector<util::Diagnostic>{util::Diagnostic{"", 0, 0, "-o", fmt::format("{}: {}", o.output, *why)}});
    }
  }
  if (!o.as_of.empty() && !util::is_iso_date(o.as_of)) {
    throw util::InputError(fmt::format("--as-of: expected a calendar date YYYY-MM-DD, got '{}'", util::escape_for_terminal(o.as_of)));
  }
  const Catalog base = load_catalog(global, CatalogUse::inspect);
  const std::string text = util::read_input(o.file, global.max_input_bytes);
  catalog::skypilot::ImportOptions options;
  options.cloud = o.cloud;
  options.region = o.region;
  options.strict = o.strict;
  options.as_of = o.as_of.empty() ? today_utc() : o.as_of;
  options.file = util::display_name(o.file);
  options.source_name = o.file == "-" ? "<stdin>" : std::filesystem::path(o.file).filename().string();
  if (!o.region.empty() && o.region != "all") {
    for (const auto& r : util::split_list(o.region, ',')) {
      if (!util::is_kebab_id(r)) {
        throw util::InputError(std::vector<util::Diagnostic>{util::Diagnostic{
            "", 0, 0, "--region", fmt::format("expected 'all' or region names (lower-case letters, digits, '-'), got '{}'",
                                              util::escape_for_terminal(r))}});
      }
    }
  }
  const auto result = catalog::skypilot::import_vms_csv(text, options, base);

  // Diagnostics go to stderr, capped: the rest are counted.
  for (const auto& d : result.bad) io.err += util::format_diagnostic(d, "warning") + " (row skipped)\n";
  if (result.rows_bad > result.bad.size()) {
    io.err += fmt::format("aiadvise: warning: and {} more bad rows skipped\n", result.rows_bad - result.bad.size());
  }
  for (const auto& w : result.warnings) io.err += "aiadvise: warning: " + util::escape_for_terminal(w) + "\n";
  const std::size_t written = result.catalog.at("instances").size();
  const std::string regions_text = result.regions.size() <= 5
                                       ? util::join(result.regions, ", ")
                                       : fmt::format("{} regions ({}, ...)", result.regions.size(),
                                                     util::join(std::vector<std::string>(result.regions.begin(), result.regions.begin() + 3), ", "));
  if (written == 0) {
    throw util::InputError(std::vector<util::Diagnostic>{util::Diagnostic{
        options.file, 0, 0, "",
        fmt::format("no {} instance could be imported for {} ({} of {} rows are in {}, {} bad); {} not written", o.cloud,
                    regions_text.empty() ? std::string("the regions asked for") : regions_text, result.rows_in_region, result.rows_read,
                    result.regions.size() == 1 ? "that region" : "those regions", result.rows_bad, o.output)}});
  }
  const std::string output_text = catalog::skypilot::render_catalog(result.catalog);
  check_round_trip(result, output_text, to_stdout ? std::string("<stdout>") : o.output, options.file, global);
  if (to_stdout) {
    io.out = output_text;
  } else {
    try {
      const util::WriteReport written_report = util::write_file_atomic(o.output, output_text);
      for (const auto& stale : written_report.removed_stale) {
        io.err += fmt::format("aiadvise: warning: removed {}, left by an interrupted earlier write\n", util::escape_for_terminal(stale));
      }
    } catch (const util::WriteError& e) {
      io.err += fmt::format("aiadvise: error: {}\n", util::escape_for_terminal(e.what()));
      return k_exit_io;
    }
  }

  std::size_t skipped_rows = 0;
  for (const auto& s : result.skipped) skipped_rows += s.lines.size();
  if (o.format == "json") {
    Json skipped = Json::array();
    for (const auto& s : result.skipped) skipped.push_back({{"what", s.what}, {"reason", s.reason}, {"lines", s.lines}});
    Json bad = Json::array();
    for (const auto& d : result.bad) bad.push_back({{"line", d.line}, {"column", d.column}, {"message", d.message}});
    Json doc{{"source", "skypilot"},
             {"file", options.file},
             {"cloud", o.cloud},
             {"regions", result.regions},
             {"as_of", options.as_of},
             {"output", o.output},
             {"rows_read", result.rows_read},
             {"rows_in_regions", result.rows_in_region},
             {"rows_bad", result.rows_bad},
             {"bad_rows", bad},
             {"instances_written", written},
             {"offers_written", result.offers_written},
             {"new", result.new_ids.size()},
             {"overridden", result.overridden_ids.size()},
             {"new_ids", result.new_ids},
             {"overridden_ids", result.overridden_ids},
             {"skipped", skipped},
             {"skipped_rows", skipped_rows},
             {"warnings", result.warnings}};
    (to_stdout ? io.err : io.out) += doc.dump(2) + '\n';
    return k_exit_ok;
  }
  std::string out = fmt::format(
      "Imported SkyPilot {} prices for {} from {}: read {} rows ({} in {}, {} bad and skipped), wrote {} instances with {} regional "
      "offers to {} ({} new, {} adding offers to catalog entries).\n",
      o.cloud, regions_text, util::escape_for_terminal(options.file), result.rows_read, result.rows_in_region,
      result.regions.size() == 1 ? "that region" : "those regions", result.rows_bad, written, result.offers_written,
      util::escape_for_terminal(o.output), result.new_ids.size(), result.overridden_ids.size());
  out += "An offer's price is the minimum non-empty price over the region's zones; an empty price is written as unknown. Offers merge "
         "by region with the catalog's, so imports of different regions add up.\n";
  auto list = [](const std::vector<std::string>& ids) {
    if (ids.size() <= 20) return util::join(ids, ", ");
    return util::join(std::vector<std::string>(ids.begin(), ids.begin() + 20), ", ") + fmt::format(" and {} more", ids.size() - 20);
  };
  if (!result.new_ids.empty()) out += "New: " + list(result.new_ids) + "\n";
  if (!result.overridden_ids.empty()) out += "Offers added to: " + list(result.overridden_ids) + "\n";
  if (!result.skipped.empty()) {
    out += fmt::format("Skipped ({} rows):\n", skipped_rows);
    std::size_t shown = 0;
    for (const auto& s : result.skipped) {
      if (++shown > 50) {
        out += fmt::format("  and {} more\n", result.skipped.size() - 50);
        break;
      }
      out += fmt::format("  {}: {} ({} rows)\n", util::escape_for_terminal(s.what), util::escape_for_terminal(s.reason), s.lines.size());
    }
  }
  (to_stdout ? io.err : io.out) += out;
  return k_exit_ok;
}

}  // namespace

void setup_catalog(CLI::App& app, const GlobalOptions& global, Action& action) {
  CLI::App* catalog = app.add_subcommand("catalog", "Browse and validate the catalog of models, hardware, instances and services");
  catalog->require_subcommand(1);
  catalog->footer(R"(Examples:
  aiadvise catalog list models
  aiadvise catalog list instances --cloud aws --accelerator h100 --max-price 100
  aiadvise catalog show llama-3.1-8b
  aiadvise catalog show p4d.24xlarge --origin
  aiadvise catalog validate my-prices.json
  aiadvise catalog import skypilot vms.csv --cloud aws -o user-catalog.json

Output: a table on a terminal, JSON otherwise (-o/--format picks one). Exit codes: 0 ok,
2 usage or invalid input (a catalog problem is located by file, line and column), 4 output not written.
See docs/catalog.md.)");

  auto list = std::make_shared<ListOptions>();
  CLI::App* list_cmd = catalog->add_subcommand("list", "List catalog entries of one kind, with filters");
  list_cmd->footer(R"(Examples:
  aiadvise catalog list gpus
  aiadvise catalog list models -o json | jq -r '.models[].id'
  aiadvise catalog list instances --cloud aws,gcp --accelerator a100 --min-accelerator-memory 70
  aiadvise catalog list instances --compute cpu --vcpus 8-32 --max-price 2)");
  list_cmd->add_option("kind", list->kind, "What to list")->required()->check(CLI::IsMember(k_list_kinds));
  add_format_option(*list_cmd, list->format, {"table", "json"});
  list_cmd->add_option("--cloud", list->clouds, "Only these clouds (aws,gcp,azure)")
      ->delimiter(',')
      ->check(CLI::IsMember({"aws", "gcp", "azure"}));
  list_cmd->add_option("--accelerator", list->accelerator,
                       "Only instances with this accelerator: a hardware id, part of one (a100), a kind (gpu, tpu), or none");
  list_cmd->add_option("--compute", list->compute, "Only this compute kind")
      ->check(CLI::IsMember({"cpu", "gpu", "tpu", "inferentia", "trainium"}));
  list_cmd->add_option("--min-accelerator-memory", list->min_accelerator_memory_gib, "At least this much memory per accelerator (GiB)")
      ->check(decimal_range(util::Bounds{0, 1e6}));
  list_cmd->add_option("--max-price", list->max_price, "At most this on-demand price (USD per hour)")
      ->check(decimal_range(util::Bounds{1e-6, 1e6}));
  list_cmd->add_option("--vcpus", list->vcpus, "vCPUs: N, MIN-MAX, MIN- or -MAX");
  list_cmd->add_option("--region", list->region,
                       "Instances: only offers in these regions (R[,R2]), or 'any' for each instance's cheapest (default: every region)")
      ->type_name("R[,R2]");
  list_cmd->callback([list, &global, &action] { action = [list, &global](Io& io) { return run_list(*list, global, io); }; });

  auto show = std::make_shared<ShowOptions>();
  CLI::App* show_cmd = catalog->add_subcommand("show", "Show one entry (any section) by id, or an instance by its cloud name");
  show_cmd->footer(R"(Examples:
  aiadvise catalog show llama-3.1-70b
  aiadvise catalog show nvidia-h100-sxm
  aiadvise catalog show p4d.24xlarge --origin -o json)");
  show_cmd->add_option("id", show->id, "Entry id, e.g. llama-2-70b, nvidia-h100-sxm, p4d.24xlarge")->required();
  show_cmd->add_flag("--origin", show->origin, "Show which file each field came from");
  add_format_option(*show_cmd, show->format, {"table", "json"});
  show_cmd->callback([show, &global, &action] { action = [show, &global](Io& io) { return run_show(*show, global, io); }; });

  auto validate = std::make_shared<ValidateOptions>();
  CLI::App* validate_cmd = catalog->add_subcommand(
      "validate", "Validate the catalog, with user catalogs merged over the default; report every problem");
  validate_cmd->footer(R"(Examples:
  aiadvise catalog validate
  aiadvise catalog validate my-prices.json
  aiadvise catalog validate ./catalogs/ -o json

Exit codes: 0 valid, 2 with every problem listed (file:line:column: pointer: message).)");
  validate_cmd->add_option("paths", validate->paths, "User catalog files or directories to check");
  add_format_option(*validate_cmd, validate->format, {"table", "json"});
  validate_cmd->callback(
      [validate, &global, &action] { action = [validate, &global](Io& io) { return run_validate(*validate, global, io); }; });

  auto import = std::make_shared<ImportOptions>();
  CLI::App* import_cmd = catalog->add_subcommand(
      "import", "Convert another tool's instance catalog into a user catalog (offers per region)");
  import_cmd->add_option("source", import->source, "The format of FILE: skypilot (SkyPilot's vms.csv)")
      ->required()
      ->check(CLI::IsMember({"skypilot"}));
  import_cmd->add_option("file", import->file, "The file to convert ('-' reads standard input)")->required();
  import_cmd->add_option("--cloud", import->cloud, "The cloud the file is for")
      ->required()
      ->check(CLI::IsMember({"aws", "gcp", "azure"}));
  import_cmd->add_option("--region", import->region,
                         "Regions to import: one, a comma-separated list, or 'all' (default: the catalog's reference region: "
                         "us-east-1, us-central1, eastus)")
      ->type_name("R[,R2]|all");
  import_cmd->add_flag("--strict", import->strict, "Fail on the first bad row instead of skipping and counting bad rows");
  import_cmd->add_option("--as-of", import->as_of, "Date of the prices, YYYY-MM-DD (default: today, UTC)");
  import_cmd->add_option("-o,--output", import->output,
                         "User catalog file to write (replaced atomically; a symlink is followed; '-': standard output)")
      ->required();
  add_format_option(*import_cmd, import->format, {"table", "json"});
  import_cmd->footer(
      "Examples:\n  aiadvise catalog import skypilot vms.csv --cloud aws --region us-west-2 -o user-catalog.json\n"
      "  aiadvise catalog import skypilot gcp/vms.csv --cloud gcp --region all -o gcp-prices.json\n"
      "  aiadvise --catalog user-catalog.json recommend ... --region us-west-2");
  import_cmd->callback([import, &global, &action] { action = [import, &global](Io& io) { return run_import(*import, global, io); }; });

  setup_catalog_diff(*catalog, global, action);
}

}  // namespace aiadvise::cli
