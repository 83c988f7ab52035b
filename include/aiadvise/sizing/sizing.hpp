#pragma once
/// The sizing model: what a workload needs (memory, FLOPs, the passes a request or a training step
/// makes), and how fast and at what cost it runs on a given instance, with how sure the estimate
/// is. docs/sizing.md states every formula and constant with its source; docs/accuracy.md shows how
/// far the estimates are from published measurements.

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "aiadvise/catalog/catalog.hpp"
#include "aiadvise/workload/workload.hpp"

namespace aiadvise::catalog {
struct Choice;  // aiadvise/catalog/offers.hpp
}  // namespace aiadvise::catalog

namespace aiadvise::sizing {

inline constexpr double k_gib = 1024.0 * 1024.0 * 1024.0;

/// Billed hours of a run: clouds bill per second with a one-minute minimum per instance.
double billed_hours(double hours);

struct Estimate;
/// What the framework allocates of an estimate's per-device memory (training): without the runtime's
/// context and the allocator's fragmentation, as torch.cuda.max_memory_allocated reports it.
double allocated_gib(const Estimate& e);

/// Memory of one replica of the model (one copy, before it is split over accelerators), at the
/// reference batch.
struct Memory {
  double weights_gib = 0;
  double kv_cache_gib = 0;      ///< at the reference batch (1 sequence unless batch_size is given)
  double activations_gib = 0;   ///< at the reference batch
  double gradients_gib = 0;
  double optimizer_gib = 0;     ///< Adam states and the fp32 master copy
  double overhead_gib = 0;      ///< runtime (framework, allocator, fragmentation)
  double total_gib() const {
    return weights_gib + kv_cache_gib + activations_gib + gradients_gib + optimizer_gib + overhead_gib;
  }
};

/// One pass of a request through (part of) the model. A request runs its stages in order; a stage
/// runs `runs` times one after another (an LLM's decode: once per output token; a diffusion
/// denoiser: once per step), each run processing every sequence of the batch together.
struct Stage {
  std::string name;          ///< prefill, decode, encoder, denoiser, vae-decoder, forward, ...
  double runs = 1;           ///< sequential runs per request
  double flops = 0;          ///< per sequence (sample), per run
  double weight_bytes = 0;   ///< weights read per run, shared by the batch
  double state_bytes = 0;    ///< per sequence per run: KV cache or encoder states read (average over the runs)
  double copies = 1;         ///< sequences per request in this stage (2 with classifier-free guidance)
  double tokens = 1;         ///< tokens per sequence per run (a prefill: the input), for tensor-parallel messages
  bool per_token = false;    ///< one token per run (an LLM's decode); its run time is the TPOT
  /// Mixture of experts: a run reads the shared weights plus the experts its tokens are routed to.
  double experts = 0, experts_per_token = 0, expert_bytes = 0;  ///< expert_bytes: all experts, all layers
};

/// What the workload needs, independent of hardware.
struct Requirements {
  Memory memory;
  double reference_batch = 1;            ///< the batch the KV cache and activations above are for
  std::string unit;                      ///< "token", "sample", "image", "row"
  double units_per_request = 1;          ///< tokens per request (transformers) or 1
  double forward_flops_per_unit = 0;     ///< per token (transformers), per sample (dense), per row (classical)
  double kv_bytes_per_token = 0;         ///< LLMs: 2 x layers x kv_heads x head_dim x bytes
  /// The precision whose peak the arithmetic reaches, where the family cannot use the units of the
  /// stated one (a StyleGAN-type GAN computes at the fp32 rate): empty, the stated precision.
  std::optional<catalog::Precision> arithmetic;

  // Serving.
  std::vector<Stage> stages;             ///< a request's passes, in order
  double weight_bytes = 0;               ///< resident weights of one replica
  double state_bytes_per_sequence = 0;   ///< KV cache or encoder states of one sequence at its full length
  double workspace_bytes = 0;            ///< transient, once per replica (one prefill chunk, one layer)
  double workspace_bytes_per_sequence = 0;  ///< transient per sequence in flight (non-autoregressive models)
  double layers = 0, hidden = 0;         ///< for tensor-parallel communication (transformers)
  /// Transformers whose configuration gives them (0: unknown): the heads a tensor-parallel degree
  /// must split (serving on GPUs and TPUs).
  double attention_heads = 0, kv_heads = 0;

  // Training and fine-tuning.
  double trainable_params = 0;
  double training_state_bytes = 0;        ///< weights, gradients, optimizer states (sharded over devices)
  double activation_bytes_per_sample = 0;               ///< without recomputation
  double activation_bytes_per_sample_checkpointed = 0;  ///< with gradient checkpointing
  double training_flops_per_sample = 0;   ///< forward and backward, without recomputation
  double recompute_flops_per_sample = 0;  ///< added by gradient checkpointing (one more forward)
  double training_bytes_per_sample = 0;   ///< memory traffic per sample that bounds the step (embedding gathers; stored activations)
  /// The fitted bandwidth factor that stands for that traffic: "decode" (embedding rows, streamed as a
  /// decode streams weights) or "training-memory" (stored activations, each byte moved many times).
  const char* training_bytes_regime = "decode";
  double samples = 0;                     ///< sequences, images or rows over the whole run (epochs included)
  double global_batch = 0;                ///< samples per optimizer step
  bool checkpointing = false;             ///< asked for, or standard practice for the method (LoRA, QLoRA)
  bool checkpointing_allowed = true;      ///< false when the workload turned it off
  double training_flops = 0;              ///< the whole run, without recomputation

  std::vector<std::string> notes;  ///< formulas applied, in words
  std::vector<std::string> assumed;  ///< defaults of the sizing itself (added to the workload's)
};

Requirements requirements(const workload::Workload& w, const catalog::Catalog& catalog);

/// How sure an estimate is: the calibration points behind the factors it used, and the error band
/// the validation set showed for its hardware kind and family (docs/accuracy.md).
struct Confidence {
  std::vector<std::string> factors;  ///< ids of the factors used
  std::vector<std::string> points;   ///< calibration points behind them (same hardware kind and family)
  bool extrapolated = false;         ///< no calibration point of this hardware kind and family
  double band = 2;                   ///< multiplicative: the truth is likely within value / band .. value x band
  std::string basis;                 ///< in words
};

/// A request's latency, in parts.
struct LatencyParts {
  double queueing_ms = 0;   ///< waiting for a batch slot or for the device
  double first_ms = 0;      ///< to the first token (LLMs) or the whole compute (others)
  double generation_ms = 0; ///< output tokens x TPOT (LLMs)
};

/// A serving configuration the configuration search tried (EstimateOptions::search), and what
/// became of it: kept, or why not.
struct Tried {
  int tensor_parallel = 1, replicas_per_instance = 1;
  int count = 0;             ///< instances it needs; 0: not sized (rejected before)
  double utilisation = 0, batch_size = 0;
  bool kept = false;
  std::string why;           ///< in words; empty without words
};

/// How an instance runs the workload.
struct Estimate {
  std::string instance;  ///< instance id
  int count = 1;         ///< instances
  catalog::ComputeKind compute = catalog::ComputeKind::cpu;
  std::string accelerator;  ///< hardware id, "" for CPU-only
  int accelerators_per_instance = 0;

  /// The precision the workload states, and the one this estimate runs it at: they differ where the
  /// accelerator lacks the stated one (catalog::precision_on), and memory and speed are then those of
  /// `precision_used`. false `precision_supported`: the chip has no precision of as many bytes or
  /// more, and nothing else of the estimate is made.
  catalog::Precision precision_requested = catalog::Precision::fp32, precision_used = catalog::Precision::fp32;
  bool precision_supported = true;

  bool fits = false;
  bool performance_known = true;  ///< false when the catalog lacks the peak compute to estimate speed
  std::string fit_reason;  ///< why it does not fit, with the numbers compared
  double memory_needed_gib = 0;     ///< per device (accelerator, or the host for CPU)
  double memory_available_gib = 0;  ///< per device
  double memory_limit_gib = 0;      ///< the usable part of it (serving keeps a fraction back)
  double headroom = 0;              ///< (usable - needed) / usable
  int tensor_parallel = 1;          ///< devices one replica is split over
  int replicas_per_instance = 1;
  double batch_size = 1;            ///< per replica: sequences in flight (serving) or micro-batch (training)
  int gradient_accumulation = 1;    ///< training: micro-batches per optimizer step
  bool gradient_checkpointing = false;  ///< training: activations recomputed in the backward pass
  double utilisation = 0;           ///< serving: load / capacity at the operating point (> 1: overloaded)
  bool overloaded = false;          ///< serving: the fleet cannot keep up with the load
  /// Serving: what the engine is configured for, per replica: the sequences it keeps in flight at
  /// most (autoregressive: what the KV cache holds, vLLM's max_num_seqs) or the largest batch it forms.
  double max_concurrent = 0;
  bool continuous_batching = false; ///< serving: an autoregressive model, batched per step (max_concurrent counts sequences)
  double memory_fraction = 0;       ///< serving: the share of device memory the engine may use (vLLM's gpu_memory_utilization)
  double max_utilisation = 1;       ///< serving: the utilisation the fleet was sized to stay under (EstimateOptions)
  int min_replicas = 1;             ///< serving: the fewest replicas the fleet was sized for (EstimateOptions)
  std::vector<Tried> tried;         ///< serving with EstimateOptions::search: the configurations tried

  std::optional<double> throughput;  ///< whole fleet
  std::string throughput_unit;
  std::optional<double> latency_ms, ttft_ms, tpot_ms, time_hours;
  std::optional<LatencyParts> latency_parts;
  std::string bottleneck;  ///< "compute" or "memory bandwidth"
  Confidence confidence;

  std::optional<double> price_usd_per_hour;  ///< whole fleet; absent when the catalog has no price
  std::string region;  ///< where it is priced (catalog::choose_offer); empty without words
  bool spot = false;   ///< price_usd_per_hour is a spot price
  std::optional<double> cost_usd;            ///< training: the run; batch inference: the job
  std::optional<double> cost_usd_per_1m_tokens, cost_usd_per_1k_requests;
  std::vector<std::string> unknowns;  ///< facts the catalog lacks for this candidate
  std::vector<std::string> notes;
};

/// The efficiency factors estimates look up, remembered per family, hardware and regime: a
/// decision sizes hundreds of instances on a few dozen chips, and Catalog::factor asks up to four
/// indexes each time; a batch run asks the same again line after line. Valid for one catalog (a
/// call with another starts it afresh); it holds at most families x chips x regimes entries.
class FactorMemo {
 public:
  /// Catalog::factor(*h, family, regime), or Catalog::factor(kind, ...) when h is null.
  const catalog::Factor* get(const catalog::Catalog& c, const catalog::Hardware* h, catalog::ComputeKind kind, std::string_view family,
                             std::string_view regime);

 private:
  struct Entry {
    std::string regime;
    const catalog::Factor* factor;
  };
  /// By hardware (its address, or its kind's value when there is none), then regime.
  using ByHardware = std::unordered_map<std::uintptr_t, std::vector<Entry>>;
  const catalog::Catalog* m_catalog = nullptr;
  std::unordered_map<std::string, ByHardware> m_by_family;
  /// The family and the hardware asked for last, and their entries: an estimate asks for its
  /// regimes one after another on one device. (A map's elements stay where they are when it grows.)
  std::string m_family;
  ByHardware* m_hardware = nullptr;
  std::uintptr_t m_last_key = 0;
  std::vector<Entry>* m_last = nullptr;
};

/// The workload at a precision other than the one it states, with its requirements: what the
/// estimate on a chip without the stated precision sizes (estimate() below). A decision sizes dozens
/// of such chips for one workload, and requirements() is not cheap; this makes them once per
/// precision. Valid for one workload and catalog, as the caller keeps it.
class PrecisionMemo {
 public:
  struct At {
    workload::Workload w;
    Requirements req;
  };
  /// `w` at precision `p`, and requirements() of it.
  const At& at(const workload::Workload& w, const catalog::Catalog& c, catalog::Precision p);

 private:
  std::vector<std::unique_ptr<At>> m_at;  ///< a handful at most: one per precision
};

struct EstimateOptions {
  /// Where the efficiency factors looked up are remembered (null: none). The caller keeps it for
  /// one catalog; it changes no number.
  FactorMemo* factors = nullptr;
  /// Where the workload at another precision is remembered (null: none). The caller keeps it for
  /// one workload and catalog; it changes no number.
  PrecisionMemo* precisions = nullptr;
  int count = 0;  ///< 0: as many as the targets need (qps, deadline), at least 1
  int tensor_parallel = 0;  ///< 0: the smallest split that fits and meets the latency targets
  bool spot = false;
  /// The offer the instance is bought at, when the caller has chosen it already: what
  /// catalog::choose_offer gives for the workload's region and `spot || workload.spot` (a decision
  /// chooses every instance's once). null: chosen here.
  const catalog::Choice* offer = nullptr;
  std::optional<double> price_override_usd_per_hour;  ///< per instance (e.g. a managed service's own price)
  /// false: leave the words empty (notes, unknowns, fit_reason, bottleneck, and the instance and
  /// accelerator ids), for callers that only compare numbers; every number and flag is the same.
  bool words = true;
  /// Serving: the largest utilisation of capacity a sized fleet runs at (1: exactly the load).
  double max_utilisation = 1;
  /// Serving in real time: the fewest replicas, over all instances, a sized fleet has (a given
  /// count is kept as given).
  int min_replicas = 1;
  /// Serving: search the tensor-parallel degree (and with it the replicas per instance) and the
  /// instance count for the fewest instances that meet the targets within max_utilisation and
  /// min_replicas (a batch job: the most throughput per instance). false: the smallest degree that
  /// fits and meets the latency targets alone, as `estimate` and the calibration measure.
  bool search = false;
};

Estimate estimate(const workload::Workload& w, const Requirements& req, const catalog::Catalog& catalog,
                  const catalog::Instance& instance, const EstimateOptions& options = {});

/// The same, with the instance's accelerator and host CPU already looked up in the catalog (null
/// where the instance names none, or the catalog lacks it). `catalog` gives the efficiency factors.
Estimate estimate(const workload::Workload& w, const Requirements& req, const catalog::Catalog& catalog,
                  const catalog::Instance& instance, const catalog::Hardware* accelerator, const catalog::Hardware* cpu,
                  const EstimateOptions& options = {});

/// What of an instance an estimate depends on, but for its price: two instances of the same shape
/// (one machine priced in several regions, say) get the same estimate, except for the price fields
/// (price_usd_per_hour, cost_usd, cost_usd_per_1m_tokens, cost_usd_per_1k_requests) and the words.
struct Shape {
  const catalog::Hardware* accelerator = nullptr;
  const catalog::Hardware* cpu = nullptr;
  int accelerator_count = 0;
  double accelerator_share = 1;
  double vcpus = 0, memory_gib = 0;
  bool priced = false, spot_priced = false;  ///< whether it has a price (a batch job's time is given only then)
  bool operator==(const Shape&) const = default;
};
Shape shape_of(const catalog::Instance& instance, const catalog::Hardware* accelerator, const catalog::Hardware* cpu);

}  // namespace aiadvise::sizing
