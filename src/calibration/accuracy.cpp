// How far the model is from the measurements: summaries per hardware kind and family, the error
// bands that estimates carry, and the report docs/accuracy.md is generated from.

#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <map>

#include "aiadvise/calibration/calibration.hpp"
#include "aiadvise/util/text.hpp"

namespace aiadvise::calibration {

namespace {

struct Row {
  const Point* point;
  Prediction prediction;
  double error = 0;  ///< log error
};

std::vector<Row> rows_of(const std::vector<Point>& points, const catalog::Catalog& c) {
  std::vector<Row> rows;
  rows.reserve(points.size());
  for (const auto& p : points) {
    Row r{&p, predict(p, c), 0};
    if (r.prediction.ok()) r.error = log_error(r.prediction.predicted, p.value);
    rows.push_back(std::move(r));
  }
  return rows;
}

double quantile(std::vector<double> v, double q) {
  if (v.empty()) return 0;
  std::sort(v.begin(), v.end());
  const double pos = q * static_cast<double>(v.size() - 1);
  const auto below = static_cast<std::size_t>(std::floor(pos));
  const std::size_t above = std::min(v.size() - 1, below + 1);
  return v[below] + (v[above] - v[below]) * (pos - static_cast<double>(below));
}

// Errors grouped by a key of each predicted row (speed points only: memory is checked apart).
template <typename Key>
std::map<std::string, std::vector<double>> grouped(const std::vector<Row>& rows, Key&& key) {
  std::map<std::string, std::vector<double>> out;
  for (const auto& r : rows) {
    if (!r.prediction.ok() || r.prediction.factors.empty()) continue;
    out[key(r)].push_back(r.error);
  }
  return out;
}

util::Json summary_json(const Summary& s) {
  util::Json j = util::Json::object();
  j["points"] = s.points;
  j["median_error"] = std::round(s.median_error * 1000) / 1000;
  j["within_1_5"] = std::round(s.within_1_5 * 1000) / 1000;
  j["within_2"] = std::round(s.within_2 * 1000) / 1000;
  j["band"] = std::round(s.band * 1000) / 1000;
  return j;
}

std::string summary_row(const std::string& name, const Summary& s) {
  return fmt::format("| {} | {} | x{:.2f} | {:.0f}% | {:.0f}% | x{:.2f} |\n", name, s.points, s.median_error, s.within_1_5 * 100,
                     s.within_2 * 100, s.band);
}

std::string summary_table(const std::string& what, const std::map<std::string, std::vector<double>>& groups,
                          const std::vector<double>& all) {
  std::string out = fmt::format("| {} | points | median error | within x1.5 | within x2 | band (80%) |\n|---|---|---|---|---|---|\n", what);
  for (const auto& [name, errors] : groups) out += summary_row(name, summarise(errors));
  out += summary_row("**all**", summarise(all));
  return out;
}

std::string escape_cell(std::string text) {
  std::string out;
  for (char ch : text) {
    if (ch == '|') out += "\\|";
    else if (ch == '\n') out += ' ';
    else out += ch;
  }
  return out;
}

std::string short_source(const std::string& source) {
  const auto space = source.find(' ');
  return space == std::string::npos ? source : source.substr(0, space);
}

}  // namespace

Summary summarise(const std::vector<double>& log_errors) {
  Summary s;
  s.points = log_errors.size();
  if (log_errors.empty()) return s;
  s.median_error = std::exp(quantile(log_errors, 0.5));
  s.band = std::exp(quantile(log_errors, 0.8));
  const double n = static_cast<double>(log_errors.size());
  s.within_1_5 = static_cast<double>(std::count_if(log_errors.begin(), log_errors.end(), [](double e) { return e <= std::log(1.5) + 1e-12; })) / n;
  s.within_2 = static_cast<double>(std::count_if(log_errors.begin(), log_errors.end(), [](double e) { return e <= std::log(2.0) + 1e-12; })) / n;
  return s;
}

void set_bands(std::vector<catalog::Factor>& factors, const std::vector<Point>& validation, const catalog::Catalog& c,
               std::size_t min_points) {
  const auto rows = rows_of(validation, c);
  const auto by_kind = grouped(rows, [](const Row& r) { return r.prediction.kind; });
  const auto by_pair = grouped(rows, [](const Row& r) { return r.prediction.kind + "|" + r.prediction.family; });
  std::vector<double> all;
  for (const auto& [k, v] : by_kind) all.insert(all.end(), v.begin(), v.end());
  const Summary overall = summarise(all);
  for (auto& f : factors) {
    // A factor named for a chip takes its kind's band.
    std::string kind = f.hardware;
    if (!catalog::parse_compute_kind(kind)) {
      if (const catalog::Hardware* h = c.hardware_by_id(f.hardware)) kind = std::string(catalog::to_string(h->kind));
    }
    const auto pair = by_pair.find(kind + "|" + f.family);
    const auto k = by_kind.find(kind);
    if (f.family != "any" && pair != by_pair.end() && pair->second.size() >= min_points) {
      const Summary s = summarise(pair->second);
      f.band = std::max(1.05, std::round(s.band * 100) / 100);
      f.band_basis = fmt::format("80% of {} validation points of family {} on {} within x{:.2f}", s.points, f.family, kind, s.band);
    } else if (k != by_kind.end() && k->second.size() >= min_points) {
      const Summary s = summarise(k->second);
      f.band = std::max(1.05, std::round(s.band * 100) / 100);
      f.band_basis = fmt::format("80% of {} validation points on {} (all families) within x{:.2f}", s.points, kind, s.band);
    } else {
      // Too few validation points on this kind: the band of every kind, widened by half.
      const double band = std::max(2.0, overall.band * 1.5);
      f.band = std::round(band * 100) / 100;
      f.band_basis = fmt::format("only {} validation point(s) on {}: 1.5 x the band of all {} validation points (x{:.2f}), at least x2",
                                 k == by_kind.end() ? 0 : k->second.size(), kind, overall.points, overall.band);
    }
  }
}

util::Json accuracy_json(const std::vector<Point>& calibration, const std::vector<Point>& validation, const catalog::Catalog& c) {
  util::Json out = util::Json::object();
  for (const auto* set : {&calibration, &validation}) {
    const auto rows = rows_of(*set, c);
    util::Json j = util::Json::object();
    std::vector<double> all;
    for (const auto& [k, v] : grouped(rows, [](const Row& r) { return r.prediction.kind; })) {
      j["kinds"][k] = summary_json(summarise(v));
      all.insert(all.end(), v.begin(), v.end());
    }
    for (const auto& [k, v] : grouped(rows, [](const Row& r) { return r.prediction.family; })) j["families"][k] = summary_json(summarise(v));
    j["all"] = summary_json(summarise(all));
    std::vector<double> memory;
    for (const auto& r : rows) {
      if (r.prediction.ok() && r.prediction.factors.empty()) memory.push_back(r.error);
    }
    j["memory"] = summary_json(summarise(memory));
    util::Json unpredicted = util::Json::array();
    for (const auto& r : rows) {
      if (!r.prediction.ok()) unpredicted.push_back({{"id", r.point->id}, {"reason", r.prediction.reason}});
    }
    j["unpredicted"] = unpredicted;
    out[set == &calibration ? "calibration" : "validation"] = j;
  }
  return out;
}

std::string accuracy_markdown(const std::vector<Point>& calibration, const std::vector<Point>& validation, const catalog::Catalog& c) {
  std::string out;
  const auto cal = rows_of(calibration, c), val = rows_of(validation, c);
  auto section = [&](const char* title, const std::vector<Row>& rows) {
    std::vector<double> all;
    const auto kinds = grouped(rows, [](const Row& r) { return r.prediction.kind; });
    for (const auto& [k, v] : kinds) all.insert(all.end(), v.begin(), v.end());
    out += fmt::format("## {}\n\nSpeed points (throughput, latency, time), by hardware kind:\n\n", title);
    out += summary_table("hardware kind", kinds, all);
    out += "\nBy family:\n\n";
    out += summary_table("family", grouped(rows, [](const Row& r) { return r.prediction.family; }), all);
    out += "\nBy hardware kind and family:\n\n";
    out += summary_table("kind / family", grouped(rows, [](const Row& r) { return r.prediction.kind + " / " + r.prediction.family; }), all);
    std::vector<double> memory;
    for (const auto& r : rows) {
      if (r.prediction.ok() && r.prediction.factors.empty()) memory.push_back(r.error);
    }
    if (!memory.empty()) {
      const Summary m = summarise(memory);
      out += fmt::format("\nMemory and size points (no fitted factor): {} points, median error x{:.2f}, {:.0f}% within x1.25.\n",
                         m.points, m.median_error,
                         100.0 * static_cast<double>(std::count_if(memory.begin(), memory.end(),
                                                                   [](double e) { return e <= std::log(1.25) + 1e-12; })) /
                             static_cast<double>(memory.size()));
    }
    out += "\n";
  };
  section("Validation (points the fit never saw)", val);
  section("Calibration (points the factors were fitted on)", cal);
  out += "## Every point\n\n| set | point | metric | measured | predicted | error | hardware | basis | source |\n|---|---|---|---|---|---|---|---|---|\n";
  for (const auto* rows : {&val, &cal}) {
    for (const auto& r : *rows) {
      const Point& p = *r.point;
      const std::string hw = fmt::format("{} x{}{}", p.accelerator.empty() ? p.cpu : p.accelerator, p.per_instance,
                                         p.instances > 1 ? fmt::format(" x{} instances", p.instances) : "");
      if (!r.prediction.ok()) {
        out += fmt::format("| {} | {} | {} | {:.4g} {} | - | {} | {} | - | {} |\n", rows == &val ? "validation" : "calibration", p.id, p.metric,
                           p.value, p.unit, escape_cell(r.prediction.reason), hw, short_source(p.source));
        continue;
      }
      const double ratio = r.prediction.predicted / p.value;
      out += fmt::format("| {} | {} | {} | {:.4g} {} | {:.4g} | {}{:.0f}% | {} | {} | {} |\n", rows == &val ? "validation" : "calibration", p.id,
                         p.metric, p.value, p.unit, r.prediction.predicted, ratio >= 1 ? "+" : "", (ratio - 1) * 100, hw,
                         r.prediction.factors.empty() ? "formula" : util::join(r.prediction.factors, ", "), short_source(p.source));
    }
  }
  return out;
}

}  // namespace aiadvise::calibration
