// A measurement point replayed through the sizing model: its workload normalised against the
// catalog, a stand-in instance with the point's hardware, and the estimate's number for the metric
// the point measured.

#include <fmt/format.h>

#include <cmath>

#include "aiadvise/calibration/calibration.hpp"
#include "aiadvise/util/diagnostics.hpp"
#include "aiadvise/workload/workload.hpp"

namespace aiadvise::calibration {

double log_error(double predicted, double measured) { return std::fabs(std::log(predicted / measured)); }

namespace {

// Whether a unit counts requests or samples rather than tokens ("samples/s", "queries/s").
bool counts_requests(const std::string& unit) {
  return unit.find("token") == std::string::npos;
}

}  // namespace

Prediction predict(const Point& p, const catalog::Catalog& c) {
  Prediction out;
  workload::Workload w;
  sizing::Requirements r;
  try {
    std::vector<util::Diagnostic> diagnostics;
    const auto doc = util::JsonDocument::parse(p.id, p.workload.dump(), {}, diagnostics);
    if (!doc.ok()) throw util::InputError(std::move(diagnostics));
    w = workload::normalise(&doc, {}, c);
    r = sizing::requirements(w, c);
  } catch (const util::InputError& e) {
    out.reason = fmt::format("workload: {}", e.diagnostics().empty() ? std::string("invalid") : e.diagnostics().front().message);
    return out;
  }
  out.family = w.family;
  const catalog::Hardware* acc = p.accelerator.empty() ? nullptr : c.hardware_by_id(p.accelerator);
  const catalog::Hardware* cpu = p.cpu.empty() ? nullptr : c.hardware_by_id(p.cpu);
  if (!p.accelerator.empty() && !acc) {
    out.reason = fmt::format("hardware '{}' is not in the catalog", p.accelerator);
    return out;
  }
  if (!p.cpu.empty() && !cpu) {
    out.reason = fmt::format("hardware '{}' is not in the catalog", p.cpu);
    return out;
  }
  out.kind = std::string(catalog::to_string(acc ? acc->kind : catalog::ComputeKind::cpu));

  if (p.metric == "weights_gib") {
    out.predicted = r.memory.weights_gib;
    return out;
  }
  if (p.metric == "kv_bytes_per_token") {
    out.predicted = r.kv_bytes_per_token;
    return out;
  }

  // A stand-in instance with the point's hardware: a host large enough not to limit an
  // accelerator run, or the vCPUs and memory a CPU run used.
  catalog::Instance inst;
  inst.id = "calibration";
  inst.name = p.id;
  inst.region = "calibration";
  if (acc) {
    inst.accelerator = acc->id;
    inst.accelerator_count = p.per_instance;
  }
  if (cpu) inst.cpu = cpu->id;
  inst.vcpus = p.vcpus.value_or(acc ? 16.0 * p.per_instance : 0);
  inst.memory_gib = p.memory_gib.value_or(acc ? 256.0 * p.per_instance : 0);
  if (!acc && (!p.vcpus || !p.memory_gib)) {
    out.reason = "a CPU point needs the vCPUs and memory the run used (hardware.vcpus, hardware.memory_gib)";
    return out;
  }
  sizing::EstimateOptions o;
  o.count = p.instances;
  o.tensor_parallel = p.tensor_parallel;
  const sizing::Estimate e = sizing::estimate(w, r, c, inst, acc, cpu, o);
  out.confidence = e.confidence;
  out.factors = e.confidence.factors;
  out.fits = e.fits;
  if (!e.performance_known) {
    out.reason = e.fit_reason.empty() ? "performance unknown" : e.fit_reason;
    return out;
  }
  if (!e.fits) {
    out.reason = fmt::format("does not fit: {}", e.fit_reason);
    return out;
  }
  const double devices = (acc ? p.per_instance : 1) * static_cast<double>(p.instances);
  const double per = p.scope == "per_device" ? devices : 1;
  std::optional<double> value;
  if (p.metric == "peak_memory_gib") {
    value = p.memory == "allocated" ? sizing::allocated_gib(e) : e.memory_needed_gib;
    // Memory rests on no efficiency factor: such a point neither fits one nor counts toward one.
    out.factors.clear();
  } else if (p.metric == "train_time_hours") {
    value = e.time_hours;
  } else if (p.metric == "gpu_hours") {
    if (e.time_hours) value = *e.time_hours * devices;
  } else if (p.metric == "train_throughput") {
    if (e.throughput) {
      // The estimate counts sequences (transformers) or samples; a rate in tokens multiplies by the
      // sequence length.
      const bool tokens = !counts_requests(p.unit) && w.is_transformer();
      value = *e.throughput * (tokens ? w.input_tokens.value_or(1) : 1) / per;
    }
  } else if (p.metric == "throughput") {
    if (e.throughput) {
      double v = *e.throughput;
      const bool estimate_tokens = e.throughput_unit == "output tokens/s";
      if (estimate_tokens && counts_requests(p.unit)) v /= w.output_tokens.value_or(1);
      // An encoder-decoder counts requests; a point may count the tokens they generate.
      if (!estimate_tokens && !counts_requests(p.unit) && w.output_tokens) v *= *w.output_tokens;
      value = v / per;
    }
  } else if (p.metric == "ttft_ms") {
    value = e.ttft_ms;
  } else if (p.metric == "tpot_ms") {
    value = e.tpot_ms;
  } else if (p.metric == "latency_ms") {
    value = e.latency_ms;
  }
  // A closed loop of more clients than the server's batch: a request waits for a slot. Each slot
  // serves one request per request time S, so the loop goes round in clients / batch x S (Little's
  // law on the closed system) and a request waits (clients / batch - 1) x S before it starts.
  if (value && e.latency_ms && p.clients && w.batch_size && *p.clients > *w.batch_size &&
      (p.metric == "ttft_ms" || p.metric == "latency_ms")) {
    *value += (*p.clients / *w.batch_size - 1) * *e.latency_ms;
  }
  if (!value || !std::isfinite(*value) || *value <= 0) {
    out.reason = e.overloaded ? "overloaded at the point's load" : fmt::format("the estimate gives no {}", p.metric);
    return out;
  }
  out.predicted = *value;
  return out;
}

}  // namespace aiadvise::calibration
