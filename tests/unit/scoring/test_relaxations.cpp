// What to change when nothing fits (src/scoring/relaxations.cpp): each relaxation's option is the
// decision the changed workload gets; the analysis it starts from is the least a candidate
// excluded by one constraint alone needs; renderers show them.

#include <catch2/catch.hpp>

#include <string>
#include <vector>

#include "aiadvise/render/html.hpp"
#include "aiadvise/render/recommend.hpp"
#include "aiadvise/report/recommend.hpp"
#include "aiadvise/scoring/recommend.hpp"
#include "aiadvise/sizing/sizing.hpp"
#include "aiadvise/workload/workload.hpp"
#include "support/helpers.hpp"

using aiadvise::test::default_catalog;
namespace scoring = aiadvise::scoring;
namespace sizing = aiadvise::sizing;
namespace workload = aiadvise::workload;

namespace {

struct Run {
  workload::Workload w;
  sizing::Requirements req;
  scoring::Decision d;
};

Run decide(const workload::FlagValues& flags) {
  const auto& c = default_catalog();
  Run r{workload::normalise(nullptr, flags, c), {}, {}};
  r.req = sizing::requirements(r.w, c);
  r.d = scoring::recommend(r.w, r.req, c);
  return r;
}

const workload::FlagValues k_tight_budget{{"model", "llama-3.1-70b"}, {"qps", "1"}, {"budget_usd_per_hour", "4"}};

}  // namespace

TEST_CASE("relaxations: each option is the pick that the changed workload gets", "[scoring][relaxations]") {
  const Run r = decide(k_tight_budget);
  REQUIRE(r.d.ranked.empty());
  REQUIRE(r.d.relaxations.size() >= 2);
  const auto& c = default_catalog();
  for (const auto& x : r.d.relaxations) {
    INFO(x.kind << ": " << x.from << " -> " << x.to);
    const auto req = sizing::requirements(x.workload, c);
    const scoring::Decision again = scoring::recommend(x.workload, req, c);
    REQUIRE_FALSE(again.ranked.empty());
    CHECK(again.ranked.front().id == x.option.id);
    CHECK(again.ranked.front().cost_for_work == Approx(x.option.cost_for_work));
    CHECK(again.ranked.front().estimate.count == x.option.estimate.count);
    CHECK_FALSE(x.option.excluded());
    // One change: the changed workload differs from the original only in the field named.
    auto same = [&](const workload::Workload& a, const workload::Workload& b) {
      return a.precision == b.precision && a.spot == b.spot && a.region == b.region && a.clouds == b.clouds &&
             a.deadline_hours == b.deadline_hours && a.budget_usd_per_hour == b.budget_usd_per_hour && a.budget_usd == b.budget_usd &&
             a.tpot_ms == b.tpot_ms && a.ttft_ms == b.ttft_ms && a.latency_ms == b.latency_ms && a.model == b.model;
    };
    CHECK_FALSE(same(x.workload, r.w));
    workload::Workload back = x.workload;
    if (x.kind == "precision") back.precision = r.w.precision;
    if (x.kind == "spot") back.spot = r.w.spot;
    if (x.kind == "budget-hourly") back.budget_usd_per_hour = r.w.budget_usd_per_hour;
    if (x.kind == "model") {
      back.model = r.w.model;
      back.params = r.w.params;
      back.active_params = r.w.active_params;
    }
    if (x.kind == "region" || x.kind == "cloud") {
      back.region = r.w.region;
      back.clouds = r.w.clouds;
    }
    CHECK(same(back, r.w));
  }
}

TEST_CASE("relaxations: the budget offered is the least a candidate excluded by the budget alone needs", "[scoring][relaxations]") {
  const Run r = decide(k_tight_budget);
  REQUIRE(r.d.least_needed.count("budget-hourly"));
  const double least = r.d.least_needed.at("budget-hourly");
  CHECK(least > 4);
  // The cheapest nearest miss is excluded by the budget alone, so it is what the budget must allow.
  REQUIRE_FALSE(r.d.nearest.empty());
  CHECK(r.d.nearest.front().exclusions.size() == 1);
  CHECK(least == Approx(*r.d.nearest.front().estimate.price_usd_per_hour));
  for (const auto& x : r.d.relaxations) {
    if (x.kind != "budget-hourly") continue;
    REQUIRE(x.to_value);
    CHECK(*x.to_value >= least);
    CHECK(*x.to_value <= least * 1.1);  // rounded up to two significant digits
    CHECK(*x.factor == Approx(*x.to_value / 4));
  }
}

TEST_CASE("relaxations: a feasible decision has none, and the memo keeps those of an infeasible one", "[scoring][relaxations]") {
  CHECK(decide({{"model", "llama-3.1-8b"}, {"qps", "1"}}).d.relaxations.empty());
  const auto& c = default_catalog();
  const Run fresh = decide(k_tight_budget);
  scoring::Memo memo;
  for (int k = 0; k < 2; ++k) {
    const scoring::Decision d = scoring::recommend(fresh.w, fresh.req, c);
    REQUIRE(d.relaxations.size() == fresh.d.relaxations.size());
    for (std::size_t i = 0; i < d.relaxations.size(); ++i) {
      CHECK(d.relaxations[i].kind == fresh.d.relaxations[i].kind);
      CHECK(d.relaxations[i].to == fresh.d.relaxations[i].to);
      CHECK(d.relaxations[i].option.id == fresh.d.relaxations[i].option.id);
    }
  }
  CHECK(memo.stats().hits == 1);
}

TEST_CASE("relaxations: the JSON, table, Markdown and HTML reports show each with its option", "[scoring][relaxations][render]") {
  const Run r = decide(k_tight_budget);
  const auto& c = default_catalog();
  const auto json = aiadvise::report::recommendation_report(r.w, r.req, r.d, c, {});
  REQUIRE(json.at("relaxations").size() == r.d.relaxations.size());
  for (const auto& x : json.at("relaxations")) {
    CHECK(x.contains("kind"));
    CHECK(x.contains("from"));
    CHECK(x.contains("to"));
    CHECK(x.at("option").at("count").get<int>() >= 1);
  }
  for (const auto& x : json.at("relaxations")) {
    // Numeric changes are numbers, the others text.
    CHECK(x.at("from").is_number() == (x.at("kind") == "budget-hourly"));
  }
  aiadvise::render::Style style;
  style.width = 0;
  const std::string table = aiadvise::render::recommendation_table(json, style);
  const std::string md = aiadvise::render::recommendation_markdown(json);
  const std::string html = aiadvise::render::recommendation_html(json);
  for (const auto& x : r.d.relaxations) {
    INFO(x.kind);
    CHECK(table.find(x.field + ": " + x.from + " -> " + x.to) != std::string::npos);
    CHECK(md.find(x.field + ": " + x.from + " -> " + x.to) != std::string::npos);
    CHECK(table.find(x.option.estimate.region) != std::string::npos);
  }
  CHECK(html.find("id=\"relaxations\"") != std::string::npos);
  // Under the nearest misses.
  CHECK(table.find("Nearest options") < table.find("What to change"));
  CHECK(md.find("Nearest:") < md.find("**What to change**"));
}
