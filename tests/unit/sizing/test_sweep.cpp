// A sweep over the whole default catalog: every family (and every model) in every phase and
// mode, on CPU, GPU, TPU, Inferentia and Trainium instances of the three clouds. Whatever the
// combination, the sizing must give finite numbers that render as JSON, and either a fit with a
// positive throughput or a reason why not.

#include <catch2/catch.hpp>

#include <cmath>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "aiadvise/report/json.hpp"
#include "aiadvise/sizing/sizing.hpp"
#include "aiadvise/util/diagnostics.hpp"
#include "aiadvise/workload/workload.hpp"
#include "support/helpers.hpp"

using aiadvise::sizing::Estimate;
using aiadvise::sizing::Requirements;
using aiadvise::test::default_catalog;
using aiadvise::workload::Workload;
using nlohmann::json;

namespace {

// CPU (Intel, Graviton, Azure D-series, GCP n2), GPU (A10G, 8 x A100 40GB, GCP a2, Azure NC A100,
// T4, an H100 NVL without a peak in the catalog), TPU v5e, Inferentia 1 and 2, Trainium.
const std::vector<std::string> k_instances{
    "m7i.2xlarge",  "c7g.4xlarge",   "Standard_D8s_v5", "n2-standard-16", "g5.xlarge",
    "p4d.24xlarge", "a2-highgpu-1g", "Standard_NC24ads_A100_v4",          "g4dn.xlarge",
    "Standard_NC40ads_H100_v5",      "v5litepod-4",     "v5litepod-1",    "inf2.xlarge",
    "inf1.xlarge",  "trn1.32xlarge", "p5.48xlarge"};

struct Variant {
  std::string name;
  json fields;
};

std::vector<Variant> phase_variants(bool transformer) {
  std::vector<Variant> v{
      {"training", {{"phase", "training"}}},
      {"fine-tuning", {{"phase", "fine-tuning"}}},
      {"fine-tuning lora", {{"phase", "fine-tuning"}, {"method", "lora"}}},
      {"inference realtime", {{"phase", "inference"}, {"mode", "realtime"}}},
      {"inference batch", {{"phase", "inference"}, {"mode", "batch"}}},
      {"inference realtime qps 200 latency 50", {{"phase", "inference"}, {"mode", "realtime"}, {"qps", 200}, {"latency_ms", 50}}},
      {"inference batch 8 deadline 1h", {{"phase", "inference"}, {"mode", "batch"}, {"batch_size", 8}, {"deadline_hours", 1}}},
      {"inference int8", {{"phase", "inference"}, {"precision", "int8"}}},
      {"inference fp32", {{"phase", "inference"}, {"precision", "fp32"}}},
      {"training deadline 2h fp8", {{"phase", "training"}, {"precision", "fp8"}, {"deadline_hours", 2}}},
  };
  if (transformer) {
    v.push_back({"fine-tuning qlora", {{"phase", "fine-tuning"}, {"method", "qlora"}}});
    v.push_back({"training checkpointed", {{"phase", "training"}, {"gradient_checkpointing", true}, {"input_tokens", 4096}}});
    v.push_back({"inference int4 ttft", {{"phase", "inference"}, {"precision", "int4"}, {"input_tokens", 2000}}});
  }
  return v;
}

bool finite(const std::optional<double>& v) { return !v || std::isfinite(*v); }

// Checks one workload on every instance; returns how many combinations were run.
int sweep(const json& input, const std::string& what) {
  const auto& c = default_catalog();
  INFO(what << ": " << input.dump());
  std::vector<aiadvise::util::Diagnostic> diagnostics;
  const auto doc = aiadvise::util::JsonDocument::parse("sweep", input.dump(), {}, diagnostics);
  REQUIRE(doc.ok());
  const Workload w = aiadvise::workload::normalise(&doc, {}, c);
  const Requirements r = aiadvise::sizing::requirements(w, c);
  const auto& m = r.memory;
  for (double v : {m.weights_gib, m.kv_cache_gib, m.activations_gib, m.gradients_gib, m.optimizer_gib, m.overhead_gib,
                   r.reference_batch, r.kv_bytes_per_token, r.activation_bytes_per_sample, r.trainable_params,
                   r.forward_flops_per_unit, r.training_flops, r.units_per_request}) {
    CHECK(std::isfinite(v));
    CHECK(v >= 0);
  }
  CHECK(m.total_gib() > 0);
  CHECK(r.forward_flops_per_unit > 0);
  if (w.trains()) CHECK(r.training_flops > 0);
  CHECK_FALSE(r.unit.empty());
  CHECK_NOTHROW(aiadvise::report::requirements_json(r).dump());

  int runs = 0;
  for (const auto& name : k_instances) {
    const auto* instance = c.instance(name);
    REQUIRE(instance != nullptr);
    INFO("on " << name);
    const Estimate e = aiadvise::sizing::estimate(w, r, c, *instance);
    ++runs;
    for (const auto& v : {std::optional<double>(e.memory_needed_gib), std::optional<double>(e.memory_available_gib),
                          std::optional<double>(e.headroom), std::optional<double>(e.batch_size), e.throughput,
                          e.latency_ms, e.ttft_ms, e.tpot_ms, e.time_hours, e.price_usd_per_hour, e.cost_usd,
                          e.cost_usd_per_1m_tokens, e.cost_usd_per_1k_requests}) {
      CHECK(finite(v));
    }
    std::string text;
    CHECK_NOTHROW(text = aiadvise::report::estimate_json(e, c).dump());
    CHECK(text.find("null") == std::string::npos);
    CHECK(e.count >= 1);
    CHECK(e.tensor_parallel >= 1);
    CHECK(e.replicas_per_instance >= 1);
    if (e.fits) {
      INFO("fits; notes: " << json(e.notes).dump() << " unknowns: " << json(e.unknowns).dump());
      REQUIRE(e.throughput);
      CHECK(*e.throughput > 0);
      CHECK_FALSE(e.throughput_unit.empty());
      CHECK(e.fit_reason.empty());
      CHECK(e.memory_needed_gib > 0);
      CHECK(e.memory_needed_gib <= e.memory_available_gib * (1 + 1e-9));
      CHECK(e.batch_size >= 1);
      if (e.price_usd_per_hour) CHECK(*e.price_usd_per_hour > 0);
      if (e.cost_usd) CHECK(*e.cost_usd > 0);
      if (e.time_hours) CHECK(*e.time_hours > 0);
      if (w.trains()) CHECK(e.time_hours);
      if (e.latency_ms) CHECK(*e.latency_ms > 0);
    } else {
      CHECK_FALSE(e.fit_reason.empty());
    }
  }
  return runs;
}

}  // namespace

TEST_CASE("sizing: every family in every phase gives finite numbers or a reason on every kind of instance",
          "[sizing][sweep]") {
  const auto& c = default_catalog();
  REQUIRE(c.families.size() >= 10);
  int runs = 0;
  for (const auto& family : c.families) {
    const bool classical = family.sizing == aiadvise::catalog::SizingMethod::classical;
    const bool transformer = family.sizing == aiadvise::catalog::SizingMethod::transformer_decoder ||
                             family.sizing == aiadvise::catalog::SizingMethod::transformer_encoder ||
                             family.sizing == aiadvise::catalog::SizingMethod::transformer_encoder_decoder;
    std::vector<json> bases{{{"family", family.id}}};
    if (!family.typical_params) bases.push_back({{"family", family.id}, {"params", 1e9}});
    for (const auto& base : bases) {
      for (const auto& variant : phase_variants(transformer)) {
        json input = base;
        input.update(variant.fields);
        if (classical && variant.fields.contains("precision")) continue;  // classical ML runs in fp32 only
        runs += sweep(input, family.id + " " + variant.name);
      }
    }
  }
  CHECK(runs >= static_cast<int>(c.families.size() * 10 * k_instances.size()));
}

TEST_CASE("sizing: every model of the catalog in every phase gives finite numbers or a reason", "[sizing][sweep]") {
  const auto& c = default_catalog();
  int runs = 0;
  for (const auto& model : c.models) {
    for (const char* phase : {"training", "fine-tuning", "inference"}) {
      json input = {{"model", model.id}, {"phase", phase}};
      // A model the catalog gives no size (deepar) needs one, as the CLI asks for.
      const auto* family = c.family(model.family);
      if (!model.params && family && family->sizing != aiadvise::catalog::SizingMethod::classical) input["params"] = 1e6;
      runs += sweep(input, model.id);
      if (std::string(phase) == "inference") {
        input["mode"] = "batch";
        runs += sweep(input, model.id);
      }
    }
  }
  CHECK(runs == static_cast<int>(c.models.size() * 4 * k_instances.size()));
}
