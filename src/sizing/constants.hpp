#pragma once
// The sizing model's constants. Each is stated, with its source or the calibration that fixed it,
// in docs/sizing.md; change one there and here together.

#include "aiadvise/catalog/types.hpp"

namespace aiadvise::sizing::constants {

// Training memory per trainable parameter with Adam (ZeRO paper, Rajbhandari et al. 2020, sec. 3.1):
// mixed precision keeps 16-bit weights and gradients plus fp32 master weights, momentum and
// variance: 2 + 2 + 12 = 16 bytes. Pure fp32: 4 + 4 + 8 = 16 bytes.
inline constexpr double k_optimizer_bytes_mixed = 12;
inline constexpr double k_optimizer_bytes_fp32 = 8;

// Activations per sequence in training (Korthikanti et al. 2022, "Reducing Activation
// Recomputation in Large Transformer Models", eq. 2 without the attention-score term, which
// FlashAttention does not store): 34 * s * h bytes per layer at 16-bit; with full activation
// checkpointing only each layer's input is kept: 2 * s * h bytes per layer.
inline constexpr double k_act_bytes_per_token_hidden_layer = 34;
inline constexpr double k_act_checkpointed_bytes_per_token_hidden_layer = 2;

// Inference activations, one layer at its peak: s * h * (16 * B + 2) bytes (EleutherAI cookbook,
// calc_transformer_mem.py, generalising ZeRO's table 2).
inline constexpr double k_infer_act_factor = 16;

// LoRA: rank 16 on every attention and MLP projection (a common default in the PEFT and MLPerf
// Llama-2-70B LoRA reference, which uses r=16).
inline constexpr double k_lora_rank = 16;
// QLoRA stores 4-bit NF4 weights plus double-quantised constants, 0.127 bits per parameter
// (Dettmers et al. 2023, sec. 3).
inline constexpr double k_qlora_constant_bits = 0.127;

// Runtime overhead: CUDA/XLA/Neuron context and allocator reserve per accelerator (gpu_poor uses
// 650 MB; 1 GiB is the rounder, more conservative figure) plus 10% of what is allocated for
// fragmentation (accelerate's estimate-memory docs say "up to 20%" for inference; 10% is the
// middle we use for both phases).
inline constexpr double k_device_context_gib = 1.0;
inline constexpr double k_fragmentation = 0.10;

// Dense (non-transformer) activation memory when the catalog has no per-sample figure: bytes per
// forward FLOP. A heuristic (not calibrated): it gives ~80 MiB per ResNet-50 sample in training.
inline constexpr double k_dense_act_bytes_per_flop = 0.01;
inline constexpr double k_dense_infer_act_fraction = 0.1;

// Classifier-free guidance runs the denoiser twice per step (diffusers' default guidance_scale 7.5).
inline constexpr double k_cfg_factor = 2;

// Fractions of peak reached (model FLOPs utilisation, bandwidth efficiency), fitted to the
// published measurements in tests/fixtures/calibration/published.json (see docs/sizing.md).
struct Efficiency {
  double llm_training;
  double dense_training;
  double prefill;
  double decode_bandwidth;
  double dense_inference;   // at large batch
  double half_batch;        // batch at which dense inference reaches half of dense_inference
  double classical;         // GBDT: cell-rounds per cycle per core (CPU) or per byte of bandwidth (GPU)
};

inline Efficiency efficiency(catalog::ComputeKind kind) {
  switch (kind) {
    case catalog::ComputeKind::gpu: return {0.40, 0.17, 0.50, 0.75, 0.40, 8, 0.0025};
    case catalog::ComputeKind::tpu: return {0.45, 0.20, 0.45, 0.70, 0.40, 16, 0};
    case catalog::ComputeKind::trainium: return {0.35, 0.15, 0.40, 0.60, 0.35, 8, 0};
    case catalog::ComputeKind::inferentia: return {0, 0, 0.40, 0.60, 0.35, 4, 0};
    case catalog::ComputeKind::cpu: return {0.25, 0.20, 0.30, 0.50, 0.25, 1, 0.0115};
  }
  return {0.3, 0.15, 0.3, 0.5, 0.25, 8, 0};
}

// The work of one ResNet-50 image (2 x 4.09 GMACs at 224x224, torchvision): the unit in which
// half_batch above is counted.
inline constexpr double k_reference_pass_flops = 8.18e9;

// Tensor parallelism: each extra device in a group costs this fraction of step time in
// collectives (fits TensorRT-LLM's Llama-2-70B TP4 time to first token).
inline constexpr double k_tp_overhead_per_device = 0.10;
// Data parallelism across instances: scaling efficiency per doubling of instances, for the first
// four doublings only. Beyond 16 instances the LLM training utilisation above, fitted to runs on
// thousands of GPUs, already carries the cost of scale.
inline constexpr double k_dp_efficiency_per_doubling = 0.95;
inline constexpr double k_dp_max_doublings = 4;

// A CPU whose cores per socket the catalog lacks is assumed to spread its socket bandwidth over
// this many vCPUs (a 32-core, 2-thread socket). Reported as an assumption when used.
inline constexpr double k_default_vcpus_per_socket = 64;

// A host CPU the catalog does not name: AVX2 with two FMA units (32 fp32 FLOP/cycle), 2.5 GHz,
// 2 threads per core, 4 GB/s of memory bandwidth per vCPU. Reported as an assumption when used.
inline constexpr double k_generic_cpu_flops_per_cycle = 32;
inline constexpr double k_generic_cpu_clock_ghz = 2.5;
inline constexpr double k_generic_cpu_bandwidth_gb_per_s_per_vcpu = 4;

// GBDT histogram building scales sublinearly with cores (memory-bound): effective cores =
// cores / (1 + cores / 16). GBM-perf measured 22 s on 16 cores and 19 s on 48 cores.
inline constexpr double k_tree_core_saturation = 16;
// GBDT (XGBoost/LightGBM hist): ops per row at inference = rounds x this depth.
inline constexpr double k_tree_depth = 8;
// k-means clusters when not given.
inline constexpr double k_kmeans_clusters = 8;

// Per request in real-time serving: model server, serialisation and network inside the region.
// An assumption (not calibrated): 1 ms.
inline constexpr double k_request_overhead_ms = 1;

// Runs are billed per second with a one-minute minimum per instance (AWS EC2 and GCE on-demand
// Linux; see docs/sizing.md).
inline constexpr double k_minimum_billed_hours = 1.0 / 60;

// The largest batch tried per replica, and the most instances sized automatically.
inline constexpr double k_max_batch = 256;
inline constexpr int k_max_instances = 512;

}  // namespace aiadvise::sizing::constants
