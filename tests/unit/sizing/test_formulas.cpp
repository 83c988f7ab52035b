// The sizing formulas pinned on hand-computed examples. Each test states the arithmetic in a
// comment, so a change to a formula or a constant shows up here with the numbers to re-check
// against docs/sizing.md.

#include <catch2/catch.hpp>

#include <algorithm>
#include <cmath>
#include <string>

#include <nlohmann/json.hpp>

#include "aiadvise/report/json.hpp"
#include "aiadvise/sizing/sizing.hpp"
#include "aiadvise/util/diagnostics.hpp"
#include "aiadvise/workload/workload.hpp"
#include "support/helpers.hpp"

using aiadvise::sizing::Estimate;
using aiadvise::sizing::EstimateOptions;
using aiadvise::sizing::Requirements;
using aiadvise::sizing::k_gib;
using aiadvise::test::default_catalog;
using aiadvise::workload::Workload;
using nlohmann::json;

namespace {

Workload make(const json& workload, const aiadvise::workload::FlagValues& flags = {}) {
  std::vector<aiadvise::util::Diagnostic> diagnostics;
  const auto doc = aiadvise::util::JsonDocument::parse("workload.json", workload.dump(), {}, diagnostics);
  REQUIRE(doc.ok());
  return aiadvise::workload::normalise(&doc, flags, default_catalog());
}

Requirements needs(const json& workload) { return aiadvise::sizing::requirements(make(workload), default_catalog()); }

Estimate on(const json& workload, const char* instance, const EstimateOptions& options = {}) {
  const auto& c = default_catalog();
  const Workload w = make(workload);
  const Requirements r = aiadvise::sizing::requirements(w, c);
  const auto* i = c.instance(instance);
  REQUIRE(i != nullptr);
  return aiadvise::sizing::estimate(w, r, c, *i, options);
}

bool contains(const std::string& text, const std::string& part) { return text.find(part) != std::string::npos; }

}  // namespace

TEST_CASE("sizing: weights take params x bytes per value of the precision", "[sizing]") {
  // llama-2-7b: 6.74e9 parameters.
  //   fp32: 6.74e9 x 4   / 2^30 = 25.1085 GiB
  //   bf16: 6.74e9 x 2   / 2^30 = 12.5542 GiB
  //   int8: 6.74e9 x 1   / 2^30 =  6.2771 GiB
  //   int4: 6.74e9 x 0.5 / 2^30 =  3.1386 GiB
  CHECK(needs({{"model", "llama-2-7b"}, {"precision", "fp32"}}).memory.weights_gib == Approx(25.1085).epsilon(1e-5));
  CHECK(needs({{"model", "llama-2-7b"}, {"precision", "bf16"}}).memory.weights_gib == Approx(12.5542).epsilon(1e-5));
  CHECK(needs({{"model", "llama-2-7b"}, {"precision", "int8"}}).memory.weights_gib == Approx(6.27711).epsilon(1e-5));
  CHECK(needs({{"model", "llama-2-7b"}, {"precision", "int4"}}).memory.weights_gib == Approx(3.13856).epsilon(1e-5));
  // Inference holds no gradients or optimizer states.
  const auto r = needs({{"model", "llama-2-7b"}, {"precision", "bf16"}});
  CHECK(r.memory.gradients_gib == 0);
  CHECK(r.memory.optimizer_gib == 0);
}

TEST_CASE("sizing: KV cache counts only the KV heads", "[sizing]") {
  // llama-2-70b, GQA with 8 KV heads (of 64 query heads), head_dim 128, 80 layers, fp16:
  //   2 (K and V) x 80 x 8 x 128 x 2 bytes = 327,680 bytes per token.
  CHECK(needs({{"model", "llama-2-70b"}, {"precision", "fp16"}}).kv_bytes_per_token == 327680);
  // With all 64 heads it would be 8x as much; the formula must not use the query heads.
  CHECK(needs({{"model", "llama-2-70b"}, {"precision", "fp16"}}).kv_bytes_per_token < 2.0 * 80 * 64 * 128 * 2);
  // llama-2-7b, MHA (32 KV heads): 2 x 32 x 32 x 128 x 2 = 524,288 bytes per token.
  CHECK(needs({{"model", "llama-2-7b"}, {"precision", "fp16"}}).kv_bytes_per_token == 524288);
  // Weight-only int8/int4 keep a 16-bit cache; fp8 serving stores fp8 (1 byte); fp32 stores 4 bytes.
  CHECK(needs({{"model", "llama-2-7b"}, {"precision", "int4"}}).kv_bytes_per_token == 524288);
  CHECK(needs({{"model", "llama-2-7b"}, {"precision", "fp8"}}).kv_bytes_per_token == 262144);
  CHECK(needs({{"model", "llama-2-7b"}, {"precision", "fp32"}}).kv_bytes_per_token == 1048576);
}

TEST_CASE("sizing: KV cache uses the explicit head_dim, not hidden / heads", "[sizing]") {
  // gemma-7b: 28 layers, 16 KV heads, head_dim 256 (16 x 256 = 4096, not the hidden size 3072):
  //   2 x 28 x 16 x 256 x 2 bytes = 458,752 bytes per token.
  // hidden / heads would give 3072 / 16 = 192 and 344,064 bytes: wrong.
  const auto r = needs({{"model", "gemma-7b"}, {"precision", "bf16"}});
  CHECK(r.kv_bytes_per_token == 458752);
  CHECK(r.kv_bytes_per_token != 2.0 * 28 * 16 * 192 * 2);
}

TEST_CASE("sizing: KV cache total is bytes per token x context x batch", "[sizing]") {
  // llama-2-7b fp16, 1000 tokens in + 24 out = 1024 tokens of context, batch 4:
  //   524,288 x 1024 x 4 = 2^19 x 2^10 x 2^2 = 2^31 bytes = 2 GiB exactly.
  const auto r = needs({{"model", "llama-2-7b"}, {"precision", "fp16"}, {"input_tokens", 1000}, {"output_tokens", 24},
                        {"batch_size", 4}});
  CHECK(r.reference_batch == 4);
  CHECK(r.memory.kv_cache_gib == Approx(2.0));
  // Batch 1 is a quarter of it.
  const auto one = needs({{"model", "llama-2-7b"}, {"precision", "fp16"}, {"input_tokens", 1000}, {"output_tokens", 24}});
  CHECK(one.memory.kv_cache_gib == Approx(0.5));
}

TEST_CASE("sizing: full training with Adam takes 16 bytes per parameter in bf16 and in fp32", "[sizing]") {
  // llama-2-7b full fine-tuning.
  // Mixed precision (bf16): weights 2 + gradients 2 + fp32 master, momentum, variance 12 = 16 bytes:
  //   weights 6.74e9 x 2 / 2^30 = 12.5542, gradients 12.5542, optimizer 6.74e9 x 12 / 2^30 = 75.3254,
  //   total states 6.74e9 x 16 / 2^30 = 100.434 GiB.
  const auto bf16 = needs({{"model", "llama-2-7b"}, {"phase", "fine-tuning"}, {"precision", "bf16"}});
  CHECK(bf16.trainable_params == 6.74e9);
  CHECK(bf16.memory.weights_gib == Approx(12.5542).epsilon(1e-5));
  CHECK(bf16.memory.gradients_gib == Approx(12.5542).epsilon(1e-5));
  CHECK(bf16.memory.optimizer_gib == Approx(75.3254).epsilon(1e-5));
  CHECK(bf16.memory.weights_gib + bf16.memory.gradients_gib + bf16.memory.optimizer_gib == Approx(100.434).epsilon(1e-5));
  // Pure fp32: weights 4 + gradients 4 + momentum and variance 8 = 16 bytes:
  //   weights 25.1085, gradients 25.1085, optimizer 50.2169, total 100.434 GiB.
  const auto fp32 = needs({{"model", "llama-2-7b"}, {"phase", "fine-tuning"}, {"precision", "fp32"}});
  CHECK(fp32.memory.weights_gib == Approx(25.1085).epsilon(1e-5));
  CHECK(fp32.memory.gradients_gib == Approx(25.1085).epsilon(1e-5));
  CHECK(fp32.memory.optimizer_gib == Approx(50.2169).epsilon(1e-5));
  CHECK(fp32.memory.weights_gib + fp32.memory.gradients_gib + fp32.memory.optimizer_gib == Approx(100.434).epsilon(1e-5));
  // Overhead is 10% of everything allocated.
  const double allocated = bf16.memory.total_gib() - bf16.memory.overhead_gib;
  CHECK(bf16.memory.overhead_gib == Approx(0.10 * allocated));
}

TEST_CASE("sizing: LoRA rank 16 on llama-2-7b trains 39,976,960 adapter parameters", "[sizing]") {
  // llama-2-7b: 32 layers, hidden 4096, 32 heads and 32 KV heads of 128, MLP 11008.
  // Per layer, r x (in + out) for each adapted projection:
  //   q: 4096 + 4096, k: 4096 + 4096, v: 4096 + 4096, o: 4096 + 4096  -> 32,768
  //   gate, up, down: 3 x (4096 + 11008)                                -> 45,312
  //   16 x (32,768 + 45,312) = 1,249,280 per layer; x 32 layers = 39,976,960
  // (the count PEFT prints for r=16 on all linear layers of Llama-2-7B).
  const auto r = needs({{"model", "llama-2-7b"}, {"phase", "fine-tuning"}, {"method", "lora"}, {"precision", "bf16"}});
  CHECK(r.trainable_params == 39976960);
  // Frozen weights in bf16 (12.5542 GiB) plus 16-bit adapters (39,976,960 x 2 / 2^30 = 0.0744629 GiB);
  // gradients and Adam states for the adapters only: 0.0744629 and 39,976,960 x 12 / 2^30 = 0.446777 GiB.
  CHECK(r.memory.weights_gib == Approx(12.5542 + 0.0744629).epsilon(1e-5));
  CHECK(r.memory.gradients_gib == Approx(0.0744629).epsilon(1e-5));
  CHECK(r.memory.optimizer_gib == Approx(0.446777).epsilon(1e-5));
}

TEST_CASE("sizing: QLoRA keeps 4-bit weights plus quantisation constants and 16-bit adapters", "[sizing]") {
  // 6.74e9 x (0.5 + 0.127 / 8) bytes = 3.4769975e9 (NF4 + double-quantised constants)
  // + 39,976,960 x 2 bytes of adapters = 79,953,920
  // = 3.5569514e9 bytes / 2^30 = 3.31267 GiB.
  const auto w = make({{"model", "llama-2-7b"}, {"phase", "fine-tuning"}, {"method", "qlora"}});
  CHECK(w.precision == aiadvise::catalog::Precision::int4);
  const auto r = aiadvise::sizing::requirements(w, default_catalog());
  CHECK(r.trainable_params == 39976960);
  CHECK(r.memory.weights_gib == Approx(3.31267).epsilon(1e-5));
  CHECK(r.memory.gradients_gib == Approx(0.0744629).epsilon(1e-5));
  CHECK(r.memory.optimizer_gib == Approx(0.446777).epsilon(1e-5));
  // A quarter of the bf16 LoRA footprint or less.
  const auto lora = needs({{"model", "llama-2-7b"}, {"phase", "fine-tuning"}, {"method", "lora"}, {"precision", "bf16"}});
  CHECK(r.memory.weights_gib < lora.memory.weights_gib / 3.5);
}

TEST_CASE("sizing: training activations are 34 s h L bytes, 2 s h L with gradient checkpointing, plus fp32 logits", "[sizing]") {
  // llama-2-7b bf16, sequence 2048, hidden 4096, 32 layers, vocabulary 32,000, per sequence:
  //   34 x 2048 x 4096 x 32 = 34 x 2^28 bytes = 8.5 GiB, plus the logits 2048 x 32000 x 4 bytes;
  //    2 x 2048 x 4096 x 32 =  2 x 2^28 bytes = 0.5 GiB with checkpointing, plus one layer rebuilt
  //   (34 x 2048 x 4096) and the logits.
  const json base = {{"model", "llama-2-7b"}, {"phase", "fine-tuning"}, {"precision", "bf16"}, {"input_tokens", 2048}};
  const auto plain = needs(base);
  const double logits = 2048.0 * 32000 * 4;
  CHECK(plain.activation_bytes_per_sample == 34.0 * 2048 * 4096 * 32 + logits);
  CHECK(plain.activation_bytes_per_sample_checkpointed == 2.0 * 2048 * 4096 * 32 + 34.0 * 2048 * 4096 + logits);
  CHECK(plain.memory.activations_gib == Approx((34.0 * 2048 * 4096 * 32 + logits) / (1024.0 * 1024 * 1024)));
  json checkpointed = base;
  checkpointed["gradient_checkpointing"] = true;
  const auto ckpt = needs(checkpointed);
  CHECK(ckpt.checkpointing);
  CHECK(ckpt.memory.activations_gib == Approx(ckpt.activation_bytes_per_sample_checkpointed / (1024.0 * 1024 * 1024)));
  // Checkpointing recomputes the forward pass once: one more forward per sequence.
  CHECK(ckpt.recompute_flops_per_sample == Approx(ckpt.training_flops_per_sample / 3));
}

TEST_CASE("sizing: mixture of experts computes with active parameters and holds all of them", "[sizing]") {
  // mixtral-8x7b: 46.7e9 total, 12.9e9 active; 32 layers, 32 heads of 128 (attention width 4096).
  // Inference defaults: 512 tokens in + 256 out = 768 context, 384 attended on average (causal).
  //   forward FLOPs per token = 2 x 12.9e9 + 4 x 32 x 384 x 4096 = 25.8e9 + 201,326,592 = 26,001,326,592
  //   weights = 46.7e9 x 2 bytes (bf16) / 2^30 = 86.9855 GiB
  const auto r = needs({{"model", "mixtral-8x7b"}, {"precision", "bf16"}});
  CHECK(r.forward_flops_per_unit == Approx(26001326592.0));
  CHECK(r.memory.weights_gib == Approx(86.9855).epsilon(1e-5));
  // KV cache: GQA with 8 KV heads: 2 x 32 x 8 x 128 x 2 = 131,072 bytes per token.
  CHECK(r.kv_bytes_per_token == 131072);
}

TEST_CASE("sizing: transformer training FLOPs are 3 x forward = 6 x P x tokens plus the attention term", "[sizing]") {
  // llama-2-7b, 1e9 tokens of 2048, one epoch.
  //   forward per token = 2 x 6.74e9 + 4 x 32 layers x 1024 attended x 4096 = 13.48e9 + 536,870,912
  //                     = 14,016,870,912
  //   training = 3 x 14,016,870,912 x 1e9 = 4.2050612736e19
  //   (6 x P x tokens = 4.044e19; the attention adds 3 x 5.36870912e17 = 1.610612736e18)
  const auto r = needs({{"model", "llama-2-7b"}, {"phase", "training"}, {"precision", "bf16"}, {"input_tokens", 2048},
                        {"dataset_tokens", 1e9}});
  CHECK(r.forward_flops_per_unit == Approx(14016870912.0));
  CHECK(r.training_flops == Approx(4.2050612736e19));
  CHECK(r.training_flops > 6 * 6.74e9 * 1e9);
  CHECK(r.training_flops < 1.05 * 6 * 6.74e9 * 1e9);
  // Two epochs double it.
  const auto two = needs({{"model", "llama-2-7b"}, {"phase", "training"}, {"precision", "bf16"}, {"input_tokens", 2048},
                          {"dataset_tokens", 1e9}, {"epochs", 2}});
  CHECK(two.training_flops == Approx(2 * 4.2050612736e19));
  // LoRA skips the weight gradients of the frozen model: 2 x forward instead of 3.
  const auto lora = needs({{"model", "llama-2-7b"}, {"phase", "fine-tuning"}, {"method", "lora"}, {"precision", "bf16"},
                           {"input_tokens", 2048}, {"dataset_tokens", 1e9}});
  CHECK(lora.training_flops == Approx(2 * 14016870912.0 * 1e9));
}

TEST_CASE("sizing: dense training FLOPs are 3 x forward FLOPs per sample x samples x epochs", "[sizing]") {
  // resnet-50: 8.18 GFLOPs per 224x224 image; 1.28M images x 10 epochs:
  //   3 x 8.18e9 x 1.28e6 x 10 = 3.14112e17
  const auto r = needs({{"model", "resnet-50"}, {"phase", "training"}, {"dataset_samples", 1.28e6}, {"epochs", 10}});
  CHECK(r.unit == "sample");
  CHECK(r.forward_flops_per_unit == Approx(8.18e9));
  CHECK(r.training_flops == Approx(3.14112e17));
  CHECK(r.trainable_params == 25557032);
}

TEST_CASE("sizing: diffusion inference runs the text encoder once, the denoiser per step on two latents, the VAE once", "[sizing]") {
  // stable-diffusion-1.5 components (onnx-tool, 512x512): text encoder 13.56 GFLOPs, UNet 888.9 GFLOPs
  // per latent per step, VAE decoder 2,543.9 GFLOPs. 50 steps (default) x 2 latents (CFG):
  //   13.56e9 + 888.9e9 x 50 x 2 + 2543.9e9 = 9.144746e13 FLOPs per image
  const auto r = needs({{"model", "stable-diffusion-1.5"}});
  CHECK(r.unit == "image");
  CHECK(r.forward_flops_per_unit == Approx(9.144746e13));
  REQUIRE(r.stages.size() == 3);
  CHECK(r.stages[1].runs == 50);
  CHECK(r.stages[1].copies == 2);
  // 20 steps: 13.56e9 + 888.9e9 x 20 x 2 + 2543.9e9 = 3.811346e13
  CHECK(needs({{"model", "stable-diffusion-1.5"}, {"denoising_steps", 20}}).forward_flops_per_unit == Approx(3.811346e13));
  // 1024 px is four times the pixels of 512: every component's FLOPs x 4.
  CHECK(needs({{"model", "stable-diffusion-1.5"}, {"resolution", 1024}}).forward_flops_per_unit == Approx(4 * 9.144746e13));
  // Training: the UNet forward and backward on one noised step (3 x 888.9), the frozen text encoder
  // (13.56) and VAE encoder (1,132.7) forward only; 1e6 samples (default) x 10 epochs (default):
  //   (3 x 888.9e9 + 13.56e9 + 1132.7e9) x 1e7 = 3.81296e19
  const auto t = needs({{"model", "stable-diffusion-1.5"}, {"phase", "training"}});
  CHECK(t.training_flops == Approx(3.81296e19));
  // Only the UNet trains: 859.52M of the pipeline's parameters.
  CHECK(t.trainable_params == Approx(859.52e6));
}

TEST_CASE("sizing: gradient-boosted trees cost rows x features x rounds cell-rounds", "[sizing]") {
  // xgboost, 1e7 rows x 50 features x 100 rounds = 5e10 cell-rounds; 100 rounds x depth 8 = 800
  // comparisons per row at inference.
  const auto r = needs({{"model", "xgboost"}, {"phase", "training"}, {"dataset_samples", 1e7}, {"features", 50},
                        {"iterations", 100}});
  CHECK(r.unit == "row");
  CHECK(r.training_flops == Approx(5e10));
  CHECK(r.forward_flops_per_unit == Approx(800));
  // The data in memory: 5 bytes per cell (4-byte value + 1-byte quantised copy) and 16 bytes per row
  // (gradients, hessians, positions): (5e8 x 5 + 1e7 x 16) / 2^30 = 2.47732 GiB.
  CHECK(r.memory.activations_gib == Approx(2.47732).epsilon(1e-5));
  // k-means: 3 x rows x features x 8 clusters x iterations = 3 x 1e6 x 10 x 8 x 20 = 4.8e9.
  const auto k = needs({{"family", "classical-clustering"}, {"phase", "training"}, {"dataset_samples", 1e6},
                        {"features", 10}, {"iterations", 20}});
  CHECK(k.training_flops == Approx(4.8e9));
}

TEST_CASE("sizing: decode at batch 1 on one H100 reads the weights and KV cache at the fitted share of the bandwidth", "[sizing]") {
  // llama-2-7b fp16 on p5.4xlarge (one H100 SXM: 989 TFLOP/s fp16, 3350 GB/s), batch 1, 512 in, 256 out.
  // A decode step takes the longer of its compute and its memory traffic, plus the fitted engine
  // overhead per layer:
  //   compute: (2 x 6.74e9 + 4 x 32 x 640 x 4096) / (989e12 x prefill)
  //   memory:  (13.48e9 weights + 524,288 x 640 KV) / (3350e9 x decode)
  const auto& c = default_catalog();
  const auto* h100 = c.hardware_by_id("nvidia-h100-sxm");
  REQUIRE(h100);
  const double decode = c.factor(*h100, "llm-decoder", "decode")->value;
  const double prefill = c.factor(*h100, "llm-decoder", "prefill")->value;
  const auto* overhead = c.factor(*h100, "llm-decoder", "overhead");
  const double memory = (13.48e9 + 524288.0 * 640) / (3350e9 * decode);
  const double compute = (2 * 6.74e9 + 4.0 * 32 * 640 * 4096) / (989e12 * prefill);
  const double expected_ms = (std::max(memory, compute) + (overhead ? overhead->value * 1e-6 * 32 : 0)) * 1000;
  const auto e = on({{"model", "llama-2-7b"}, {"precision", "fp16"}, {"mode", "batch"}, {"batch_size", 1}}, "p5.4xlarge");
  INFO(e.fit_reason);
  REQUIRE(e.fits);
  REQUIRE(e.tpot_ms);
  CHECK(*e.tpot_ms == Approx(expected_ms).epsilon(1e-6));
  CHECK(memory > compute);
  CHECK(e.bottleneck == "memory bandwidth");
  CHECK(e.tensor_parallel == 1);
  // The estimate names the factors it used, fitted on H100 LLM points.
  CHECK_FALSE(e.confidence.extrapolated);
  CHECK(std::find(e.confidence.factors.begin(), e.confidence.factors.end(), c.factor(*h100, "llm-decoder", "decode")->id) !=
        e.confidence.factors.end());
}

TEST_CASE("sizing: tensor parallelism splits the work and adds two all-reduces per layer", "[sizing]") {
  // llama-2-70b fp16 on p4d.24xlarge (8 x A100 40GB: 312 TFLOP/s, 1555 GB/s, NVLink 600 GB/s), 512
  // tokens in, batch 1. TTFT(t) = prefill on t devices + 2 x 80 layers x (10 us + 2 (t-1)/t x 512 x
  // 8192 x 2 bytes / 600 GB/s) + overhead: more devices divide the work but not the all-reduces.
  const json w = {{"model", "llama-2-70b"}, {"precision", "fp16"}, {"mode", "batch"}, {"batch_size", 1}};
  EstimateOptions four;
  four.tensor_parallel = 4;
  EstimateOptions eight;
  eight.tensor_parallel = 8;
  const auto e4 = on(w, "p4d.24xlarge", four);
  const auto e8 = on(w, "p4d.24xlarge", eight);
  REQUIRE(e4.fits);
  REQUIRE(e8.fits);
  CHECK(e4.tensor_parallel == 4);
  CHECK(e8.tensor_parallel == 8);
  CHECK(e4.replicas_per_instance == 2);
  const auto& c = default_catalog();
  const auto* overhead = c.factor(*c.hardware_by_id("nvidia-a100-40gb"), "llm-decoder", "overhead");
  const double fixed_ms = overhead ? overhead->value * 1e-6 * 80 * 1000 : 0;
  const double comm4 = 2 * 80 * (10e-6 + 2.0 * 3 / 4 * 512 * 8192 * 2 / 600e9) * 1000 + fixed_ms;
  const double comm8 = 2 * 80 * (10e-6 + 2.0 * 7 / 8 * 512 * 8192 * 2 / 600e9) * 1000 + fixed_ms;
  // TTFT(t) less the all-reduces and the fixed overhead is the split work: it halves from 4 to 8
  // devices.
  CHECK((*e8.ttft_ms - comm8) == Approx((*e4.ttft_ms - comm4) / 2).epsilon(0.02));
  CHECK(*e8.ttft_ms > *e4.ttft_ms / 2);
  // Left to choose, the smallest split whose 90% of memory holds 128.5 GiB of weights on 40 GB
  // devices is 4.
  const auto chosen = on(w, "p4d.24xlarge");
  CHECK(chosen.tensor_parallel == 4);
}

TEST_CASE("sizing: more requests per second need more instances", "[sizing]") {
  const json base = {{"model", "llama-3.1-8b"}, {"precision", "bf16"}, {"output_tokens", 200}};
  json low = base;
  low["qps"] = 1;
  json high = base;
  high["qps"] = 50;
  const auto e1 = on(low, "g6e.xlarge");
  const auto e50 = on(high, "g6e.xlarge");
  REQUIRE(e1.fits);
  REQUIRE(e50.fits);
  CHECK(e1.count == 1);
  CHECK(e50.count > e1.count);
  // The fleet keeps up with the load: 50 requests/s x 200 output tokens.
  CHECK(*e50.throughput >= 50 * 200 * 0.999);
  CHECK(*e50.price_usd_per_hour == Approx(*e1.price_usd_per_hour / e1.count * e50.count));
}

TEST_CASE("sizing: a tight training deadline needs more instances", "[sizing]") {
  const json base = {{"model", "llama-3.1-8b"}, {"phase", "training"}, {"dataset_tokens", 1e10}};
  json tight = base;
  tight["deadline_hours"] = 4;
  const auto relaxed = on(base, "p5.48xlarge");
  const auto rushed = on(tight, "p5.48xlarge");
  REQUIRE(relaxed.fits);
  REQUIRE(rushed.fits);
  CHECK(relaxed.count == 1);
  CHECK(rushed.count > relaxed.count);
  CHECK(*rushed.time_hours <= 4);
  CHECK(*relaxed.time_hours > 4);
  // The whole run costs more with the scaling loss, never less.
  CHECK(*rushed.cost_usd >= *relaxed.cost_usd);
}

TEST_CASE("sizing: a 70B fp16 model does not fit one 24 GB GPU and the reason gives the numbers", "[sizing]") {
  // llama-2-70b fp16 weights: 68.98e9 x 2 / 2^30 = 128.5 GiB; the A10G of g5.xlarge has 22.35 GiB.
  const auto e = on({{"model", "llama-2-70b"}, {"precision", "fp16"}}, "g5.xlarge");
  CHECK_FALSE(e.fits);
  INFO(e.fit_reason);
  CHECK(contains(e.fit_reason, "128."));
  CHECK(contains(e.fit_reason, "22.4 GiB"));
  CHECK(contains(e.fit_reason, "g5.xlarge"));
  CHECK(e.memory_needed_gib > e.memory_available_gib);
  CHECK_FALSE(e.throughput);
  // The JSON form still renders (no NaN), and says why.
  const auto j = aiadvise::report::estimate_json(e, default_catalog());
  CHECK(j.at("fits") == false);
  CHECK(j.at("fit_reason") == e.fit_reason);
}

TEST_CASE("sizing: xgboost inference is sized on a CPU instance", "[sizing]") {
  const auto e = on({{"model", "xgboost"}, {"qps", 100}}, "m7i.2xlarge");
  INFO(e.fit_reason);
  REQUIRE(e.fits);
  CHECK(e.compute == aiadvise::catalog::ComputeKind::cpu);
  CHECK(e.accelerator.empty());
  REQUIRE(e.throughput);
  CHECK(*e.throughput >= 100);
  CHECK(e.throughput_unit == "rows/s");
  REQUIRE(e.latency_ms);
  CHECK(*e.latency_ms > 0);
  REQUIRE(e.price_usd_per_hour);
  CHECK(*e.price_usd_per_hour > 0);
}

TEST_CASE("sizing: the spot price is used with --spot where the instance has one", "[sizing]") {
  const auto& c = default_catalog();
  const auto* i = c.instance("n2-standard-16");
  REQUIRE(i != nullptr);
  REQUIRE(i->spot_price_usd_per_hour);
  REQUIRE(i->price_usd_per_hour);
  const json w = {{"model", "xgboost"}, {"phase", "training"}, {"dataset_samples", 1e6}};
  const auto on_demand = on(w, "n2-standard-16");
  CHECK(*on_demand.price_usd_per_hour == Approx(*i->price_usd_per_hour));
  // Through the workload's own spot field ...
  json spot = w;
  spot["spot"] = true;
  const auto from_workload = on(spot, "n2-standard-16");
  CHECK(*from_workload.price_usd_per_hour == Approx(*i->spot_price_usd_per_hour));
  CHECK(*from_workload.price_usd_per_hour < *on_demand.price_usd_per_hour);
  CHECK(std::find(from_workload.notes.begin(), from_workload.notes.end(), "spot price in us-central1") != from_workload.notes.end());
  CHECK(from_workload.spot);
  CHECK(from_workload.region == "us-central1");
  CHECK(*from_workload.cost_usd == Approx(*i->spot_price_usd_per_hour * aiadvise::sizing::billed_hours(*from_workload.time_hours)));
  // ... and through the estimate options.
  EstimateOptions options;
  options.spot = true;
  CHECK(*on(w, "n2-standard-16", options).price_usd_per_hour == Approx(*i->spot_price_usd_per_hour));
  // An instance without a spot price keeps its on-demand price.
  const auto* aws = c.instance("m7i.2xlarge");
  REQUIRE(aws != nullptr);
  REQUIRE_FALSE(aws->spot_price_usd_per_hour);
  CHECK(*on(spot, "m7i.2xlarge").price_usd_per_hour == Approx(*aws->price_usd_per_hour));
}

TEST_CASE("sizing: training splits a sample over an instance's devices when that is faster than recomputing it", "[sizing]") {
  // Llama 2 70B pre-training at 4,096 tokens on 128 x p4de.24xlarge (8 x A100 80 GB, NVLink):
  // without recomputation a sample's activations (about 85 GiB) fit no device alone. Full
  // recomputation at t = 1 costs a third more compute; a split over t devices costs, per sample and
  // device, 8 x 80 layers x (t-1)/t x 4096 x 8192 x 2 bytes over NVLink, a few percent of the compute.
  const json pretrain = {{"model", "llama-2-70b"}, {"phase", "training"}, {"input_tokens", 4096}, {"dataset_tokens", 2e12}, {"precision", "bf16"}};
  EstimateOptions o;
  o.count = 128;
  const auto split = on(pretrain, "p4de.24xlarge", o);
  REQUIRE(split.fits);
  CHECK(split.tensor_parallel > 1);
  CHECK_FALSE(split.gradient_checkpointing);
  CHECK(split.replicas_per_instance == 8 / split.tensor_parallel);
  // Asked to recompute, it stays on one device per sample, and takes longer.
  json recompute = pretrain;
  recompute["gradient_checkpointing"] = true;
  const auto ckpt = on(recompute, "p4de.24xlarge", o);
  REQUIRE(ckpt.fits);
  CHECK(ckpt.tensor_parallel == 1);
  CHECK(ckpt.gradient_checkpointing);
  CHECK(*ckpt.time_hours > *split.time_hours * 1.1);
  // A model whose samples fit one device is not split: the split would only add communication.
  const auto small = on({{"model", "llama-3.1-8b"}, {"phase", "training"}, {"dataset_tokens", 1e10}}, "p5.48xlarge");
  REQUIRE(small.fits);
  CHECK(small.tensor_parallel == 1);
  CHECK_FALSE(small.gradient_checkpointing);
}

TEST_CASE("sizing: dense training on a GPU takes at least the time to stream its stored activations", "[sizing]") {
  // resnet-50 on p3.2xlarge (one V100 16 GB: 15.7 TFLOP/s fp32, 125 fp16, 900 GB/s). Stored
  // activations per image: 0.007 bytes per forward FLOP x 8.18e9 FLOPs x 2 bytes / 2 = 57.26 MB in
  // fp16, twice that in fp32. In fp16 the traffic decides:
  //   images/s = 900e9 x u_mem / 57.26e6
  // In fp32 compute does (8x less peak, 2x the bytes), so fp16 is faster by less than the 8x of the
  // peaks: what ResNet-50 measurements on V100s show (2.3-3.6x, docs/sizing.md section 8).
  const auto& c = default_catalog();
  const auto* v100 = c.hardware_by_id("nvidia-v100-16gb");
  REQUIRE(v100);
  const auto* mem = c.factor(*v100, "cnn", "training-memory");
  REQUIRE(mem);
  CHECK(mem->regime == "training-memory");
  const json job{{"model", "resnet-50"}, {"phase", "training"}, {"dataset_samples", 1281167}, {"epochs", 1}};
  json fp16 = job, fp32 = job;
  fp16["precision"] = "fp16";
  fp32["precision"] = "fp32";
  aiadvise::sizing::EstimateOptions words;
  words.words = true;
  const auto half = on(fp16, "p3.2xlarge", words);
  const auto full = on(fp32, "p3.2xlarge", words);
  REQUIRE(half.fits);
  REQUIRE(full.fits);
  REQUIRE(half.throughput);
  REQUIRE(full.throughput);
  CHECK(half.count == 1);
  CHECK(*half.throughput == Approx(900e9 * mem->value / (0.007 * 8.18e9)).epsilon(1e-6));
  CHECK(half.bottleneck == "memory bandwidth");
  CHECK(full.bottleneck == "compute");
  const double speedup = *half.throughput / *full.throughput;
  CHECK(speedup > 1.5);
  CHECK(speedup < 8);
  // The factor is fitted per kind and family, never per chip (docs/sizing.md section 10.2).
  CHECK(mem->hardware == "gpu");
  CHECK(mem->family == "cnn");
  CHECK_FALSE(mem->points.empty());
}

TEST_CASE("sizing: dense training where no training-memory factor is fitted is compute alone", "[sizing]") {
  // No TPU point pairs two precisions, so TPUs have no training-memory factor and the time is
  // FLOPs over the fitted share of the peak, as before the memory bound came in.
  const auto& c = default_catalog();
  const auto* v5p = c.hardware_by_id("google-tpu-v5p");
  REQUIRE(v5p);
  CHECK(c.factor(*v5p, "cnn", "training-memory") == nullptr);
  aiadvise::sizing::EstimateOptions words;
  words.words = true;
  const auto e = on({{"model", "resnet-50"}, {"phase", "training"}, {"dataset_samples", 1281167}, {"epochs", 1}}, "gcp-tpu-v5p-8", words);
  INFO(e.fit_reason);
  REQUIRE(e.fits);
  CHECK(e.bottleneck == "compute");
  for (const auto& id : e.confidence.factors) CHECK(id.find("training-memory") == std::string::npos);
}
