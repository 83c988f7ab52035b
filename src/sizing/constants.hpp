#pragma once
// The sizing model's constants. Each is stated, with its source, in docs/sizing.md; change one
// there and here together. Efficiencies (fractions of a peak that real software reaches) are not
// here: they are fitted to published measurements and live in the catalog (data/catalog/
// factors.json), so that a team can refit them to its own (`aiadvise calibrate`).

namespace aiadvise::sizing::constants {

// --- Training memory ----------------------------------------------------------------------------

// Adam with mixed precision (ZeRO paper, Rajbhandari et al. 2020, sec. 3.1): 16-bit weights and
// gradients plus fp32 master weights, momentum and variance: 2 + 2 + 12 = 16 bytes per trainable
// parameter. Pure fp32: 4 + 4 + 8 = 16 bytes.
inline constexpr double k_optimizer_bytes_mixed = 12;
inline constexpr double k_optimizer_bytes_fp32 = 8;

// Activations per sequence in transformer training (Korthikanti et al. 2022, "Reducing Activation
// Recomputation in Large Transformer Models", eq. 2 without the attention-score term, which
// FlashAttention does not store): 34 * s * h bytes per layer at 16-bit; with full activation
// checkpointing only each layer's input is kept (2 * s * h bytes per layer) and one layer's
// activations are rebuilt at a time.
inline constexpr double k_act_bytes_per_token_hidden_layer = 34;
inline constexpr double k_act_checkpointed_bytes_per_token_hidden_layer = 2;
// The loss upcasts the logits to fp32 (Hugging Face transformers' causal LM heads): s x vocab x 4
// bytes per sequence, kept for the backward pass.
inline constexpr double k_logit_bytes = 4;

// Dense networks (CNNs, GANs, denoisers) without a published activation size: bytes of stored
// activations per forward FLOP at 16-bit. Fixed from ResNet-50, whose NVIDIA reference trains 256
// images per 16 GB V100 with AMP (docs/sizing.md: (16 - 1.4) GB / 256 / 8.18 GFLOPs = 0.007).
inline constexpr double k_dense_act_bytes_per_flop = 0.007;
// Checkpointing keeps about the square root of the layers' activations; taken as a third here.
inline constexpr double k_dense_checkpointed_fraction = 0.33;

// LoRA: rank 16 on every attention and MLP projection (the PEFT default target set in most recipes,
// and MLPerf's Llama-2-70B LoRA reference, which uses r=16).
inline constexpr double k_lora_rank = 16;
// QLoRA stores 4-bit NF4 weights plus double-quantised constants, 0.127 bits per parameter
// (Dettmers et al. 2023, sec. 3).
inline constexpr double k_qlora_constant_bits = 0.127;

// Runtime overhead: CUDA/XLA/Neuron context and allocator reserve per accelerator (gpu_poor uses
// 650 MB; 1 GiB is the rounder, more conservative figure) plus 10% of what is allocated for
// fragmentation in training.
inline constexpr double k_device_context_gib = 1.0;
inline constexpr double k_fragmentation = 0.10;

// --- Serving memory -----------------------------------------------------------------------------

// Serving engines keep a share of device memory back: vLLM's gpu_memory_utilization defaults to
// 0.9 (weights, activations and KV cache together use at most 90%), TensorRT-LLM's
// kv_cache_free_gpu_mem_fraction to 0.9 of what is free after the weights.
inline constexpr double k_serving_memory_fraction = 0.9;
// A prefill runs in chunks of this many tokens (vLLM's chunked-prefill token budget); its
// activations are a workspace of one layer for one chunk.
inline constexpr double k_prefill_chunk_tokens = 2048;
// Inference activations of one layer at its peak: tokens * h * (16 * B + 2) bytes (EleutherAI
// cookbook, calc_transformer_mem.py, generalising ZeRO's table 2).
inline constexpr double k_infer_act_factor = 16;
// Non-transformer inference keeps one layer's activations live, not the whole network's: a tenth
// of the training figure.
inline constexpr double k_dense_infer_act_fraction = 0.1;
// A denoiser's pass does far more work per stored value than a CNN (wide channels, attention over
// latent pixels): its live activations are taken as a fiftieth of the training figure per FLOP, which
// keeps SDXL at 1024 px (13.5 TFLOPs per guided step) near 2 GB, as 12 GB GPUs run it. An
// assumption, not calibrated.
inline constexpr double k_denoiser_infer_act_fraction = 0.02;
// The most sequences one replica is given at once (TensorRT-LLM's largest max_batch_size in its
// published throughput runs is 4096; memory is the real limit below it).
inline constexpr double k_max_batch = 4096;

// --- Speed shape --------------------------------------------------------------------------------

// The work one ResNet-50 image does (2 x 4.09 GMACs at 224x224, torchvision): the unit in which a
// device's half-utilisation work is counted below.
inline constexpr double k_reference_pass_flops = 8.18e9;
// Non-LLM inference and training reach half of their fitted utilisation when one pass gives the
// device this many ResNet-50 images of work (per device kind: gpu, tpu, trainium, inferentia, cpu).
inline constexpr double k_half_batch_gpu = 8, k_half_batch_tpu = 16, k_half_batch_neuron = 8, k_half_batch_cpu = 1;
// The CPU figure is for a host of this many physical cores; a smaller host reaches half its
// utilisation with proportionally less work (one image's work split over 16 cores is what one core
// does alone). An assumption of this model, not a measurement (docs/sizing.md, Known gaps).
inline constexpr double k_half_batch_cpu_cores = 16;

// Tensor parallelism: two all-reduces per layer per pass, each costing a latency plus the message
// over the link. NCCL small-message all-reduce latency within an NVLink node is about 10 us
// (docs/sizing.md); over PCIe or between chips without a switch about twice that.
inline constexpr double k_allreduce_latency_s = 10e-6;
inline constexpr double k_allreduce_latency_pcie_s = 20e-6;
// Data parallelism across instances: scaling efficiency per doubling of instances, for the first
// four doublings only (beyond 16 instances the fitted training utilisation already carries the cost
// of scale: it is fitted to runs on thousands of GPUs).
inline constexpr double k_dp_efficiency_per_doubling = 0.95;
inline constexpr double k_dp_max_doublings = 4;

// --- CPUs ---------------------------------------------------------------------------------------

// A CPU whose cores per socket the catalog lacks is assumed to spread its socket bandwidth over
// this many vCPUs (a 32-core, 2-thread socket). Reported as an assumption when used.
inline constexpr double k_default_vcpus_per_socket = 64;
// A host CPU the catalog does not name: AVX2 with two FMA units (32 fp32 FLOP/cycle), 2.5 GHz,
// 2 threads per core, 4 GB/s of memory bandwidth per vCPU. Reported as an assumption when used.
inline constexpr double k_generic_cpu_flops_per_cycle = 32;
inline constexpr double k_generic_cpu_clock_ghz = 2.5;
inline constexpr double k_generic_cpu_bandwidth_gb_per_s_per_vcpu = 4;
// A model server spends CPU time on every request (HTTP, parsing, serialising): taken as 1 ms of
// one vCPU per request (docs/sizing.md gives the sources this is drawn from). It bounds the
// requests per second of CPU serving and adds to every request's latency.
inline constexpr double k_request_cpu_s = 1e-3;

// --- Classical ML -------------------------------------------------------------------------------

// GBDT histogram building scales sublinearly with cores (memory-bound): effective cores =
// cores / (1 + cores / 16). GBM-perf measured 22 s on 16 cores and 19 s on 48 cores.
inline constexpr double k_tree_core_saturation = 16;
// GBDT inference: comparisons per row = rounds x this depth.
inline constexpr double k_tree_depth = 8;
// Training data in memory: the rows as loaded (4-byte floats) plus the quantised copy histogram
// methods build (1 byte per cell: XGBoost's ELLPACK "commonly uses 1/4 the space of a CSR matrix
// stored in floating point") plus gradients, hessians and positions (16 bytes per row).
inline constexpr double k_tree_raw_bytes_per_cell = 4;
inline constexpr double k_tree_quantised_bytes_per_cell = 1;
inline constexpr double k_tree_bytes_per_row = 16;
// Tree traversal and small dot products at inference: branch and latency bound, about 2 cycles per
// comparison or multiply-add on one core (an assumption, not calibrated).
inline constexpr double k_classical_cycles_per_op = 2;
// k-means clusters when not given.
inline constexpr double k_kmeans_clusters = 8;

// --- Fleet sizing -------------------------------------------------------------------------------

// Runs are billed per second with a one-minute minimum per instance (AWS EC2 and GCE on-demand
// Linux; see docs/sizing.md).
inline constexpr double k_minimum_billed_hours = 1.0 / 60;
// The most instances sized automatically.
inline constexpr int k_max_instances = 4096;

}  // namespace aiadvise::sizing::constants
