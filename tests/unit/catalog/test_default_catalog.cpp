// The embedded default catalog: loads cleanly and holds what the engine and users rely on.

#include <catch2/catch.hpp>

#include <set>

#include "support/helpers.hpp"

using aiadvise::catalog::ComputeKind;
using aiadvise::test::default_catalog;

TEST_CASE("default catalog: loads without a single diagnostic", "[catalog][default]") {
  const auto& c = default_catalog();
  CHECK(c.meta.as_of.size() == 10);
  CHECK(c.families.size() >= 13);
}

TEST_CASE("default catalog: 120+ priced instances across three clouds, each sourced and dated", "[catalog][default]") {
  const auto& c = default_catalog();
  std::set<std::string> clouds;
  std::size_t priced = 0;
  for (const auto& i : c.instances) {
    clouds.insert(std::string(to_string(i.cloud)));
    if (!i.price_usd_per_hour) continue;
    ++priced;
    INFO(i.id);
    CHECK_FALSE(i.price_provenance.source.empty());
    CHECK(i.price_provenance.as_of.size() == 10);
    CHECK_FALSE(i.provenance.source.empty());
  }
  CHECK(priced >= 120);
  CHECK(clouds == std::set<std::string>{"aws", "azure", "gcp"});
}

TEST_CASE("default catalog: every accelerator the issue names is present", "[catalog][default]") {
  const auto& c = default_catalog();
  for (const char* id : {"nvidia-t4", "nvidia-a10g", "nvidia-l4", "nvidia-l40s", "nvidia-v100-16gb", "nvidia-a100-40gb",
                         "nvidia-a100-80gb", "nvidia-h100-sxm", "nvidia-h200", "google-tpu-v4", "google-tpu-v5e",
                         "google-tpu-v5p", "aws-inferentia", "aws-inferentia2", "aws-trainium", "intel-sapphire-rapids",
                         "amd-epyc-genoa", "aws-graviton3", "aws-graviton4"}) {
    INFO(id);
    const auto* h = c.hardware_by_id(id);
    REQUIRE(h != nullptr);
    if (h->kind != ComputeKind::cpu) {
      CHECK(h->memory_gib.has_value());
      CHECK(h->memory_bandwidth_gb_per_s.has_value());
    }
  }
}

TEST_CASE("default catalog: every named model the issue requires, with its architecture", "[catalog][default]") {
  const auto& c = default_catalog();
  for (const char* id : {"resnet-50", "efficientnet-b0", "mobilenet-v2", "yolov8-m", "vit-base", "unet", "stylegan2",
                         "stable-diffusion-1.5", "stable-diffusion-xl", "lstm-seq2seq", "deepar", "bert-base",
                         "bert-large", "all-minilm-l6-v2", "flan-t5-xl", "gpt-2", "gpt-j-6b", "llama-2-7b",
                         "llama-2-13b", "llama-2-70b", "llama-3.1-8b", "llama-3.1-70b", "llama-3.1-405b", "mistral-7b",
                         "mixtral-8x7b", "falcon-40b", "gemma-7b", "gpt-3-175b", "xgboost", "lightgbm", "dlrm"}) {
    INFO(id);
    const auto* m = c.model(id);
    REQUIRE(m != nullptr);
    REQUIRE(c.family(m->family) != nullptr);
    const auto sizing = c.family(m->family)->sizing;
    if (sizing == aiadvise::catalog::SizingMethod::transformer_decoder) {
      CHECK(m->params.has_value());
      CHECK(m->architecture.layers.has_value());
      CHECK(m->architecture.kv_heads.has_value());
    }
  }
  CHECK(c.models.size() >= 30);
  const auto* mixtral = c.model("mixtral-8x7b");
  REQUIRE(mixtral->active_params.has_value());
  CHECK(*mixtral->active_params < *mixtral->params);
}

TEST_CASE("default catalog: p4d is an 8x A100 GPU instance, not a CPU instance", "[catalog][default]") {
  const auto* p4d = default_catalog().instance("p4d.24xlarge");
  REQUIRE(p4d != nullptr);
  REQUIRE(p4d->accelerator.has_value());
  CHECK(*p4d->accelerator == "nvidia-a100-40gb");
  CHECK(p4d->accelerator_count == 8);
}

TEST_CASE("default catalog: GCP GPU prices keep the GPU part apart from the VM part", "[catalog][default]") {
  std::size_t gcp_gpu = 0;
  for (const auto& i : default_catalog().instances) {
    if (i.cloud != aiadvise::catalog::Cloud::gcp || !i.accelerator || !i.price_usd_per_hour) continue;
    const auto* h = default_catalog().hardware_by_id(*i.accelerator);
    if (h->kind != ComputeKind::gpu) continue;
    // A4 (B200) is priced through its GPU row alone (the VM row is 0): no parts to keep apart.
    if (i.family == "a4-highgpu") continue;
    ++gcp_gpu;
    INFO(i.id);
    REQUIRE(i.price_vm_usd_per_hour.has_value());
    REQUIRE(i.price_accelerators_usd_per_hour.has_value());
    CHECK(*i.price_vm_usd_per_hour + *i.price_accelerators_usd_per_hour == Approx(*i.price_usd_per_hour));
  }
  CHECK(gcp_gpu >= 10);
}
