// Training and fine-tuning on a fleet of one instance type: weights, gradients and optimizer states
// sharded over every device of the job (FSDP / ZeRO-3), the largest per-device micro-batch that fits
// (down to 1) with the global batch kept by gradient accumulation, gradient checkpointing where it
// is standard or makes the job fit, and as many instances as memory and the deadline need.

#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <string_view>

#include "aiadvise/util/text.hpp"
#include "sizing/constants.hpp"
#include "sizing/device.hpp"
#include "sizing/family.hpp"

namespace aiadvise::sizing::detail {

using catalog::ComputeKind;
using catalog::SizingMethod;
using workload::Workload;
namespace k = constants;

namespace {

struct Plan {
  int count = 1;
  int tensor_parallel = 1;  ///< devices each sample's activations are split over (Megatron-style)
  double micro = 1;
  bool checkpointing = false;
  bool fits = false;
  double memory_gib = 0;  ///< per device
};

}  // namespace

void estimate_training(const Workload& w, const Requirements& r, const Device& d, Efficiency& eff, const catalog::Instance& i,
                       const EstimateOptions& o, Estimate& e, Words& words) {
  if (d.kind == ComputeKind::inferentia) {
    words.fit_reason([] { return std::string("Inferentia runs inference only; training needs GPU, TPU or Trainium"); });
    e.memory_available_gib = d.memory_gib;
    return;
  }
  const bool classical = w.sizing == SizingMethod::classical;
  // Rates: work units per second per device.
  double rate_per_device = 0, bytes_per_device = 0;
  if (classical) {
    const auto gbdt = eff("gbdt");
    if (w.family == "classical-trees" && gbdt) {
      if (d.kind == ComputeKind::cpu) {
        const double effective_cores = d.cpu_cores / (1 + d.cpu_cores / k::k_tree_core_saturation);
        rate_per_device = effective_cores * d.clock_ghz * 1e9 * *gbdt;
      } else {
        rate_per_device = d.bandwidth * *gbdt;  // histogram building streams the quantised matrix
      }
    } else if (w.family != "classical-trees") {
      if (auto u = eff("training")) rate_per_device = d.peak.value_or(0) * *u;
    }
  } else if (auto u = eff("training")) {
    rate_per_device = d.peak.value_or(0) * *u;
    if (r.training_bytes_per_sample > 0) {
      // Embedding traffic needs its factor; stored-activation traffic is bounded only where its
      // factor was fitted (GPUs, from the same network at two precisions).
      const bool needed = std::string_view(r.training_bytes_regime) == "decode";
      if (auto bw = needed ? eff(r.training_bytes_regime) : eff.optional(r.training_bytes_regime)) bytes_per_device = d.bandwidth * *bw;
    }
  }
  e.memory_available_gib = d.memory_gib;
  if (rate_per_device <= 0) {
    e.performance_known = false;
    words.fit_reason([&] {
      return d.peak ? fmt::format("no fitted training efficiency for {} on {}", w.family, d.hardware ? d.hardware->id : "this CPU")
                    : std::string("peak compute of this hardware at this precision is unknown");
    });
    return;
  }

  // Memory per device for a plan. Classical training runs on one machine's memory.
  const double context = d.kind == ComputeKind::cpu ? 1.0 : k::k_device_context_gib;
  const double budget = d.memory_gib - context;
  auto devices_for = [&](int count) { return classical ? 1 : count * d.per_instance; };
  auto memory_for = [&](int count, double micro, bool ckpt, int t) {
    const double act = (ckpt ? r.activation_bytes_per_sample_checkpointed : r.activation_bytes_per_sample) / t;
    if (classical) return (r.memory.weights_gib * k_gib + act * r.reference_batch) * (1 + k::k_fragmentation) / k_gib + context;
    return (r.training_state_bytes / devices_for(count) + act * micro) * (1 + k::k_fragmentation) / k_gib + context;
  };
  // Checkpointing may be turned on where it is standard practice for the model (transformers and
  // diffusion denoisers: Hugging Face and diffusers trainers offer it) and the job needs it.
  const bool may_checkpoint = r.checkpointing || (r.checkpointing_allowed && (w.is_transformer() || w.family == "diffusion"));
  // Tensor parallelism splits each sample's activations when a sample alone does not fit a device
  // (transformers only, within an instance, or within a TPU slice's ICI domain of up to 16 chips).
  std::vector<int> degrees{1};
  if (w.is_transformer()) {
    const int limit = d.kind == ComputeKind::tpu ? std::max(d.per_instance, 16) : d.per_instance;
    for (int t = 2; t <= limit; t *= 2) degrees.push_back(t);
  }
  // Tensor-parallel communication per sample and device (Megatron-style with sequence parallelism:
  // per layer two all-gathers and two reduce-scatters of the sequence's activations forward, as
  // many backward), over the links within an instance; not overlapped with compute.
  auto tp_seconds_per_sample = [&](int t) {
    if (t <= 1 || r.layers <= 0) return 0.0;
    const double message = w.input_tokens.value_or(1) * r.hidden * family::activation_bytes(w.precision);
    return 8 * r.layers * (t - 1.0) / t * message / d.link();
  };
  // Whether the plan's step is bound by memory traffic rather than by compute.
  auto memory_bound = [&](const Plan& p, double compute_seconds) {
    return bytes_per_device > 0 && r.samples * r.training_bytes_per_sample / (devices_for(p.count) * bytes_per_device) > compute_seconds;
  };
  auto compute_seconds_for = [&](const Plan& p) {
    const int n = devices_for(p.count);
    const double flops = r.samples * (r.training_flops_per_sample + (p.checkpointing ? r.recompute_flops_per_sample : 0));
    // A micro-batch's forward pass is the work that fills the device.
    const double u = ramp(d, p.micro * r.training_flops_per_sample / 3 / p.tensor_parallel);
    return flops / (n * rate_per_device * u * dp_efficiency(p.count));
  };
  auto hours_for = [&](const Plan& p) {
    const int n = devices_for(p.count);
    double seconds = 0;
    if (classical) {
      seconds = r.training_flops / rate_per_device;
    } else {
      seconds = compute_seconds_for(p);
      if (memory_bound(p, seconds)) seconds = r.samples * r.training_bytes_per_sample / (n * bytes_per_device);
      // Each replica of t devices handles t / n of the samples.
      seconds += r.samples * p.tensor_parallel / n * tp_seconds_per_sample(p.tensor_parallel);
    }
    return seconds / 3600;
  };
  // Every plan that fits (a tensor-parallel degree, with recomputation or without, and the largest
  // micro-batch that fits it), up to the first degree that needs no recomputation beyond what was
  // asked; the fastest wins, ties to the smaller degree. Splitting a sample over
  // the devices of an instance often costs less than recomputing its activations (Korthikanti et
  // al. 2022, "Reducing Activation Recomputation in Large Transformer Models").
  auto plan_for = [&](int count) {
    Plan best;
    double best_hours = 0;
    for (int t : degrees) {
      const double replicas = std::max(1.0, static_cast<double>(devices_for(count)) / t);
      const double cap = classical ? 1 : std::max(1.0, std::floor(r.global_batch / replicas));
      for (bool ckpt : {r.checkpointing, true}) {
        if (ckpt && !may_checkpoint) break;
        if (memory_for(count, 1, ckpt, t) > d.memory_gib) continue;
        Plan p;
        p.count = count;
        // The largest micro-batch that fits, up to the global batch per replica.
        double micro = 1;
        if (!classical) {
          const double act = (ckpt ? r.activation_bytes_per_sample_checkpointed : r.activation_bytes_per_sample) / t;
          const double room = budget * k_gib / (1 + k::k_fragmentation) - r.training_state_bytes / devices_for(count);
          micro = std::clamp(std::floor(room / std::max(act, 1.0)), 1.0, cap);
          // The largest power of two not above it: below 2^45 the exponent of the double gives
          // exactly what floor(log2(micro)) does, without two library calls per plan tried.
          if (micro >= 2) micro = micro < 0x1p45 ? std::ldexp(1.0, std::ilogb(micro)) : std::pow(2.0, std::floor(std::log2(micro)));
        }
        p.micro = micro;
        p.tensor_parallel = t;
        p.checkpointing = ckpt;
        p.fits = true;
        p.memory_gib = memory_for(count, micro, ckpt, t);
        const double hours = hours_for(p);
        if (!best.fits || hours < best_hours * (1 - 1e-9)) best = p, best_hours = hours;
        break;  // recomputing what fits without it would only cost time
      }
      // A plan that recomputes no more than asked: a wider split would only add communication.
      if (best.fits && best.checkpointing == r.checkpointing) break;
    }
    if (best.fits) return best;
    Plan p;
    p.count = count;
    p.checkpointing = may_checkpoint;
    p.memory_gib = memory_for(count, 1, p.checkpointing, degrees.back());
    p.tensor_parallel = degrees.back();
    return p;
  };

  Plan plan = plan_for(std::max(1, o.count));
  if (o.count == 0) {
    const int limit = classical ? 1 : k::k_max_instances;
    int count = 1;
    auto next = [](int n) { return n < 8 ? n + 1 : n * 2; };
    plan = plan_for(count);
    while (count < limit && (!plan.fits || (w.deadline_hours && hours_for(plan) > *w.deadline_hours))) {
      count = std::min(limit, next(count));
      plan = plan_for(count);
    }
  }
  e.count = plan.count;
  e.memory_needed_gib = plan.memory_gib;
  e.memory_limit_gib = d.memory_gib;
  e.batch_size = plan.micro;
  e.gradient_checkpointing = plan.checkpointing;
  const int devices = devices_for(plan.count);
  const double replicas = std::max(1.0, static_cast<double>(devices) / plan.tensor_parallel);
  e.gradient_accumulation = classical ? 1 : std::max(1, static_cast<int>(std::ceil(r.global_batch / (plan.micro * replicas))));
  e.tensor_parallel = plan.tensor_parallel;
  e.replicas_per_instance = classical ? 1 : std::max(1, d.per_instance / plan.tensor_parallel);
  e.fits = plan.fits;
  e.headroom = (d.memory_gib - e.memory_needed_gib) / d.memory_gib;
  if (!e.fits) {
    words.fit_reason([&] {
      const double states = r.training_state_bytes / k_gib;
      const double act = (plan.checkpointing ? r.activation_bytes_per_sample_checkpointed : r.activation_bytes_per_sample) / k_gib;
      if (classical) {
        return fmt::format("needs {} for the data and the model ({} rows); {} has {}", gib(e.memory_needed_gib),
                           util::format_count(r.reference_batch), i.name, gib(d.memory_gib));
      }
      return fmt::format("needs {} per device at micro-batch 1{} ({} of weights, gradients and optimizer states over {} device(s), {} of "
                         "activations per sample); {} has {}",
                         gib(e.memory_needed_gib), plan.checkpointing ? " with gradient checkpointing" : "", gib(states), devices,
                         gib(act), i.name, gib(d.memory_gib));
    });
  }
  e.time_hours = hours_for(plan);
  const double units = classical ? w.dataset_samples.value_or(0) * w.iterations.value_or(1) : r.samples;
  e.throughput = units / (*e.time_hours * 3600);
  // Token models train on sequences; the rate counts them.
  e.throughput_unit = classical ? "row-rounds/s" : (w.is_transformer() || r.unit == "token" ? "sequences/s" : per_second(r.unit));
  if (words.on()) e.bottleneck = !classical && memory_bound(plan, compute_seconds_for(plan)) ? "memory bandwidth" : "compute";
  if (!classical) {
    words.note([&] {
      return fmt::format("micro-batch {} per device{}, {} gradient accumulation step(s) for a global batch of {}", plan.micro,
                         plan.checkpointing ? " with gradient checkpointing" : "", e.gradient_accumulation, r.global_batch);
    });
    if (plan.tensor_parallel > 1) {
      words.note([&] {
        return fmt::format("tensor parallel over {} devices: one sample's activations do not fit a device alone{} (Megatron-style, "
                           "with sequence parallelism; its communication within the instance is charged, not overlapped)",
                           plan.tensor_parallel,
                           may_checkpoint && !plan.checkpointing ? ", and splitting them takes less time than recomputing them" : "");
      });
    }
    if (devices > 1) {
      words.note([&] {
        return fmt::format("{} devices, weights, gradients and optimizer states sharded (FSDP / ZeRO-3), data parallel; scaling efficiency {:.2f}",
                           devices, dp_efficiency(plan.count));
      });
    }
  }
  price(w, i, o, e, words);
  if (e.price_usd_per_hour) e.cost_usd = *e.price_usd_per_hour * billed_hours(*e.time_hours);
}

}  // namespace aiadvise::sizing::detail
