#pragma once
/// The sizing model: what a workload needs (memory, FLOPs), and how fast and at what cost it runs
/// on a given instance. docs/sizing.md states every formula and constant with its source.

#include <optional>
#include <string>
#include <vector>

#include "aiadvise/catalog/catalog.hpp"
#include "aiadvise/workload/workload.hpp"

namespace aiadvise::sizing {

inline constexpr double k_gib = 1024.0 * 1024.0 * 1024.0;

/// Billed hours of a run: clouds bill per second with a one-minute minimum per instance.
double billed_hours(double hours);

/// Memory of one replica of the model (one copy, before it is split over accelerators).
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

/// What the workload needs, independent of hardware.
struct Requirements {
  Memory memory;
  double reference_batch = 1;            ///< the batch the KV cache and activations above are for
  double kv_bytes_per_token = 0;         ///< LLMs: 2 x layers x kv_heads x head_dim x bytes
  double activation_bytes_per_unit = 0;  ///< per sequence or sample in flight
  double trainable_params = 0;
  double forward_flops_per_unit = 0;     ///< per token (transformers), per sample (dense), per row (classical)
  double training_flops = 0;             ///< whole run (training and fine-tuning)
  double units_per_request = 1;          ///< tokens per request (transformers) or 1
  std::string unit;                      ///< "token", "sample", "image", "row"
  std::vector<std::string> notes;        ///< formulas applied, in words
};

Requirements requirements(const workload::Workload& w, const catalog::Catalog& catalog);

/// How an instance runs the workload.
struct Estimate {
  std::string instance;  ///< instance id
  int count = 1;         ///< instances
  catalog::ComputeKind compute = catalog::ComputeKind::cpu;
  std::string accelerator;  ///< hardware id, "" for CPU-only
  int accelerators_per_instance = 0;

  bool fits = false;
  bool performance_known = true;  ///< false when the catalog lacks the peak compute to estimate speed
  std::string fit_reason;  ///< why it does not fit, with the numbers compared
  double memory_needed_gib = 0;     ///< per device (accelerator, or the host for CPU)
  double memory_available_gib = 0;  ///< per device
  double headroom = 0;              ///< (available - needed) / available
  int tensor_parallel = 1;          ///< devices one replica is split over
  int replicas_per_instance = 1;
  double batch_size = 1;            ///< per replica

  std::optional<double> throughput;  ///< whole fleet
  std::string throughput_unit;
  std::optional<double> latency_ms, ttft_ms, tpot_ms, time_hours;
  std::string bottleneck;  ///< "compute" or "memory bandwidth"

  std::optional<double> price_usd_per_hour;  ///< whole fleet; absent when the catalog has no price
  std::string region;  ///< where it is priced (catalog::choose_offer); empty without words
  bool spot = false;   ///< price_usd_per_hour is a spot price
  std::optional<double> cost_usd;            ///< training: the run; batch inference: the job
  std::optional<double> cost_usd_per_1m_tokens, cost_usd_per_1k_requests;
  std::vector<std::string> unknowns;  ///< facts the catalog lacks for this candidate
  std::vector<std::string> notes;
};

struct EstimateOptions {
  int count = 0;  ///< 0: as many as the targets need (qps, deadline), at least 1
  int tensor_parallel = 0;  ///< 0: the smallest split that fits and meets the latency targets
  bool spot = false;
  std::optional<double> price_override_usd_per_hour;  ///< per instance (e.g. a managed service's own price)
  /// false: leave the words empty (notes, unknowns, fit_reason, bottleneck, and the instance and
  /// accelerator ids), for callers that only compare numbers; every number and flag is the same.
  bool words = true;
};

Estimate estimate(const workload::Workload& w, const Requirements& req, const catalog::Catalog& catalog,
                  const catalog::Instance& instance, const EstimateOptions& options = {});

/// The same, with the instance's accelerator and host CPU already looked up in the catalog (null
/// where the instance names none, or the catalog lacks it).
Estimate estimate(const workload::Workload& w, const Requirements& req, const catalog::Instance& instance,
                  const catalog::Hardware* accelerator, const catalog::Hardware* cpu, const EstimateOptions& options = {});

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
