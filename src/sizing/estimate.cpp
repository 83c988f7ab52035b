// How fast and at what cost one instance type (times a count) runs a workload.

#include <fmt/format.h>

#include <algorithm>
#include <array>
#include <bitset>
#include <cmath>

#include "aiadvise/catalog/offers.hpp"
#include "aiadvise/sizing/sizing.hpp"
#include "aiadvise/util/text.hpp"
#include "sizing/constants.hpp"

namespace aiadvise::sizing {

using catalog::ComputeKind;
using catalog::Precision;
using catalog::SizingMethod;
using workload::Mode;
using workload::Phase;
using workload::Workload;
namespace k = constants;

namespace {

// One compute device as the model sees it: an accelerator chip, or the whole host for CPU work.
struct Device {
  ComputeKind kind = ComputeKind::cpu;
  int per_instance = 1;
  double memory_gib = 0;
  double bandwidth = 0;              // bytes/s
  std::optional<double> peak;        // FLOP/s at the compute precision
  double cpu_cores = 0;              // physical cores (CPU devices)
  double clock_ghz = 0;
};

// Where the words of an estimate go (notes, unknowns, the reason it does not fit). Callers that
// only compare numbers turn them off and skip the formatting; every number and flag is the same
// either way. Each takes a function that makes the text, so nothing is formatted when off.
class Words {
 public:
  Words(Estimate& e, bool on) : m_e(e), m_on(on) {}
  bool on() const { return m_on; }
  /// Whether an unknown was recorded (also when the words are off).
  bool any_unknown() const { return m_unknown; }
  template <typename Make>
  void unknown(Make&& make) {
    m_unknown = true;
    if (m_on) m_e.unknowns.push_back(make());
  }
  template <typename Make>
  void note(Make&& make) {
    if (m_on) m_e.notes.push_back(make());
  }
  template <typename Make>
  void fit_reason(Make&& make) {
    if (m_on) m_e.fit_reason = make();
  }

 private:
  Estimate& m_e;
  bool m_on;
  bool m_unknown = false;
};

std::optional<double> lookup(const std::map<Precision, double>& table, std::initializer_list<Precision> order) {
  for (Precision p : order) {
    if (auto it = table.find(p); it != table.end()) return it->second;
  }
  return std::nullopt;
}

// The precision the arithmetic runs in: weight-only int4 computes in 16 bits; int8 and fp8 use
// their units where the chip has them.
std::optional<double> accelerator_peak(const catalog::Hardware& h, Precision p) {
  auto pick = [&](std::initializer_list<Precision> order) {
    const auto per_chip = lookup(h.tflops, order);
    return per_chip ? std::optional<double>(*per_chip * 1e12) : std::nullopt;
  };
  switch (p) {
    case Precision::fp32: return pick({Precision::fp32});
    case Precision::tf32: return pick({Precision::tf32, Precision::fp32});
    case Precision::fp16: return pick({Precision::fp16, Precision::bf16});
    case Precision::bf16: return pick({Precision::bf16, Precision::fp16});
    case Precision::fp8: return pick({Precision::fp8, Precision::bf16, Precision::fp16});
    case Precision::int8: return pick({Precision::int8, Precision::fp16, Precision::bf16});
    case Precision::int4: return pick({Precision::fp16, Precision::bf16});
  }
  return std::nullopt;
}

bool runs_on_accelerator(const Workload& w, const catalog::Hardware& h) {
  // scikit-learn has no accelerator back end; XGBoost and LightGBM run on NVIDIA GPUs only.
  if (w.framework == "sklearn") return false;
  if (w.sizing == SizingMethod::classical) return h.kind == ComputeKind::gpu && w.phase != Phase::inference;
  return true;
}

Device host_device(const Workload& w, const catalog::Instance& i, const catalog::Hardware* cpu, Words& words) {
  Device d;
  d.kind = ComputeKind::cpu;
  d.per_instance = 1;
  d.memory_gib = i.memory_gib;
  double threads = 2, clock = k::k_generic_cpu_clock_ghz, socket_bw = 0, vcpus_per_socket = k::k_default_vcpus_per_socket;
  // FLOPs per cycle per core by precision; a CPU without the table is the generic one (fp32 only).
  const std::map<Precision, double>* fpc = nullptr;
  if (cpu) {
    threads = cpu->threads_per_core.value_or(2);
    if (cpu->clock_ghz) clock = *cpu->clock_ghz;
    else words.unknown([&] { return fmt::format("clock of {} unknown; assumed {} GHz", cpu->id, clock); });
    if (!cpu->flops_per_cycle_per_core.empty()) fpc = &cpu->flops_per_cycle_per_core;
    if (cpu->memory_bandwidth_gb_per_s) socket_bw = *cpu->memory_bandwidth_gb_per_s * 1e9;
    if (cpu->cores_per_socket) {
      vcpus_per_socket = *cpu->cores_per_socket * threads;
    } else if (socket_bw > 0) {
      words.unknown([&] {
        return fmt::format("cores per socket of {} unknown; its socket bandwidth is assumed shared by {:.0f} vCPUs", cpu->id,
                           vcpus_per_socket);
      });
    }
  } else {
    words.unknown([&] { return fmt::format("host CPU of {} not in the catalog; assumed a generic AVX2 CPU at {} GHz", i.name, clock); });
  }
  d.cpu_cores = i.vcpus / threads;
  d.clock_ghz = clock;
  if (socket_bw > 0) {
    d.bandwidth = socket_bw * std::min(2.0, i.vcpus / vcpus_per_socket);
  } else {
    d.bandwidth = k::k_generic_cpu_bandwidth_gb_per_s_per_vcpu * 1e9 * i.vcpus;
    words.unknown([&] {
      return fmt::format("memory bandwidth of the host CPU unknown; assumed {} GB/s per vCPU", k::k_generic_cpu_bandwidth_gb_per_s_per_vcpu);
    });
  }
  // bf16 uses AMX where the CPU has it; otherwise the arithmetic runs in fp32.
  std::optional<double> per_cycle;
  if (fpc) {
    switch (w.precision) {
      case Precision::bf16: case Precision::fp16: case Precision::int4: case Precision::fp8:
        per_cycle = lookup(*fpc, {Precision::bf16, Precision::fp32});
        break;
      case Precision::int8: per_cycle = lookup(*fpc, {Precision::int8, Precision::fp32}); break;
      default: per_cycle = lookup(*fpc, {Precision::fp32}); break;
    }
  }
  d.peak = d.cpu_cores * clock * 1e9 * per_cycle.value_or(k::k_generic_cpu_flops_per_cycle);
  return d;
}

double tp_factor(int t) { return 1 + k::k_tp_overhead_per_device * (t - 1); }
double dp_efficiency(int instances) {
  return std::pow(k::k_dp_efficiency_per_doubling, std::min(k::k_dp_max_doublings, std::log2(std::max(1, instances))));
}

std::string gib(double v) { return fmt::format("{:.1f} GiB", v); }

void price(const Workload& w, const catalog::Instance& i, const EstimateOptions& o, Estimate& e, Words& words) {
  // The offer the workload's region and spot settings choose (catalog/offers.hpp): the one place
  // every command takes its instance prices from.
  const catalog::Choice offer = catalog::choose_offer(i, catalog::RegionChoice(w.region), o.spot || w.spot);
  if (o.words) e.region = std::string(offer.region);
  std::optional<double> per_instance = o.price_override_usd_per_hour;
  if (!per_instance) {
    per_instance = offer.price_usd_per_hour;
    e.spot = offer.spot;
    if (offer.spot) {
      words.note([&] { return fmt::format("spot price in {}", offer.region); });
    } else if (offer.spot_unknown && offer.price_usd_per_hour) {
      words.note([&] { return fmt::format("no spot price for {} in {}: priced on demand", i.name, offer.region); });
    }
  }
  if (per_instance) {
    e.price_usd_per_hour = *per_instance * e.count;
  } else if (!offer.offered) {
    words.unknown([&] { return fmt::format("{} is not offered in {}", i.name, w.region.value_or("")); });
  } else {
    words.unknown([&] { return fmt::format("no price for {} in {} in the catalog", i.name, offer.region); });
  }
}

// Training and fine-tuning: states sharded over every device (FSDP / ZeRO-3), data parallel.
void estimate_training(const Workload& w, const Requirements& r, const Device& d, const catalog::Instance& i,
                       const EstimateOptions& o, Estimate& e, Words& words) {
  const auto eff = k::efficiency(d.kind);
  if (d.kind == ComputeKind::inferentia) {
    words.fit_reason([] { return std::string("Inferentia runs inference only; training needs GPU, TPU or Trainium"); });
    return;
  }
  const bool classical = w.sizing == SizingMethod::classical;
  const double micro_batch = w.batch_size.value_or(w.is_transformer() ? 1 : (classical ? 1 : 32));
  const double states = r.memory.weights_gib + r.memory.gradients_gib + r.memory.optimizer_gib;
  const double activations = classical ? r.memory.activations_gib : r.activation_bytes_per_unit * micro_batch / k_gib;
  const double context = d.kind == ComputeKind::cpu ? 1.0 : k::k_device_context_gib;

  double rate_per_device = 0;  // work units per second
  if (classical) {
    if (d.kind == ComputeKind::cpu) {
      const double effective_cores = d.cpu_cores / (1 + d.cpu_cores / k::k_tree_core_saturation);
      rate_per_device = w.family == "classical-trees" ? effective_cores * d.clock_ghz * 1e9 * eff.classical
                                                      : d.peak.value_or(0) * eff.dense_training;
    } else {
      rate_per_device = d.bandwidth * eff.classical;  // histogram building streams the quantised matrix
    }
  } else {
    const double u = w.is_transformer() ? eff.llm_training : eff.dense_training;
    rate_per_device = d.peak.value_or(0) * u;
  }
  if (rate_per_device <= 0) {
    e.performance_known = false;
    words.fit_reason([] { return std::string("peak compute of this hardware at this precision is unknown"); });
    return;
  }

  auto devices_for = [&](int count) { return classical ? 1 : count * d.per_instance; };
  auto per_device_memory = [&](int count) {
    const int n = devices_for(count);
    return (states / n + activations) * (1 + k::k_fragmentation) + context;
  };
  auto hours_for = [&](int count) {
    const int n = devices_for(count);
    return r.training_flops / (n * rate_per_device * (classical ? 1.0 : dp_efficiency(count))) / 3600;
  };

  int count = o.count;
  if (count == 0) {
    const int limit = classical ? 1 : k::k_max_instances;
    count = 1;
    while (count < limit && (per_device_memory(count) > d.memory_gib ||
                             (w.deadline_hours && hours_for(count) > *w.deadline_hours))) {
      count = count < 8 ? count + 1 : count * 2;
    }
    count = std::min(count, limit);
  }
  e.count = count;
  e.memory_needed_gib = per_device_memory(count);
  e.memory_available_gib = d.memory_gib;
  e.batch_size = micro_batch;
  e.tensor_parallel = 1;
  e.replicas_per_instance = classical ? 1 : d.per_instance;
  e.fits = e.memory_needed_gib <= d.memory_gib;
  e.headroom = (d.memory_gib - e.memory_needed_gib) / d.memory_gib;
  if (!e.fits) {
    words.fit_reason([&] {
      return fmt::format("needs {} per device ({} of weights, gradients and optimizer states over {} device(s), {} of activations); {} has {}",
                         gib(e.memory_needed_gib), gib(states), devices_for(count), gib(activations), i.name, gib(d.memory_gib));
    });
  }
  e.time_hours = hours_for(count);
  const double units = classical ? r.training_flops : r.training_flops / (3 * std::max(r.forward_flops_per_unit, 1.0));
  e.throughput = classical ? w.dataset_samples.value_or(0) * w.iterations.value_or(1) / (*e.time_hours * 3600)
                           : units / (*e.time_hours * 3600);
  e.throughput_unit = classical ? "row-rounds/s" : r.unit + "s/s";
  if (words.on()) e.bottleneck = "compute";
  if (!classical && devices_for(count) > 1) {
    words.note([&] {
      return fmt::format("{} devices, weights, gradients and optimizer states sharded (FSDP / ZeRO-3), data parallel; scaling efficiency {:.2f}",
                         devices_for(count), dp_efficiency(count));
    });
  }
  price(w, i, o, e, words);
  if (e.price_usd_per_hour) e.cost_usd = *e.price_usd_per_hour * billed_hours(*e.time_hours);
}

struct Timing {
  double ttft_s, step_s, request_s, rps;  // per replica at batch b
};

// LLM serving on one replica split over t devices, at batch b (roofline, compute and memory
// traffic added rather than overlapped).
Timing llm_timing(const Workload& w, const Requirements& r, const Device& d, int t, double b) {
  const auto eff = k::efficiency(d.kind);
  const double peak = d.peak.value_or(0) * t * eff.prefill;
  const double bw = d.bandwidth * t * eff.decode_bandwidth;
  const double in = w.input_tokens.value_or(512), out = w.output_tokens.value_or(256);
  const double p_total = *w.params, p_active = w.active_params.value_or(p_total);
  const double weight_bytes_total = r.memory.weights_gib * k_gib;
  // Mixture of experts: a step reads the experts its tokens were routed to.
  const double weight_bytes_step = weight_bytes_total * std::min(1.0, p_active * b / p_total);
  const double prefill_compute = in * r.forward_flops_per_unit / peak;
  const double ttft = (prefill_compute + weight_bytes_total * std::min(1.0, p_active * in / p_total) / bw) * tp_factor(t);
  const double kv_bytes = b * r.kv_bytes_per_token * (in + out / 2);
  const double step = (b * r.forward_flops_per_unit / peak + (weight_bytes_step + kv_bytes) / bw) * tp_factor(t);
  const double request = ttft + out * step;
  // With continuous batching each request also costs its prefill compute in the replica's time.
  const double rps = b / (b * prefill_compute * tp_factor(t) + out * step);
  return Timing{ttft, step, request, rps};
}

// Encoders, CNNs, GANs, diffusion, recommenders, classical inference: time per batch on a replica.
double batch_time(const Workload& w, const Requirements& r, const Device& d, int t, double b) {
  const auto eff = k::efficiency(d.kind);
  const double work = r.forward_flops_per_unit * (w.is_transformer() ? w.input_tokens.value_or(512) : 1);
  if (w.sizing == SizingMethod::classical) {
    // Tree traversal and small dot products are branch and latency bound: ~2 cycles per operation.
    return b * work * 2 / (d.cpu_cores * d.clock_ghz * 1e9);
  }
  // Utilisation grows with the work one pass gives the device: half of its ceiling at
  // half_batch x 8.18 GFLOPs (ResNet-50 images), so a batch of small images and one large
  // denoising step are treated alike.
  const double passes = w.family == "diffusion" ? w.denoising_steps.value_or(50) * k::k_cfg_factor : 1;
  const double pass_work = b * work / passes;
  const double half_work = eff.half_batch * k::k_reference_pass_flops;
  const double u = eff.dense_inference * pass_work / (pass_work + half_work);
  return (b * work / (d.peak.value_or(0) * t * u) +
          passes * r.memory.weights_gib * k_gib / (d.bandwidth * t * eff.decode_bandwidth)) *
         tp_factor(t);
}

void estimate_inference(const Workload& w, const Requirements& r, const Device& d, const catalog::Instance& i,
                        const EstimateOptions& o, Estimate& e, Words& words) {
  if (!d.peak || *d.peak <= 0) {
    e.performance_known = false;
    words.fit_reason([] { return std::string("peak compute of this hardware at this precision is unknown"); });
    return;
  }
  const double context = d.kind == ComputeKind::cpu ? 1.0 : k::k_device_context_gib;
  const bool llm = w.is_llm() || w.sizing == SizingMethod::transformer_encoder_decoder;
  const double in = w.input_tokens.value_or(512), out = w.output_tokens.value_or(256);
  // LLM serving keeps a KV cache per sequence; the activations of a prefill are a workspace used
  // by one chunk at a time, so they count once, with the weights.
  const double per_sequence = llm ? r.kv_bytes_per_token * (in + out) : r.activation_bytes_per_unit;
  const double weights = r.memory.weights_gib * k_gib + (llm ? r.activation_bytes_per_unit : 0);

  // Smallest split (tensor parallel degree) whose memory holds the weights and one sequence and,
  // for realtime serving, meets the latency targets at batch 1; a forced degree is used as given.
  auto room_for = [&](int candidate) {
    const double usable = candidate * (d.memory_gib - context) * k_gib / (1 + k::k_fragmentation);
    return usable - weights;
  };
  auto fast_enough = [&](int candidate) {
    if (w.mode == Mode::batch) return true;
    if (llm) {
      const Timing timing = llm_timing(w, r, d, candidate, 1);
      if (w.ttft_ms && timing.ttft_s * 1000 > *w.ttft_ms) return false;
      if (w.tpot_ms && timing.step_s * 1000 > *w.tpot_ms) return false;
      if (w.latency_ms && timing.request_s * 1000 > *w.latency_ms) return false;
      return true;
    }
    return !w.latency_ms || batch_time(w, r, d, candidate, 1) * 1000 <= *w.latency_ms;
  };
  int t = 0;
  int first_fit = 0;
  for (int candidate = 1; candidate <= d.per_instance; candidate *= 2) {
    if (o.tensor_parallel > 0 && candidate != o.tensor_parallel) continue;
    if (room_for(candidate) < per_sequence) continue;
    if (!first_fit) first_fit = candidate;
    if (o.tensor_parallel > 0 || fast_enough(candidate)) {
      t = candidate;
      break;
    }
  }
  if (t == 0) t = first_fit;  // fits, but no split meets the targets: report the smallest
  const double b_max = t ? std::min(k::k_max_batch, std::floor(room_for(t) / std::max(per_sequence, 1.0))) : 0;
  e.memory_available_gib = d.memory_gib;
  if (t == 0) {
    const int all = d.per_instance;
    e.memory_needed_gib = ((weights + per_sequence) * (1 + k::k_fragmentation)) / k_gib / all + context;
    words.fit_reason([&] {
      return fmt::format("needs {} for weights and one sequence, {} per device over {} device(s); {} has {} per device",
                         gib((weights + per_sequence) / k_gib), gib(e.memory_needed_gib), all, i.name, gib(d.memory_gib));
    });
    e.tensor_parallel = all;
    return;
  }
  e.tensor_parallel = t;
  e.replicas_per_instance = std::max(1, d.per_instance / t);
  const bool fixed_batch = w.batch_size.has_value();
  if (fixed_batch && *w.batch_size > b_max) {
    e.memory_needed_gib = ((weights + per_sequence * *w.batch_size) * (1 + k::k_fragmentation)) / k_gib / t + context;
    words.fit_reason([&] {
      return fmt::format("batch of {} needs {} per device; {} has {}", *w.batch_size, gib(e.memory_needed_gib), i.name, gib(d.memory_gib));
    });
    return;
  }

  // The replica's timing at batch b (for LLMs; other models only take time per batch). The searches
  // below ask for the same batches again and again, so whole batches up to the largest tried are
  // worked out once.
  constexpr auto k_batches = static_cast<std::size_t>(k::k_max_batch) + 1;
  std::array<Timing, k_batches> timings;
  std::bitset<k_batches> known;
  auto timing_at = [&](double b) {
    auto work_out = [&] { return llm ? llm_timing(w, r, d, t, b) : Timing{0, 0, batch_time(w, r, d, t, b), 0}; };
    if (!(b >= 1 && b < static_cast<double>(k_batches) && b == std::floor(b))) return work_out();
    const auto slot = static_cast<std::size_t>(b);
    if (!known[slot]) {
      timings[slot] = work_out();
      known.set(slot);
    }
    return timings[slot];
  };
  // Every request also pays the model server and network overhead.
  const double overhead_s = w.mode == Mode::realtime ? k::k_request_overhead_ms / 1000 : 0;
  auto latency_s = [&](double b) { return timing_at(b).request_s + overhead_s; };
  auto rps = [&](double b) { return llm ? timing_at(b).rps : b / timing_at(b).request_s; };

  const bool offline = w.mode == Mode::batch;
  auto meets_targets = [&](double b) {
    if (w.latency_ms && latency_s(b) * 1000 > *w.latency_ms) return false;
    if (llm) {
      const Timing timing = timing_at(b);
      if (w.ttft_ms && timing.ttft_s * 1000 > *w.ttft_ms) return false;
      if (w.tpot_ms && timing.step_s * 1000 > *w.tpot_ms) return false;
    }
    return true;
  };
  auto next = [](int n) { return n < 8 ? n + 1 : n * 2; };
  double b = 1;
  int count = std::max(1, o.count);
  if (offline) {
    b = fixed_batch ? *w.batch_size : b_max;
    if (o.count == 0 && w.deadline_hours) {
      const double total = w.dataset_samples.value_or(1e6);
      while (count < k::k_max_instances && total / (count * e.replicas_per_instance * rps(b)) / 3600 > *w.deadline_hours) {
        count = next(count);
      }
    }
  } else {
    // The batch a replica runs at is the concurrency the load creates: the smallest batch whose
    // throughput keeps up with the requests (none when even the largest batch cannot).
    const double qps = w.qps.value_or(1);
    auto operating_batch = [&](int n) -> std::optional<double> {
      const double replicas = n * e.replicas_per_instance;
      if (fixed_batch) return replicas * rps(*w.batch_size) >= qps ? std::optional<double>(*w.batch_size) : std::nullopt;
      if (replicas * rps(b_max) < qps) return std::nullopt;
      double lo = 1, hi = b_max;
      while (lo < hi) {
        const double mid = std::floor((lo + hi) / 2);
        if (replicas * rps(mid) >= qps) hi = mid;
        else lo = mid + 1;
      }
      return lo;
    };
    if (o.count == 0) {
      // More instances until the load is served, then until the targets are met at that load.
      count = 1;
      for (;;) {
        const auto ob = operating_batch(count);
        if (ob && (meets_targets(*ob) || *ob <= 1)) break;
        if (count >= k::k_max_instances) break;
        count = next(count);
      }
    }
    const auto ob = operating_batch(count);
    b = ob.value_or(fixed_batch ? *w.batch_size : b_max);
    if (!ob) words.note([&] { return fmt::format("{} instance(s) cannot serve {} requests/s", count, qps); });
  }
  e.count = count;
  e.batch_size = b;
  e.fits = true;
  e.memory_needed_gib = ((weights + per_sequence * b) * (1 + k::k_fragmentation)) / k_gib / t + context;
  e.headroom = (e.memory_available_gib - e.memory_needed_gib) / e.memory_available_gib;

  const double replicas = count * e.replicas_per_instance;
  const double capacity_rps = replicas * rps(b);
  e.latency_ms = latency_s(b) * 1000;
  if (llm) {
    const Timing timing = timing_at(b);
    e.ttft_ms = (timing.ttft_s + overhead_s) * 1000;
    e.tpot_ms = timing.step_s * 1000;
    e.throughput = capacity_rps * out;
    e.throughput_unit = "output tokens/s";
    const double step_flops = b * r.forward_flops_per_unit / (d.peak.value_or(1) * t * k::efficiency(d.kind).prefill);
    if (words.on()) e.bottleneck = step_flops * 2 > timing.step_s ? "compute" : "memory bandwidth";
  } else {
    e.throughput = capacity_rps;
    e.throughput_unit = w.is_transformer() ? "requests/s" : r.unit + "s/s";
    if (words.on()) {
      e.bottleneck = w.sizing == SizingMethod::classical ? "compute"
                                                         : (b < k::efficiency(d.kind).half_batch ? "batch too small to fill the device" : "compute");
    }
  }
  if (t > 1) words.note([&] { return fmt::format("tensor parallel over {} devices", t); });
  words.note([&] { return fmt::format("{} replica(s) per instance at batch {}", e.replicas_per_instance, b); });

  price(w, i, o, e, words);
  if (e.price_usd_per_hour) {
    const double load_rps = offline ? capacity_rps : std::min(capacity_rps, w.qps.value_or(capacity_rps));
    const double per_request = *e.price_usd_per_hour / 3600 / load_rps;
    e.cost_usd_per_1k_requests = per_request * 1000;
    if (llm) e.cost_usd_per_1m_tokens = per_request / out * 1e6;
    if (offline) {
      e.time_hours = w.dataset_samples.value_or(1e6) / capacity_rps / 3600;
      e.cost_usd = *e.price_usd_per_hour * billed_hours(*e.time_hours);
    }
  }
}

}  // namespace

double billed_hours(double hours) { return std::max(hours, k::k_minimum_billed_hours); }

Shape shape_of(const catalog::Instance& i, const catalog::Hardware* accelerator, const catalog::Hardware* cpu) {
  // NOTE: every field of the instance that estimate() reads, but its id, name and prices.
  return Shape{accelerator, cpu, i.accelerator_count, i.accelerator_share.value_or(1), i.vcpus, i.memory_gib,
               i.price_usd_per_hour.has_value(), i.spot_price_usd_per_hour.has_value()};
}

Estimate estimate(const Workload& w, const Requirements& r, const catalog::Catalog& c, const catalog::Instance& i,
                  const EstimateOptions& o) {
  return estimate(w, r, i, i.accelerator ? c.hardware_by_id(*i.accelerator) : nullptr, i.cpu ? c.hardware_by_id(*i.cpu) : nullptr, o);
}

Estimate estimate(const Workload& w, const Requirements& r, const catalog::Instance& i, const catalog::Hardware* h,
                  const catalog::Hardware* cpu, const EstimateOptions& o) {
  Estimate e;
  Words words(e, o.words);
  if (o.words) e.instance = i.id;
  e.count = std::max(1, o.count);
  Device d;
  if (h && runs_on_accelerator(w, *h)) {
    d.kind = h->kind;
    d.per_instance = i.accelerator_count;
    d.memory_gib = h->memory_gib.value_or(0);
    d.bandwidth = h->memory_bandwidth_gb_per_s.value_or(0) * 1e9;
    d.peak = accelerator_peak(*h, w.precision);
    if (!d.peak) {
      words.unknown([&] { return fmt::format("{} has no {} (or fallback) peak in the catalog", h->id, catalog::to_string(w.precision)); });
    }
    if (!h->memory_bandwidth_gb_per_s) words.unknown([&] { return fmt::format("{} memory bandwidth unknown", h->id); });
    if (i.accelerator_share) {
      // A fractional GPU: the instance gets this share of one device's memory, bandwidth and compute.
      const double share = *i.accelerator_share;
      d.memory_gib *= share;
      d.bandwidth *= share;
      if (d.peak) *d.peak *= share;
      words.note([&] { return fmt::format("{:.3g} of one {}: {:.1f} GiB and that share of its bandwidth and compute", share, h->id, d.memory_gib); });
    }
    if (o.words) e.accelerator = h->id;
    e.accelerators_per_instance = i.accelerator_count;
  } else {
    d = host_device(w, i, cpu, words);
    if (i.burstable) {
      words.note([&] {
        return fmt::format("{} is burstable: its sustained CPU is a fraction of its {:g} vCPUs (CPU credits); this estimate assumes "
                           "all of them",
                           i.name, i.vcpus);
      });
    }
    if (h) {
      if (o.words) e.accelerator = h->id;
      e.accelerators_per_instance = i.accelerator_count;
      words.note([&] { return fmt::format("{} does not use the {}; sized on the host CPUs", w.framework, h->id); });
    }
  }
  e.compute = d.kind;
  if (w.trains()) estimate_training(w, r, d, i, o, e, words);
  else estimate_inference(w, r, d, i, o, e, words);
  if (!e.price_usd_per_hour && !words.any_unknown()) price(w, i, o, e, words);
  return e;
}

}  // namespace aiadvise::sizing
