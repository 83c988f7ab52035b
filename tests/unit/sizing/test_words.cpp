// Estimates without words (EstimateOptions::words = false) are what the decision engine compares
// for every instance; the full estimate is made only for the candidates a report shows. Both must
// hold the same numbers, or a shown candidate would not be the one that was ranked.

#include <catch2/catch.hpp>

#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "aiadvise/catalog/offers.hpp"
#include "aiadvise/sizing/sizing.hpp"
#include "aiadvise/util/diagnostics.hpp"
#include "aiadvise/workload/workload.hpp"
#include "support/helpers.hpp"

using aiadvise::sizing::Estimate;
using aiadvise::test::default_catalog;
using nlohmann::json;

namespace {

aiadvise::workload::Workload make(const json& workload) {
  std::vector<aiadvise::util::Diagnostic> diagnostics;
  const auto doc = aiadvise::util::JsonDocument::parse("workload.json", workload.dump(), {}, diagnostics);
  REQUIRE(doc.ok());
  return aiadvise::workload::normalise(&doc, {}, default_catalog());
}

void same_numbers(const Estimate& a, const Estimate& b) {
  CHECK(a.count == b.count);
  CHECK(a.compute == b.compute);
  CHECK(a.accelerators_per_instance == b.accelerators_per_instance);
  CHECK(a.fits == b.fits);
  CHECK(a.performance_known == b.performance_known);
  CHECK(a.memory_needed_gib == b.memory_needed_gib);
  CHECK(a.memory_available_gib == b.memory_available_gib);
  CHECK(a.headroom == b.headroom);
  CHECK(a.tensor_parallel == b.tensor_parallel);
  CHECK(a.replicas_per_instance == b.replicas_per_instance);
  CHECK(a.batch_size == b.batch_size);
  CHECK(a.throughput == b.throughput);
  CHECK(a.throughput_unit == b.throughput_unit);
  CHECK(a.latency_ms == b.latency_ms);
  CHECK(a.ttft_ms == b.ttft_ms);
  CHECK(a.tpot_ms == b.tpot_ms);
  CHECK(a.time_hours == b.time_hours);
  CHECK(a.price_usd_per_hour == b.price_usd_per_hour);
  CHECK(a.cost_usd == b.cost_usd);
  CHECK(a.cost_usd_per_1m_tokens == b.cost_usd_per_1m_tokens);
  CHECK(a.cost_usd_per_1k_requests == b.cost_usd_per_1k_requests);
  CHECK(a.memory_limit_gib == b.memory_limit_gib);
  CHECK(a.gradient_accumulation == b.gradient_accumulation);
  CHECK(a.gradient_checkpointing == b.gradient_checkpointing);
  CHECK(a.utilisation == b.utilisation);
  CHECK(a.overloaded == b.overloaded);
  CHECK(a.latency_parts.has_value() == b.latency_parts.has_value());
  CHECK(a.confidence.band == b.confidence.band);
  CHECK(a.confidence.extrapolated == b.confidence.extrapolated);
}

}  // namespace

TEST_CASE("sizing: an estimate without words has the numbers of the full one, on every instance", "[sizing]") {
  const auto& c = default_catalog();
  const std::vector<json> workloads{
      {{"model", "llama-3.1-8b"}, {"qps", 5}, {"tpot_ms", 50}},
      {{"model", "llama-2-70b"}, {"precision", "fp16"}, {"qps", 1}, {"spot", true}},
      {{"model", "resnet-50"}, {"phase", "training"}, {"dataset_samples", 1.28e6}, {"epochs", 90}, {"deadline_hours", 24}},
      {{"model", "xgboost"}, {"qps", 100}, {"latency_ms", 20}},
      {{"model", "bert-base"}, {"mode", "batch"}, {"dataset_samples", 1e7}},
      {{"model", "llama-2-7b"}, {"phase", "fine-tuning"}, {"method", "qlora"}, {"batch_size", 64}},
      {{"family", "classical-clustering"}, {"phase", "training"}, {"dataset_samples", 1e6}},
  };
  for (const auto& workload : workloads) {
    const auto w = make(workload);
    const auto r = aiadvise::sizing::requirements(w, c);
    for (const auto& i : c.instances) {
      INFO(workload.dump() << " on " << i.id);
      const Estimate full = aiadvise::sizing::estimate(w, r, c, i);
      aiadvise::sizing::EstimateOptions quiet;
      quiet.words = false;
      const Estimate numbers = aiadvise::sizing::estimate(w, r, c, i, quiet);
      same_numbers(full, numbers);
      CHECK(numbers.notes.empty());
      CHECK(numbers.unknowns.empty());
      CHECK(numbers.fit_reason.empty());
      CHECK(numbers.bottleneck.empty());
      CHECK(numbers.instance.empty());
      CHECK(full.instance == i.id);
    }
  }
}

TEST_CASE("sizing: instances of one shape get one estimate but for the price", "[sizing]") {
  const auto& c = default_catalog();
  const std::vector<json> workloads{
      {{"model", "llama-3.1-8b"}, {"qps", 5}, {"tpot_ms", 50}},
      {{"model", "bert-base"}, {"mode", "batch"}, {"dataset_samples", 1e7}},
      {{"model", "resnet-50"}, {"phase", "training"}, {"dataset_samples", 1.28e6}, {"epochs", 90}, {"deadline_hours", 24}},
      {{"model", "stable-diffusion-1.5"}, {"mode", "batch"}, {"spot", true}},
  };
  for (const auto& workload : workloads) {
    const auto w = make(workload);
    const auto r = aiadvise::sizing::requirements(w, c);
    for (const auto& i : c.instances) {
      // The same machine under another id and name, in another region, at another price.
      aiadvise::catalog::Instance twin = i;
      twin.id += "-twin";
      twin.name += "-twin";
      twin.region = "elsewhere-1";
      if (twin.price_usd_per_hour) *twin.price_usd_per_hour *= 1.37;
      if (twin.spot_price_usd_per_hour) *twin.spot_price_usd_per_hour *= 0.71;
      // Its offer in its own home region, at those prices (prices come from the offers).
      twin.offers.clear();
      if (const auto* home = i.offer_in(i.region)) {
        aiadvise::catalog::Offer o = *home;
        o.region = aiadvise::catalog::intern_region(twin.region);
        o.price_usd_per_hour = twin.price_usd_per_hour;
        o.spot_price_usd_per_hour = twin.spot_price_usd_per_hour;
        twin.offers.push_back(o);
      }
      const auto* accelerator = i.accelerator ? c.hardware_by_id(*i.accelerator) : nullptr;
      const auto* cpu = i.cpu ? c.hardware_by_id(*i.cpu) : nullptr;
      REQUIRE(aiadvise::sizing::shape_of(i, accelerator, cpu) == aiadvise::sizing::shape_of(twin, accelerator, cpu));
      Estimate a = aiadvise::sizing::estimate(w, r, c, i, accelerator, cpu);
      Estimate b = aiadvise::sizing::estimate(w, r, c, twin, accelerator, cpu);
      INFO(workload.dump() << " on " << i.id);
      CHECK(a.price_usd_per_hour.has_value() == b.price_usd_per_hour.has_value());
      for (Estimate* e : {&a, &b}) {
        e->price_usd_per_hour.reset();
        e->cost_usd.reset();
        e->cost_usd_per_1m_tokens.reset();
        e->cost_usd_per_1k_requests.reset();
      }
      same_numbers(a, b);
    }
  }
}

// A decision chooses every instance's offer once (scoring's choose_offers) and hands it to the
// estimate (EstimateOptions::offer) instead of the estimate choosing it again: the same estimate.
TEST_CASE("sizing: an estimate handed its instance's chosen offer is the one that chooses it", "[sizing]") {
  const auto& c = default_catalog();
  const std::vector<json> workloads{
      {{"model", "llama-3.1-8b"}, {"qps", 5}, {"tpot_ms", 50}},
      {{"model", "llama-3.1-8b"}, {"qps", 5}, {"region", "any"}, {"spot", true}},
      {{"model", "resnet-50"}, {"qps", 20}, {"region", "us-east-1"}},
      {{"model", "bert-base"}, {"mode", "batch"}, {"dataset_samples", 1e7}, {"region", "any"}},
  };
  for (const auto& workload : workloads) {
    const auto w = make(workload);
    const auto r = aiadvise::sizing::requirements(w, c);
    const aiadvise::catalog::RegionChoice regions(w.region);
    for (const auto& i : c.instances) {
      INFO(workload.dump() << " on " << i.id);
      aiadvise::sizing::EstimateOptions o;
      o.search = true;
      const Estimate chosen_here = aiadvise::sizing::estimate(w, r, c, i, o);
      const aiadvise::catalog::Choice offer = aiadvise::catalog::choose_offer(i, regions, w.spot);
      o.offer = &offer;
      const Estimate handed = aiadvise::sizing::estimate(w, r, c, i, o);
      same_numbers(chosen_here, handed);
      CHECK(handed.region == chosen_here.region);
      CHECK(handed.spot == chosen_here.spot);
      CHECK(handed.notes == chosen_here.notes);
      CHECK(handed.unknowns == chosen_here.unknowns);
    }
  }
}

TEST_CASE("sizing: an estimate is priced at the offer it is handed", "[sizing]") {
  const auto& c = default_catalog();
  const auto w = make({{"model", "llama-3.1-8b"}, {"qps", 5}});
  const auto r = aiadvise::sizing::requirements(w, c);
  int checked = 0;
  for (const auto& i : c.instances) {
    for (const auto& offer : i.offers) {
      if (offer.region == i.region || !offer.price_usd_per_hour) continue;
      INFO(i.id << " in " << offer.region);
      const aiadvise::catalog::Choice there = aiadvise::catalog::choose_offer(i, aiadvise::catalog::RegionChoice(std::string(offer.region)), false);
      aiadvise::sizing::EstimateOptions o;
      o.offer = &there;
      const Estimate e = aiadvise::sizing::estimate(w, r, c, i, o);
      if (!e.price_usd_per_hour) break;  // not sized this far (does not fit, performance unknown)
      CHECK(e.region == offer.region);
      CHECK(*e.price_usd_per_hour == *offer.price_usd_per_hour * e.count);
      ++checked;
      break;
    }
    if (checked == 20) break;
  }
  CHECK(checked == 20);
}

// A decision keeps the workload at another precision, and its requirements, once per precision
// (EstimateOptions::precisions) for every chip without the stated one: the same estimates.
TEST_CASE("sizing: an estimate handed a precision memo is the one without it, on every instance", "[sizing]") {
  const auto& c = default_catalog();
  const std::vector<json> workloads{
      {{"model", "llama-3.1-8b"}, {"qps", 5}, {"tpot_ms", 50}},
      {{"model", "llama-2-70b"}, {"precision", "fp8"}, {"qps", 1}},
      {{"model", "llama-2-7b"}, {"phase", "fine-tuning"}, {"method", "lora"}, {"dataset_tokens", 2e7}},
  };
  int sized_at_another = 0;
  for (const auto& workload : workloads) {
    const auto w = make(workload);
    const auto r = aiadvise::sizing::requirements(w, c);
    aiadvise::sizing::PrecisionMemo memo;  // one for every instance, as a decision keeps it
    for (const auto& i : c.instances) {
      INFO(workload.dump() << " on " << i.id);
      aiadvise::sizing::EstimateOptions o;
      o.search = true;
      const Estimate alone = aiadvise::sizing::estimate(w, r, c, i, o);
      o.precisions = &memo;
      const Estimate handed = aiadvise::sizing::estimate(w, r, c, i, o);
      same_numbers(alone, handed);
      CHECK(handed.precision_used == alone.precision_used);
      CHECK(handed.notes == alone.notes);
      CHECK(handed.fit_reason == alone.fit_reason);
      if (handed.precision_used != w.precision && handed.precision_supported) ++sized_at_another;
    }
  }
  CHECK(sized_at_another > 0);
}

// A batch run keeps one factor memo for its catalog (scoring::Prepared::factors) and hands it to the
// estimates of every line, whatever their family: lines of several families, interleaved on one
// memo, get the factors (and so the numbers and the confidence) of estimates made without it.
TEST_CASE("sizing: a factor memo shared by workloads of several families gives each its own factors", "[sizing]") {
  const auto& c = default_catalog();
  const std::vector<json> workloads{
      {{"model", "llama-3.1-8b"}, {"qps", 5}},
      {{"model", "resnet-50"}, {"qps", 20}},
      {{"model", "resnet-50"}, {"phase", "training"}, {"dataset_samples", 1.28e6}, {"epochs", 90}},
      {{"model", "xgboost"}, {"qps", 100}},
      {{"model", "stable-diffusion-1.5"}, {"qps", 0.5}},
  };
  aiadvise::sizing::FactorMemo memo;
  std::size_t asked = 0;
  for (int pass = 0; pass < 2; ++pass) {
    for (const auto& workload : workloads) {
      const auto w = make(workload);
      const auto r = aiadvise::sizing::requirements(w, c);
      for (std::size_t k = 0; k < c.instances.size(); k += 7) {  // every seventh: a few dozen chips of every kind
        const auto& i = c.instances[k];
        INFO(workload.dump() << " on " << i.id << ", pass " << pass);
        aiadvise::sizing::EstimateOptions o;
        o.search = true;
        const Estimate alone = aiadvise::sizing::estimate(w, r, c, i, o);
        o.factors = &memo;
        const Estimate handed = aiadvise::sizing::estimate(w, r, c, i, o);
        same_numbers(alone, handed);
        CHECK(handed.confidence.factors == alone.confidence.factors);
        CHECK(handed.confidence.basis == alone.confidence.basis);
        asked += alone.confidence.factors.size();
      }
    }
  }
  CHECK(asked > 100);
}
