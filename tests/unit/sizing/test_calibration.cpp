// Calibration: the sizing model against published measurements (tests/fixtures/calibration/
// published.json, each with its source). Every point used here states how it maps onto a
// workload and an instance; each must be within its tolerance, and the whole set's median
// absolute error must stay under 35%. Set AIADVISE_CALIBRATION_TABLE=FILE to write the table
// that docs/sizing.md shows.

#include <catch2/catch.hpp>

#include <algorithm>
#include <cmath>
#include <fstream>
#include <functional>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "aiadvise/sizing/sizing.hpp"
#include "support/helpers.hpp"

using aiadvise::catalog::Instance;
using aiadvise::sizing::Estimate;
using aiadvise::sizing::Requirements;
using aiadvise::test::default_catalog;
using nlohmann::json;

namespace {

struct Mapping {
  std::string id;
  json workload;            // --workload object
  std::string accelerator;  // hardware id, or "" for a CPU host
  std::string cpu;          // host CPU id for CPU points
  int per_instance = 1;     // accelerators per instance (CPU: vCPUs)
  int instances = 1;
  double tolerance = 0.5;   // allowed |predicted / measured - 1|
  std::function<double(const Requirements&, const Estimate&, int devices)> predict;
  std::string how;          // how the point maps, for the table
  int tensor_parallel = 0;  // 0: the model chooses
};

double weights(const Requirements& r, const Estimate&, int) { return r.memory.weights_gib; }
double kv(const Requirements& r, const Estimate&, int) { return r.kv_bytes_per_token; }
double hours(const Requirements&, const Estimate& e, int) { return e.time_hours.value_or(NAN); }
double gpu_hours(const Requirements&, const Estimate& e, int devices) { return e.time_hours.value_or(NAN) * devices; }
double ttft(const Requirements&, const Estimate& e, int) { return e.ttft_ms.value_or(NAN); }
double tpot(const Requirements&, const Estimate& e, int) { return e.tpot_ms.value_or(NAN); }
double decode_rate(const Requirements&, const Estimate& e, int) { return 1000 / e.tpot_ms.value_or(NAN); }
double throughput(const Requirements&, const Estimate& e, int) { return e.throughput.value_or(NAN); }
double throughput_per_device(const Requirements&, const Estimate& e, int devices) {
  return e.throughput.value_or(NAN) / devices;
}

json llm_serving(const char* model, const char* precision, int batch, int in, int out) {
  return {{"model", model}, {"phase", "inference"}, {"mode", "batch"}, {"precision", precision},
          {"batch_size", batch}, {"input_tokens", in}, {"output_tokens", out}};
}

json pretrain(const char* model, double tokens) {
  return {{"model", model}, {"phase", "training"}, {"precision", "bf16"}, {"dataset_tokens", tokens}};
}

json gbdt(const char* model, double rows, int features, int rounds) {
  return {{"model", model}, {"phase", "training"}, {"dataset_samples", rows}, {"features", features}, {"iterations", rounds}};
}

std::vector<Mapping> mappings() {
  const json infer = {{"phase", "inference"}};
  return {
      {"llama-2-70b-fp16-weights", {{"model", "llama-2-70b"}, {"precision", "fp16"}}, "", "", 1, 1, 0.03, weights, "params x 2 bytes"},
      {"llama-2-7b-fp16-weights", {{"model", "llama-2-7b"}, {"precision", "fp16"}}, "", "", 1, 1, 0.03, weights, "params x 2 bytes"},
      {"llama-2-7b-kv-bytes-per-token-fp16", {{"model", "llama-2-7b"}, {"precision", "fp16"}}, "", "", 1, 1, 0.001, kv, "KV formula"},
      {"llama-3.1-70b-kv-bytes-per-token-bf16", {{"model", "llama-3.1-70b"}, {"precision", "bf16"}}, "", "", 1, 1, 0.001, kv, "KV formula (GQA)"},
      {"mlperf-train-v3.0-resnet50-8xh100",
       {{"model", "resnet-50"}, {"phase", "training"}, {"dataset_samples", 1281167}, {"epochs", 35}, {"batch_size", 400}},
       "nvidia-h100-sxm", "", 8, 1, 0.5, hours, "35 epochs of ImageNet, bf16"},
      {"mlperf-train-v3.0-resnet50-64xh100",
       {{"model", "resnet-50"}, {"phase", "training"}, {"dataset_samples", 1281167}, {"epochs", 35}, {"batch_size", 400}},
       "nvidia-h100-sxm", "", 8, 8, 0.6, hours, "35 epochs assumed (the 8-GPU run's count), 8 nodes"},
      {"mlperf-train-v3.0-bert-large-8xh100",
       {{"model", "bert-large"}, {"phase", "training"}, {"dataset_samples", 2.4e6}, {"input_tokens", 512}},
       "nvidia-h100-sxm", "", 8, 1, 1.7, hours,
       "2.4M sequences of 512 tokens (middle of the published convergence range); MLPerf packs shorter sequences, so the "
       "FLOPs here are an upper bound and the tolerance is wide"},
      {"mlperf-train-v3.0-gpt3-175b-3584xh100",
       {{"model", "gpt-3-175b"}, {"phase", "training"}, {"precision", "fp8"}, {"dataset_tokens", 1211105280}}, "nvidia-h100-sxm", "",
       8, 448, 0.6, hours, "1.21B tokens trained from the checkpoint, 448 nodes, fp8 (Transformer Engine, as NVIDIA's H100 submissions)"},
      {"mlperf-train-v4.0-llama2-70b-lora-8xh100",
       {{"model", "llama-2-70b"}, {"phase", "fine-tuning"}, {"method", "lora"}, {"precision", "bf16"},
        {"dataset_samples", 3072}, {"input_tokens", 8192}},
       "nvidia-h100-sxm", "", 8, 1, 0.6, hours, "3072 sequences of 8192 tokens, LoRA r=16"},
      {"llama-2-7b-pretrain-gpu-hours", pretrain("llama-2-7b", 2e12), "nvidia-a100-80gb", "", 8, 8, 0.3, gpu_hours, "2T tokens"},
      {"llama-2-13b-pretrain-gpu-hours", pretrain("llama-2-13b", 2e12), "nvidia-a100-80gb", "", 8, 8, 0.3, gpu_hours, "2T tokens"},
      {"llama-2-70b-pretrain-gpu-hours", pretrain("llama-2-70b", 2e12), "nvidia-a100-80gb", "", 8, 8, 0.3, gpu_hours, "2T tokens"},
      {"llama-3.1-8b-pretrain-gpu-hours", pretrain("llama-3.1-8b", 15e12), "nvidia-h100-sxm", "", 8, 8, 0.6, gpu_hours,
       "15T tokens; the reported hours imply ~14% utilisation for the 8B run against ~40% for 405B, and the model uses one "
       "utilisation for every size"},
      {"llama-3.1-70b-pretrain-gpu-hours", pretrain("llama-3.1-70b", 15e12), "nvidia-h100-sxm", "", 8, 8, 0.4, gpu_hours, "15T tokens"},
      {"llama-3.1-405b-pretrain-gpu-hours", pretrain("llama-3.1-405b", 15.6e12), "nvidia-h100-sxm", "", 8, 8, 0.4, gpu_hours, "15.6T tokens"},
      {"nemo-gpt3-175b-pretrain-throughput-512xh100-fp8",
       {{"model", "gpt-3-175b"}, {"phase", "training"}, {"precision", "fp8"}, {"dataset_tokens", 1e10}}, "nvidia-h100-sxm", "", 8, 64,
       0.5, throughput_per_device, "tokens/s per GPU, fp8"},
      {"trtllm-llama2-7b-ttft-h100-fp8-isl128", llm_serving("llama-2-7b", "fp8", 1, 128, 1), "nvidia-h100-sxm", "", 1, 1, 0.6, ttft, "batch 1"},
      {"trtllm-llama2-7b-ttft-h100-fp8-isl2048", llm_serving("llama-2-7b", "fp8", 1, 2048, 1), "nvidia-h100-sxm", "", 1, 1, 0.6, ttft, "batch 1"},
      {"trtllm-llama2-7b-ttft-a100-fp16-isl2048", llm_serving("llama-2-7b", "fp16", 1, 2048, 1), "nvidia-a100-80gb", "", 1, 1, 0.6, ttft, "batch 1"},
      {"trtllm-llama2-70b-ttft-h100-fp8-tp4-isl2048", llm_serving("llama-2-70b", "fp8", 1, 2048, 1), "nvidia-h100-sxm", "", 4, 1, 0.6, ttft, "batch 1, TP4", 4},
      {"trtllm-gptj-6b-ttft-a100-fp16-isl128", llm_serving("gpt-j-6b", "fp16", 1, 128, 1), "nvidia-a100-80gb", "", 1, 1, 0.6, ttft, "batch 1"},
      {"trtllm-llama2-7b-throughput-h100-fp8-bs768", llm_serving("llama-2-7b", "fp8", 256, 128, 128), "nvidia-h100-sxm", "", 1, 1, 0.6,
       throughput, "batch capped at 256 (the model's largest batch)"},
      {"trtllm-llama2-7b-throughput-a100-fp16-bs384", llm_serving("llama-2-7b", "fp16", 256, 128, 128), "nvidia-a100-80gb", "", 1, 1, 0.6,
       throughput, "batch capped at 256"},
      {"trtllm-llama2-7b-throughput-l40s-fp8-bs64", llm_serving("llama-2-7b", "fp8", 64, 128, 128), "nvidia-l40s", "", 1, 1, 0.6,
       throughput, "batch 64"},
      {"vllm-llama31-8b-tpot-h100-conc1", llm_serving("llama-3.1-8b", "bf16", 1, 512, 128), "nvidia-h100-sxm", "", 1, 1, 0.4, tpot,
       "batch 1; input length not published (512 assumed)"},
      {"vllm-llama31-8b-decode-a100-40gb-bs1", llm_serving("llama-3.1-8b", "bf16", 1, 1024, 128), "nvidia-a100-40gb", "", 1, 1, 0.4,
       decode_rate, "batch 1"},
      {"mlperf-inf-v4.0-resnet50-offline-1xh100",
       {{"model", "resnet-50"}, {"phase", "inference"}, {"mode", "batch"}, {"precision", "int8"}, {"batch_size", 256}},
       "nvidia-h100-sxm", "", 1, 1, 0.6, throughput, "int8 (NVIDIA's MLPerf submissions run ResNet-50 in INT8), batch 256"},
      {"mlperf-inf-v3.1-resnet50-offline-1xl4",
       {{"model", "resnet-50"}, {"phase", "inference"}, {"mode", "batch"}, {"precision", "int8"}, {"batch_size", 256}},
       "nvidia-l4", "", 1, 1, 0.6, throughput, "int8, batch 256"},
      {"mlperf-inf-v3.1-resnet50-offline-2s-spr",
       {{"model", "resnet-50"}, {"phase", "inference"}, {"mode", "batch"}, {"precision", "int8"}, {"batch_size", 256}},
       "", "intel-sapphire-rapids", 224, 1, 0.6, throughput, "int8 with AMX, 2 x 56 cores"},
      {"mlperf-inf-v4.0-sdxl-offline-8xh100",
       {{"model", "stable-diffusion-xl"}, {"phase", "inference"}, {"mode", "batch"}, {"precision", "fp8"}, {"denoising_steps", 20},
        {"batch_size", 8}},
       "nvidia-h100-sxm", "", 8, 1, 3.0, throughput,
       "20 steps; SDXL FLOPs scaled from SD 1.5 by parameter count (no sourced SDXL figure), which ignores SDXL's 4x larger "
       "latent: this point shows the heuristic about 4x optimistic, hence the wide tolerance"},
      {"gbmperf-xgboost-airline10m-m7i-8xlarge-16c", gbdt("xgboost", 1e7, 8, 100), "", "intel-sapphire-rapids", 32, 1, 2.0, hours,
       "16 cores; 8 raw columns. The model does not tell LightGBM from XGBoost (2.3x apart on this data) and GBDT timings move 1.5x between releases, hence ±200%"},
      {"gbmperf-lightgbm-airline10m-m7i-8xlarge-16c", gbdt("lightgbm", 1e7, 8, 100), "", "intel-sapphire-rapids", 32, 1, 2.0, hours,
       "16 cores"},
      {"gbmperf-xgboost-airline10m-c7i-metal-48c", gbdt("xgboost", 1e7, 8, 100), "", "intel-sapphire-rapids", 96, 1, 2.0, hours, "48 cores"},
      {"gbmperf-xgboost-airline10m-c7a-metal-48c", gbdt("xgboost", 1e7, 8, 100), "", "amd-epyc-genoa", 96, 1, 2.0, hours, "48 cores"},
      {"gbmperf-xgboost-airline100m-m5-12xlarge-24c", gbdt("xgboost", 1e8, 8, 100), "", "intel-skylake-sp", 48, 1, 2.0, hours, "24 cores"},
      {"gbmperf-lightgbm-ohe-airline100m-m5-12xlarge-24c", gbdt("lightgbm", 1e8, 8, 100), "", "intel-skylake-sp", 48, 1, 2.0, hours,
       "24 cores"},
      {"gbmperf-xgboost-gpu-airline10m-v100", gbdt("xgboost", 1e7, 8, 100), "nvidia-v100-16gb", "", 1, 1, 2.0, hours, "gpu hist"},
      {"gbmperf-xgboost-gpu-airline10m-a10g", gbdt("xgboost", 1e7, 8, 100), "nvidia-a10g", "", 1, 1, 2.0, hours, "gpu hist"},
  };
}

json load_points() {
  std::ifstream f(AIADVISE_SOURCE_DIR "/tests/fixtures/calibration/published.json");
  REQUIRE(f.good());
  return json::parse(f).at("points");
}

}  // namespace

TEST_CASE("sizing: calibration against published measurements", "[sizing][calibration]") {
  const auto& c = default_catalog();
  const json points = load_points();
  std::vector<double> errors;
  std::string table = "| point | measured | predicted | error | tolerance | mapping | source |\n|---|---|---|---|---|---|---|\n";
  for (const auto& m : mappings()) {
    const auto point = std::find_if(points.begin(), points.end(), [&](const json& p) { return p.at("id") == m.id; });
    INFO("point " << m.id);
    REQUIRE(point != points.end());
    const double measured = point->at("value").get<double>();

    std::vector<aiadvise::util::Diagnostic> d;
    const auto doc = aiadvise::util::JsonDocument::parse("point", m.workload.dump(), {}, d);
    const auto w = aiadvise::workload::normalise(&doc, {}, c);
    const Requirements r = aiadvise::sizing::requirements(w, c);
    Instance inst;
    inst.id = "calibration";
    inst.name = "calibration";
    inst.vcpus = m.accelerator.empty() ? m.per_instance : 8.0 * m.per_instance;
    inst.memory_gib = 2048;
    if (!m.accelerator.empty()) {
      inst.accelerator = m.accelerator;
      inst.accelerator_count = m.per_instance;
    }
    if (!m.cpu.empty()) inst.cpu = m.cpu;
    aiadvise::sizing::EstimateOptions options;
    options.count = m.instances;
    options.tensor_parallel = m.tensor_parallel;
    const Estimate e = aiadvise::sizing::estimate(w, r, c, inst, options);
    const int devices = m.instances * (m.accelerator.empty() ? 1 : m.per_instance);
    const double predicted = m.predict(r, e, devices);
    INFO("predicted " << predicted << ", measured " << measured << "; " << e.fit_reason);
    REQUIRE(std::isfinite(predicted));
    const double error = predicted / measured - 1;
    errors.push_back(std::fabs(error));
    CHECK(std::fabs(error) <= m.tolerance);
    table += fmt::format("| {} | {:.4g} {} | {:.4g} | {:+.0f}% | ±{:.0f}% | {} | {} |\n", m.id, measured,
                         point->at("unit").get<std::string>(), predicted, error * 100, m.tolerance * 100, m.how,
                         point->at("source").get<std::string>());
  }
  std::sort(errors.begin(), errors.end());
  const double median = errors[errors.size() / 2];
  table += fmt::format("\nMedian absolute error over {} points: {:.0f}%\n", errors.size(), median * 100);
  if (const char* out = std::getenv("AIADVISE_CALIBRATION_TABLE")) std::ofstream(out) << table;
  INFO(table);
  CHECK(median < 0.35);
}
