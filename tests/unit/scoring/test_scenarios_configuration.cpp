// End-to-end scenarios of the configuration search and the headroom a serving pick keeps: what a
// practitioner sizing a fleet would insist on (docs/sizing.md, 7.7).

#include <catch2/catch.hpp>

#include <nlohmann/json.hpp>

#include <string>
#include <vector>

#include "aiadvise/cli/app.hpp"
#include "support/scenario.hpp"

using nlohmann::json;

using namespace aiadvise::test::scenario;

namespace {

int replicas(const json& option) {
  return option.at("parallelism").at("instances").get<int>() * option.at("parallelism").at("replicas_per_instance").get<int>();
}

bool assumed(const json& r, const std::string& prefix) {
  for (const auto& a : r.at("workload").at("assumed")) {
    if (a.get<std::string>().rfind(prefix, 0) == 0) return true;
  }
  return false;
}

}  // namespace

TEST_CASE("scenario: an embedding fleet at 5,000 requests/s keeps 20% spare capacity and two replicas", "[scenario][configuration]") {
  const auto r = recommend({"--model", "bge-base-en-v1.5", "--qps", "5000"});
  const auto& p = pick(r);
  CHECK(p.at("throughput").get<double>() >= 6250);
  CHECK(p.at("utilisation").get<double>() <= 0.8);
  CHECK(replicas(p) >= 2);
  CHECK(p.at("headroom").at("max_utilisation").get<double>() == Approx(0.8));
  CHECK(p.at("headroom").at("min_replicas") == 2);
  CHECK(assumed(r, "max_utilisation: 0.8"));
  CHECK(assumed(r, "min_replicas: 2"));
}

TEST_CASE("scenario: --min-replicas 1 lets a light service run on a single replica", "[scenario][configuration]") {
  const auto one = recommend({"--model", "bge-base-en-v1.5", "--qps", "5", "--min-replicas", "1"});
  const auto two = recommend({"--model", "bge-base-en-v1.5", "--qps", "5"});
  CHECK(replicas(pick(one)) == 1);
  CHECK(pick(one).at("headroom").at("min_replicas") == 1);
  CHECK_FALSE(assumed(one, "min_replicas"));
  CHECK(replicas(pick(two)) >= 2);
  // One replica costs no more than two.
  CHECK(pick(one).at("price_usd_per_hour").get<double>() <= pick(two).at("price_usd_per_hour").get<double>());
}

TEST_CASE("scenario: a batch job keeps one replica as its minimum and runs at full capacity", "[scenario][configuration]") {
  const auto r = recommend({"--model", "llama-3.1-8b", "--mode", "batch", "--dataset-samples", "20000"});
  const auto& p = pick(r);
  CHECK_FALSE(assumed(r, "min_replicas"));
  CHECK_FALSE(assumed(r, "max_utilisation"));
  REQUIRE(p.contains("headroom"));
  CHECK(p.at("headroom").at("min_replicas") == 1);
  CHECK(p.at("headroom").at("max_utilisation").get<double>() == Approx(1));
  CHECK(p.at("count") == 1);
}

TEST_CASE("scenario: every serving pick and alternative runs at no more than 80% of capacity and 90% of memory",
          "[scenario][configuration]") {
  const std::vector<std::vector<std::string>> workloads = {
      {"--model", "llama-3.1-8b", "--qps", "5"},
      {"--model", "llama-3.1-70b", "--qps", "2", "--tpot-ms", "60"},
      {"--model", "mixtral-8x7b", "--qps", "10", "--tpot-ms", "40", "--cloud", "aws"},
      {"--model", "resnet-50", "--qps", "300"},
      {"--model", "xgboost", "--phase", "inference", "--qps", "2000"},
      {"--model", "bge-large-en-v1.5", "--qps", "5000"},
  };
  for (const auto& args : workloads) {
    INFO(json(args).dump());
    const auto r = recommend(args);
    std::vector<json> options{pick(r)};
    for (const auto& a : r.at("alternatives")) options.push_back(a);
    for (const auto& o : options) {
      INFO(o.at("instance").get<std::string>() << " on " << o.at("service").get<std::string>());
      if (o.at("instance_id") == "serverless") continue;
      CHECK(o.at("utilisation").get<double>() <= 0.8 + 1e-9);
      CHECK(o.at("headroom").at("memory_used_fraction").get<double>() <= 0.9 + 1e-9);
      CHECK(replicas(o) >= 2);
    }
  }
}

TEST_CASE("scenario: --max-utilisation 0.5 sizes the fleet to twice the load", "[scenario][configuration]") {
  const auto r = recommend({"--model", "bge-base-en-v1.5", "--qps", "5000", "--max-utilisation", "0.5"});
  const auto& p = pick(r);
  CHECK(p.at("utilisation").get<double>() <= 0.5);
  CHECK(p.at("throughput").get<double>() >= 10000);
  CHECK(r.at("workload").at("max_utilisation").get<double>() == Approx(0.5));
  CHECK_FALSE(assumed(r, "max_utilisation"));
}

TEST_CASE("scenario: --max-utilisation and --min-replicas out of range are refused with the field named", "[scenario][configuration]") {
  for (const auto& [flag, value] : std::vector<std::pair<std::string, std::string>>{
           {"--max-utilisation", "0"}, {"--max-utilisation", "1.5"}, {"--min-replicas", "0"}, {"--min-replicas", "1.5"}}) {
    const auto r = aiadvise::cli::run_captured({"recommend", "--model", "bge-base-en-v1.5", "--qps", "5", flag, value});
    INFO(flag << " " << value << ": " << r.err);
    CHECK(r.code == 2);
    CHECK(r.err.find(flag) != std::string::npos);
  }
  const auto batch = aiadvise::cli::run_captured({"recommend", "--model", "llama-3.1-8b", "--mode", "batch", "--min-replicas", "2"});
  CHECK(batch.code == 2);
  CHECK(batch.err.find("applies to realtime inference") != std::string::npos);
}

TEST_CASE("scenario: Mixtral on Inferentia2 searches the tensor-parallel degree instead of sixteen instances at batch one",
          "[scenario][configuration]") {
  // Before the search: 16 x inf2.48xlarge at tensor parallel 4, 3 replicas of about 2 sequences each.
  const auto r = aiadvise::cli::run_captured({"check", "--model", "mixtral-8x7b", "--qps", "10", "--tpot-ms", "40", "--cloud", "aws",
                                              "--proposed", "inf2.48xlarge", "--format", "json"});
  INFO(r.err);
  REQUIRE(r.code <= 1);
  const json doc = json::parse(r.out);
  const json& e = doc.at("workloads").at(0).at("estimate");
  CHECK(e.at("count").get<int>() <= 8);
  CHECK(e.at("engine").at("tensor_parallel").get<int>() > 4);
  CHECK(e.at("batch_size").get<double>() > 2);
  CHECK(e.at("utilisation").get<double>() <= 0.8);
}

TEST_CASE("scenario: the pick's JSON carries the engine settings and the headroom; --explain shows the search",
          "[scenario][configuration]") {
  const auto r = recommend({"--model", "llama-3.1-8b", "--qps", "5", "--explain"});
  const auto& p = pick(r);
  const auto& engine = p.at("engine");
  CHECK(engine.at("tensor_parallel") == p.at("parallelism").at("tensor_parallel"));
  CHECK(engine.at("replicas_per_instance") == p.at("parallelism").at("replicas_per_instance"));
  CHECK(engine.at("instances") == p.at("count"));
  CHECK(engine.at("max_concurrent_sequences").get<double>() >= p.at("batch_size").get<double>());
  CHECK(engine.at("memory_fraction").get<double>() == Approx(0.9));
  const auto& h = p.at("headroom");
  CHECK(h.at("utilisation").get<double>() == Approx(p.at("utilisation").get<double>()));
  CHECK(h.at("memory_used_fraction").get<double>() <= 0.9);
  CHECK(h.at("replicas").get<int>() >= h.at("min_replicas").get<int>());
  const auto& search = r.at("trace").at("search");
  int kept = 0;
  for (const auto& c : search) kept += c.at("kept").get<bool>() ? 1 : 0;
  if (!search.empty()) CHECK(kept == 1);
}

TEST_CASE("scenario: estimate measures the configuration asked for, without the decision's headroom", "[scenario][configuration]") {
  const auto r = aiadvise::cli::run_captured(
      {"estimate", "--model", "bge-base-en-v1.5", "--qps", "5000", "--instance", "aws-g6e-xlarge", "--format", "json"});
  REQUIRE(r.code == 0);
  const json doc = json::parse(r.out);
  CHECK_FALSE(doc.at("instance").contains("engine"));
  for (const auto& a : doc.at("workload").at("assumed")) CHECK(a.get<std::string>().rfind("min_replicas", 0) != 0);
}

TEST_CASE("scenario: a 70B chat model at 2 requests/s keeps its two replicas on two instances, not both on one 16-chip instance", "[scenario][configuration]") {
  const auto r = recommend({"--model", "llama-3.1-70b", "--qps", "2", "--tpot-ms", "60"});
  const auto& p = pick(r);
  INFO(p.dump());
  CHECK(p.at("count").get<int>() >= 2);
  for (const auto& a : r.at("alternatives")) {
    INFO(a.dump());
    CHECK(a.at("count").get<int>() >= 2);  // every real-time option: one instance can fail
  }
  // --min-replicas 1 lifts it: a fleet no dearer, and the headroom says so.
  const auto one = recommend({"--model", "llama-3.1-70b", "--qps", "2", "--tpot-ms", "60", "--min-replicas", "1"});
  CHECK(pick(one).at("cost_usd_per_month").get<double>() <= p.at("cost_usd_per_month").get<double>());
  CHECK(pick(one).at("headroom").at("min_replicas") == 1);
}
