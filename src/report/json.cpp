#include "aiadvise/report/json.hpp"

#include <fmt/format.h>

#include <charconv>
#include <cmath>
#include <limits>
#include <stdexcept>

namespace aiadvise::report {

using util::Json;

double six_digits(double value) {
  // NOTE: to_chars with a precision writes what printf's %.6g writes, and from_chars reads it back
  // as strtod does, without the locale and the allocations. Where they could differ (strtod calls
  // a subnormal result out of range, and stod throws) the reference path decides.
  if (value == 0) return value;  // "0" or "-0" read back
  char buffer[32];
  const auto written = std::to_chars(buffer, buffer + sizeof buffer, value, std::chars_format::general, 6);
  double rounded = 0;
  if (written.ec == std::errc{}) {
    const auto read = std::from_chars(buffer, written.ptr, rounded);
    if (read.ec == std::errc{} && read.ptr == written.ptr && std::fabs(rounded) >= std::numeric_limits<double>::min()) return rounded;
  }
  return std::stod(fmt::format("{:.6g}", value));
}

void put_number(Json& object, const char* key, double value) {
  if (!std::isfinite(value)) throw std::logic_error(fmt::format("non-finite value for '{}'", key));
  // Six significant digits keep output stable across platforms and readable in diffs.
  object[key] = six_digits(value);
}

void put_number(Json& object, const char* key, const std::optional<double>& value) {
  if (value) put_number(object, key, *value);
}

Json requirements_json(const sizing::Requirements& r) {
  Json j = Json::object();
  put_number(j, "memory_gib", r.memory.total_gib());
  put_number(j, "weights_gib", r.memory.weights_gib);
  put_number(j, "kv_cache_gib", r.memory.kv_cache_gib);
  put_number(j, "activations_gib", r.memory.activations_gib);
  put_number(j, "gradients_gib", r.memory.gradients_gib);
  put_number(j, "optimizer_gib", r.memory.optimizer_gib);
  put_number(j, "overhead_gib", r.memory.overhead_gib);
  put_number(j, "reference_batch", r.reference_batch);
  if (r.kv_bytes_per_token > 0) put_number(j, "kv_cache_bytes_per_token", r.kv_bytes_per_token);
  j["unit"] = r.unit;
  put_number(j, "forward_flops_per_unit", r.forward_flops_per_unit);
  if (r.training_flops > 0) put_number(j, "training_flops", r.training_flops);
  if (r.trainable_params > 0) put_number(j, "trainable_params", r.trainable_params);
  j["notes"] = r.notes;
  return j;
}

Json confidence_json(const sizing::Confidence& c) {
  Json j = Json::object();
  put_number(j, "band", c.band);
  j["extrapolated"] = c.extrapolated;
  j["basis"] = c.basis;
  j["points"] = c.points;
  j["factors"] = c.factors;
  return j;
}

void put_performance(Json& j, const sizing::Estimate& e, const workload::Workload* w) {
  put_number(j, "memory_needed_gib", e.memory_needed_gib);
  put_number(j, "memory_available_gib", e.memory_available_gib);
  j["parallelism"] = {{"tensor_parallel", e.tensor_parallel},
                      {"replicas_per_instance", e.replicas_per_instance},
                      {"instances", e.count}};
  put_number(j, "batch_size", e.batch_size);
  // The precision the estimate runs at, and the one the workload states (they differ where the
  // accelerator lacks the stated one: catalog::precision_on).
  j["precision"] = {{"requested", std::string(catalog::to_string(e.precision_requested))},
                    {"used", std::string(catalog::to_string(e.precision_used))}};
  if (e.memory_limit_gib > 0) put_number(j, "memory_limit_gib", e.memory_limit_gib);
  if (e.gradient_accumulation > 1) j["gradient_accumulation"] = e.gradient_accumulation;
  if (e.gradient_checkpointing) j["gradient_checkpointing"] = true;
  if (e.utilisation > 0) put_number(j, "utilisation", e.utilisation);
  if (e.overloaded) j["overloaded"] = true;
  put_number(j, "throughput", e.throughput);
  if (e.throughput) j["throughput_unit"] = e.throughput_unit;
  put_number(j, "latency_ms", e.latency_ms);
  put_number(j, "ttft_ms", e.ttft_ms);
  put_number(j, "tpot_ms", e.tpot_ms);
  if (e.latency_parts) {
    Json parts = Json::object();
    put_number(parts, "queueing_ms", e.latency_parts->queueing_ms);
    put_number(parts, "first_ms", e.latency_parts->first_ms);
    put_number(parts, "generation_ms", e.latency_parts->generation_ms);
    j["latency_parts"] = std::move(parts);
  }
  put_number(j, "time_hours", e.time_hours);
  put_number(j, "price_usd_per_hour", e.price_usd_per_hour);
  if (e.price_usd_per_hour) j["price_kind"] = e.spot ? "spot" : "on-demand";
  // NOTE: a job (training, batch) has a time and is budgeted per run; what has no end (serving)
  // is budgeted per month. Per-request costs mean nothing for a training run.
  const bool continuous = !e.time_hours.has_value();
  if (continuous && e.price_usd_per_hour) put_number(j, "cost_usd_per_month", *e.price_usd_per_hour * k_hours_per_month);
  put_number(j, "cost_usd", e.cost_usd);
  if (!(w && w->trains())) {
    put_number(j, "cost_usd_per_1m_tokens", e.cost_usd_per_1m_tokens);
    put_number(j, "cost_usd_per_1k_requests", e.cost_usd_per_1k_requests);
  }
}

Json estimate_json(const sizing::Estimate& e, const catalog::Catalog& catalog, const workload::Workload* w) {
  Json j = Json::object();
  const catalog::Instance* i = catalog.instance(e.instance);
  j["instance"] = i ? i->name : e.instance;
  j["instance_id"] = e.instance;
  if (i) {
    j["cloud"] = std::string(catalog::to_string(i->cloud));
    j["region"] = e.region.empty() ? i->region : e.region;  // the region priced (catalog::choose_offer)
  }
  j["count"] = e.count;
  j["compute"] = std::string(catalog::to_string(e.compute));
  if (!e.accelerator.empty()) {
    j["accelerator"] = e.accelerator;
    j["accelerators_per_instance"] = e.accelerators_per_instance;
  }
  j["fits"] = e.fits;
  if (!e.fit_reason.empty()) j["fit_reason"] = e.fit_reason;
  if (e.fits) put_number(j, "headroom", e.headroom);
  put_performance(j, e, w);
  if (!e.bottleneck.empty()) j["bottleneck"] = e.bottleneck;
  j["confidence"] = confidence_json(e.confidence);
  j["unknowns"] = e.unknowns;
  j["notes"] = e.notes;
  return j;
}

}  // namespace aiadvise::report
