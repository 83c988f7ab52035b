// Eligibility: whether a service runs the workload on a compute kind, whether an accelerator runs its
// framework and family, the facts of a candidate, and the rules fired over them with the reason of
// every exclusion in numbers.

#include <fmt/format.h>

#include <algorithm>

#include "aiadvise/util/human.hpp"
#include "aiadvise/util/text.hpp"
#include "scoring/internal.hpp"

namespace aiadvise::scoring::detail {

bool service_serves(const catalog::Service& s, const Workload& w, ComputeKind kind) {
  if (s.kind == "model-api" || s.kind == "serverless-inference") return false;  // handled apart
  const std::string phase(workload::to_string(w.phase));
  if (std::find(s.phases.begin(), s.phases.end(), phase) == s.phases.end()) return false;
  if (w.phase == Phase::inference && !s.modes.empty()) {
    const std::string mode(workload::to_string(w.mode));
    if (std::find(s.modes.begin(), s.modes.end(), mode) == s.modes.end()) return false;
  }
  if (w.phase != Phase::inference && s.kind != "training" && s.kind != "vm" && s.kind != "kubernetes") return false;
  return std::find(s.accelerators.begin(), s.accelerators.end(), kind) != s.accelerators.end();
}

bool cpu_feasible(const sizing::Estimate& e, const Workload& w) {
  if (e.compute != ComputeKind::cpu || !e.fits) return false;
  if (w.latency_ms && e.latency_ms && *e.latency_ms > *w.latency_ms) return false;
  if (w.ttft_ms && e.ttft_ms && *e.ttft_ms > *w.ttft_ms) return false;
  return !(w.tpot_ms && e.tpot_ms && *e.tpot_ms > *w.tpot_ms);
}

bool allowed(const Workload& w, catalog::Cloud cloud) { return std::find(w.clouds.begin(), w.clouds.end(), cloud) != w.clouds.end(); }

bool allowed(const Workload& w, ComputeKind kind) {
  return w.compute.empty() || std::find(w.compute.begin(), w.compute.end(), kind) != w.compute.end();
}

// Whether the targets are met, judged only where the model fits (fit-memory reports the rest).
bool meets_targets(const Workload& w, const sizing::Estimate& e) {
  if (!e.fits || w.phase != Phase::inference) return true;
  if (w.latency_ms && e.latency_ms && *e.latency_ms > *w.latency_ms) return false;
  if (w.ttft_ms && e.ttft_ms && *e.ttft_ms > *w.ttft_ms) return false;
  if (w.tpot_ms && e.tpot_ms && *e.tpot_ms > *w.tpot_ms) return false;
  if (realtime(w) && w.qps && e.throughput) {
    const double rps = e.throughput_unit == "output tokens/s" ? *e.throughput / w.output_tokens.value_or(1) : *e.throughput;
    if (rps + 1e-9 < *w.qps) return false;
  }
  return true;
}

// The families the accelerator's toolchain supports for this workload's phase: a training job reads
// the training list where the catalog gives one (empty: every family).
namespace {
const std::vector<std::string>& families_for(const catalog::Hardware& h, const Workload& w) {
  return w.trains() && !h.training_families.empty() ? h.training_families : h.supported_families;
}
}  // namespace

// Whether the instance's accelerator runs the workload's framework and family (true where unused).
std::pair<bool, bool> accelerator_support(const catalog::Hardware* h, ComputeKind compute, const Workload& w) {
  bool framework_ok = true, family_ok = true;
  if (h && compute != ComputeKind::cpu) {
    framework_ok = std::find(h->frameworks.begin(), h->frameworks.end(), w.framework) != h->frameworks.end();
    const auto& families = families_for(*h, w);
    family_ok = families.empty() || std::find(families.begin(), families.end(), w.family) != families.end();
  }
  return {framework_ok, family_ok};
}

bool model_runs_on(const catalog::Catalog& c, const Workload& w, ComputeKind compute) {
  const catalog::Model* m = w.model ? c.model(*w.model) : nullptr;
  return !m || m->runs_on.empty() || std::find(m->runs_on.begin(), m->runs_on.end(), compute) != m->runs_on.end();
}

// Whether the service's limits allow the workload at the estimated latency; the reasons if not.
bool within_limits(const catalog::Service& s, const sizing::Estimate& e, const Workload& w, std::vector<std::string>& limit_reasons) {
  bool within = true;
  auto limit = [&](const char* key) -> std::optional<double> {
    auto it = s.limits.find(key);
    return it == s.limits.end() ? std::nullopt : std::optional<double>(it->second);
  };
  if (auto timeout = limit("max_request_timeout_s"); timeout && e.latency_ms && *e.latency_ms > *timeout * 1000) {
    within = false;
    limit_reasons.push_back(fmt::format("a request takes {:.0f} s; {} times out after {:.0f} s", *e.latency_ms / 1000, s.name, *timeout));
  }
  if (auto rps = limit("max_requests_per_second"); rps && w.qps && *w.qps > *rps) {
    within = false;
    limit_reasons.push_back(fmt::format("{} requests/s exceed {}'s {:.0f} per endpoint", *w.qps, s.name, *rps));
  }
  return within;
}

Facts candidate_facts(const Context& ctx, const Candidate& cand, const catalog::Instance& i, const catalog::Service* s,
                      std::vector<std::string>& limit_reasons) {
  const SlotIds& k = slot_ids();
  Facts f = ctx.workload_facts;
  const auto& e = cand.estimate;
  const Workload& w = ctx.w;
  f.set(k.compute, std::string(catalog::to_string(e.compute)));
  f.set(k.cloud, std::string(catalog::to_string(i.cloud)));
  f.set(k.instance, i.id);
  if (i.accelerator) f.set(k.accelerator, *i.accelerator);
  f.set(k.has_accelerator, i.accelerator.has_value());
  f.set(k.accelerators_per_instance, static_cast<double>(i.accelerator_count));
  f.set(k.service, cand.service);
  f.set(k.service_kind, cand.service_kind);
  f.set(k.management, std::string(cand.managed ? "managed" : "self-managed"));
  f.set(k.count, static_cast<double>(e.count));
  if (e.price_usd_per_hour) f.set(k.price, *e.price_usd_per_hour);
  if (e.latency_ms) f.set(k.latency, *e.latency_ms);
  // A candidate whose speed cannot be estimated is reported by performance-unknown, not as a misfit.
  f.set(k.performance_known, e.performance_known);
  // A chip without the precision is reported by accelerator-precision, not as a misfit.
  f.set(k.fits, e.fits || !e.performance_known || !e.precision_supported);
  f.set(k.precision_supported, e.precision_supported);
  f.set(k.meets_targets, meets_targets(w, e));
  f.set(k.meets_deadline, !(w.deadline_hours && e.time_hours && *e.time_hours > *w.deadline_hours));
  f.set(k.within_hourly_budget, !(w.budget_usd_per_hour && e.price_usd_per_hour && *e.price_usd_per_hour > *w.budget_usd_per_hour));
  f.set(k.within_total_budget, !(w.budget_usd && e.cost_usd && *e.cost_usd > *w.budget_usd));
  f.set(k.price_known, e.price_usd_per_hour.has_value());
  const auto [framework_ok, family_ok] =
      accelerator_support(i.accelerator ? ctx.c.hardware_by_id(*i.accelerator) : nullptr, e.compute, w);
  f.set(k.framework_supported, framework_ok);
  f.set(k.family_supported, family_ok);
  f.set(k.model_runs_here, model_runs_on(ctx.c, w, e.compute));
  f.set(k.within_service_limits, s ? within_limits(*s, e, w, limit_reasons) : true);
  return f;
}

std::string exclusion_reason(const rules::Rule& r, const Context& ctx, const Candidate& cand, const catalog::Instance& i,
                             const std::vector<std::string>& limit_reasons) {
  const auto& e = cand.estimate;
  const Workload& w = ctx.w;
  const std::string who = fmt::format("{} on {}", i.name, cand.service);
  if (r.id == "fit-memory") return fmt::format("{}: {}", who, e.fit_reason);
  if (r.id == "performance-unknown") {
    return fmt::format("{}: {}{}", who, e.fit_reason, e.unknowns.empty() ? "" : " (" + util::join(e.unknowns, "; ") + ")");
  }
  if (r.id == "latency-targets") {
    std::vector<std::string> misses;
    if (w.latency_ms && e.latency_ms && *e.latency_ms > *w.latency_ms)
      misses.push_back(fmt::format("latency {:.0f} ms > target {:.0f} ms", *e.latency_ms, *w.latency_ms));
    if (w.ttft_ms && e.ttft_ms && *e.ttft_ms > *w.ttft_ms)
      misses.push_back(fmt::format("TTFT {:.0f} ms > target {:.0f} ms", *e.ttft_ms, *w.ttft_ms));
    if (w.tpot_ms && e.tpot_ms && *e.tpot_ms > *w.tpot_ms)
      misses.push_back(fmt::format("TPOT {:.1f} ms > target {:.1f} ms", *e.tpot_ms, *w.tpot_ms));
    if (misses.empty()) misses.push_back(fmt::format("{} instance(s) cannot serve {} requests/s", e.count, w.qps.value_or(0)));
    return fmt::format("{} x {}: {}", e.count, who, util::join(misses, "; "));
  }
  if (r.id == "deadline") {
    return fmt::format("{} x {}: takes {} > deadline {}", e.count, who, util::format_hours(e.time_hours.value_or(0)),
                       util::format_hours(w.deadline_hours.value_or(0)));
  }
  if (r.id == "budget-hourly") {
    return fmt::format("{} x {}: {}/h > budget {}/h", e.count, who, money(e.price_usd_per_hour.value_or(0)),
                       money(w.budget_usd_per_hour.value_or(0)));
  }
  if (r.id == "budget-total") {
    return fmt::format("{} x {}: {} for the run > budget {}", e.count, who, money(e.cost_usd.value_or(0)), money(w.budget_usd.value_or(0)));
  }
  if (r.id == "accelerator-framework" && i.accelerator) {
    const auto* h = ctx.c.hardware_by_id(*i.accelerator);
    return fmt::format("{}: {} runs {}, not {}", who, *i.accelerator, h ? util::join(h->frameworks, ", ") : "?", w.framework);
  }
  if (r.id == "accelerator-precision") return fmt::format("{}: {}", who, e.fit_reason);
  if (r.id == "accelerator-family" && i.accelerator) {
    const auto* h = ctx.c.hardware_by_id(*i.accelerator);
    if (h && w.trains() && !h->training_families.empty()) {
      return fmt::format("{}: the {} toolchain is not listed as training family {} (it trains {})", who, *i.accelerator, w.family,
                         util::join(h->training_families, ", "));
    }
    return fmt::format("{}: the {} compiler is not listed as supporting family {}", who, *i.accelerator, w.family);
  }
  if (r.id == "service-limits" && !limit_reasons.empty()) return fmt::format("{}: {}", who, util::join(limit_reasons, "; "));
  if (r.id == "price-unknown") {
    return e.unknowns.empty() ? fmt::format("{}: no price in the catalog", who) : fmt::format("{}: {}", who, util::join(e.unknowns, "; "));
  }
  return fmt::format("{}: {}", who, r.description);
}

// The rules that fire on a candidate's facts, in rule order. Counts and first inputs go to `fired`
// when given.
std::vector<std::uint16_t> fire_rules(const Prepared& prep, const Facts& facts, std::map<std::string, FiredRule>* fired) {
  std::vector<std::uint16_t> indices;
  for (std::size_t k = 0; k < prep.rules.size(); ++k) {
    const rules::Rule& r = prep.rules[k];
    if (!rules::evaluate(r.condition, facts)) continue;
    indices.push_back(static_cast<std::uint16_t>(k));
    if (fired) {
      auto& f = (*fired)[r.id];
      if (f.id.empty()) {
        // The inputs are recorded once per rule, for the trace; evaluating again is cheaper than
        // recording them for every candidate.
        f.id = r.id;
        f.description = r.description;
        f.rationale = r.rationale;
        f.effect = prep.effects[k];
        rules::evaluate(r.condition, facts, &f.inputs);
      }
      ++f.candidates;
    }
  }
  return indices;
}

// What the rules that fired do to a candidate: exclusions record their reason with numbers, score
// rules their adjustment. `reason` words an exclusion.
void apply_rules(const Prepared& prep, const std::uint16_t* indices, std::size_t count, Candidate& cand,
                 const std::function<std::string(const rules::Rule&)>& reason) {
  for (std::size_t k = 0; k < count; ++k) {
    const rules::Rule& r = prep.rules[indices[k]];
    if (r.exclude) {
      cand.exclusions.push_back(r.id + ": " + reason(r));
    } else {
      cand.rules_fired.push_back(r.id);
      cand.components["rule:" + r.id] = r.score;
    }
  }
}


}  // namespace aiadvise::scoring::detail
