// The accuracy gate: every published point of data/calibration/ replayed through the sizing model
// with the default catalog's factors. It fails when a point cannot be predicted or does not fit
// (every configuration a published benchmark ran must fit), when a point leaves its tolerance, when
// the validation error per hardware kind gets worse than docs/accuracy.md records
// (data/calibration/accuracy.json), or when the committed factors are not what the calibration
// points give (refit them: docs/accuracy.md says how).

#include <catch2/catch.hpp>

#include <algorithm>
#include <cmath>
#include <fstream>
#include <map>
#include <set>
#include <sstream>

#include <fmt/format.h>

#include "aiadvise/calibration/calibration.hpp"
#include "support/helpers.hpp"

using aiadvise::calibration::Point;
using aiadvise::test::default_catalog;

namespace {

std::string slurp(const std::string& path) {
  std::ifstream f(path);
  REQUIRE(f.good());
  std::stringstream s;
  s << f.rdbuf();
  return s.str();
}

const std::vector<Point>& points(const std::string& set) {
  static std::map<std::string, std::vector<Point>> cache;
  auto it = cache.find(set);
  if (it == cache.end()) {
    const std::string path = std::string(AIADVISE_SOURCE_DIR) + "/data/calibration/" + set + ".jsonl";
    std::vector<aiadvise::util::Diagnostic> diagnostics;
    auto read = aiadvise::calibration::read_points(path, slurp(path), diagnostics);
    for (const auto& d : diagnostics) FAIL(d.file << ":" << d.line << ": " << d.pointer << ": " << d.message);
    it = cache.emplace(set, std::move(read)).first;
  }
  return it->second;
}

// Speed points (those a fitted factor shapes): the tolerance defaults to x3 for calibration and x5
// for validation; a point may state its own. Memory and size points: x1.5 unless stated.
double tolerance(const Point& p, const aiadvise::calibration::Prediction& pr, const std::string& set) {
  if (p.tolerance) return *p.tolerance;
  if (pr.factors.empty()) return 1.5;
  return set == "calibration" ? 3 : 5;
}

}  // namespace

TEST_CASE("calibration: every published point is predicted, fits, and stays within its tolerance", "[calibration]") {
  const auto& c = default_catalog();
  for (const std::string set : {"calibration", "validation"}) {
    REQUIRE(points(set).size() >= 40);
    std::set<std::string> ids;
    for (const auto& p : points(set)) {
      INFO(set << " point " << p.id << " (" << p.file << ":" << p.line << ")");
      CHECK(ids.insert(p.id).second);
      CHECK_FALSE(p.source.empty());
      CHECK_FALSE(p.as_of.empty());
      const auto pr = aiadvise::calibration::predict(p, c);
      INFO(pr.reason);
      REQUIRE(pr.ok());
      CHECK(pr.fits);
      const double err = std::exp(aiadvise::calibration::log_error(pr.predicted, p.value));
      INFO(fmt::format("predicted {:.4g}, measured {:.4g} {}: x{:.2f}", pr.predicted, p.value, p.unit, err));
      CHECK(err <= tolerance(p, pr, set));
    }
  }
}

TEST_CASE("calibration: the two sets share no source", "[calibration]") {
  // A source is wholly in one set (docs/accuracy.md): compare the first URL of each point's source.
  auto first_url = [](const std::string& s) { return s.substr(0, s.find(' ')); };
  std::set<std::string> calibration;
  for (const auto& p : points("calibration")) calibration.insert(first_url(p.source));
  for (const auto& p : points("validation")) {
    INFO(p.id << ": " << first_url(p.source));
    CHECK_FALSE(calibration.count(first_url(p.source)));
  }
}

TEST_CASE("calibration: the validation error does not regress from what docs/accuracy.md records", "[calibration]") {
  const auto recorded = nlohmann::json::parse(slurp(std::string(AIADVISE_SOURCE_DIR) + "/data/calibration/accuracy.json"));
  const auto now = aiadvise::calibration::accuracy_json(points("calibration"), points("validation"), default_catalog());
  for (const std::string set : {"calibration", "validation"}) {
    const auto& was = recorded.at(set);
    const auto& is = now.at(set);
    CHECK(is.at("unpredicted").empty());
    for (const auto& [kind, summary] : was.at("kinds").items()) {
      INFO(set << " " << kind);
      REQUIRE(is.at("kinds").contains(kind));
      const auto& s = is.at("kinds").at(kind);
      CHECK(s.at("points").get<int>() >= summary.at("points").get<int>());
      CHECK(s.at("median_error").get<double>() <= summary.at("median_error").get<double>() + 0.005);
      CHECK(s.at("within_2").get<double>() >= summary.at("within_2").get<double>() - 0.005);
      CHECK(s.at("within_1_5").get<double>() >= summary.at("within_1_5").get<double>() - 0.005);
    }
    INFO(set << " all");
    CHECK(is.at("all").at("median_error").get<double>() <= was.at("all").at("median_error").get<double>() + 0.005);
    CHECK(is.at("all").at("within_2").get<double>() >= was.at("all").at("within_2").get<double>() - 0.005);
  }
  // Every hardware kind has validation points.
  for (const char* kind : {"cpu", "gpu", "tpu", "inferentia", "trainium"}) {
    INFO(kind);
    CHECK(now.at("validation").at("kinds").contains(kind));
  }
}

TEST_CASE("calibration: the committed factors are what the calibration points give", "[calibration]") {
  const auto& c = default_catalog();
  aiadvise::calibration::FitOptions o;
  o.as_of = "2026-01-01";
  o.source = "data/calibration/calibration.jsonl";
  const auto refit = aiadvise::calibration::fit(points("calibration"), c, o);
  REQUIRE(refit.size() == c.factors.size());
  for (const auto& f : refit) {
    INFO(f.id);
    const auto* committed = c.factor_by_id(f.id);
    REQUIRE(committed);
    // The search starts from the committed values and moves them only within its resolution.
    CHECK(f.value == Approx(committed->value).epsilon(0.03));
    CHECK(f.points == committed->points);
  }
}

TEST_CASE("calibration: fine-tuning memory is within 25% of published peaks for at least six models", "[calibration]") {
  const auto& c = default_catalog();
  std::map<std::string, std::set<std::string>> within;  // model -> methods within 25%
  std::size_t memory_points = 0;
  for (const std::string set : {"calibration", "validation"}) {
    for (const auto& p : points(set)) {
      if (p.metric != "peak_memory_gib" || !p.workload.contains("method")) continue;
      ++memory_points;
      const auto pr = aiadvise::calibration::predict(p, c);
      REQUIRE(pr.ok());
      if (std::exp(aiadvise::calibration::log_error(pr.predicted, p.value)) <= 1.25) {
        within[p.workload.value("model", p.workload.value("family", std::string("?")))].insert(p.workload.at("method").get<std::string>());
      }
    }
  }
  INFO(memory_points << " fine-tuning memory points");
  CHECK(within.size() >= 6);
  std::set<std::string> methods;
  for (const auto& [model, m] : within) methods.insert(m.begin(), m.end());
  CHECK(methods == std::set<std::string>{"full", "lora", "qlora"});
}

TEST_CASE("calibration: a closed loop of more clients than the server's batch adds their wait to a replayed TTFT", "[calibration]") {
  // 8 clients, 4 slots: each slot serves one request per request time S, the loop goes round in
  // 8 / 4 x S, so a request waits (8 / 4 - 1) x S = S before its prefill starts.
  const std::string base = R"("scope": "system", "workload": {"model": "llama-3.1-70b", "phase": "inference", "mode": "batch", "precision": "fp16", "batch_size": 4, "input_tokens": 1500, "output_tokens": 245}, "hardware": {"accelerator": "aws-trainium", "per_instance": 16, "instances": 1, "tensor_parallel": 16}, "source": "https://example.com/test", "as_of": "2026-12-06")";
  const std::string text = R"({"id": "open-ttft", "metric": "ttft_ms", "value": 1000, )" + base + "}\n" +
                           R"({"id": "open-latency", "metric": "latency_ms", "value": 1000, )" + base + "}\n" +
                           R"({"id": "closed-ttft", "metric": "ttft_ms", "value": 1000, "clients": 8, )" + base + "}\n" +
                           R"({"id": "few-clients-ttft", "metric": "ttft_ms", "value": 1000, "clients": 3, )" + base + "}\n";
  std::vector<aiadvise::util::Diagnostic> diagnostics;
  const auto read = aiadvise::calibration::read_points("clients.jsonl", text, diagnostics);
  REQUIRE(diagnostics.empty());
  REQUIRE(read.size() == 4);
  CHECK(read[2].clients == 8);
  const auto& c = default_catalog();
  const auto ttft = aiadvise::calibration::predict(read[0], c);
  const auto latency = aiadvise::calibration::predict(read[1], c);
  const auto closed = aiadvise::calibration::predict(read[2], c);
  const auto few = aiadvise::calibration::predict(read[3], c);
  REQUIRE(ttft.ok());
  REQUIRE(latency.ok());
  REQUIRE(closed.ok());
  REQUIRE(few.ok());
  CHECK(latency.predicted > ttft.predicted);
  CHECK(closed.predicted == Approx(ttft.predicted + latency.predicted).epsilon(1e-9));
  // No more clients than slots: nobody waits.
  CHECK(few.predicted == Approx(ttft.predicted).epsilon(1e-12));

  // A count of clients below one is an error that names the line and the field.
  diagnostics.clear();
  const std::string bad = R"({"id": "bad", "metric": "ttft_ms", "value": 1000, "clients": 0, )" + base + "}\n";
  CHECK(aiadvise::calibration::read_points("bad.jsonl", bad, diagnostics).empty());
  REQUIRE(diagnostics.size() == 1);
  CHECK(diagnostics[0].line == 1);
  CHECK(diagnostics[0].pointer == "/clients");
}

TEST_CASE("calibration: a chip with enough points of a family gets factors of its own, and estimates on it use them", "[calibration]") {
  // Trainium 1 and 2 are one kind with different generations: the committed fit gives each its own
  // LLM prefill factor (at least FitOptions::min_chip_points calibration points each).
  const auto& c = default_catalog();
  const auto* trn1 = c.factor_by_id("aws-trainium-llm-decoder-prefill");
  const auto* trn2 = c.factor_by_id("aws-trainium2-llm-decoder-prefill");
  REQUIRE(trn1);
  REQUIRE(trn2);
  CHECK(trn1->points.size() >= 3);
  CHECK(trn2->points.size() >= 3);
  CHECK(trn1->value != trn2->value);
  // Every point behind a chip factor ran on that chip.
  for (const auto* f : {trn1, trn2}) {
    for (const auto& id : f->points) {
      const auto it = std::find_if(points("calibration").begin(), points("calibration").end(), [&](const Point& p) { return p.id == id; });
      REQUIRE(it != points("calibration").end());
      CHECK(it->accelerator == f->hardware);
    }
  }
  // A replayed trn2 point rests on the trn2 factor, not the kind's.
  const auto it = std::find_if(points("calibration").begin(), points("calibration").end(),
                               [](const Point& p) { return p.accelerator == "aws-trainium2" && p.metric == "tpot_ms"; });
  REQUIRE(it != points("calibration").end());
  const auto pr = aiadvise::calibration::predict(*it, c);
  REQUIRE(pr.ok());
  CHECK(std::find(pr.factors.begin(), pr.factors.end(), "aws-trainium2-llm-decoder-decode") != pr.factors.end());
  CHECK(std::find(pr.factors.begin(), pr.factors.end(), "trainium-llm-decoder-decode") == pr.factors.end());
  // The kind's family factor keeps the points it was fitted on, these included: an estimate on a
  // Trainium of another generation rests on it, calibrated, not extrapolated.
  const auto* kind = c.factor_by_id("trainium-llm-decoder-prefill");
  REQUIRE(kind);
  CHECK(kind->points.size() == trn1->points.size() + trn2->points.size());
}
