// SkyPilot vms.csv -> aiadvise user catalog (instances section), for one cloud and region.
//
// How the rows become entries (see docs/catalog.md, instances):
//  - columns are found by header name; rows of other regions are ignored;
//  - one entry per instance type: the rows repeat per zone (and some repeat outright), so the
//    price is the minimum non-empty Price over the region's rows, the spot price likewise;
//  - GCP bills GPUs apart: a2/a3/g2 VM rows carry the VM price only and the GPU price is in
//    rows with an empty InstanceType. As SkyPilot does, the VM row and the GPU row (name, count)
//    of the same zone are added; the zone with the lowest sum is taken and its two parts are
//    written to price_parts. Existing "n1-standard-8+t4x1"-style entries are priced the same way;
//  - TPU rows (InstanceType empty, AcceleratorName tpu-*) price the whole slice;
//  - an id already in the catalog gets only price fields (and notes); a new id gets a full entry.

#include "aiadvise/catalog/skypilot.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <charconv>
#include <cmath>
#include <map>
#include <set>

#include "aiadvise/util/diagnostics.hpp"
#include "aiadvise/util/json_reader.hpp"
#include "aiadvise/util/text.hpp"

namespace aiadvise::catalog::skypilot {

using util::Diagnostic;
using util::Json;

// ---------------------------------------------------------------------------------------------
// CSV

std::vector<CsvRow> parse_csv(std::string_view text, const std::string& file) {
  std::vector<CsvRow> rows;
  std::size_t i = 0, line = 1, column = 1;
  const std::size_t n = text.size();
  auto advance = [&](std::size_t count = 1) {
    for (std::size_t k = 0; k < count; ++k) {
      if (text[i] == '\n') {
        ++line;
        column = 1;
      } else {
        ++column;
      }
      ++i;
    }
  };
  // LF, CRLF, or a CR that ends the text; a CR anywhere else is data.
  auto at_line_end = [&] { return text[i] == '\n' || (text[i] == '\r' && (i + 1 == n || text[i + 1] == '\n')); };
  auto fail = [&](std::size_t l, std::size_t c, std::string message) {
    throw util::InputError(std::vector<Diagnostic>{Diagnostic{file, l, c, "", std::move(message)}});
  };
  while (i < n) {
    // A blank line (LF or CRLF) is no record.
    if (text[i] == '\n') {
      advance();
      continue;
    }
    if (text[i] == '\r' && i + 1 < n && text[i + 1] == '\n') {
      advance(2);
      continue;
    }
    CsvRow row;
    row.line = line;
    for (;;) {
      CsvField field;
      field.line = line;
      field.column = column;
      if (i < n && text[i] == '"') {
        advance();
        for (;;) {
          if (i >= n) fail(field.line, field.column, "unterminated quoted field (a '\"' opens it, none closes it)");
          if (text[i] == '"') {
            if (i + 1 < n && text[i + 1] == '"') {
              field.text += '"';
              advance(2);
              continue;
            }
            advance();
            break;
          }
          // CRLF inside a quoted field is kept as LF.
          if (text[i] == '\r' && i + 1 < n && text[i + 1] == '\n') {
            advance();
            continue;
          }
          field.text += text[i];
          advance();
        }
        if (i < n && text[i] != ',' && !at_line_end()) {
          fail(line, column, "text after the closing quote of a quoted field (a quote inside a field is written \"\")");
        }
      } else {
        while (i < n && text[i] != ',' && !at_line_end()) {
          field.text += text[i];
          advance();
        }
      }
      row.fields.push_back(std::move(field));
      if (i < n && text[i] == ',') {
        advance();
        continue;
      }
      if (i < n && text[i] == '\r') advance();  // CRLF, or a CR at the very end
      if (i < n && text[i] == '\n') advance();
      break;
    }
    rows.push_back(std::move(row));
  }
  return rows;
}

// ---------------------------------------------------------------------------------------------
// Names

std::string reference_region(std::string_view cloud) {
  if (cloud == "aws") return "us-east-1";
  if (cloud == "gcp") return "us-central1";
  if (cloud == "azure") return "eastus";
  return "";
}

std::string instance_id(std::string_view cloud, std::string_view name) {
  std::string out = std::string(cloud) + "-";
  for (char ch : name) {
    char c = static_cast<char>(std::tolower(static_cast<unsigned char>(ch)));
    if (c == '.' || c == '_' || c == '+' || c == ' ' || c == '/') c = '-';
    out += c;
  }
  return out;
}

namespace {

std::string lower(std::string_view s) {
  std::string out(s);
  for (auto& c : out) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return out;
}

bool starts_with(std::string_view s, std::string_view prefix) { return s.substr(0, prefix.size()) == prefix; }

}  // namespace

std::vector<std::string> accelerator_candidates(std::string_view cloud, std::string_view name) {
  static const std::map<std::string, std::string> k_names{
      {"a100", "nvidia-a100-40gb"},      {"a100-80gb", "nvidia-a100-80gb"}, {"h100", "nvidia-h100-sxm"},
      {"h100-mega", "nvidia-h100-sxm"},  {"h200", "nvidia-h200"},           {"l4", "nvidia-l4"},
      {"t4", "nvidia-t4"},               {"a10g", "nvidia-a10g"},           {"a10", "nvidia-a10"},
      {"v100", "nvidia-v100-16gb"},      {"v100-32gb", "nvidia-v100-32gb"}, {"l40s", "nvidia-l40s"},
      {"inferentia", "aws-inferentia"},  {"inferentia2", "aws-inferentia2"}, {"trainium", "aws-trainium"},
      {"trainium2", "aws-trainium2"}};
  const std::string key = lower(name);
  // Azure sells H100 as SXM (ND H100 v5) and as NVL (NC H100 v5) under one SkyPilot name.
  if (cloud == "azure" && key == "h100") return {"nvidia-h100-sxm", "nvidia-h100-nvl"};
  if (auto it = k_names.find(key); it != k_names.end()) return {it->second};
  // TPU slices: tpu-<generation>-<size>.
  if (starts_with(key, "tpu-v5litepod-") || starts_with(key, "tpu-v5e-")) return {"google-tpu-v5e"};
  if (starts_with(key, "tpu-v5p-")) return {"google-tpu-v5p"};
  if (starts_with(key, "tpu-v4-")) return {"google-tpu-v4"};
  return {};
}

namespace {

// ---------------------------------------------------------------------------------------------
// Rows

const std::vector<std::string> k_required{"InstanceType", "AcceleratorName", "AcceleratorCount", "vCPUs",
                                          "MemoryGiB",    "Price",           "SpotPrice",        "Region"};

struct Row {
  std::size_t line = 0;
  std::string type, accelerator, region, zone;
  std::optional<double> count, vcpus, memory, price, spot;
};

/// GCP machine types whose VM row excludes the GPUs they always come with (SkyPilot's table).
std::optional<std::pair<std::string, int>> gcp_attached_gpu(const std::string& type) {
  static const std::vector<std::pair<std::string, std::string>> k_families{
      {"a2-highgpu-", "A100"}, {"a2-megagpu-", "A100"},      {"a2-ultragpu-", "A100-80GB"},
      {"a3-highgpu-", "H100"}, {"a3-megagpu-", "H100-MEGA"}, {"a3-ultragpu-", "H200"}};
  for (const auto& [prefix, gpu] : k_families) {
    if (!starts_with(type, prefix)) continue;
    const std::string rest = type.substr(prefix.size());
    if (rest.size() < 2 || rest.back() != 'g') return std::nullopt;
    int count = 0;
    const auto [p, ec] = std::from_chars(rest.data(), rest.data() + rest.size() - 1, count);
    if (ec != std::errc() || p != rest.data() + rest.size() - 1 || count <= 0) return std::nullopt;
    return std::make_pair(gpu, count);
  }
  static const std::map<std::string, int> k_g2{{"g2-standard-4", 1},  {"g2-standard-8", 1},  {"g2-standard-12", 1},
                                               {"g2-standard-16", 1}, {"g2-standard-24", 2}, {"g2-standard-32", 1},
                                               {"g2-standard-48", 4}, {"g2-standard-96", 8}};
  if (auto it = k_g2.find(type); it != k_g2.end()) return std::make_pair(std::string("L4"), it->second);
  return std::nullopt;
}

bool is_gcp_gpu_family(const std::string& type) {
  return starts_with(type, "a2-") || starts_with(type, "a3-") || starts_with(type, "g2-");
}

double round9(double v) { return std::round(v * 1e9) / 1e9; }

std::string fmt_num(double v) { return fmt::format("{:g}", v); }

struct Agg {
  std::optional<double> price, spot, price_max;
  std::set<std::string> zones;
  std::vector<std::size_t> lines;
  std::size_t rows = 0, price_rows = 0, spot_rows = 0;
};

Agg aggregate(const std::vector<const Row*>& rows) {
  Agg a;
  for (const Row* r : rows) {
    ++a.rows;
    a.lines.push_back(r->line);
    if (!r->zone.empty()) a.zones.insert(r->zone);
    if (r->price) {
      ++a.price_rows;
      a.price = a.price ? std::min(*a.price, *r->price) : *r->price;
      a.price_max = a.price_max ? std::max(*a.price_max, *r->price) : *r->price;
    }
    if (r->spot) {
      ++a.spot_rows;
      a.spot = a.spot ? std::min(*a.spot, *r->spot) : *r->spot;
    }
  }
  return a;
}

std::string zones_text(const std::set<std::string>& zones) {
  if (zones.empty()) return "";
  std::vector<std::string> z(zones.begin(), zones.end());
  return fmt::format(" (zones {})", util::join(z, ", "));
}

/// The lowest per-zone sum of a VM row and an accelerator row, for on-demand or spot.
struct Combined {
  std::optional<double> total, vm, accelerators;
  std::string zone;
};

Combined combine(const std::vector<const Row*>& vm_rows, const std::vector<const Row*>& acc_rows, bool spot) {
  auto value = [spot](const Row* r) { return spot ? r->spot : r->price; };
  std::map<std::string, double> vm_by_zone, acc_by_zone;
  for (const Row* r : vm_rows) {
    if (auto v = value(r)) {
      auto [it, inserted] = vm_by_zone.try_emplace(r->zone, *v);
      if (!inserted) it->second = std::min(it->second, *v);
    }
  }
  for (const Row* r : acc_rows) {
    if (auto v = value(r)) {
      auto [it, inserted] = acc_by_zone.try_emplace(r->zone, *v);
      if (!inserted) it->second = std::min(it->second, *v);
    }
  }
  Combined best;
  for (const auto& [zone, vm] : vm_by_zone) {
    auto it = acc_by_zone.find(zone);
    if (it == acc_by_zone.end()) continue;
    const double total = round9(vm + it->second);
    if (!best.total || total < *best.total) best = Combined{total, vm, it->second, zone};
  }
  if (!best.total) {
    // No zone lists both: keep the parts, leave the whole unknown.
    for (const auto& [zone, v] : vm_by_zone) best.vm = best.vm ? std::min(*best.vm, v) : v;
    for (const auto& [zone, v] : acc_by_zone) best.accelerators = best.accelerators ? std::min(*best.accelerators, v) : v;
  }
  return best;
}

std::string lines_text(const std::string& file, const std::vector<std::size_t>& lines) {
  std::vector<std::string> parts;
  for (std::size_t k = 0; k < lines.size() && k < 10; ++k) parts.push_back(fmt::format("{}:{}", file, lines[k]));
  std::string out = util::join(parts, ", ");
  if (lines.size() > 10) out += fmt::format(" and {} more", lines.size() - 10);
  return out;
}

const char* k_import_marker = "SkyPilot import: ";

class Importer {
 public:
  Importer(const ImportOptions& o, const Catalog& base, ImportResult& result)
      : m_o(o), m_base(base), m_result(result) {}

  void run(const std::vector<CsvRow>& csv);

 private:
  void read_rows(const std::vector<CsvRow>& csv);
  void vm_type(const std::string& type, const std::vector<const Row*>& rows);
  void tpu(const std::string& name, const std::vector<const Row*>& rows);
  void gcp_combos();
  void skip(std::string what, std::string reason, std::vector<std::size_t> lines) {
    m_result.skipped.push_back(Skipped{std::move(what), std::move(reason), std::move(lines)});
  }
  void unknown_accelerator(const std::string& name, const std::vector<std::size_t>& lines) {
    auto& all = m_unknown[name];
    all.insert(all.end(), lines.begin(), lines.end());
  }
  /// The catalog hardware id for a SkyPilot accelerator, or a reason it has none.
  std::optional<std::string> hardware_for(const std::string& what, const std::string& accelerator,
                                          const Instance* existing, const std::vector<std::size_t>& lines);
  void emit(const std::string& id, const std::string& name, const Row& spec, const std::optional<std::string>& hardware,
            int count, std::optional<double> price, std::optional<double> spot, std::optional<Combined> parts,
            const std::string& note);
  std::string price_note(const Agg& a, const char* what) const;

  const ImportOptions& m_o;
  const Catalog& m_base;
  ImportResult& m_result;
  std::vector<Row> m_rows;
  std::map<std::string, std::vector<const Row*>> m_vm;                       // type -> rows
  std::map<std::pair<std::string, int>, std::vector<const Row*>> m_acc;      // (GPU name, count) -> rows
  std::set<std::pair<std::string, int>> m_acc_used;
  std::map<std::string, std::vector<const Row*>> m_tpu;                      // TPU name -> rows
  std::map<std::string, std::vector<std::size_t>> m_unknown;                 // accelerator -> lines
  std::map<std::string, Json> m_entries;                                     // id -> entry
};

std::optional<double> parse_number(const CsvField& f, const std::string& column, const std::string& file, bool whole,
                                   std::vector<Diagnostic>& problems) {
  if (f.text.empty()) return std::nullopt;
  double v = 0;
  const char* first = f.text.data();
  const char* last = first + f.text.size();
  const auto [p, ec] = std::from_chars(first, last, v);
  if (ec != std::errc() || p != last || !std::isfinite(v) || v < 0) {
    problems.push_back(Diagnostic{file, f.line, f.column, "",
                                  fmt::format("column {}: expected a non-negative number or nothing, got '{}'", column,
                                              util::escape_for_terminal(f.text))});
    return std::nullopt;
  }
  if (whole && v != std::floor(v)) {
    problems.push_back(Diagnostic{file, f.line, f.column, "",
                                  fmt::format("column {}: expected a whole number (8 or 8.0), got '{}'", column,
                                              util::escape_for_terminal(f.text))});
    return std::nullopt;
  }
  return v;
}

void Importer::read_rows(const std::vector<CsvRow>& csv) {
  const std::string& file = m_o.file;
  if (csv.empty()) {
    throw util::InputError(std::vector<Diagnostic>{Diagnostic{file, 1, 1, "", "empty file: expected a header line"}});
  }
  std::map<std::string, std::size_t> columns;
  std::vector<std::string> names;
  for (std::size_t k = 0; k < csv[0].fields.size(); ++k) {
    std::string name = csv[0].fields[k].text;
    if (k == 0 && starts_with(name, "\xEF\xBB\xBF")) name = name.substr(3);  // a BOM
    columns.try_emplace(name, k);
    names.push_back(name);
  }
  std::vector<Diagnostic> problems;
  for (const auto& required : k_required) {
    if (!columns.count(required)) {
      problems.push_back(Diagnostic{file, csv[0].line, 1, "",
                                    fmt::format("missing required column '{}'{} (the header has: {})", required,
                                                util::did_you_mean(required, names),
                                                util::escape_for_terminal(util::join(names, ", ")))});
    }
  }
  if (!problems.empty()) throw util::InputError(std::move(problems));
  auto col = [&](const char* name) { return columns.at(name); };
  constexpr std::size_t k_none = static_cast<std::size_t>(-1);
  const std::size_t zone_col = columns.count("AvailabilityZone") ? columns.at("AvailabilityZone") : k_none;
  const std::size_t width = csv[0].fields.size();
  m_rows.reserve(csv.size() - 1);
  for (std::size_t k = 1; k < csv.size(); ++k) {
    const CsvRow& r = csv[k];
    if (r.fields.size() != width) {
      problems.push_back(Diagnostic{file, r.line, 1, "",
                                    fmt::format("expected {} fields as in the header, got {}", width, r.fields.size())});
      if (problems.size() >= 50) break;
      continue;
    }
    Row row;
    row.line = r.line;
    row.type = r.fields[col("InstanceType")].text;
    row.accelerator = r.fields[col("AcceleratorName")].text;
    row.region = r.fields[col("Region")].text;
    if (zone_col != k_none) row.zone = r.fields[zone_col].text;
    row.count = parse_number(r.fields[col("AcceleratorCount")], "AcceleratorCount", file, true, problems);
    row.vcpus = parse_number(r.fields[col("vCPUs")], "vCPUs", file, false, problems);
    row.memory = parse_number(r.fields[col("MemoryGiB")], "MemoryGiB", file, false, problems);
    row.price = parse_number(r.fields[col("Price")], "Price", file, false, problems);
    row.spot = parse_number(r.fields[col("SpotPrice")], "SpotPrice", file, false, problems);
    // A price of 0 is no price: catalog prices are positive, and SkyPilot writes nothing for unknown.
    if (row.price && *row.price == 0) row.price.reset();
    if (row.spot && *row.spot == 0) row.spot.reset();
    if (problems.size() >= 50) break;
    m_rows.push_back(std::move(row));
  }
  if (!problems.empty()) throw util::InputError(std::move(problems));
  m_result.rows_read = csv.size() - 1;
}

std::string Importer::price_note(const Agg& a, const char* what) const {
  return fmt::format("{} = minimum non-empty {} over {} row(s) in {}{}", what,
                     std::string(what) == "price" ? "Price" : "SpotPrice", a.rows, m_o.region, zones_text(a.zones));
}

std::optional<std::string> Importer::hardware_for(const std::string& what, const std::string& accelerator,
                                                  const Instance* existing, const std::vector<std::size_t>& lines) {
  std::vector<std::string> candidates = accelerator_candidates(m_o.cloud, accelerator);
  candidates.erase(std::remove_if(candidates.begin(), candidates.end(),
                                  [&](const std::string& id) { return m_base.hardware_by_id(id) == nullptr; }),
                   candidates.end());
  if (candidates.empty()) {
    unknown_accelerator(accelerator, lines);
    skip(what, fmt::format("unknown accelerator '{}' (no catalog hardware id for it)", accelerator), lines);
    return std::nullopt;
  }
  if (candidates.size() == 1) return candidates.front();
  if (existing && existing->accelerator &&
      std::find(candidates.begin(), candidates.end(), *existing->accelerator) != candidates.end()) {
    return *existing->accelerator;
  }
  skip(what, fmt::format("ambiguous accelerator '{}' on {} (one of {}); not guessed for a new entry", accelerator,
                         m_o.cloud, util::join(candidates, ", ")),
       lines);
  return std::nullopt;
}

void Importer::emit(const std::string& id, const std::string& name, const Row& spec,
                    const std::optional<std::string>& hardware, int count, std::optional<double> price,
                    std::optional<double> spot, std::optional<Combined> parts, const std::string& note) {
  const Instance* existing = m_base.instance(id);
  if (existing && existing->id != id) existing = nullptr;  // matched a name, not this id
  const std::string price_source = "SkyPilot vms.csv: " + m_o.source_name;
  Json e = Json::object();
  e["id"] = id;
  if (existing) {
    // Override: prices only. null erases the default's value, so a price SkyPilot leaves empty
    // reads as unknown rather than as the default catalog's price for another region.
    const Json& raw = m_base.raw.at("instances").at(id);
    e["region"] = m_o.region;
    e["price_usd_per_hour"] = price ? Json(*price) : Json(nullptr);
    e["spot_price_usd_per_hour"] = spot ? Json(*spot) : Json(nullptr);
    if (parts) {
      Json p = Json::object();
      p["vm_usd_per_hour"] = parts->vm ? Json(*parts->vm) : Json(nullptr);
      p["accelerators_usd_per_hour"] = parts->accelerators ? Json(*parts->accelerators) : Json(nullptr);
      e["price_parts"] = p;
    } else if (raw.contains("price_parts")) {
      e["price_parts"] = nullptr;
    }
    e["price_source"] = price_source;
    e["price_as_of"] = m_o.as_of;
    std::string notes = raw.value("notes", "");
    if (auto at = notes.find(std::string(" | ") + k_import_marker); at != std::string::npos) notes.erase(at);
    if (starts_with(notes, k_import_marker)) notes.clear();
    e["notes"] = notes.empty() ? k_import_marker + note : notes + " | " + k_import_marker + note;
    // Say where SkyPilot and the catalog disagree on the specification; the catalog's is kept.
    std::vector<std::string> diffs;
    if (spec.vcpus && std::fabs(*spec.vcpus - existing->vcpus) > 1e-9) {
      diffs.push_back(fmt::format("vCPUs {} vs {}", fmt_num(*spec.vcpus), fmt_num(existing->vcpus)));
    }
    if (spec.memory && std::fabs(*spec.memory - existing->memory_gib) > 0.01 * existing->memory_gib) {
      diffs.push_back(fmt::format("memory {} vs {} GiB", fmt_num(*spec.memory), fmt_num(existing->memory_gib)));
    }
    const std::string theirs = hardware ? fmt::format("{} x{}", *hardware, count) : "none";
    const std::string ours = existing->accelerator ? fmt::format("{} x{}", *existing->accelerator, existing->accelerator_count) : "none";
    if (theirs != ours) diffs.push_back(fmt::format("accelerator {} vs {}", theirs, ours));
    if (!diffs.empty()) {
      m_result.warnings.push_back(fmt::format("{}: SkyPilot and the catalog disagree ({}; SkyPilot first); the catalog's "
                                              "specification is kept, only prices are imported",
                                              name, util::join(diffs, ", ")));
    }
    m_result.overridden_ids.push_back(id);
  } else {
    e["cloud"] = m_o.cloud;
    e["name"] = name;
    if (m_o.cloud == "aws" && name.find('.') != std::string::npos) {
      e["family"] = name.substr(0, name.find('.'));
    } else if (m_o.cloud == "gcp" && name.rfind('-') != std::string::npos) {
      const std::string last = name.substr(name.rfind('-') + 1);
      if (std::any_of(last.begin(), last.end(), [](char c) { return std::isdigit(static_cast<unsigned char>(c)); })) {
        e["family"] = name.substr(0, name.rfind('-'));
      }
    }
    e["vcpus"] = *spec.vcpus;
    e["memory_gib"] = *spec.memory;
    if (hardware) {
      e["accelerator"] = *hardware;
      e["accelerator_count"] = count;
    }
    e["region"] = m_o.region;
    if (price) e["price_usd_per_hour"] = *price;
    if (parts) {
      Json p = Json::object();
      if (parts->vm) p["vm_usd_per_hour"] = *parts->vm;
      if (parts->accelerators) p["accelerators_usd_per_hour"] = *parts->accelerators;
      e["price_parts"] = p;
    }
    if (spot) e["spot_price_usd_per_hour"] = *spot;
    e["source"] = price_source;
    e["as_of"] = m_o.as_of;
    e["price_source"] = price_source;
    e["price_as_of"] = m_o.as_of;
    e["notes"] = k_import_marker + note;
    m_result.new_ids.push_back(id);
  }
  m_entries[id] = std::move(e);
}

void Importer::vm_type(const std::string& type, const std::vector<const Row*>& rows) {
  const Agg agg = aggregate(rows);
  const Row& first = *rows.front();
  for (const Row* r : rows) {
    if (r->vcpus != first.vcpus || r->memory != first.memory || r->accelerator != first.accelerator ||
        r->count != first.count) {
      skip(type, fmt::format("rows disagree on vCPUs, MemoryGiB, AcceleratorName or AcceleratorCount (lines {} and {})",
                             first.line, r->line),
           agg.lines);
      return;
    }
  }
  const std::string id = instance_id(m_o.cloud, type);
  if (!util::is_kebab_id(id)) {
    skip(type, fmt::format("the name does not make a valid catalog id ('{}')", util::escape_for_terminal(id)), agg.lines);
    return;
  }
  const Instance* existing = m_base.instance(id);
  if (existing && existing->id != id) existing = nullptr;
  if (!existing && (!first.vcpus || *first.vcpus <= 0 || !first.memory || *first.memory <= 0)) {
    skip(type, "new instance type without vCPUs or MemoryGiB", agg.lines);
    return;
  }

  std::optional<std::string> hardware;
  int count = 0;
  std::optional<Combined> parts, spot_parts;
  std::string accelerator = first.accelerator;
  std::string note;
  if (m_o.cloud == "gcp" && accelerator.empty() && is_gcp_gpu_family(type)) {
    // The VM row excludes its GPUs: add the GPU row of the same zone.
    const auto attached = gcp_attached_gpu(type);
    if (!attached) {
      skip(type, "GCP GPU machine type whose attached GPU is not known to the importer; its VM-only price is not a "
                 "whole-instance price", agg.lines);
      return;
    }
    hardware = hardware_for(type, attached->first, existing, agg.lines);
    if (!hardware) return;
    count = attached->second;
    const auto key = std::make_pair(attached->first, attached->second);
    auto it = m_acc.find(key);
    if (it == m_acc.end()) {
      skip(type, fmt::format("no GPU price row for {} x{} in {}; the VM row alone is not the instance's price",
                             attached->first, attached->second, m_o.region),
           agg.lines);
      return;
    }
    m_acc_used.insert(key);
    parts = combine(rows, it->second, false);
    spot_parts = combine(rows, it->second, true);
    note = fmt::format("GPUs billed apart: price = VM row + {} x{} GPU row of the same zone, the cheapest zone {}",
                       attached->first, attached->second,
                       parts->total ? "(" + parts->zone + ": " + fmt_num(*parts->vm) + " + " + fmt_num(*parts->accelerators) + ")"
                                    : "(no zone lists both prices: whole price unknown, parts are each their minimum)");
    note += spot_parts->total ? fmt::format("; spot likewise ({})", spot_parts->zone) : "; spot unknown (no zone lists both)";
    note += fmt::format("; {} VM row(s) and {} GPU row(s) in {} of vms.csv", agg.rows, it->second.size(), m_o.region);
    emit(id, type, first, hardware, count, parts->total, spot_parts->total, parts, note);
    return;
  }
  if (!accelerator.empty()) {
    if (!first.count || *first.count < 1) {
      skip(type, fmt::format("AcceleratorName '{}' with an empty or zero AcceleratorCount", accelerator), agg.lines);
      return;
    }
    hardware = hardware_for(type, accelerator, existing, agg.lines);
    if (!hardware) return;
    count = static_cast<int>(*first.count);
  }
  note = price_note(agg, "price");
  if (!agg.price) note += " (Price empty in every row: on-demand unknown)";
  else if (agg.price_max && *agg.price_max > *agg.price) note += fmt::format(" (zone prices {} to {})", fmt_num(*agg.price), fmt_num(*agg.price_max));
  note += "; " + price_note(agg, "spot");
  if (!agg.spot) note += " (SpotPrice empty in every row: spot unknown)";
  emit(id, type, first, hardware, count, agg.price, agg.spot, std::nullopt, note);
}

void Importer::tpu(const std::string& name, const std::vector<const Row*>& rows) {
  const Agg agg = aggregate(rows);
  const std::string id = "gcp-" + lower(name);
  const Instance* existing = m_base.instance(id);
  if (existing && existing->id != id) existing = nullptr;
  const auto hardware = hardware_for(name, name, existing, agg.lines);
  if (!hardware) return;
  if (!existing) {
    skip(name, "new TPU slice: SkyPilot's TPU rows give no host vCPUs or memory, which a catalog entry needs "
               "(add the entry by hand, then re-import its prices)", agg.lines);
    return;
  }
  std::string note = price_note(agg, "price") + "; " + price_note(agg, "spot");
  if (!agg.price) note += " (Price empty in every row)";
  Row spec;  // TPU rows carry no host specification: compare nothing but the accelerator
  spec.vcpus = existing->vcpus;
  spec.memory = existing->memory_gib;
  emit(id, existing->name, spec, existing->accelerator, existing->accelerator_count, agg.price, agg.spot, std::nullopt, note);
}

void Importer::gcp_combos() {
  // Catalog entries such as gcp-n1-standard-8-t4x1 (name n1-standard-8+t4x1): a VM row plus a GPU row.
  for (const auto& i : m_base.instances) {
    if (i.cloud != Cloud::gcp) continue;
    const auto plus = i.name.find('+');
    if (plus == std::string::npos) continue;
    const std::string vm = i.name.substr(0, plus), gpu = i.name.substr(plus + 1);
    const auto x = gpu.rfind('x');
    if (x == std::string::npos) continue;
    int count = 0;
    const auto [p, ec] = std::from_chars(gpu.data() + x + 1, gpu.data() + gpu.size(), count);
    if (ec != std::errc() || p != gpu.data() + gpu.size() || count <= 0) continue;
    std::string gpu_name = gpu.substr(0, x);
    for (auto& c : gpu_name) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
    auto vm_it = m_vm.find(vm);
    auto acc_it = m_acc.find({gpu_name, count});
    if (vm_it == m_vm.end() || acc_it == m_acc.end()) continue;  // not in this file for this region
    const auto candidates = accelerator_candidates("gcp", gpu_name);
    if (!i.accelerator || std::find(candidates.begin(), candidates.end(), *i.accelerator) == candidates.end() ||
        i.accelerator_count != count) {
      m_result.warnings.push_back(fmt::format("{}: the catalog's accelerator does not match {} x{}; not priced", i.id,
                                              gpu_name, count));
      continue;
    }
    m_acc_used.insert({gpu_name, count});
    const Combined parts = combine(vm_it->second, acc_it->second, false);
    const Combined spot = combine(vm_it->second, acc_it->second, true);
    std::string note = fmt::format(
        "GPUs billed apart: price = {} VM row + {} x{} GPU row of the same zone, the cheapest zone {}", vm, gpu_name, count,
        parts.total ? "(" + parts.zone + ")" : "(no zone lists both: whole price unknown)");
    note += spot.total ? fmt::format("; spot likewise ({})", spot.zone) : "; spot unknown";
    Row spec;
    spec.vcpus = i.vcpus;
    spec.memory = i.memory_gib;
    emit(i.id, i.name, spec, i.accelerator, i.accelerator_count, parts.total, spot.total, parts, note);
  }
}

void Importer::run(const std::vector<CsvRow>& csv) {
  read_rows(csv);
  for (const Row& r : m_rows) {
    if (r.region != m_o.region) continue;
    ++m_result.rows_in_region;
    if (!r.type.empty()) {
      m_vm[r.type].push_back(&r);
    } else if (starts_with(lower(r.accelerator), "tpu-")) {
      m_tpu[r.accelerator].push_back(&r);
    } else if (!r.accelerator.empty()) {
      if (!r.count || *r.count < 1) {
        skip(r.accelerator, "accelerator-only row with an empty or zero AcceleratorCount", {r.line});
        continue;
      }
      m_acc[{r.accelerator, static_cast<int>(*r.count)}].push_back(&r);
    } else {
      skip("(empty)", "row has neither InstanceType nor AcceleratorName", {r.line});
    }
  }
  for (const auto& [type, rows] : m_vm) vm_type(type, rows);
  for (const auto& [name, rows] : m_tpu) tpu(name, rows);
  if (m_o.cloud == "gcp") gcp_combos();
  for (const auto& [key, rows] : m_acc) {
    if (m_acc_used.count(key)) continue;
    std::vector<std::size_t> lines;
    for (const Row* r : rows) lines.push_back(r->line);
    if (accelerator_candidates(m_o.cloud, key.first).empty()) {
      unknown_accelerator(key.first, lines);
      skip(fmt::format("{} x{}", key.first, key.second),
           fmt::format("unknown accelerator '{}' (no catalog hardware id for it)", key.first), lines);
      continue;
    }
    skip(fmt::format("{} x{}", key.first, key.second),
         fmt::format("GPU-only price rows: no host VM row in {} of this file uses {} x{}, so there is no whole-instance "
                     "price to write (the GPU price alone is not imported)",
                     m_o.region, key.first, key.second),
         lines);
  }
  for (const auto& [name, lines] : m_unknown) {
    m_result.warnings.push_back(fmt::format("unknown SkyPilot accelerator '{}' (no catalog hardware id; add a hardware "
                                            "entry or a mapping): {} row(s) skipped: {}",
                                            util::escape_for_terminal(name), lines.size(), lines_text(m_o.file, lines)));
  }
  Json instances = Json::array();
  for (auto& [id, e] : m_entries) instances.push_back(std::move(e));
  m_result.catalog = Json::object();
  m_result.catalog["instances"] = std::move(instances);
  std::sort(m_result.new_ids.begin(), m_result.new_ids.end());
  std::sort(m_result.overridden_ids.begin(), m_result.overridden_ids.end());
}

}  // namespace

ImportResult import_vms_csv(std::string_view text, const ImportOptions& options, const Catalog& base) {
  ImportOptions o = options;
  if (o.region.empty()) o.region = reference_region(o.cloud);
  ImportResult result;
  result.cloud = o.cloud;
  result.region = o.region;
  const auto csv = parse_csv(text, o.file);
  Importer importer(o, base, result);
  importer.run(csv);
  return result;
}

}  // namespace aiadvise::catalog::skypilot
