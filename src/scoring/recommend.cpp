#include "aiadvise/scoring/recommend.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <functional>
#include <set>

#include "aiadvise/util/text.hpp"

namespace aiadvise::scoring {

using catalog::ComputeKind;
using rules::Facts;
using workload::Mode;
using workload::Phase;
using workload::Workload;

namespace {

// Score weights (docs/scoring.md): cost for the work dominates; memory headroom and slack against
// the targets break near-ties; rule adjustments add or subtract directly.
constexpr double k_weight_headroom = 0.05;
constexpr double k_weight_slack = 0.05;

std::string money(double usd) { return usd >= 100 ? fmt::format("${:.0f}", usd) : fmt::format("${:.3g}", usd); }

bool realtime(const Workload& w) { return w.phase == Phase::inference && w.mode == Mode::realtime; }

// The price one instance costs under a service; empty when the catalog does not know it.
std::optional<double> service_price(const catalog::Service& s, const catalog::Instance& i, std::string& how) {
  if (s.pricing_model == "vm") {
    how = "instance price";
    return i.price_usd_per_hour;
  }
  for (const auto& p : s.instance_prices) {
    if (p.instance == i.id) {
      how = fmt::format("{} price for {}", s.name, i.name);
      return p.price_usd_per_hour;
    }
  }
  if (s.markup_over_vm && i.price_usd_per_hour) {
    how = fmt::format("instance price x {:.2f} ({} markup)", *s.markup_over_vm, s.name);
    return *i.price_usd_per_hour * *s.markup_over_vm;
  }
  how = fmt::format("{} publishes no price for {} in the catalog", s.name, i.name);
  return std::nullopt;
}

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

// Reprices an estimate for a per-instance price and a fixed fee per hour.
void reprice(sizing::Estimate& e, std::optional<double> per_instance, double fee_per_hour, const Workload& w) {
  e.price_usd_per_hour.reset();
  e.cost_usd.reset();
  e.cost_usd_per_1m_tokens.reset();
  e.cost_usd_per_1k_requests.reset();
  if (!per_instance) return;
  e.price_usd_per_hour = *per_instance * e.count + fee_per_hour;
  if (e.time_hours) e.cost_usd = *e.price_usd_per_hour * sizing::billed_hours(*e.time_hours);
  if (e.throughput && *e.throughput > 0) {
    const bool llm = e.throughput_unit == "output tokens/s";
    const double out = w.output_tokens.value_or(1);
    double rps = llm ? *e.throughput / out : *e.throughput;
    if (realtime(w) && w.qps) rps = std::min(rps, *w.qps);
    const double per_request = *e.price_usd_per_hour / 3600 / rps;
    e.cost_usd_per_1k_requests = per_request * 1000;
    if (llm) e.cost_usd_per_1m_tokens = per_request / out * 1e6;
  }
}

struct Context {
  const Workload& w;
  const sizing::Requirements& req;
  const catalog::Catalog& c;
  Facts workload_facts;
};

Facts workload_facts(const Workload& w, const sizing::Requirements& req) {
  Facts wf;
  wf.set("workload.family", w.family);
  wf.set("workload.sizing", std::string(catalog::to_string(w.sizing)));
  if (w.model) wf.set("workload.model", *w.model);
  wf.set("workload.phase", std::string(workload::to_string(w.phase)));
  if (w.phase == Phase::fine_tuning) wf.set("workload.method", std::string(workload::to_string(w.method)));
  if (w.phase == Phase::inference) wf.set("workload.mode", std::string(workload::to_string(w.mode)));
  if (w.params) wf.set("workload.params", *w.params);
  wf.set("workload.precision", std::string(catalog::to_string(w.precision)));
  wf.set("workload.optimizations", w.optimizations);
  wf.set("workload.priorities", w.priorities);
  wf.set("workload.ops_maturity", w.ops_maturity);
  wf.set("workload.traffic", w.traffic);
  if (w.qps) wf.set("workload.qps", *w.qps);
  wf.set("workload.framework", w.framework);
  if (w.dataset_samples) wf.set("workload.dataset_samples", *w.dataset_samples);
  wf.set("workload.memory_gib", req.memory.total_gib());
  return wf;
}

// Whether some CPU instance in the allowed clouds fits the workload and meets its latency target.
bool cpu_feasible(const sizing::Estimate& e, const Workload& w) {
  if (e.compute != ComputeKind::cpu || !e.fits) return false;
  if (w.latency_ms && e.latency_ms && *e.latency_ms > *w.latency_ms) return false;
  if (w.ttft_ms && e.ttft_ms && *e.ttft_ms > *w.ttft_ms) return false;
  return !(w.tpot_ms && e.tpot_ms && *e.tpot_ms > *w.tpot_ms);
}

Facts candidate_facts(const Context& ctx, const Candidate& cand, const catalog::Instance& i, const catalog::Service* s,
                      std::vector<std::string>& limit_reasons) {
  Facts f = ctx.workload_facts;
  const auto& e = cand.estimate;
  const Workload& w = ctx.w;
  f.set("candidate.compute", std::string(catalog::to_string(e.compute)));
  f.set("candidate.cloud", std::string(catalog::to_string(i.cloud)));
  f.set("candidate.instance", i.id);
  if (i.accelerator) f.set("candidate.accelerator", *i.accelerator);
  f.set("candidate.has_accelerator", i.accelerator.has_value());
  f.set("candidate.accelerators_per_instance", static_cast<double>(i.accelerator_count));
  f.set("candidate.service", cand.service);
  f.set("candidate.service_kind", cand.service_kind);
  f.set("candidate.management", std::string(cand.managed ? "managed" : "self-managed"));
  f.set("candidate.count", static_cast<double>(e.count));
  if (e.price_usd_per_hour) f.set("candidate.price_usd_per_hour", *e.price_usd_per_hour);
  if (e.latency_ms) f.set("candidate.latency_ms", *e.latency_ms);
  // A candidate whose speed cannot be estimated is reported by performance-unknown, not as a misfit.
  f.set("candidate.performance_known", e.performance_known);
  f.set("candidate.fits", e.fits || !e.performance_known);
  // Targets are judged only where the model fits; fit-memory reports the rest.
  bool meets = true;
  if (e.fits && w.phase == Phase::inference) {
    if (w.latency_ms && e.latency_ms && *e.latency_ms > *w.latency_ms) meets = false;
    if (w.ttft_ms && e.ttft_ms && *e.ttft_ms > *w.ttft_ms) meets = false;
    if (w.tpot_ms && e.tpot_ms && *e.tpot_ms > *w.tpot_ms) meets = false;
    if (realtime(w) && w.qps && e.throughput) {
      const double rps = e.throughput_unit == "output tokens/s" ? *e.throughput / w.output_tokens.value_or(1) : *e.throughput;
      if (rps + 1e-9 < *w.qps) meets = false;
    }
  }
  f.set("candidate.meets_targets", meets);
  f.set("candidate.meets_deadline", !(w.deadline_hours && e.time_hours && *e.time_hours > *w.deadline_hours));
  f.set("candidate.within_hourly_budget",
        !(w.budget_usd_per_hour && e.price_usd_per_hour && *e.price_usd_per_hour > *w.budget_usd_per_hour));
  f.set("candidate.within_total_budget", !(w.budget_usd && e.cost_usd && *e.cost_usd > *w.budget_usd));
  f.set("candidate.price_known", e.price_usd_per_hour.has_value());
  const catalog::Hardware* h = i.accelerator ? ctx.c.hardware_by_id(*i.accelerator) : nullptr;
  bool framework_ok = true, family_ok = true;
  if (h && e.compute != ComputeKind::cpu) {
    framework_ok = std::find(h->frameworks.begin(), h->frameworks.end(), w.framework) != h->frameworks.end();
    family_ok = h->supported_families.empty() ||
                std::find(h->supported_families.begin(), h->supported_families.end(), w.family) != h->supported_families.end();
  }
  f.set("candidate.framework_supported", framework_ok);
  f.set("candidate.family_supported", family_ok);
  bool within = true;
  if (s) {
    auto limit = [&](const char* key) -> std::optional<double> {
      auto it = s->limits.find(key);
      return it == s->limits.end() ? std::nullopt : std::optional<double>(it->second);
    };
    if (auto timeout = limit("max_request_timeout_s"); timeout && e.latency_ms && *e.latency_ms > *timeout * 1000) {
      within = false;
      limit_reasons.push_back(fmt::format("a request takes {:.0f} s; {} times out after {:.0f} s", *e.latency_ms / 1000, s->name, *timeout));
    }
    if (auto rps = limit("max_requests_per_second"); rps && w.qps && *w.qps > *rps) {
      within = false;
      limit_reasons.push_back(fmt::format("{} requests/s exceed {}'s {:.0f} per endpoint", *w.qps, s->name, *rps));
    }
  }
  f.set("candidate.within_service_limits", within);
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
    return fmt::format("{} x {}: takes {:.3g} h > deadline {:.3g} h", e.count, who, e.time_hours.value_or(0), w.deadline_hours.value_or(0));
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
  if (r.id == "accelerator-family" && i.accelerator) {
    return fmt::format("{}: the {} compiler is not listed as supporting family {}", who, *i.accelerator, w.family);
  }
  if (r.id == "service-limits" && !limit_reasons.empty()) return fmt::format("{}: {}", who, util::join(limit_reasons, "; "));
  if (r.id == "price-unknown") {
    return e.unknowns.empty() ? fmt::format("{}: no price in the catalog", who) : fmt::format("{}: {}", who, util::join(e.unknowns, "; "));
  }
  return fmt::format("{}: {}", who, r.description);
}

// Applies every rule to a candidate's facts: exclusions record their reason with numbers, score
// rules their adjustment. `reason` words an exclusion.
void fire_rules(const std::vector<rules::Rule>& rules, const Facts& facts, Candidate& cand, std::map<std::string, FiredRule>& fired,
                const std::function<std::string(const rules::Rule&)>& reason) {
  for (const auto& r : rules) {
    if (!rules::evaluate(r.condition, facts)) continue;
    auto& f = fired[r.id];
    if (f.id.empty()) {
      // The inputs are recorded once per rule, for the trace; evaluating again is cheaper than
      // recording them for every candidate.
      f.id = r.id;
      f.description = r.description;
      f.rationale = r.rationale;
      f.effect = r.exclude ? "exclude" : fmt::format("score {:+g}", r.score);
      rules::evaluate(r.condition, facts, &f.inputs);
    }
    ++f.candidates;
    if (r.exclude) {
      cand.exclusions.push_back(r.id + ": " + reason(r));
    } else {
      cand.rules_fired.push_back(r.id);
      cand.components["rule:" + r.id] = r.score;
    }
  }
}

void apply_rules(const Context& ctx, const std::vector<rules::Rule>& rules, Candidate& cand, const catalog::Instance& i,
                 const catalog::Service* s, std::map<std::string, FiredRule>& fired) {
  std::vector<std::string> limit_reasons;
  const Facts facts = candidate_facts(ctx, cand, i, s, limit_reasons);
  fire_rules(rules, facts, cand, fired, [&](const rules::Rule& r) { return exclusion_reason(r, ctx, cand, i, limit_reasons); });
}

// Serverless inference: priced per GB-second of memory while requests run. AWS does not publish
// the vCPUs a serverless endpoint gets, so latency is estimated on the smallest general-purpose
// CPU instance with that memory, and the note says so.
std::optional<Candidate> serverless_candidate(const Context& ctx, const catalog::Service& s, const std::vector<rules::Rule>& rules,
                                              std::map<std::string, FiredRule>& fired) {
  if (!realtime(ctx.w) || !s.usd_per_gb_second) return std::nullopt;
  const double max_gib = s.limits.count("max_memory_gib") ? s.limits.at("max_memory_gib") : 6;
  const double need_gib = std::ceil(ctx.req.memory.total_gib() + 1);
  const catalog::Instance* proxy = nullptr;
  for (const auto& i : ctx.c.instances) {
    if (i.cloud != s.cloud || i.accelerator || !i.price_usd_per_hour || i.memory_gib < std::min(need_gib, max_gib)) continue;
    if (!proxy || std::tie(i.vcpus, *i.price_usd_per_hour, i.id) < std::tie(proxy->vcpus, *proxy->price_usd_per_hour, proxy->id)) {
      proxy = &i;
    }
  }
  if (!proxy) return std::nullopt;
  Candidate cand;
  cand.instance = "serverless";
  cand.service = s.id;
  cand.service_kind = s.kind;
  cand.managed = true;
  cand.id = "serverless@" + s.id;
  // Serverless scales out per request: size the stand-in fleet to the load, then bill by duration.
  cand.estimate = sizing::estimate(ctx.w, ctx.req, ctx.c, *proxy);
  auto& e = cand.estimate;
  e.instance = "serverless";
  e.count = 1;
  e.notes.push_back(fmt::format("latency estimated on {} as a stand-in for {} compute (its vCPU allocation is not published)",
                                proxy->name, s.name));
  bool within = need_gib <= max_gib;
  std::vector<std::string> reasons;
  if (!within) reasons.push_back(fmt::format("needs {:.0f} GB of memory; {} allows {:.0f} GB", need_gib, s.name, max_gib));
  if (e.latency_ms && s.limits.count("max_request_timeout_s") && *e.latency_ms > s.limits.at("max_request_timeout_s") * 1000) {
    within = false;
    reasons.push_back(fmt::format("a request takes {:.0f} s; {} times out after {:.0f} s", *e.latency_ms / 1000, s.name,
                                  s.limits.at("max_request_timeout_s")));
  }
  if (e.latency_ms) {
    const double gb = std::min(need_gib, max_gib);
    e.price_usd_per_hour = ctx.w.qps.value_or(1) * 3600 * (*e.latency_ms / 1000) * gb * *s.usd_per_gb_second;
    e.cost_usd_per_1k_requests = (*e.latency_ms / 1000) * gb * *s.usd_per_gb_second * 1000;
    e.notes.push_back(fmt::format("{:.0f} GB x {:.3g} s per request x ${:g} per GB-second", gb, *e.latency_ms / 1000, *s.usd_per_gb_second));
  }
  std::vector<std::string> limit_reasons = reasons;
  Facts facts = candidate_facts(ctx, cand, *proxy, nullptr, limit_reasons);
  facts.set("candidate.instance", std::string("serverless"));
  facts.set("candidate.has_accelerator", false);
  facts.set("candidate.within_service_limits", within);
  fire_rules(rules, facts, cand, fired, [&](const rules::Rule& r) {
    return r.id == "service-limits" ? fmt::format("serverless on {}: {}", s.id, util::join(reasons, "; "))
                                    : exclusion_reason(r, ctx, cand, *proxy, reasons);
  });
  return cand;
}

double cost_for_work(const Workload& w, const sizing::Estimate& e) {
  if ((w.trains() || w.mode == Mode::batch) && e.cost_usd) return *e.cost_usd;
  return e.price_usd_per_hour.value_or(0);
}

}  // namespace

struct Evaluator::Impl {
  Context ctx;
  std::vector<rules::Rule> rules;
  std::map<std::string, FiredRule> fired;
};

Evaluator::Evaluator(const Workload& w, const sizing::Requirements& req, const catalog::Catalog& c)
    : m_impl(new Impl{Context{w, req, c, workload_facts(w, req)}, rules::compile(c.rules), {}}) {
  bool any_cpu = false;
  for (const auto& i : c.instances) {
    if (any_cpu) break;
    if (i.accelerator || std::find(w.clouds.begin(), w.clouds.end(), i.cloud) == w.clouds.end()) continue;
    any_cpu = cpu_feasible(sizing::estimate(w, req, c, i), w);
  }
  m_impl->ctx.workload_facts.set("workload.needs_accelerator", !any_cpu);
}

Evaluator::~Evaluator() { delete m_impl; }

const std::map<std::string, FiredRule>& Evaluator::fired() const { return m_impl->fired; }

Candidate Evaluator::evaluate(const catalog::Instance& i, const catalog::Service& s, const sizing::Estimate& base) {
  const Workload& w = m_impl->ctx.w;
  Candidate cand;
  cand.instance = i.id;
  cand.service = s.id;
  cand.service_kind = s.kind;
  cand.managed = s.managed;
  cand.id = i.id + "@" + s.id;
  cand.estimate = base;
  std::string how;
  const auto per_instance = service_price(s, i, how);
  reprice(cand.estimate, per_instance, s.cluster_usd_per_hour.value_or(0), w);
  if (!per_instance) cand.estimate.unknowns.push_back(how);
  else cand.estimate.notes.push_back("priced at " + how);
  apply_rules(m_impl->ctx, m_impl->rules, cand, i, &s, m_impl->fired);
  if (!cand.excluded()) cand.cost_for_work = cost_for_work(w, cand.estimate);
  return cand;
}

Candidate Evaluator::evaluate(const catalog::Instance& i, const catalog::Service& s, int count) {
  sizing::EstimateOptions o;
  o.count = count;
  return evaluate(i, s, sizing::estimate(m_impl->ctx.w, m_impl->ctx.req, m_impl->ctx.c, i, o));
}

std::optional<Candidate> Evaluator::serverless(const catalog::Service& s) {
  return serverless_candidate(m_impl->ctx, s, m_impl->rules, m_impl->fired);
}

bool service_applies(const catalog::Service& s, const Workload& w, ComputeKind kind) { return service_serves(s, w, kind); }

Decision recommend(const Workload& w, const sizing::Requirements& req, const catalog::Catalog& c, const Options& options) {
  Decision d;
  std::set<catalog::Cloud> region_missing;
  if (w.region) {
    for (const auto& cloud : w.clouds) {
      bool any = false;
      for (const auto& i : c.instances) any = any || (i.cloud == cloud && i.region == *w.region);
      if (!any) region_missing.insert(cloud);
    }
    for (auto cloud : region_missing) {
      d.warnings.push_back(fmt::format("the catalog has no {} prices for region {}; using its reference region", catalog::to_string(cloud),
                                       *w.region));
    }
  }
  Evaluator evaluator(w, req, c);
  std::vector<Candidate> all;
  for (const auto& i : c.instances) {
    if (std::find(w.clouds.begin(), w.clouds.end(), i.cloud) == w.clouds.end()) continue;
    const sizing::Estimate base = sizing::estimate(w, req, c, i);
    for (const auto& s : c.services) {
      if (s.cloud != i.cloud || !service_serves(s, w, base.compute)) continue;
      all.push_back(evaluator.evaluate(i, s, base));
    }
  }
  for (const auto& s : c.services) {
    if (s.kind != "serverless-inference" || std::find(w.clouds.begin(), w.clouds.end(), s.cloud) == w.clouds.end()) continue;
    if (auto cand = evaluator.serverless(s)) all.push_back(std::move(*cand));
  }
  const std::map<std::string, FiredRule>& fired = evaluator.fired();
  d.candidates_considered = all.size();

  // Score the feasible ones.
  double min_cost = 0;
  for (const auto& cand : all) {
    if (cand.excluded()) continue;
    const double cost = cost_for_work(w, cand.estimate);
    if (cost > 0 && (min_cost == 0 || cost < min_cost)) min_cost = cost;
  }
  for (auto& cand : all) {
    if (cand.excluded()) {
      for (const auto& why : cand.exclusions) {
        const std::string rule = why.substr(0, why.find(':'));
        ++d.excluded_by_rule[rule];
        auto& examples = d.excluded_examples[rule];
        if (examples.size() < 3) examples.push_back(why.substr(why.find(':') + 2));
      }
      continue;
    }
    cand.cost_for_work = cost_for_work(w, cand.estimate);
    const double cost_score = cand.cost_for_work > 0 ? min_cost / cand.cost_for_work : 0;
    cand.components["cost"] = cost_score;
    cand.components["headroom"] = k_weight_headroom * std::clamp(cand.estimate.headroom / 0.5, 0.0, 1.0);
    double slack = 0;
    if (w.latency_ms && cand.estimate.latency_ms) slack = std::clamp(1 - *cand.estimate.latency_ms / *w.latency_ms, 0.0, 1.0);
    if (w.deadline_hours && cand.estimate.time_hours) slack = std::clamp(1 - *cand.estimate.time_hours / *w.deadline_hours, 0.0, 1.0);
    cand.components["target_slack"] = k_weight_slack * slack;
    cand.score = 0;
    for (const auto& [name, value] : cand.components) cand.score += value;
  }
  for (auto& cand : all) {
    if (!cand.excluded()) d.ranked.push_back(cand);
  }
  std::sort(d.ranked.begin(), d.ranked.end(), [](const Candidate& a, const Candidate& b) {
    if (a.score != b.score) return a.score > b.score;
    return a.id < b.id;
  });

  for (auto& [id, f] : fired) d.rules_fired.push_back(f);
  if (d.ranked.empty()) {
    // The nearest misses: excluded only by targets, deadline or budget, cheapest first.
    static const std::set<std::string> soft{"latency-targets", "deadline", "budget-hourly", "budget-total"};
    for (const auto& cand : all) {
      const bool only_soft = std::all_of(cand.exclusions.begin(), cand.exclusions.end(), [](const std::string& why) {
        return soft.count(why.substr(0, why.find(':'))) > 0;
      });
      if (only_soft && cand.estimate.price_usd_per_hour) d.nearest.push_back(cand);
    }
    std::sort(d.nearest.begin(), d.nearest.end(), [&](const Candidate& a, const Candidate& b) {
      const double ca = cost_for_work(w, a.estimate), cb = cost_for_work(w, b.estimate);
      return ca != cb ? ca < cb : a.id < b.id;
    });
    if (d.nearest.size() > 3) d.nearest.resize(3);
    d.compute_reasons.push_back(fmt::format("no feasible option among {} candidates", d.candidates_considered));
    return d;
  }

  const Candidate& pick = d.ranked.front();
  for (auto& f : d.rules_fired) {
    f.for_pick = std::find(pick.rules_fired.begin(), pick.rules_fired.end(), f.id) != pick.rules_fired.end();
  }

  // Compute kind: follows from the best feasible options, with the comparison that decided it.
  d.compute_choice = std::string(catalog::to_string(pick.estimate.compute));
  const catalog::Instance* pi = c.instance(pick.instance);
  const std::string basis = (w.trains() || w.mode == Mode::batch) ? "for the run" : "per hour";
  d.compute_reasons.push_back(fmt::format("best option: {} x {} ({}) at {} {}", pick.estimate.count, pi ? pi->name : pick.instance,
                                          d.compute_choice, money(pick.cost_for_work), basis));
  for (const auto& kind : catalog::compute_kind_names()) {
    if (kind == d.compute_choice) continue;
    auto best = std::find_if(d.ranked.begin(), d.ranked.end(),
                             [&](const Candidate& x) { return catalog::to_string(x.estimate.compute) == kind; });
    if (best != d.ranked.end()) {
      const catalog::Instance* bi = c.instance(best->instance);
      d.compute_reasons.push_back(fmt::format("best {} option: {} x {} at {} {} ({:.2g}x the cost)", kind, best->estimate.count,
                                              bi ? bi->name : best->instance, money(best->cost_for_work), basis,
                                              best->cost_for_work / std::max(pick.cost_for_work, 1e-12)));
    }
  }
  const bool any_cpu = std::any_of(d.ranked.begin(), d.ranked.end(), [](const Candidate& x) { return x.estimate.compute == ComputeKind::cpu; });
  if (!any_cpu && d.compute_choice != "cpu") {
    std::string why = "no CPU option is feasible";
    for (const char* rule : {"compute-llm-training-accelerator", "fit-memory", "latency-targets", "deadline"}) {
      for (const auto& cand : all) {
        if (cand.estimate.compute != ComputeKind::cpu) continue;
        auto it = std::find_if(cand.exclusions.begin(), cand.exclusions.end(),
                               [&](const std::string& x) { return x.rfind(rule, 0) == 0; });
        if (it != cand.exclusions.end()) {
          why += " (for example " + *it + ")";
          break;
        }
      }
      if (why.size() > 30) break;
    }
    d.compute_reasons.push_back(why);
  }
  if (const catalog::Family* f = c.family(w.family)) {
    const std::string& guidance = w.trains() ? f->training_guidance : f->inference_guidance;
    if (!guidance.empty()) d.compute_reasons.push_back(fmt::format("guidance for {} {}: {}", f->id, workload::to_string(w.phase), guidance));
  }
  for (const auto& id : pick.rules_fired) {
    if (id.rfind("compute-", 0) == 0) {
      auto f = std::find_if(d.rules_fired.begin(), d.rules_fired.end(), [&](const FiredRule& x) { return x.id == id; });
      if (f != d.rules_fired.end()) d.compute_reasons.push_back(fmt::format("rule {} ({}): {}", id, f->effect, f->rationale));
    }
  }

  // Managed or self-managed: the service of the best candidate, with the rules and prices behind it.
  d.deployment_choice = pick.managed ? "managed" : "self-managed";
  d.deployment_service = pick.service;
  auto best_of = [&](bool managed) {
    return std::find_if(d.ranked.begin(), d.ranked.end(), [&](const Candidate& x) { return x.managed == managed; });
  };
  const auto best_managed = best_of(true), best_self = best_of(false);
  if (best_managed != d.ranked.end() && best_self != d.ranked.end()) {
    auto name = [&](const Candidate& x) {
      const catalog::Instance* i = c.instance(x.instance);
      return fmt::format("{} x {}", x.estimate.count, i ? i->name : x.instance);
    };
    d.deployment_reasons.push_back(fmt::format("best managed: {} on {} at {} {}; best self-managed: {} on {} at {} {}",
                                               name(*best_managed), best_managed->service, money(best_managed->cost_for_work), basis,
                                               name(*best_self), best_self->service, money(best_self->cost_for_work), basis));
  } else {
    d.deployment_reasons.push_back(best_managed == d.ranked.end() ? "no managed option is feasible" : "no self-managed option is feasible");
  }
  for (const auto& id : pick.rules_fired) {
    if (id.rfind("deploy-", 0) == 0) {
      auto f = std::find_if(d.rules_fired.begin(), d.rules_fired.end(), [&](const FiredRule& x) { return x.id == id; });
      if (f != d.rules_fired.end()) d.deployment_reasons.push_back(fmt::format("rule {} ({}): {}", id, f->effect, f->rationale));
    }
  }
  if (const catalog::Service* s = c.service(pick.service); s && !s->takes_off_the_team.empty()) {
    d.deployment_reasons.push_back(fmt::format("{} takes off the team: {}", s->name, util::join(s->takes_off_the_team, "; ")));
  }

  // Alternatives: the best per cloud and per compute kind, then the next by rank.
  std::set<std::string> seen{pick.id};
  auto add = [&](const Candidate& x) {
    if (seen.insert(x.id).second) d.alternatives.push_back(x);
  };
  for (const auto& cloud : catalog::cloud_names()) {
    auto it = std::find_if(d.ranked.begin(), d.ranked.end(), [&](const Candidate& x) {
      const auto* i = c.instance(x.instance);
      return i ? catalog::to_string(i->cloud) == cloud : x.service.rfind(cloud == "aws" ? "sagemaker" : cloud, 0) == 0;
    });
    if (it != d.ranked.end()) add(*it);
  }
  for (const auto& kind : catalog::compute_kind_names()) {
    auto it = std::find_if(d.ranked.begin(), d.ranked.end(), [&](const Candidate& x) { return catalog::to_string(x.estimate.compute) == kind; });
    if (it != d.ranked.end()) add(*it);
  }
  for (const auto& x : d.ranked) {
    if (static_cast<int>(d.alternatives.size()) >= options.top) break;
    add(x);
  }
  std::sort(d.alternatives.begin(), d.alternatives.end(), [](const Candidate& a, const Candidate& b) {
    return a.score != b.score ? a.score > b.score : a.id < b.id;
  });

  // A per-token API against hosting the model, where the catalog prices one.
  if (w.phase == Phase::inference && w.is_llm() && w.model && pick.estimate.price_usd_per_hour) {
    for (const auto& s : c.services) {
      if (s.kind != "model-api" || std::find(w.clouds.begin(), w.clouds.end(), s.cloud) == w.clouds.end()) continue;
      for (const auto& t : s.token_prices) {
        if (t.model != *w.model) continue;
        ApiComparison a;
        a.service = s.id;
        a.model = t.model;
        a.input_usd_per_1m_tokens = t.input_usd_per_1m_tokens;
        a.output_usd_per_1m_tokens = t.output_usd_per_1m_tokens;
        a.source = t.provenance.source;
        a.as_of = t.provenance.as_of;
        const double in = w.input_tokens.value_or(512), out = w.output_tokens.value_or(256);
        const double rps = w.mode == Mode::realtime ? w.qps.value_or(1) : 0;
        const double per_request = (in * t.input_usd_per_1m_tokens + out * t.output_usd_per_1m_tokens) / 1e6;
        a.api_usd_per_hour = rps * 3600 * per_request;
        a.self_host_usd_per_hour = *pick.estimate.price_usd_per_hour;
        a.tokens_per_day_at_load = rps * 86400 * (in + out);
        const double per_token = per_request / (in + out);
        if (per_token > 0) a.break_even_tokens_per_day = a.self_host_usd_per_hour * 24 / per_token;
        a.cheaper = a.api_usd_per_hour < a.self_host_usd_per_hour ? "api" : "self-host";
        d.api.push_back(a);
      }
    }
  }
  return d;
}

}  // namespace aiadvise::scoring
