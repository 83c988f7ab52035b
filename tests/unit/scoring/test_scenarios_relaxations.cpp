// End-to-end scenarios: what a "no feasible option" answer offers to change, and the defaults of a
// batch job (its window and its comparison with a per-token API).

#include <catch2/catch.hpp>

#include <nlohmann/json.hpp>

#include <fmt/format.h>

#include <string>
#include <vector>

#include "aiadvise/cli/app.hpp"
#include "support/scenario.hpp"

using nlohmann::json;

using namespace aiadvise::test::scenario;

namespace {

// The relaxation of `kind`, or null.
const json* relaxation(const json& r, const std::string& kind) {
  for (const auto& x : r.at("relaxations")) {
    if (x.at("kind") == kind) return &x;
  }
  return nullptr;
}

// What every relaxation must hold: a change within 10x, and a priced option someone could buy.
void check_relaxations(const json& r) {
  REQUIRE(r.at("verdict") == "no-feasible-option");
  for (const auto& x : r.at("relaxations")) {
    INFO(x.dump());
    if (x.contains("factor") && x.at("kind") != "model") {
      CHECK(x.at("factor").get<double>() > 1);
      CHECK(x.at("factor").get<double>() <= 10.0 + 1e-9);
    }
    const json& o = x.at("option");
    CHECK(o.at("count").get<int>() >= 1);
    CHECK_FALSE(o.at("instance").get<std::string>().empty());
    CHECK_FALSE(o.at("cloud").get<std::string>().empty());
    CHECK(o.at("price_usd_per_hour").get<double>() > 0);
    CHECK_FALSE(o.contains("excluded_by"));
  }
}

}  // namespace

TEST_CASE("scenario: a 70B model under a tiny hourly budget (2 replicas cost about $12/h) is offered the budget it needs, with its option", "[scenario][relaxations]") {
  const auto r = recommend({"--model", "llama-3.1-70b", "--qps", "1", "--budget-usd-per-hour", "2"});
  check_relaxations(r);
  const json* b = relaxation(r, "budget-hourly");
  REQUIRE(b);
  CHECK(b->at("field") == "budget_usd_per_hour");
  CHECK(b->at("from").get<double>() == 2);
  const double to = b->at("to").get<double>();
  // The smallest budget that works: the option fits it, and it is no more than 2 digits above it.
  CHECK(b->at("option").at("price_usd_per_hour").get<double>() <= to);
  CHECK(to <= b->at("option").at("price_usd_per_hour").get<double>() * 1.1);
  // 70B in bf16 needs more than one 80 GB device's memory.
  CHECK(accelerator_memory_gib(b->at("option")) >= 140);

  // The relaxed workload, run as the user would, is feasible.
  const auto again = recommend({"--model", "llama-3.1-70b", "--qps", "1", "--budget-usd-per-hour", fmt::format("{}", to)});
  CHECK(again.at("verdict") == "ok");
}

TEST_CASE("scenario: an impossible training deadline is offered a longer one, and the option meets it", "[scenario][relaxations]") {
  const auto r = recommend({"--model", "llama-3.1-70b", "--phase", "training", "--deadline-hours", "2", "--cloud", "aws"});
  check_relaxations(r);
  const json* d = relaxation(r, "deadline");
  REQUIRE(d);
  CHECK(d->at("field") == "deadline_hours");
  CHECK(d->at("to").get<double>() > 2);
  CHECK(d->at("to").get<double>() <= 20);
  CHECK(d->at("option").at("time_hours").get<double>() <= d->at("to").get<double>());
  CHECK(d->at("option").at("cloud") == "aws");
}

TEST_CASE("scenario: a model that fits the budget only at a lower precision is offered that precision", "[scenario][relaxations]") {
  const auto r = recommend({"--model", "llama-3.1-70b", "--qps", "1", "--budget-usd-per-hour", "4"});
  check_relaxations(r);
  const json* p = relaxation(r, "precision");
  REQUIRE(p);
  CHECK(p->at("from") == "bf16");
  const std::string to = p->at("to").get<std::string>();
  CHECK((to == "fp8" || to == "int8" || to == "int4"));
  CHECK(p->at("option").at("price_usd_per_hour").get<double>() <= 4);
  // At 8 bits or fewer, 70B weights take no more than about 70 GB.
  CHECK(p->at("option").at("memory_needed_gib").get<double>() <= p->at("option").at("memory_available_gib").get<double>());
}

TEST_CASE("scenario: a workload restricted to a cloud without a fast enough chip is offered the other clouds", "[scenario][relaxations]") {
  const auto r = recommend({"--model", "llama-3.1-405b", "--qps", "1", "--tpot-ms", "20", "--cloud", "azure"});
  check_relaxations(r);
  const json* c = relaxation(r, "cloud");
  REQUIRE(c);
  CHECK(c->at("from") == "azure");
  CHECK(c->at("to") == "aws, gcp, azure");
  CHECK(c->at("option").at("cloud") != "azure");  // azure has nothing, so the option is elsewhere
  CHECK(c->at("option").at("tpot_ms").get<double>() <= 20);
}

TEST_CASE("scenario: a too strict latency target is offered the least looser target that gives an option", "[scenario][relaxations]") {
  const auto r = recommend({"--model", "llama-3.1-405b", "--qps", "1", "--tpot-ms", "5", "--cloud", "aws"});
  check_relaxations(r);
  const json* l = relaxation(r, "latency");
  REQUIRE(l);
  CHECK(l->at("field") == "tpot_ms");
  CHECK(l->at("to").get<double>() > 5);
  CHECK(l->at("to").get<double>() <= 50);
  CHECK(l->at("option").at("tpot_ms").get<double>() <= l->at("to").get<double>());
}

TEST_CASE("scenario: a named model is offered a smaller size of the same model, never another family", "[scenario][relaxations]") {
  const auto r = recommend({"--model", "llama-3.1-405b", "--qps", "1", "--tpot-ms", "5", "--cloud", "aws"});
  const json* m = relaxation(r, "model");
  REQUIRE(m);
  CHECK(m->at("from") == "llama-3.1-405b");
  const std::string to = m->at("to").get<std::string>();
  CHECK((to == "llama-3.1-70b" || to == "llama-3.1-8b"));
  CHECK(m->at("factor").get<double>() < 1);
}

TEST_CASE("scenario: no relaxation beyond 10x is offered: a 405B model for a cent an hour gets no budget change", "[scenario][relaxations]") {
  const auto r = recommend({"--model", "llama-3.1-405b", "--qps", "1", "--budget-usd-per-hour", "0.01"});
  check_relaxations(r);
  CHECK_FALSE(relaxation(r, "budget-hourly"));
}

TEST_CASE("scenario: every infeasible answer with a change within 10x offers at least one, and a feasible one none", "[scenario][relaxations]") {
  const std::vector<std::vector<std::string>> infeasible{
      {"--model", "llama-3.1-70b", "--qps", "1", "--budget-usd-per-hour", "2"},
      {"--model", "llama-3.1-70b", "--qps", "1", "--budget-usd-per-hour", "4", "--cloud", "aws,gcp"},
      {"--model", "llama-3.1-405b", "--qps", "1", "--tpot-ms", "20", "--cloud", "azure"},
      {"--model", "llama-3.1-70b", "--phase", "training", "--deadline-hours", "2", "--cloud", "aws"},
      {"--model", "mixtral-8x22b", "--qps", "1", "--budget-usd-per-hour", "3"},
  };
  for (const auto& args : infeasible) {
    INFO(args.at(1) << " " << args.at(args.size() - 1));
    const auto r = recommend(args);
    check_relaxations(r);
    CHECK_FALSE(r.at("relaxations").empty());
  }
  const auto ok = recommend({"--model", "llama-3.1-8b", "--qps", "1"});
  CHECK(ok.at("verdict") == "ok");
  CHECK(ok.at("relaxations").empty());
}

TEST_CASE("scenario: the table and the JSON of an infeasible answer say what to change", "[scenario][relaxations]") {
  const auto out = aiadvise::cli::run_captured(
      {"recommend", "--model", "llama-3.1-70b", "--qps", "1", "--budget-usd-per-hour", "2", "-o", "table", "--no-color"});
  CHECK(out.out.find("No feasible option") != std::string::npos);
  CHECK(out.out.find("What to change") != std::string::npos);
  CHECK(out.out.find("budget_usd_per_hour: 2 -> ") != std::string::npos);
}

TEST_CASE("scenario: a batch job without a deadline finishes within 24 hours and says so under assumed", "[scenario][relaxations]") {
  const auto r = recommend({"--model", "llama-3.1-8b", "--mode", "batch", "--dataset-samples", "10M"});
  CHECK(r.at("workload").at("deadline_hours").get<double>() == 24);
  bool named = false;
  for (const auto& a : r.at("workload").at("assumed")) named = named || a.get<std::string>().rfind("deadline_hours: 24 (", 0) == 0;
  CHECK(named);
  CHECK(pick(r).at("time_hours").get<double>() <= 24);

  // --deadline-hours overrides the window, and nothing is assumed then.
  const auto given = recommend({"--model", "llama-3.1-8b", "--mode", "batch", "--dataset-samples", "10M", "--deadline-hours", "100"});
  CHECK(given.at("workload").at("deadline_hours").get<double>() == 100);
  for (const auto& a : given.at("workload").at("assumed")) CHECK(a.get<std::string>().rfind("deadline_hours", 0) != 0);
  CHECK(pick(given).at("time_hours").get<double>() <= 100);
}

TEST_CASE("scenario: a batch job's API comparison prices the job's tokens against the job's cost", "[scenario][relaxations]") {
  const auto r = recommend({"--model", "llama-3.1-70b", "--mode", "batch", "--cloud", "aws", "--dataset-samples", "1M"});
  REQUIRE_FALSE(r.at("api_vs_self_host").empty());
  const auto& a = r.at("api_vs_self_host").at(0);
  CHECK(a.at("service") == "bedrock");
  CHECK_FALSE(a.contains("api_usd_per_hour"));  // a batch job has no load per hour
  const double tokens = a.at("tokens_for_run").get<double>();
  const auto& w = r.at("workload");
  CHECK(tokens == Approx(1e6 * (w.at("input_tokens").get<double>() + w.at("output_tokens").get<double>())));
  const double api = a.at("api_usd_for_run").get<double>(), self = a.at("self_host_usd_for_run").get<double>();
  CHECK(api > 0);
  CHECK(self > 0);
  CHECK(self == Approx(pick(r).at("cost_usd").get<double>()).epsilon(1e-4));
  CHECK(a.at("cheaper_at_stated_load") == (api < self ? "api" : "self-host"));
}

TEST_CASE("scenario: check names what to change when the workload has no feasible option", "[scenario][relaxations]") {
  const auto out = aiadvise::cli::run_captured({"check", "--model", "llama-3.1-70b", "--qps", "1", "--budget-usd-per-hour", "2",
                                                "--proposed", "g5.xlarge", "--format", "json"});
  const auto j = json::parse(out.out);
  CHECK(j.dump().find("an option is feasible with budget_usd_per_hour 2 -> ") != std::string::npos);
}
