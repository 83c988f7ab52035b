// Reading measurement points: JSON Lines, one point per line, every field checked and every problem
// located by file, line and field.

#include <fmt/format.h>

#include "aiadvise/calibration/calibration.hpp"
#include "aiadvise/util/json_reader.hpp"
#include "aiadvise/util/text.hpp"

namespace aiadvise::calibration {

using util::NumberRule;
using util::ObjectReader;

const std::vector<std::string>& metric_names() {
  static const std::vector<std::string> names{"throughput",      "ttft_ms",          "tpot_ms",   "latency_ms",  "train_time_hours",
                                              "train_throughput", "gpu_hours",        "peak_memory_gib", "weights_gib",
                                              "kv_bytes_per_token"};
  return names;
}

std::vector<Point> read_points(const std::string& name, const std::string& text, std::vector<util::Diagnostic>& diagnostics) {
  static const std::vector<std::string> k_sets{"calibration", "validation"};
  static const std::vector<std::string> k_scopes{"system", "per_device"};
  std::vector<Point> points;
  std::size_t start = 0, line = 0;
  while (start < text.size()) {
    std::size_t end = text.find('\n', start);
    if (end == std::string::npos) end = text.size();
    std::string row = text.substr(start, end - start);
    start = end + 1;
    ++line;
    if (!row.empty() && row.back() == '\r') row.pop_back();
    if (row.find_first_not_of(" \t") == std::string::npos) continue;
    std::vector<util::Diagnostic> found;
    const util::JsonDocument doc = util::JsonDocument::parse(name, row, {}, found);
    if (doc.ok() && !doc.value().is_object()) {
      found.push_back(doc.diagnostic("", fmt::format("expected a point object, got {}", util::describe_value(doc.value()))));
    }
    if (doc.ok() && doc.value().is_object()) {
      Point p;
      p.file = name;
      p.line = line;
      ObjectReader r(doc.value(), util::Location{&doc, ""}, found);
      p.id = r.string("id", true).value_or("");
      // Point ids are longer than catalog ids (they name a source, a system and a setting).
      const bool id_ok = !p.id.empty() && p.id.size() <= 128 &&
                         p.id.find_first_not_of("abcdefghijklmnopqrstuvwxyz0123456789.-_") == std::string::npos;
      if (r.has("id") && !id_ok) {
        r.error("id", fmt::format("expected an id of lower-case letters, digits, '.', '-' and '_' (at most 128), got \"{}\"",
                                  util::escape_for_terminal(p.id.substr(0, 140))));
      }
      p.set = r.one_of("set", k_sets).value_or("");
      p.metric = r.one_of("metric", metric_names(), true).value_or("");
      p.value = r.number("value", NumberRule::positive, true).value_or(0);
      p.unit = r.string("unit").value_or("");
      p.scope = r.one_of("scope", k_scopes).value_or("system");
      if (const util::Json* w = r.object("workload", true)) p.workload = *w;
      if (const util::Json* h = r.object("hardware", true)) {
        ObjectReader hw(*h, r.location_of("hardware"), found);
        if (hw.has("accelerator") && !(*h)["accelerator"].is_null()) p.accelerator = hw.id("accelerator").value_or("");
        else hw.allow("accelerator");
        if (hw.has("cpu") && !(*h)["cpu"].is_null()) p.cpu = hw.id("cpu").value_or("");
        else hw.allow("cpu");
        p.per_instance = static_cast<int>(hw.integer("per_instance", 1, 100000).value_or(1));
        p.instances = static_cast<int>(hw.integer("instances", 1, 100000).value_or(1));
        p.tensor_parallel = static_cast<int>(hw.integer("tensor_parallel", 1, 100000).value_or(0));
        p.vcpus = hw.number("vcpus", NumberRule::positive);
        p.memory_gib = hw.number("memory_gib", NumberRule::positive);
        for (const char* key : {"system", "pipeline_parallel", "cores_used", "notes", "instance"}) hw.allow(key);
        hw.finish();
        if (p.per_instance > 100000) hw.error("per_instance", fmt::format("expected at most 100000, got {}", p.per_instance));
        if (p.instances > 100000) hw.error("instances", fmt::format("expected at most 100000, got {}", p.instances));
        if (p.accelerator.empty() && p.cpu.empty()) hw.error("accelerator", "a point names an accelerator or a host cpu");
      }
      p.tolerance = r.number("tolerance", NumberRule::positive);
      if (auto n = r.integer("clients", 1, 1000000)) p.clients = static_cast<int>(*n);
      static const std::vector<std::string> k_memory{"allocated", "device"};
      p.memory = r.one_of("memory", k_memory).value_or("device");
      if (p.tolerance && *p.tolerance < 1) r.error("tolerance", fmt::format("a multiplicative tolerance is at least 1, got {}", *p.tolerance));
      p.source = r.string("source", true).value_or("");
      p.as_of = r.date("as_of", true).value_or("");
      p.notes = r.string("notes").value_or("");
      for (const char* key : {"software", "source_kind", "what", "value_as_published", "unit_as_published"}) r.allow(key);
      r.finish();
      if (found.empty()) points.push_back(std::move(p));
    }
    for (auto& d : found) {
      d.file = name;
      d.line = line;  // each line is its own document
      diagnostics.push_back(std::move(d));
    }
  }
  return points;
}

}  // namespace aiadvise::calibration
