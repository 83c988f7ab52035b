#include "support/fuzz_targets.hpp"

#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <stdexcept>

#include "aiadvise/catalog/loader.hpp"
#include "aiadvise/catalog/skypilot.hpp"
#include "aiadvise/check/terraform.hpp"
#include "aiadvise/report/recommend.hpp"
#include "aiadvise/scoring/recommend.hpp"
#include "aiadvise/sizing/sizing.hpp"
#include "aiadvise/util/line_reader.hpp"
#include "aiadvise/workload/workload.hpp"

namespace aiadvise::fuzz {

namespace {

const catalog::Catalog& default_catalog() {
  static const catalog::Catalog c = catalog::load_catalog(catalog::LoadOptions{});
  return c;
}

std::string text(const std::uint8_t* data, std::size_t size) { return std::string(reinterpret_cast<const char*>(data), size); }

// A finding: anything but an input error escaping a reader.
[[noreturn]] void fail(const char* what) {
  std::fprintf(stderr, "fuzz target failed: %s\n", what);
  std::abort();
}

bool finite_everywhere(const util::Json& j) {
  if (j.is_number_float()) return std::isfinite(j.get<double>());
  if (j.is_structured()) {
    for (const auto& item : j) {
      if (!finite_everywhere(item)) return false;
    }
  }
  return true;
}

util::Json recommend_json(const util::JsonDocument& doc) {
  const auto& c = default_catalog();
  const workload::Workload w = workload::normalise(&doc, {}, c);
  const sizing::Requirements req = sizing::requirements(w, c);
  const scoring::Decision d = scoring::recommend(w, req, c);
  return report::recommendation_report(w, req, d, c, report::ReportOptions{true});
}

}  // namespace

int catalog(const std::uint8_t* data, std::size_t size) {
  try {
    catalog::load_catalog_texts({catalog::SourceText{"fuzz.json", text(data, size)}});
  } catch (const util::InputError&) {
  }
  return 0;
}

int workload(const std::uint8_t* data, std::size_t size) {
  std::vector<util::Diagnostic> diagnostics;
  const auto doc = util::JsonDocument::parse("fuzz.json", text(data, size), {}, diagnostics);
  if (!doc.ok()) {
    if (diagnostics.empty()) fail("a rejected document without a diagnostic");
    return 0;
  }
  try {
    const auto w = workload::normalise(&doc, {}, default_catalog());
    // The normalised workload must read back to the same workload.
    const std::string again = workload::to_json(w).dump();
    std::vector<util::Diagnostic> d2;
    const auto doc2 = util::JsonDocument::parse("again.json", again, {}, d2);
    if (!doc2.ok() || workload::to_json(workload::normalise(&doc2, {}, default_catalog())).dump() != again) {
      fail("the normalised workload does not round-trip");
    }
  } catch (const util::InputError&) {
  }
  return 0;
}

int jsonl(const std::uint8_t* data, std::size_t size) {
  std::FILE* file = fmemopen(const_cast<std::uint8_t*>(data), size, "rb");
  if (!file) return 0;  // fmemopen refuses empty buffers on some libcs
  util::LineReader reader(file, 4096);
  std::string line;
  for (;;) {
    const auto status = reader.next(line);
    if (status == util::LineReader::Status::end || status == util::LineReader::Status::error) break;
    if (status == util::LineReader::Status::too_long) continue;
    if (line.size() > 4096) fail("a line longer than the cap was returned");
    std::vector<util::Diagnostic> diagnostics;
    const auto doc = util::JsonDocument::parse("fuzz.jsonl", line, {}, diagnostics);
    if (!doc.ok()) continue;
    try {
      workload::normalise(&doc, {}, default_catalog());
    } catch (const util::InputError&) {
    }
  }
  std::fclose(file);
  return 0;
}

int terraform(const std::uint8_t* data, std::size_t size) {
  std::vector<util::Diagnostic> diagnostics;
  const auto doc = util::JsonDocument::parse("plan.json", text(data, size), {}, diagnostics);
  if (!doc.ok()) return 0;
  try {
    const auto plan = check::read_terraform_plan(doc, default_catalog());
    for (const auto& r : plan.resources) {
      if (r.count < 0) fail("a negative resource count");
    }
  } catch (const util::InputError&) {
  }
  return 0;
}

int end_to_end(const std::uint8_t* data, std::size_t size) {
  std::vector<util::Diagnostic> diagnostics;
  const auto doc = util::JsonDocument::parse("fuzz.json", text(data, size), {}, diagnostics);
  if (!doc.ok()) return 0;
  try {
    const std::string first = recommend_json(doc).dump();
    const auto reparsed = util::Json::parse(first);  // throws (a finding) if the output is not JSON
    if (!finite_everywhere(reparsed)) fail("a non-finite number in the report");
    if (recommend_json(doc).dump() != first) fail("two runs gave different reports");
  } catch (const util::InputError&) {
  }
  return 0;
}

int skypilot(const std::uint8_t* data, std::size_t size) {
  // The first byte picks the cloud, so one corpus covers the three formats.
  if (size == 0) return 0;
  static const char* const clouds[] = {"aws", "gcp", "azure"};
  catalog::skypilot::ImportOptions o;
  o.cloud = clouds[data[0] % 3];
  o.region = "all";
  o.as_of = "2026-12-01";
  o.file = "fuzz.csv";
  o.source_name = "fuzz.csv";
  catalog::skypilot::ImportResult result;
  try {
    result = catalog::skypilot::import_vms_csv(text(data + 1, size - 1), o, default_catalog());
  } catch (const util::InputError& e) {
    if (e.diagnostics().empty()) fail("an input error without a diagnostic");
    return 0;
  }
  // What would be written must serialise (valid UTF-8 everywhere), as `catalog import` writes it ...
  std::string json;
  try {
    json = catalog::skypilot::render_catalog(result.catalog);
  } catch (const std::exception&) {
    fail("the import cannot be serialised");
  }
  if (result.entry_lines.size() != result.catalog.at("instances").size()) fail("entry_lines out of step with the entries");
  if (result.catalog.at("instances").empty()) return 0;
  // ... and load over the catalog it was made for.
  auto sources = catalog::embedded_sources();
  sources.push_back(catalog::SourceText{"imported.json", json});
  try {
    catalog::load_catalog_texts(sources, {}, false);
  } catch (const util::InputError& e) {
    for (const auto& d : e.diagnostics()) std::fprintf(stderr, "%s: %s: %s\n", d.file.c_str(), d.pointer.c_str(), d.message.c_str());
    fail("the import does not load over the catalog it was made for");
  }
  return 0;
}

const std::vector<Target>& targets() {
  static const std::vector<Target> all{{"catalog", catalog},     {"workload", workload},     {"jsonl", jsonl},
                                       {"terraform", terraform}, {"end_to_end", end_to_end}, {"skypilot", skypilot}};
  return all;
}

}  // namespace aiadvise::fuzz
