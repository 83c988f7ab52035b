// The device an instance gives a workload (an accelerator, or the host CPUs), and the fitted
// efficiencies of the workload on it with the confidence they carry.

#include <fmt/format.h>

#include <algorithm>
#include <array>
#include <cmath>

#include "sizing/constants.hpp"
#include "sizing/device.hpp"

namespace aiadvise::sizing::detail {

using catalog::ComputeKind;
using catalog::Precision;
using catalog::SizingMethod;
using workload::Phase;
using workload::Workload;
namespace k = constants;

namespace {

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


Device host_device(const Workload& w, const catalog::Instance& i, const catalog::Hardware* cpu, Words& words) {
  Device d;
  d.kind = ComputeKind::cpu;
  d.hardware = cpu;
  d.per_instance = 1;
  d.memory_gib = i.memory_gib;
  d.host_vcpus = i.vcpus;
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

// The half-utilisation work of a device kind, in FLOPs per pass.
double half_work(ComputeKind kind) {
  switch (kind) {
    case ComputeKind::gpu: return k::k_half_batch_gpu * k::k_reference_pass_flops;
    case ComputeKind::tpu: return k::k_half_batch_tpu * k::k_reference_pass_flops;
    case ComputeKind::trainium: case ComputeKind::inferentia: return k::k_half_batch_neuron * k::k_reference_pass_flops;
    case ComputeKind::cpu: return k::k_half_batch_cpu * k::k_reference_pass_flops;
  }
  return k::k_half_batch_gpu * k::k_reference_pass_flops;
}

}  // namespace

bool runs_on_accelerator(const Workload& w, const catalog::Hardware& h) {
  // scikit-learn has no accelerator back end; XGBoost and LightGBM train on NVIDIA GPUs only.
  if (w.framework == "sklearn") return false;
  if (w.sizing == SizingMethod::classical) return h.kind == ComputeKind::gpu && w.phase != Phase::inference;
  return true;
}

Device device_of(const Workload& w, const Requirements& r, const catalog::Instance& i, const catalog::Hardware* h, const catalog::Hardware* cpu, Estimate& e,
                 Words& words) {
  Device d;
  if (h && runs_on_accelerator(w, *h)) {
    d.kind = h->kind;
    d.hardware = h;
    d.per_instance = i.accelerator_count;
    d.memory_gib = h->memory_gib.value_or(0);
    d.bandwidth = h->memory_bandwidth_gb_per_s.value_or(0) * 1e9;
    d.peak = accelerator_peak(*h, r.arithmetic.value_or(w.precision));
    d.host_vcpus = i.vcpus;
    d.link_bytes_per_s = h->interconnect_gb_per_s.value_or(0) * 1e9;
    const std::string& link = h->interconnect_name;
    d.switched = link.find("NVLink") != std::string::npos || link.find("ICI") != std::string::npos ||
                 link.find("NeuronLink") != std::string::npos || link.find("Infinity Fabric") != std::string::npos;
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
    if (words.on()) e.accelerator = h->id;
    e.accelerators_per_instance = i.accelerator_count;
    return d;
  }
  d = host_device(w, i, cpu, words);
  if (i.burstable) {
    words.note([&] {
      return fmt::format("{} is burstable: its sustained CPU is a fraction of its {:g} vCPUs (CPU credits); this estimate assumes "
                         "all of them",
                         i.name, i.vcpus);
    });
  }
  if (h) {
    if (words.on()) e.accelerator = h->id;
    e.accelerators_per_instance = i.accelerator_count;
    words.note([&] { return fmt::format("{} does not use the {}; sized on the host CPUs", w.framework, h->id); });
  }
  return d;
}

const catalog::Factor* Efficiency::find(const char* regime) const {
  if (m_memo) return m_memo->get(m_c, m_d.hardware, m_d.kind, m_w.family, regime);
  return m_d.hardware ? m_c.factor(*m_d.hardware, m_w.family, regime) : m_c.factor(m_d.kind, m_w.family, regime);
}

std::optional<double> Efficiency::operator()(const char* regime) {
  const catalog::Factor* f = find(regime);
  if (!f) {
    m_missing = true;
    return std::nullopt;
  }
  use(f);
  return f->value;
}

void Efficiency::use(const catalog::Factor* f) {
  const auto used = m_used.begin() + static_cast<std::ptrdiff_t>(m_used_count);
  if (std::find(m_used.begin(), used, f) != used || std::find(m_used_more.begin(), m_used_more.end(), f) != m_used_more.end()) return;
  if (m_used_count < m_used.size()) m_used[m_used_count++] = f;
  else m_used_more.push_back(f);
}

std::optional<double> Efficiency::optional(const char* regime) {
  const catalog::Factor* f = find(regime);
  if (!f) return std::nullopt;
  use(f);
  return f->value;
}

Confidence Efficiency::confidence(bool words) const {
  // NOTE: an estimate is calibrated when every factor it used was fitted on points of its own
  // family on this hardware (or kind); a factor for "any" family, or one without points, is an
  // extrapolation, and its band widens to at least x2 (docs/accuracy.md).
  Confidence c;
  double band = 1;
  bool extrapolated = m_missing || m_used_count == 0;
  // The factors in the order first used: those kept in place, then any beyond them.
  auto read = [&](const catalog::Factor* f) {
    if (words) c.factors.push_back(f->id);
    const bool own = f->family == m_w.family && !f->points.empty();
    if (!own) extrapolated = true;
    if (words && own) c.points.insert(c.points.end(), f->points.begin(), f->points.end());
    band = std::max(band, f->band.value_or(2));
  };
  for (std::size_t k = 0; k < m_used_count; ++k) read(m_used[k]);
  for (const catalog::Factor* f : m_used_more) read(f);
  std::sort(c.points.begin(), c.points.end());
  c.points.erase(std::unique(c.points.begin(), c.points.end()), c.points.end());
  c.extrapolated = extrapolated;
  c.band = extrapolated ? std::max(2.0, band * 1.5) : band;
  if (words) {
    const std::string where = m_d.hardware ? m_d.hardware->id : std::string(catalog::to_string(m_d.kind));
    c.basis = extrapolated ? fmt::format("extrapolated: no calibration point of family {} on {} ({}); band x{:.2g}", m_w.family,
                                         catalog::to_string(m_d.kind), where, c.band)
                           : fmt::format("{} calibration point(s) of family {} on {}; validation band x{:.2g}", c.points.size(),
                                         m_w.family, catalog::to_string(m_d.kind), c.band);
  }
  return c;
}

namespace {

double dp_efficiency_of(int instances) {
  return std::pow(k::k_dp_efficiency_per_doubling, std::min(k::k_dp_max_doublings, std::log2(std::max(1, instances))));
}

}  // namespace

double dp_efficiency(int instances) {
  // NOTE: asked for every instance count a training plan tries, on every instance of a decision:
  // the counts up to 256 are worked out once (the same values the formula gives).
  static const std::array<double, 257> table = [] {
    std::array<double, 257> t{};
    for (int n = 0; n < static_cast<int>(t.size()); ++n) t[static_cast<std::size_t>(n)] = dp_efficiency_of(n);
    return t;
  }();
  return instances >= 0 && instances < static_cast<int>(table.size()) ? table[static_cast<std::size_t>(instances)] : dp_efficiency_of(instances);
}

double ramp(const Device& d, double pass_flops) {
  double half = half_work(d.kind);
  // A CPU's cores are filled by the work of a pass split between them: a host of few cores is
  // busy with less work than a whole socket.
  if (d.kind == ComputeKind::cpu && d.cpu_cores > 0) half *= std::min(1.0, d.cpu_cores / k::k_half_batch_cpu_cores);
  return pass_flops / (pass_flops + half);
}

std::string gib(double v) { return fmt::format("{:.1f} GiB", v); }

}  // namespace aiadvise::sizing::detail
