// SkyPilot vms.csv -> aiadvise user catalog (instances with one offer per region), for one cloud
// and one, several or all of its regions.
//
// How the rows become entries (see docs/catalog.md, "Importing SkyPilot's catalog"):
//  - columns are found by header name; a row that cannot be read (wrong field count, a number out
//    of range, a name that is not printable ASCII, another cloud's region) is skipped and counted,
//    or fails the import with --strict; rows of regions not imported are ignored;
//  - one entry per instance type, one offer per region: the rows repeat per zone (and some repeat
//    outright), so an offer's price is the minimum non-empty Price over the region's rows, its
//    spot price likewise, and `zones` counts the zones listed;
//  - GCP bills GPUs apart: a2/a3/a4/g2 VM rows carry the VM price only and the GPU price is in
//    rows with an empty InstanceType. As SkyPilot does, the VM row and the GPU row (name, count)
//    of the same zone are added, the zone with the lowest sum taken. Existing
//    "n1-standard-8+t4x1"-style entries are priced the same way;
//  - TPU rows (InstanceType empty, AcceleratorName tpu-*) price the whole slice; the v5e host VM
//    rows ("n2d-48-24-v5lite-tpu") are the hosts of single-host v5e slices, not CPU instances:
//    they give a new slice its host vCPUs and memory;
//  - a fractional AcceleratorCount (Azure NVadsA10 v5: 0.167, 0.333, 0.5) is a share of one GPU;
//  - an id already in the catalog gets only offers (and notes); a new id gets a full entry, whose
//    home region is the catalog's reference region where it is sold there, else the first region
//    it is sold in by name.

#include "aiadvise/catalog/skypilot.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <array>
#include <charconv>
#include <functional>
#include <cmath>
#include <map>
#include <set>
#include <unordered_map>

#include "aiadvise/util/diagnostics.hpp"
#include "aiadvise/util/json_reader.hpp"
#include "aiadvise/util/text.hpp"

namespace aiadvise::catalog::skypilot {

using util::Diagnostic;
using util::Json;

// ---------------------------------------------------------------------------------------------
// CSV

void for_each_csv_record(std::string_view text, const std::string& file, const std::function<void(CsvRow&)>& each) {
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
      const bool keep = row.fields.size() < k_max_csv_fields;  // past the cap, fields are counted, not kept
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
          if (keep) field.text += text[i];
          advance();
        }
        if (i < n && text[i] != ',' && !at_line_end()) {
          fail(line, column, "text after the closing quote of a quoted field (a quote inside a field is written \"\")");
        }
      } else {
        while (i < n && text[i] != ',' && !at_line_end()) {
          if (keep) field.text += text[i];
          advance();
        }
      }
      ++row.field_count;
      if (keep) row.fields.push_back(std::move(field));
      if (i < n && text[i] == ',') {
        advance();
        continue;
      }
      if (i < n && text[i] == '\r') advance();  // CRLF, or a CR at the very end
      if (i < n && text[i] == '\n') advance();
      break;
    }
    each(row);
  }
}

std::vector<CsvRow> parse_csv(std::string_view text, const std::string& file) {
  std::vector<CsvRow> rows;
  for_each_csv_record(text, file, [&](CsvRow& row) { rows.push_back(std::move(row)); });
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
      {"b200", "nvidia-b200"},           {"gb200", "nvidia-gb200"},         {"mi300x", "amd-mi300x"},
      {"inferentia", "aws-inferentia"},  {"inferentia2", "aws-inferentia2"}, {"trainium", "aws-trainium"},
      {"trainium2", "aws-trainium2"}};
  const std::string key = lower(name);
  // Azure sells H100 as SXM (ND H100 v5) and as NVL (NC H100 v5) under one SkyPilot name.
  if (cloud == "azure" && key == "h100") return {"nvidia-h100-sxm", "nvidia-h100-nvl"};
  if (auto it = k_names.find(key); it != k_names.end()) return {it->second};
  // TPU slices: tpu-<generation>-<size>.
  if (starts_with(key, "tpu-v5litepod-") || starts_with(key, "tpu-v5e-")) return {"google-tpu-v5e"};
  if (starts_with(key, "tpu-v5p-")) return {"google-tpu-v5p"};
  if (starts_with(key, "tpu-v6e-")) return {"google-tpu-v6e"};
  if (starts_with(key, "tpu-v4-")) return {"google-tpu-v4"};
  return {};
}

std::optional<std::string> cloud_of_region_name(std::string_view r) {
  // NOTE: the clouds' naming schemes: AWS "us-east-1", "us-gov-west-1", "ap-southeast-4" (a
  // number after a dash); GCP "us-central1", "europe-west10" (a number glued to the last word);
  // Azure "eastus", "westus2", "germanywestcentral" (no dash at all).
  if (r.empty()) return std::nullopt;
  for (char c : r) {
    if (!((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-')) return std::nullopt;
  }
  const auto dash = r.rfind('-');
  if (dash == std::string_view::npos) return std::string("azure");
  const std::string_view last = r.substr(dash + 1);
  if (last.empty()) return std::nullopt;
  const bool all_digits = std::all_of(last.begin(), last.end(), [](char c) { return c >= '0' && c <= '9'; });
  if (all_digits) return std::string("aws");
  if (std::isdigit(static_cast<unsigned char>(last.back())) && std::isalpha(static_cast<unsigned char>(last.front()))) {
    return std::string("gcp");
  }
  return std::nullopt;
}

namespace {

// ---------------------------------------------------------------------------------------------
// Rows

const std::vector<std::string> k_required{"InstanceType", "AcceleratorName", "AcceleratorCount", "vCPUs",
                                          "MemoryGiB",    "Price",           "SpotPrice",        "Region"};

// NOTE: the bounds every value written must meet, so that an import always loads (the loader's
// own checks are the same or looser): prices as the catalog's (entries.cpp), counts far from any
// overflow.
constexpr double k_min_price = 1e-6, k_max_price = 1e5;
constexpr double k_max_vcpus = 100'000, k_max_memory_gib = 10'000'000;
constexpr double k_max_accelerators = 1024;
constexpr std::size_t k_max_name = 64;

struct Row {
  std::size_t line = 0;
  std::string type, accelerator, region, zone;
  std::optional<double> count, vcpus, memory, price, spot;
};

/// GCP machine types whose VM row excludes the GPUs they always come with (SkyPilot's table).
std::optional<std::pair<std::string, int>> gcp_attached_gpu(const std::string& type) {
  static const std::vector<std::pair<std::string, std::string>> k_families{
      {"a2-highgpu-", "A100"}, {"a2-megagpu-", "A100"},      {"a2-ultragpu-", "A100-80GB"}, {"a3-highgpu-", "H100"},
      {"a3-edgegpu-", "H100"}, {"a3-megagpu-", "H100-MEGA"}, {"a3-ultragpu-", "H200"},      {"a4-highgpu-", "B200"}};
  for (const auto& [prefix, gpu] : k_families) {
    if (!starts_with(type, prefix)) continue;
    const std::string rest = type.substr(prefix.size());
    if (rest.size() < 2 || rest.back() != 'g') return std::nullopt;
    int count = 0;
    const auto [p, ec] = std::from_chars(rest.data(), rest.data() + rest.size() - 1, count);
    if (ec != std::errc() || p != rest.data() + rest.size() - 1 || count <= 0 || count > 64) return std::nullopt;
    return std::make_pair(gpu, count);
  }
  static const std::map<std::string, int> k_g2{{"g2-standard-4", 1},  {"g2-standard-8", 1},  {"g2-standard-12", 1},
                                               {"g2-standard-16", 1}, {"g2-standard-24", 2}, {"g2-standard-32", 1},
                                               {"g2-standard-48", 4}, {"g2-standard-96", 8}};
  if (auto it = k_g2.find(type); it != k_g2.end()) return std::make_pair(std::string("L4"), it->second);
  return std::nullopt;
}

bool is_gcp_gpu_family(const std::string& type) {
  return starts_with(type, "a2-") || starts_with(type, "a3-") || starts_with(type, "a4-") || starts_with(type, "g2-");
}

/// GCP's v5e TPU host VMs as SkyPilot names them, and the chips of the single-host slice each
/// serves (Google's v5e "VM types" table: ct5lp-hightpu-1t, -4t, -8t).
std::optional<int> v5e_host_chips(const std::string& type) {
  static const std::map<std::string, int> k_hosts{
      {"n2d-48-24-v5lite-tpu", 1}, {"n2d-192-112-v5lite-tpu", 4}, {"n2d-384-224-v5lite-tpu", 8}};
  if (auto it = k_hosts.find(type); it != k_hosts.end()) return it->second;
  return std::nullopt;
}

bool is_tpu_host(const std::string& type) { return type.size() > 4 && type.compare(type.size() - 4, 4, "-tpu") == 0; }

double round9(double v) { return std::round(v * 1e9) / 1e9; }

std::string fmt_num(double v) { return fmt::format("{:g}", v); }

/// Printable ASCII without spaces or quotes: what an instance type, accelerator or zone name of
/// the three clouds is made of, and what is safe to write into a catalog and a terminal.
bool plain_name(std::string_view s) {
  if (s.size() > k_max_name) return false;
  return std::all_of(s.begin(), s.end(), [](char c) { return c > 0x20 && c < 0x7f && c != '"' && c != '\\'; });
}

bool price_in_range(double v) { return v >= k_min_price && v <= k_max_price; }

std::string lines_text(const std::string& file, const std::vector<std::size_t>& lines) {
  std::vector<std::string> parts;
  for (std::size_t k = 0; k < lines.size() && k < 10; ++k) parts.push_back(fmt::format("{}:{}", file, lines[k]));
  std::string out = util::join(parts, ", ");
  if (lines.size() > 10) out += fmt::format(" and {} more", lines.size() - 10);
  return out;
}

/// A header name fit for a message: escaped, cut, and at most this many listed.
std::string header_text(const std::vector<std::string>& names) {
  constexpr std::size_t k_listed = 20;
  std::vector<std::string> parts;
  for (std::size_t k = 0; k < names.size() && k < k_listed; ++k) {
    std::string name = names[k].size() > 40 ? names[k].substr(0, 40) + "..." : names[k];
    parts.push_back(name.empty() ? "(empty)" : util::escape_for_terminal(name));
  }
  std::string out = util::join(parts, ", ");
  if (names.size() > k_listed) out += fmt::format(" and {} more", names.size() - k_listed);
  return out;
}

const char* k_import_marker = "SkyPilot import: ";

/// One region's offer as the rows give it.
struct OfferOut {
  std::optional<double> price, spot;
  std::set<std::string> zones;
  std::optional<double> vm, accelerators;  ///< GCP GPU machines: the parts of the on-demand price
};

using Offers = std::map<std::string, OfferOut>;  ///< by region

/// Per region: the minimum non-empty Price and SpotPrice over the rows, and the zones listed.
Offers aggregate(const std::vector<const Row*>& rows) {
  Offers out;
  for (const Row* r : rows) {
    OfferOut& o = out[r->region];
    if (!r->zone.empty()) o.zones.insert(r->zone);
    // A price of 0 is none: catalog prices are positive, and SkyPilot writes 0 or nothing for unknown.
    if (r->price && *r->price > 0) o.price = o.price ? std::min(*o.price, *r->price) : *r->price;
    if (r->spot && *r->spot > 0) o.spot = o.spot ? std::min(*o.spot, *r->spot) : *r->spot;
  }
  return out;
}

/// Per region: the lowest per-zone sum of a VM row and an accelerator row, on demand and spot.
Offers combine(const std::vector<const Row*>& vm_rows, const std::vector<const Row*>& acc_rows) {
  using ByZone = std::map<std::pair<std::string, std::string>, std::pair<std::optional<double>, std::optional<double>>>;
  auto by_zone = [](const std::vector<const Row*>& rows) {
    ByZone out;
    for (const Row* r : rows) {
      auto& [price, spot] = out[{r->region, r->zone}];
      if (r->price) price = price ? std::min(*price, *r->price) : *r->price;
      if (r->spot) spot = spot ? std::min(*spot, *r->spot) : *r->spot;
    }
    return out;
  };
  const ByZone vm = by_zone(vm_rows), acc = by_zone(acc_rows);
  Offers out;
  for (const auto& [key, v] : vm) {
    OfferOut& o = out[key.first];
    auto it = acc.find(key);
    if (it == acc.end()) continue;  // this zone has no GPU price: the VM alone is not the instance
    if (!key.second.empty()) o.zones.insert(key.second);
    if (v.first && it->second.first && *v.first + *it->second.first > 0) {
      const double total = round9(*v.first + *it->second.first);
      if (!o.price || total < *o.price) {
        o.price = total;
        // The parts are written only when both are prices (A4: the GPU row is the whole price).
        const bool both = *v.first > 0 && *it->second.first > 0;
        o.vm = both ? v.first : std::nullopt;
        o.accelerators = both ? it->second.first : std::nullopt;
      }
    }
    if (v.second && it->second.second && *v.second + *it->second.second > 0) {
      const double total = round9(*v.second + *it->second.second);
      if (!o.spot || total < *o.spot) o.spot = total;
    }
  }
  // A region whose zones never list both rows offers nothing to price.
  for (auto it = out.begin(); it != out.end();) it = it->second.zones.empty() && !it->second.price ? out.erase(it) : std::next(it);
  return out;
}

class Importer {
 public:
  Importer(const ImportOptions& o, const Catalog& base, ImportResult& result) : m_o(o), m_base(base), m_result(result) {}

  void run(std::string_view text);

 private:
  void read_header(const CsvRow& header);
  void read_row(const CsvRow& row);
  void finish_rows();
  int cloud_index(const std::string& region);
  void bad_row(std::size_t line, std::size_t column, std::string message);
  bool wanted(const std::string& region) const;
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
  std::optional<std::string> hardware_for(const std::string& what, const std::string& type, const std::string& accelerator,
                                          const Instance* existing, const std::vector<std::size_t>& lines);
  const Instance* existing(const std::string& id) const {
    const Instance* i = m_base.instance(id);
    return i && i->id == id ? i : nullptr;  // a name match is another entry
  }
  struct Spec {
    double vcpus = 0, memory = 0;
    std::optional<std::string> hardware;
    int count = 0;
    std::optional<double> share;
  };
  void emit(const std::string& id, const std::string& name, const Spec& spec, Offers offers, std::vector<std::size_t> lines,
            const std::string& note);

  const ImportOptions& m_o;
  const Catalog& m_base;
  ImportResult& m_result;
  static constexpr std::size_t k_no_column = static_cast<std::size_t>(-1);
  std::map<std::string, std::size_t> m_columns;
  std::size_t m_width = 0, m_zone_col = k_no_column;
  bool m_last_column_unused = false;  ///< extra fields in a row can only be the last column's
  std::size_t m_overflow_rows = 0;
  std::unordered_map<std::string, int> m_region_cloud;  ///< region -> cloud index, or -1 when unknown
  std::array<std::size_t, 3> m_rows_of_cloud{0, 0, 0};
  struct Foreign {
    std::size_t line, column;
    std::string region;
    int cloud;
  };
  std::vector<Foreign> m_foreign;  ///< rows in another cloud's regions
  std::set<std::string> m_seen_regions;
  std::set<std::string> m_regions;  ///< the regions asked for (empty: all)
  std::vector<Row> m_rows;          ///< the good rows of the imported regions
  std::map<std::string, std::vector<const Row*>> m_vm;                   // type -> rows
  std::map<std::pair<std::string, int>, std::vector<const Row*>> m_acc;  // (GPU name, count) -> rows
  std::set<std::pair<std::string, int>> m_acc_used;
  std::map<std::string, std::vector<const Row*>> m_tpu;    // TPU name -> rows
  std::map<int, const Row*> m_v5e_hosts;                   // chips -> a host VM row
  std::map<std::string, std::vector<std::size_t>> m_unknown;  // accelerator -> lines
  std::map<std::string, std::pair<util::Json, std::vector<std::size_t>>> m_entries;  // id -> entry, lines
};

void Importer::bad_row(std::size_t line, std::size_t column, std::string message) {
  ++m_result.rows_bad;
  if (m_result.bad.size() < m_o.max_diagnostics) m_result.bad.push_back(util::Diagnostic{m_o.file, line, column, "", std::move(message)});
}

bool Importer::wanted(const std::string& region) const { return m_regions.empty() || m_regions.count(region) > 0; }

void Importer::read_header(const CsvRow& header) {
  m_width = header.field_count;
  if (header.field_count > header.fields.size()) {
    throw util::InputError(std::vector<Diagnostic>{Diagnostic{
        m_o.file, header.line, 1, "",
        fmt::format("the header has {} fields; a SkyPilot vms.csv has about ten (InstanceType, AcceleratorName, ..., Region)",
                    header.field_count)}});
  }
  std::vector<std::string> names;
  for (std::size_t k = 0; k < header.fields.size(); ++k) {
    std::string name = header.fields[k].text;
    if (k == 0 && starts_with(name, "\xEF\xBB\xBF")) name = name.substr(3);  // a BOM
    m_columns.try_emplace(name, k);
    names.push_back(std::move(name));
  }
  std::vector<Diagnostic> problems;
  for (const auto& required : k_required) {
    if (m_columns.count(required)) continue;
    std::vector<std::string> plain;
    for (const auto& n : names) {
      if (plain_name(n)) plain.push_back(n);
      if (plain.size() >= 100) break;  // did-you-mean over a few names is enough
    }
    problems.push_back(Diagnostic{m_o.file, header.line, 1, "",
                                  fmt::format("missing required column '{}'{} (the header has {} field(s): {})", required,
                                              util::did_you_mean(required, plain), names.size(), header_text(names))});
  }
  if (!problems.empty()) throw util::InputError(std::move(problems));
  m_zone_col = m_columns.count("AvailabilityZone") ? m_columns.at("AvailabilityZone") : k_no_column;
  m_last_column_unused = m_width > 0 && m_zone_col != m_width - 1;
  for (const auto& required : k_required) m_last_column_unused = m_last_column_unused && m_columns.at(required) != m_width - 1;
}

std::optional<double> parse_number(const CsvField& f, const std::string& column, std::string& problem) {
  if (f.text.empty()) return std::nullopt;
  double v = 0;
  const char* first = f.text.data();
  const char* last = first + f.text.size();
  const auto [p, ec] = std::from_chars(first, last, v);
  if (ec != std::errc() || p != last || !std::isfinite(v) || v < 0) {
    std::string shown = f.text.size() > 40 ? f.text.substr(0, 40) + "..." : f.text;
    problem = fmt::format("column {}: expected a non-negative number or nothing, got '{}'", column, util::escape_for_terminal(shown));
    return std::nullopt;
  }
  return v;
}

int Importer::cloud_index(const std::string& region) {
  auto it = m_region_cloud.find(region);
  if (it != m_region_cloud.end()) return it->second;
  std::optional<std::string> cloud;
  if (auto known = m_base.cloud_of_region(region)) cloud = std::string(to_string(*known));
  else cloud = cloud_of_region_name(region);
  const int index = cloud ? static_cast<int>(*parse_cloud(*cloud)) : -1;
  m_region_cloud.emplace(region, index);
  return index;
}

void Importer::read_row(const CsvRow& r) {
  ++m_result.rows_read;
  // NOTE: SkyPilot's Azure file writes its last column, Generation, as "V1,V2" without quotes. A row
  // with extra fields is read when the header's last column is one the import does not use: the
  // extra fields can then only belong to it (counted, and said in a warning).
  const bool overflow_ok = r.field_count > m_width && r.field_count <= r.fields.size() && m_last_column_unused;
  if (r.field_count != m_width && !overflow_ok) {
    bad_row(r.line, 1, fmt::format("expected {} fields as in the header, got {}", m_width, r.field_count));
    return;
  }
  if (overflow_ok) ++m_overflow_rows;
  auto col = [&](const char* name) { return m_columns.at(name); };
  Row row;
  row.line = r.line;
  // Text: printable ASCII names (which also rules out invalid UTF-8).
  struct TextColumn {
    const char* name;
    std::size_t at;
    std::string* out;
  };
  const TextColumn texts[] = {{"InstanceType", col("InstanceType"), &row.type},
                              {"AcceleratorName", col("AcceleratorName"), &row.accelerator},
                              {"Region", col("Region"), &row.region},
                              {"AvailabilityZone", m_zone_col, &row.zone}};
  for (const auto& t : texts) {
    if (t.at == k_no_column) continue;
    const CsvField& f = r.fields[t.at];
    if (!plain_name(f.text)) {
      bad_row(f.line, f.column,
              fmt::format("column {}: expected a name of at most {} printable ASCII characters (no spaces or quotes), got '{}'", t.name,
                          k_max_name, util::escape_for_terminal(f.text.size() > 40 ? f.text.substr(0, 40) + "..." : f.text)));
      return;
    }
    *t.out = f.text;
  }
  const CsvField& region_field = r.fields[col("Region")];
  if (!util::is_kebab_id(row.region)) {
    bad_row(region_field.line, region_field.column,
            row.region.empty() ? std::string("column Region: empty")
                               : fmt::format("column Region: '{}' is not a region name (lower-case letters, digits and '-')", row.region));
    return;
  }
  // Numbers: finite, non-negative, and in range for what they are.
  struct NumberColumn {
    const char* name;
    std::optional<double>* out;
  };
  const NumberColumn numbers[] = {{"AcceleratorCount", &row.count}, {"vCPUs", &row.vcpus}, {"MemoryGiB", &row.memory},
                                  {"Price", &row.price},            {"SpotPrice", &row.spot}};
  for (const auto& n : numbers) {
    const CsvField& f = r.fields[m_columns.at(n.name)];
    std::string problem;
    *n.out = parse_number(f, n.name, problem);
    const std::string_view name = n.name;
    if (problem.empty() && *n.out) {
      const double v = **n.out;
      if (name == "AcceleratorCount" && v != 0 && !(v >= 0.01 && v < 1) && !(v >= 1 && v <= k_max_accelerators && v == std::floor(v))) {
        problem = fmt::format("column AcceleratorCount: expected a whole count from 1 to {:g} or a fraction of one GPU (0.01 to 0.99), "
                              "got {}",
                              k_max_accelerators, util::escape_for_terminal(f.text));
      } else if (name == "vCPUs" && v > k_max_vcpus) {
        problem = fmt::format("column vCPUs: {} is more than {:g}", util::escape_for_terminal(f.text), k_max_vcpus);
      } else if (name == "MemoryGiB" && v > k_max_memory_gib) {
        problem = fmt::format("column MemoryGiB: {} is more than {:g}", util::escape_for_terminal(f.text), k_max_memory_gib);
      } else if ((name == "Price" || name == "SpotPrice") && v != 0 && !price_in_range(v)) {
        problem = fmt::format("column {}: {} is outside {:g} to {:g} USD per hour", name, util::escape_for_terminal(f.text), k_min_price,
                              k_max_price);
      }
    }
    if (!problem.empty()) {
      bad_row(f.line, f.column, std::move(problem));
      return;
    }
  }
  // A count of 0 is none. A price of 0 stays: alone it is no price (aggregate()), but as the VM
  // part of a GCP GPU machine it is a part (SkyPilot prices A4 machines through the GPU row alone).
  for (auto* v : {&row.count, &row.vcpus, &row.memory}) {
    if (*v && **v == 0) v->reset();
  }
  // Whose region it is: counted for the file's cloud, checked against --cloud when all is read.
  const int cloud = cloud_index(row.region);
  if (cloud >= 0) ++m_rows_of_cloud[static_cast<std::size_t>(cloud)];
  if (cloud >= 0 && cloud != static_cast<int>(*parse_cloud(m_o.cloud))) {
    m_foreign.push_back(Foreign{region_field.line, region_field.column, row.region, cloud});
    return;
  }
  m_seen_regions.insert(row.region);
  if (!wanted(row.region)) return;
  ++m_result.rows_in_region;
  m_rows.push_back(std::move(row));
}

void Importer::finish_rows() {
  // A file mostly of another cloud's regions is the wrong file for --cloud: one error, not a bad row each.
  const std::size_t mine = m_rows_of_cloud[static_cast<std::size_t>(*parse_cloud(m_o.cloud))];
  std::size_t classified = 0;
  for (auto n : m_rows_of_cloud) classified += n;
  for (std::size_t c = 0; c < m_rows_of_cloud.size(); ++c) {
    const std::size_t rows = m_rows_of_cloud[c];
    const std::string cloud(to_string(static_cast<Cloud>(c)));
    if (cloud == m_o.cloud || rows * 2 <= classified || mine * 2 > classified) continue;
    std::string example;
    for (const auto& f : m_foreign) {
      if (f.cloud == static_cast<int>(c)) {
        example = f.region;
        break;
      }
    }
    throw util::InputError(std::vector<Diagnostic>{Diagnostic{
        m_o.file, 1, 1, "",
        fmt::format("this looks like SkyPilot's {} catalog, not {}: {} of its {} rows are in {} regions (such as {}) and {} in {} "
                    "regions; check --cloud",
                    cloud, m_o.cloud, rows, m_result.rows_read, cloud, example, mine, m_o.cloud)}});
  }
  for (const auto& f : m_foreign) {
    bad_row(f.line, f.column,
            fmt::format("column Region: '{}' is a {} region, not {}", f.region, to_string(static_cast<Cloud>(f.cloud)), m_o.cloud));
  }
  std::stable_sort(m_result.bad.begin(), m_result.bad.end(),
                   [](const Diagnostic& a, const Diagnostic& b) { return std::tie(a.line, a.column) < std::tie(b.line, b.column); });
  if (m_o.strict && m_result.rows_bad > 0) {
    auto problems = m_result.bad;
    if (m_result.rows_bad > problems.size()) {
      problems.push_back(Diagnostic{m_o.file, 0, 0, "", fmt::format("and {} more bad rows (--strict fails on any)", m_result.rows_bad - problems.size())});
    }
    throw util::InputError(std::move(problems));
  }
  for (const auto& region : m_regions) {
    if (!m_seen_regions.count(region)) m_result.warnings.push_back(fmt::format("{}: no row for region {}", m_o.file, region));
  }
  if (m_overflow_rows > 0) {
    m_result.warnings.push_back(fmt::format("{}: {} row(s) have more fields than the header; the extra fields were read as part of "
                                            "its last column, which the import does not use",
                                            m_o.file, m_overflow_rows));
  }
  m_result.regions = m_regions.empty() ? std::vector<std::string>(m_seen_regions.begin(), m_seen_regions.end())
                                       : std::vector<std::string>(m_regions.begin(), m_regions.end());
}

std::optional<std::string> Importer::hardware_for(const std::string& what, const std::string& type, const std::string& accelerator,
                                                  const Instance* existing, const std::vector<std::size_t>& lines) {
  std::vector<std::string> candidates = accelerator_candidates(m_o.cloud, accelerator);
  if (m_o.cloud == "azure" && lower(accelerator) == "h100") {
    // ND H100 v5 is the SXM part; the NC(C) H100 v5 sizes are H100 NVL (Microsoft's size pages).
    if (starts_with(type, "Standard_ND")) candidates = {"nvidia-h100-sxm"};
    else if (starts_with(type, "Standard_NC")) candidates = {"nvidia-h100-nvl"};
  }
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
  skip(what, fmt::format("ambiguous accelerator '{}' on {} (one of {}); not guessed for a new entry", accelerator, m_o.cloud,
                         util::join(candidates, ", ")),
       lines);
  return std::nullopt;
}

std::vector<std::size_t> lines_of(const std::vector<const Row*>& rows) {
  std::vector<std::size_t> out;
  out.reserve(rows.size());
  for (const Row* r : rows) out.push_back(r->line);
  return out;
}

void Importer::emit(const std::string& id, const std::string& name, const Spec& spec, Offers offers, std::vector<std::size_t> lines,
                    const std::string& note) {
  // Offers priced beyond the catalog's bounds after adding parts are left unpriced, never written.
  for (auto& [region, o] : offers) {
    if (o.price && !price_in_range(*o.price)) o.price.reset(), o.vm.reset(), o.accelerators.reset();
    if (o.spot && !price_in_range(*o.spot)) o.spot.reset();
  }
  if (offers.empty()) return;
  const Instance* base = existing(id);
  const std::string price_source = "SkyPilot vms.csv: " + m_o.source_name;
  Json offer_list = Json::array();
  for (const auto& [region, o] : offers) {
    Json x = Json::object();
    x["region"] = region;
    // null erases a value the catalog had: an empty price here reads as unknown, not as another source's.
    x["price_usd_per_hour"] = o.price ? Json(*o.price) : Json(nullptr);
    x["spot_price_usd_per_hour"] = o.spot ? Json(*o.spot) : Json(nullptr);
    if (!o.zones.empty()) x["zones"] = static_cast<int>(std::min<std::size_t>(o.zones.size(), 1000));
    x["source"] = price_source;
    x["as_of"] = m_o.as_of;
    offer_list.push_back(std::move(x));
  }
  m_result.offers_written += offers.size();
  Json e = Json::object();
  e["id"] = id;
  auto parts_json = [](const OfferOut& o) {
    Json p = Json::object();
    p["vm_usd_per_hour"] = o.vm ? Json(*o.vm) : Json(nullptr);
    p["accelerators_usd_per_hour"] = o.accelerators ? Json(*o.accelerators) : Json(nullptr);
    return p;
  };
  if (base) {
    // Override: offers only (they merge by region with the catalog's). The home region's prices
    // given on the entry itself, and its price parts, would override the imported offer: cleared.
    static const Json k_none = Json::object();
    const auto section = m_base.raw.find("instances");
    const Json* found = section == m_base.raw.end() ? nullptr : [&]() -> const Json* {
      auto it = section->second.find(id);
      return it == section->second.end() ? nullptr : &it->second;
    }();
    const Json& raw = found ? *found : k_none;
    e["offers"] = std::move(offer_list);
    if (auto home = offers.find(base->region); home != offers.end()) {
      if (raw.contains("price_usd_per_hour")) e["price_usd_per_hour"] = nullptr;
      if (raw.contains("spot_price_usd_per_hour")) e["spot_price_usd_per_hour"] = nullptr;
      if (home->second.vm && home->second.accelerators) e["price_parts"] = parts_json(home->second);
      else if (raw.contains("price_parts")) e["price_parts"] = nullptr;
    }
    std::string notes = raw.value("notes", "");
    if (auto at = notes.find(std::string(" | ") + k_import_marker); at != std::string::npos) notes.erase(at);
    if (starts_with(notes, k_import_marker)) notes.clear();
    e["notes"] = notes.empty() ? k_import_marker + note : notes + " | " + k_import_marker + note;
    // Say where SkyPilot and the catalog disagree on the specification; the catalog's is kept.
    std::vector<std::string> diffs;
    if (spec.vcpus > 0 && std::fabs(spec.vcpus - base->vcpus) > 1e-9) {
      diffs.push_back(fmt::format("vCPUs {} vs {}", fmt_num(spec.vcpus), fmt_num(base->vcpus)));
    }
    if (spec.memory > 0 && std::fabs(spec.memory - base->memory_gib) > 0.01 * base->memory_gib) {
      diffs.push_back(fmt::format("memory {} vs {} GiB", fmt_num(spec.memory), fmt_num(base->memory_gib)));
    }
    auto accel = [](const std::optional<std::string>& h, int count, const std::optional<double>& share) {
      if (!h) return std::string("none");
      return share ? fmt::format("{} x{:g}", *h, *share) : fmt::format("{} x{}", *h, count);
    };
    const std::string theirs = accel(spec.hardware, spec.count, spec.share);
    const std::string ours = accel(base->accelerator, base->accelerator_count, base->accelerator_share);
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
    e["vcpus"] = spec.vcpus;
    e["memory_gib"] = spec.memory;
    if (spec.hardware) {
      e["accelerator"] = *spec.hardware;
      e["accelerator_count"] = spec.count;
      if (spec.share) e["accelerator_share"] = *spec.share;
    }
    // Home: the reference region where it is sold there, else the first region by name.
    const std::string reference = reference_region(m_o.cloud);
    const std::string home = offers.count(reference) ? reference : offers.begin()->first;
    e["region"] = home;
    if (offers.at(home).vm && offers.at(home).accelerators) e["price_parts"] = parts_json(offers.at(home));
    // A new entry's offers take their provenance from the entry: the compact form
    // [region, price, spot price, zones], which a catalog of every region (tens of thousands of
    // offers) loads several times faster than objects.
    Json compact = Json::array();
    for (const auto& [region, o] : offers) {
      Json item = Json::array({region, o.price ? Json(*o.price) : Json(nullptr), o.spot ? Json(*o.spot) : Json(nullptr),
                               o.zones.empty() ? Json(nullptr) : Json(static_cast<int>(std::min<std::size_t>(o.zones.size(), 1000)))});
      while (item.back().is_null()) item.erase(item.size() - 1);  // trailing unknowns left off
      compact.push_back(std::move(item));
    }
    e["offers"] = std::move(compact);
    e["source"] = price_source;
    e["as_of"] = m_o.as_of;
    e["price_source"] = price_source;
    e["price_as_of"] = m_o.as_of;
    e["notes"] = k_import_marker + note;
    m_result.new_ids.push_back(id);
  }
  std::sort(lines.begin(), lines.end());
  m_entries[id] = {std::move(e), std::move(lines)};
}

std::string zone_note(const char* how) {
  return fmt::format("each region's {}; zones = the zones that list it", how);
}

void Importer::vm_type(const std::string& type, const std::vector<const Row*>& rows) {
  const Row& first = *rows.front();
  auto lines = lines_of(rows);
  for (const Row* r : rows) {
    if (r->vcpus != first.vcpus || r->memory != first.memory || r->accelerator != first.accelerator || r->count != first.count) {
      skip(type, fmt::format("rows disagree on vCPUs, MemoryGiB, AcceleratorName or AcceleratorCount (lines {} and {})",
                             first.line, r->line),
           lines);
      return;
    }
  }
  if (m_o.cloud == "gcp" && is_tpu_host(type)) {
    // A TPU host VM: it serves a slice (tpu()), it is no instance of its own.
    if (auto chips = v5e_host_chips(type)) m_v5e_hosts.try_emplace(*chips, &first);
    skip(type, "TPU host VM: not an instance of its own; its vCPUs and memory are the host of a TPU slice (see the tpu-* rows)",
         lines);
    return;
  }
  const std::string id = instance_id(m_o.cloud, type);
  if (!util::is_kebab_id(id)) {
    skip(type, fmt::format("the name does not make a valid catalog id ('{}')", util::escape_for_terminal(id)), lines);
    return;
  }
  const Instance* base = existing(id);
  if (!base && (!first.vcpus || !first.memory)) {
    skip(type, "new instance type without vCPUs or MemoryGiB", lines);
    return;
  }
  Spec spec;
  spec.vcpus = first.vcpus.value_or(0);
  spec.memory = first.memory.value_or(0);
  if (m_o.cloud == "gcp" && first.accelerator.empty() && is_gcp_gpu_family(type)) {
    // The VM row excludes its GPUs: add the GPU row of the same zone.
    const auto attached = gcp_attached_gpu(type);
    if (!attached) {
      skip(type, "GCP GPU machine type whose attached GPU is not known to the importer; its VM-only price is not a "
                 "whole-instance price",
           lines);
      return;
    }
    spec.hardware = hardware_for(type, type, attached->first, base, lines);
    if (!spec.hardware) return;
    spec.count = attached->second;
    const auto key = std::make_pair(attached->first, attached->second);
    auto it = m_acc.find(key);
    if (it == m_acc.end()) {
      skip(type, fmt::format("no GPU price row for {} x{}; the VM row alone is not the instance's price", attached->first,
                             attached->second),
           lines);
      return;
    }
    m_acc_used.insert(key);
    Offers offers = combine(rows, it->second);
    if (offers.empty()) {
      skip(type, fmt::format("no zone lists both the VM row and the {} x{} GPU row", attached->first, attached->second), lines);
      return;
    }
    auto more = lines_of(it->second);
    lines.insert(lines.end(), more.begin(), more.end());
    emit(id, type, spec, std::move(offers), std::move(lines),
         fmt::format("GPUs billed apart: price = VM row + {} x{} GPU row of the same zone, the cheapest zone of {}; spot likewise",
                     attached->first, attached->second, zone_note("zones")));
    return;
  }
  if (!first.accelerator.empty()) {
    if (!first.count) {
      skip(type, fmt::format("AcceleratorName '{}' with an empty or zero AcceleratorCount", first.accelerator), lines);
      return;
    }
    spec.hardware = hardware_for(type, type, first.accelerator, base, lines);
    if (!spec.hardware) return;
    if (*first.count < 1) {
      spec.count = 1;
      spec.share = *first.count;  // a fractional GPU
    } else {
      spec.count = static_cast<int>(*first.count);  // whole and at most k_max_accelerators (read_rows)
    }
  }
  emit(id, type, spec, aggregate(rows), std::move(lines),
       "price = minimum non-empty Price over " + zone_note("rows") + "; spot likewise");
}

void Importer::tpu(const std::string& name, const std::vector<const Row*>& rows) {
  const std::string id = "gcp-" + lower(name);
  const Instance* base = existing(id);
  auto lines = lines_of(rows);
  const auto hardware = hardware_for(name, name, name, base, lines);
  if (!hardware) return;
  Spec spec;
  spec.hardware = hardware;
  if (base) {
    spec.vcpus = base->vcpus;
    spec.memory = base->memory_gib;
    spec.count = base->accelerator_count;
    emit(id, base->name, spec, aggregate(rows), std::move(lines), "TPU slice: price = minimum non-empty Price over " + zone_note("rows"));
    return;
  }
  // A new slice needs its host: known for v5e, from the host VM rows (Google's v5e VM types).
  const std::string key = lower(name);
  int chips = 0;
  const std::string size = key.substr(key.rfind('-') + 1);
  const auto [p, ec] = std::from_chars(size.data(), size.data() + size.size(), chips);
  const bool v5e = starts_with(key, "tpu-v5litepod-");
  if (!v5e || ec != std::errc() || p != size.data() + size.size() || chips <= 0 || chips > 4096) {
    skip(name, "new TPU slice: SkyPilot's rows give no host vCPUs or memory for it (only v5e host VMs are listed); add the "
               "entry by hand, then import its prices",
         lines);
    return;
  }
  // Single-host slices of 1, 4 or 8 chips have a host of their own; larger ones are 4-chip hosts.
  const int host_chips = chips <= 8 ? chips : 4;
  const int hosts = chips <= 8 ? 1 : chips / 4;
  auto host = m_v5e_hosts.find(host_chips);
  if ((chips > 8 && chips % 4 != 0) || host == m_v5e_hosts.end() || !host->second->vcpus || !host->second->memory) {
    skip(name, fmt::format("new TPU slice: no host VM row for a {}-chip v5e host in this file", host_chips), lines);
    return;
  }
  // The slice's totals must be values the catalog accepts (each host row alone was checked).
  if (*host->second->vcpus * hosts > k_max_vcpus || *host->second->memory * hosts > k_max_memory_gib) {
    skip(name,
         fmt::format("new TPU slice: {} hosts of {} vCPUs and {} GiB (line {}) exceed the catalog's limits ({:g} vCPUs, {:g} GiB)",
                     hosts, fmt_num(*host->second->vcpus), fmt_num(*host->second->memory), host->second->line, k_max_vcpus,
                     k_max_memory_gib),
         lines);
    return;
  }
  spec.vcpus = *host->second->vcpus * hosts;
  spec.memory = *host->second->memory * hosts;
  spec.count = chips;
  lines.push_back(host->second->line);
  emit(id, name.substr(4), spec, aggregate(rows), std::move(lines),
       fmt::format("TPU slice: price = minimum non-empty Price over {}; host: {} x {} ({} vCPUs, {} GiB each, line {})",
                   zone_note("rows"), hosts, host->second->type, fmt_num(*host->second->vcpus), fmt_num(*host->second->memory),
                   host->second->line));
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
    if (vm_it == m_vm.end() || acc_it == m_acc.end()) continue;  // not in this file for these regions
    const auto candidates = accelerator_candidates("gcp", gpu_name);
    if (!i.accelerator || std::find(candidates.begin(), candidates.end(), *i.accelerator) == candidates.end() ||
        i.accelerator_count != count) {
      m_result.warnings.push_back(fmt::format("{}: the catalog's accelerator does not match {} x{}; not priced", i.id, gpu_name, count));
      continue;
    }
    m_acc_used.insert({gpu_name, count});
    Offers offers = combine(vm_it->second, acc_it->second);
    auto lines = lines_of(vm_it->second);
    auto more = lines_of(acc_it->second);
    lines.insert(lines.end(), more.begin(), more.end());
    Spec spec;
    spec.vcpus = i.vcpus;
    spec.memory = i.memory_gib;
    spec.hardware = i.accelerator;
    spec.count = i.accelerator_count;
    emit(i.id, i.name, spec, std::move(offers), std::move(lines),
         fmt::format("GPUs billed apart: price = {} VM row + {} x{} GPU row of the same zone, the cheapest zone of {}; spot likewise",
                     vm, gpu_name, count, zone_note("zones")));
  }
}

void Importer::run(std::string_view text) {
  if (m_o.region.empty()) {
    m_regions.insert(reference_region(m_o.cloud));
  } else if (m_o.region != "all") {
    for (const auto& r : util::split_list(m_o.region, ',')) {
      if (!r.empty()) m_regions.insert(r);
    }
  }
  bool header = false;
  for_each_csv_record(text, m_o.file, [&](CsvRow& r) {
    if (!header) {
      header = true;
      read_header(r);
    } else {
      read_row(r);
    }
  });
  if (!header) throw util::InputError(std::vector<Diagnostic>{Diagnostic{m_o.file, 1, 1, "", "empty file: expected a header line"}});
  finish_rows();
  for (const Row& r : m_rows) {
    if (!r.type.empty()) {
      m_vm[r.type].push_back(&r);
    } else if (starts_with(lower(r.accelerator), "tpu-")) {
      m_tpu[r.accelerator].push_back(&r);
    } else if (!r.accelerator.empty()) {
      if (!r.count || *r.count < 1) {
        skip(r.accelerator, "accelerator-only row with an empty, zero or fractional AcceleratorCount", {r.line});
        continue;
      }
      m_acc[{r.accelerator, static_cast<int>(*r.count)}].push_back(&r);
    } else {
      skip("(empty)", "row has neither InstanceType nor AcceleratorName", {r.line});
    }
  }
  for (const auto& [type, rows] : m_vm) vm_type(type, rows);  // TPU host VMs first seen here
  for (const auto& [name, rows] : m_tpu) tpu(name, rows);
  if (m_o.cloud == "gcp") gcp_combos();
  for (const auto& [key, rows] : m_acc) {
    if (m_acc_used.count(key)) continue;
    const auto lines = lines_of(rows);
    if (accelerator_candidates(m_o.cloud, key.first).empty()) {
      unknown_accelerator(key.first, lines);
      skip(fmt::format("{} x{}", key.first, key.second), fmt::format("unknown accelerator '{}' (no catalog hardware id for it)", key.first),
           lines);
      continue;
    }
    skip(fmt::format("{} x{}", key.first, key.second),
         fmt::format("GPU-only price rows: no host VM row of this file uses {} x{}, so there is no whole-instance price to write (the "
                     "GPU price alone is not imported)",
                     key.first, key.second),
         lines);
  }
  for (const auto& [name, lines] : m_unknown) {
    m_result.warnings.push_back(fmt::format("unknown SkyPilot accelerator '{}' (no catalog hardware id; add a hardware entry or a "
                                            "mapping): {} row(s) skipped: {}",
                                            util::escape_for_terminal(name), lines.size(), lines_text(m_o.file, lines)));
  }
  Json instances = Json::array();
  for (auto& [id, entry] : m_entries) {
    instances.push_back(std::move(entry.first));
    m_result.entry_lines.push_back(std::move(entry.second));
  }
  m_result.catalog = Json::object();
  m_result.catalog["instances"] = std::move(instances);
  std::sort(m_result.new_ids.begin(), m_result.new_ids.end());
  std::sort(m_result.overridden_ids.begin(), m_result.overridden_ids.end());
}

}  // namespace

std::string render_catalog(const Json& catalog) {
  // Each entry's offers are set aside, the rest dumped indented, and the offers put back one per line.
  Json copy = catalog;
  std::vector<std::string> lines;
  if (copy.contains("instances") && copy["instances"].is_array()) {
    for (auto& e : copy["instances"]) {
      if (!e.is_object() || !e.contains("offers") || !e["offers"].is_array()) continue;
      std::string rendered = "[";
      const Json& offers = e["offers"];
      for (std::size_t k = 0; k < offers.size(); ++k) rendered += (k ? ",\n        " : "\n        ") + offers[k].dump();
      rendered += offers.empty() ? "]" : "\n      ]";
      e["offers"] = "\x01offers" + std::to_string(lines.size()) + "\x01";
      lines.push_back(std::move(rendered));
    }
  }
  std::string text = copy.dump(2);
  // A placeholder is the string "\u0001offersN\u0001" as dump() escapes it. Should some text of the
  // catalog read the same (a file name can hold anything), render it plainly instead.
  static constexpr std::string_view k_open = "\"\\u0001offers";
  std::size_t placeholders = 0;
  for (std::size_t at = text.find(k_open); at != std::string::npos; at = text.find(k_open, at + 1)) ++placeholders;
  if (placeholders != lines.size()) return catalog.dump(2) + "\n";
  std::string out;
  out.reserve(text.size() + 64 * lines.size());
  for (std::size_t i = 0; i < text.size();) {
    if (text.compare(i, k_open.size(), k_open) == 0) {
      const std::size_t end = text.find("\\u0001\"", i + k_open.size());
      const std::size_t n = std::stoul(text.substr(i + k_open.size(), end - i - k_open.size()));
      out += lines.at(n);
      i = end + 7;
      continue;
    }
    out += text[i++];
  }
  return out + "\n";
}

ImportResult import_vms_csv(std::string_view text, const ImportOptions& options, const Catalog& base) {
  if (!parse_cloud(options.cloud)) {
    throw util::InputError(fmt::format("unknown cloud '{}': expected aws, gcp or azure", util::escape_for_terminal(options.cloud)));
  }
  ImportResult result;
  result.cloud = options.cloud;
  Importer importer(options, base, result);
  importer.run(text);
  return result;
}

}  // namespace aiadvise::catalog::skypilot
