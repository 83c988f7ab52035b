// The configuration search of serving (EstimateOptions::search): every tensor-parallel degree that
// fits is sized, and the fewest instances that meet the targets within the headroom are kept.

#include <catch2/catch.hpp>

#include <nlohmann/json.hpp>

#include "aiadvise/sizing/sizing.hpp"
#include "aiadvise/util/diagnostics.hpp"
#include "aiadvise/workload/workload.hpp"
#include "support/helpers.hpp"

using aiadvise::sizing::Estimate;
using aiadvise::sizing::EstimateOptions;
using aiadvise::test::default_catalog;
using nlohmann::json;

namespace {

Estimate on(const json& workload, const char* instance, const EstimateOptions& options) {
  std::vector<aiadvise::util::Diagnostic> diagnostics;
  const auto doc = aiadvise::util::JsonDocument::parse("workload.json", workload.dump(), {}, diagnostics);
  REQUIRE(doc.ok());
  const auto& c = default_catalog();
  const auto w = aiadvise::workload::normalise(&doc, {}, c);
  const auto r = aiadvise::sizing::requirements(w, c);
  const auto* i = c.instance(instance);
  REQUIRE(i != nullptr);
  return aiadvise::sizing::estimate(w, r, c, *i, options);
}

EstimateOptions searching(double max_utilisation = 0.8, int min_replicas = 2) {
  EstimateOptions o;
  o.search = true;
  o.max_utilisation = max_utilisation;
  o.min_replicas = min_replicas;
  return o;
}

const json k_mixtral = {{"model", "mixtral-8x7b"}, {"qps", 10}, {"tpot_ms", 40}};

}  // namespace

TEST_CASE("sizing: the search sizes every degree that fits and keeps the one with the fewest instances", "[sizing][search]") {
  const Estimate smallest = on(k_mixtral, "aws-inf2-48xlarge", EstimateOptions{});
  const Estimate searched = on(k_mixtral, "aws-inf2-48xlarge", searching());
  REQUIRE(smallest.fits);
  REQUIRE(searched.fits);
  CHECK(smallest.tried.empty());  // no search: the smallest degree that meets the targets alone
  CHECK(searched.count < smallest.count);
  CHECK(searched.tensor_parallel > smallest.tensor_parallel);
  // inf2.48xlarge has 12 chips: degrees 1, 2, 3, 4, 6 and 12, each tried once, one kept.
  REQUIRE(searched.tried.size() == 6);
  int kept = 0;
  for (const auto& t : searched.tried) {
    CHECK(12 % t.tensor_parallel == 0);
    CHECK(t.replicas_per_instance == 12 / t.tensor_parallel);
    CHECK_FALSE(t.why.empty());
    if (t.kept) {
      ++kept;
      CHECK(t.tensor_parallel == searched.tensor_parallel);
      CHECK(t.count == searched.count);
    } else if (t.count > 0) {
      CHECK(t.count >= searched.count);
    }
  }
  CHECK(kept == 1);
}

TEST_CASE("sizing: a searched fleet stays within the utilisation limit and has the fewest replicas asked for", "[sizing][search]") {
  const json embed = {{"model", "bge-base-en-v1.5"}, {"qps", 5000}};
  const Estimate full = on(embed, "aws-g6e-xlarge", EstimateOptions{});
  const Estimate room = on(embed, "aws-g6e-xlarge", searching(0.8, 2));
  CHECK(room.utilisation <= 0.8);
  CHECK(room.count * room.replicas_per_instance >= 2);
  CHECK(room.count >= full.count);
  CHECK(*room.throughput >= 5000 / 0.8);
  const Estimate half = on(embed, "aws-g6e-xlarge", searching(0.5, 2));
  CHECK(half.utilisation <= 0.5);
  CHECK(*half.throughput >= 10000);
  // The fewest instances: one fewer would run above the limit.
  EstimateOptions fewer = searching(0.8, 2);
  fewer.count = room.count - 1;
  if (fewer.count > 0) CHECK(on(embed, "aws-g6e-xlarge", fewer).utilisation > 0.8);
  const Estimate light = on({{"model", "bge-base-en-v1.5"}, {"qps", 1}}, "aws-g6e-xlarge", searching(0.8, 3));
  CHECK(light.count == 3);
  CHECK(light.min_replicas == 3);
  CHECK(light.max_utilisation == Approx(0.8));
}

TEST_CASE("sizing: the search gives the same numbers with and without words", "[sizing][search]") {
  EstimateOptions quiet = searching();
  quiet.words = false;
  const Estimate a = on(k_mixtral, "aws-inf2-48xlarge", searching());
  const Estimate b = on(k_mixtral, "aws-inf2-48xlarge", quiet);
  CHECK(a.count == b.count);
  CHECK(a.tensor_parallel == b.tensor_parallel);
  CHECK(a.utilisation == b.utilisation);
  CHECK(a.max_concurrent == b.max_concurrent);
  CHECK(b.tried.empty());
}

TEST_CASE("sizing: a batch job's search keeps the degree with the most throughput per instance", "[sizing][search]") {
  const json job = {{"model", "mixtral-8x7b"}, {"mode", "batch"}, {"dataset_samples", 100000}};
  const Estimate searched = on(job, "aws-inf2-48xlarge", searching(1, 1));
  const Estimate smallest = on(job, "aws-inf2-48xlarge", EstimateOptions{});
  REQUIRE(searched.fits);
  CHECK(*searched.throughput >= *smallest.throughput * (1 - 1e-9));
  CHECK(searched.count == 1);
}

TEST_CASE("sizing: the engine is told how many sequences keep the TPOT target", "[sizing][search]") {
  const Estimate e = on(k_mixtral, "aws-inf2-48xlarge", searching());
  REQUIRE(e.fits);
  CHECK(e.continuous_batching);
  CHECK(e.max_concurrent >= e.batch_size);
  CHECK(e.memory_fraction == Approx(0.9));
}

// On GPUs a tensor-parallel degree must split the attention heads, and the KV heads or a whole
// number of copies of them (vLLM: "Total number of attention heads (28) must be divisible by tensor
// parallel size (8)"; Qwen2-7B cannot run 8 ways). Qwen2.5-7B has 28 heads and 4 KV heads: 1, 2 and
// 4 of 8 GPUs; Phi-4 has 40 and 10: 1 and 2. Neuron pads heads, so inf2.48xlarge keeps 3, 6 and 12
// (the first test above). A degree asked for is used as given (the calibration replays them).
TEST_CASE("sizing: tensor parallelism on GPUs only takes degrees that split the attention heads", "[sizing][search]") {
  const json qwen = {{"model", "qwen2.5-7b"}, {"qps", 20}, {"tpot_ms", 15}};
  const json phi = {{"model", "phi-4"}, {"qps", 20}, {"tpot_ms", 15}};
  for (const char* instance : {"aws-p4d-24xlarge", "aws-g6e-48xlarge"}) {
    INFO(instance);
    const Estimate q = on(qwen, instance, searching());
    const Estimate p = on(phi, instance, searching());
    REQUIRE(q.fits);
    REQUIRE(p.fits);
    CHECK(28 % q.tensor_parallel == 0);
    CHECK((p.tensor_parallel == 1 || p.tensor_parallel == 2));
    for (const auto& t : q.tried) CHECK(t.tensor_parallel != 8);
    for (const auto& t : p.tried) CHECK((t.tensor_parallel == 1 || t.tensor_parallel == 2));
    CHECK(q.tried.size() == 3);  // 1, 2 and 4 of 8
    CHECK(p.tried.size() == 2);  // 1 and 2 of 8
  }
  // Where the largest degree left is the one used, the note says why no larger one was.
  const Estimate four = on(phi, "aws-g5-12xlarge", searching());
  REQUIRE(four.fits);
  REQUIRE(four.tensor_parallel == 2);
  bool said = false;
  for (const auto& n : four.notes) said = said || n == "tensor parallelism stops at 2 devices: its 40 attention heads (10 KV) do not split 4 ways";
  CHECK(said);
  EstimateOptions forced;
  forced.tensor_parallel = 8;
  CHECK(on(qwen, "aws-p4d-24xlarge", forced).tensor_parallel == 8);
}
