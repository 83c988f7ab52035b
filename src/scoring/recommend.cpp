#include "aiadvise/scoring/recommend.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <array>
#include <cmath>
#include <cstdint>
#include <cstring>
#include <functional>
#include <list>
#include <set>
#include <stdexcept>
#include <string_view>
#include <unordered_map>

#include "aiadvise/catalog/offers.hpp"
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

// The fact slots the engine sets, looked up by name once.
struct SlotIds {
  int family, sizing, model, phase, method, mode, params, precision, optimizations, priorities, ops_maturity, traffic, qps,
      framework, dataset_samples, memory_gib, needs_accelerator;
  int compute, cloud, instance, accelerator, has_accelerator, accelerators_per_instance, service, service_kind, management, count,
      price, latency, performance_known, fits, meets_targets, meets_deadline, within_hourly_budget, within_total_budget,
      price_known, framework_supported, family_supported, within_service_limits;
};

const SlotIds& slot_ids() {
  static const SlotIds ids = [] {
    auto w = [](const char* name) { return rules::field_slot(std::string("workload.") + name); };
    auto c = [](const char* name) { return rules::field_slot(std::string("candidate.") + name); };
    return SlotIds{w("family"), w("sizing"), w("model"), w("phase"), w("method"), w("mode"), w("params"), w("precision"),
                   w("optimizations"), w("priorities"), w("ops_maturity"), w("traffic"), w("qps"), w("framework"),
                   w("dataset_samples"), w("memory_gib"), w("needs_accelerator"),
                   c("compute"), c("cloud"), c("instance"), c("accelerator"), c("has_accelerator"), c("accelerators_per_instance"),
                   c("service"), c("service_kind"), c("management"), c("count"), c("price_usd_per_hour"), c("latency_ms"),
                   c("performance_known"), c("fits"), c("meets_targets"), c("meets_deadline"), c("within_hourly_budget"),
                   c("within_total_budget"), c("price_known"), c("framework_supported"), c("family_supported"),
                   c("within_service_limits")};
  }();
  return ids;
}

// Whether a service's listed price for an instance applies in `region`: a price without a region
// is for the instance's home region (where the catalog prices it by default).
bool listed_for(const catalog::InstancePrice& p, const catalog::Instance& i, std::string_view region) {
  return p.region.empty() ? region == i.region : region == p.region;
}

// The price one instance costs under a service, at the offer chosen for the workload (`offer`);
// empty when the catalog does not know it. `spot` says whether it is a spot price: only services
// priced as the VMs themselves sell spot capacity here; managed services are priced on demand.
std::optional<double> service_price(const catalog::Service& s, const catalog::Instance& i, const catalog::Choice& offer,
                                    std::string& how, bool& spot) {
  spot = false;
  if (s.pricing_model == "vm") {
    spot = offer.spot;
    // No price: sizing has said so in the estimate's unknowns already.
    how = offer.price_usd_per_hour ? fmt::format("{} price in {}", offer.spot ? "spot" : "instance", offer.region) : std::string();
    return offer.price_usd_per_hour;
  }
  for (const auto& p : s.instance_prices) {
    if (p.instance == i.id && listed_for(p, i, offer.region)) {
      how = fmt::format("{} price for {} in {}", s.name, i.name, offer.region);
      return p.price_usd_per_hour;
    }
  }
  if (s.markup_over_vm && offer.on_demand_usd_per_hour) {
    how = fmt::format("on-demand instance price in {} x {:.2f} ({} markup)", offer.region, *s.markup_over_vm, s.name);
    return *offer.on_demand_usd_per_hour * *s.markup_over_vm;
  }
  how = fmt::format("{} publishes no price for {} in {} in the catalog", s.name, i.name, offer.region);
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

double cost_for_work(const Workload& w, const std::optional<double>& cost_usd, const std::optional<double>& price_usd_per_hour) {
  if ((w.trains() || w.mode == Mode::batch) && cost_usd) return *cost_usd;
  return price_usd_per_hour.value_or(0);
}

double cost_for_work(const Workload& w, const sizing::Estimate& e) { return cost_for_work(w, e.cost_usd, e.price_usd_per_hour); }

// What is worked out once per catalog: the compiled rules and the words they compare, and per
// instance and service the lookups and compact facts that do not depend on the workload.
struct Prepared {
  struct InstanceInfo {
    const catalog::Hardware* accelerator = nullptr;
    const catalog::Hardware* cpu = nullptr;
    rules::Fact id, accelerator_id;
    std::uint32_t shape = 0;  ///< instances of one shape have one estimate (sizing::Shape)
  };
  struct ServiceInfo {
    rules::Fact id, kind, management;
    bool vm_pricing = false;
    /// instance id -> its listed prices, in catalog order (the first that applies wins, as in service_price)
    std::unordered_map<std::string_view, std::vector<const catalog::InstancePrice*>> listed;
    std::optional<double> timeout_s, max_requests_per_second;
  };

  explicit Prepared(const catalog::Catalog& c) : rules(rules::compile(c.rules)), symbols(rules) {
    for (const auto& r : rules) {
      effects.push_back(r.exclude ? "exclude" : fmt::format("score {:+g}", r.score));
      // How recommend() groups an exclusion: its text up to the first ':' ("id: reason").
      groups.push_back(r.id.substr(0, r.id.find(':')));
    }
    auto word = [&](std::string_view text) { return rules::Fact::of_word(symbols.find(text)); };
    for (const auto& name : catalog::compute_kind_names()) compute.push_back(word(name));
    for (const auto& name : catalog::cloud_names()) cloud.push_back(word(name));
    struct ShapeHash {
      std::size_t operator()(const sizing::Shape& s) const {
        std::size_t h = std::hash<const void*>{}(s.accelerator) * 31 + std::hash<const void*>{}(s.cpu);
        h = h * 31 + std::hash<int>{}(s.accelerator_count);
        h = h * 31 + std::hash<double>{}(s.vcpus);
        h = h * 31 + std::hash<double>{}(s.memory_gib);
        return h * 4 + (s.priced ? 2 : 0) + (s.spot_priced ? 1 : 0);
      }
    };
    std::unordered_map<sizing::Shape, std::uint32_t, ShapeHash> numbers;
    instances.reserve(c.instances.size());
    for (const auto& i : c.instances) {
      InstanceInfo info;
      info.accelerator = i.accelerator ? c.hardware_by_id(*i.accelerator) : nullptr;
      info.cpu = i.cpu ? c.hardware_by_id(*i.cpu) : nullptr;
      info.id = word(i.id);
      if (i.accelerator) info.accelerator_id = word(*i.accelerator);
      info.shape = numbers.emplace(sizing::shape_of(i, info.accelerator, info.cpu), static_cast<std::uint32_t>(numbers.size())).first->second;
      instances.push_back(info);
    }
    shape_count = numbers.size();
    for (std::size_t k = 0; k < c.services.size(); ++k) {
      const auto& s = c.services[k];
      ServiceInfo info;
      info.id = word(s.id);
      info.kind = word(s.kind);
      info.management = word(s.managed ? "managed" : "self-managed");
      info.vm_pricing = s.pricing_model == "vm";
      for (const auto& p : s.instance_prices) info.listed[p.instance].push_back(&p);
      if (auto it = s.limits.find("max_request_timeout_s"); it != s.limits.end()) info.timeout_s = it->second;
      if (auto it = s.limits.find("max_requests_per_second"); it != s.limits.end()) info.max_requests_per_second = it->second;
      services.push_back(std::move(info));
      by_cloud[static_cast<std::size_t>(s.cloud)].push_back(k);
    }
  }

  // service_price() without the words.
  std::optional<double> price(std::size_t service, const catalog::Service& s, const catalog::Instance& i,
                              const catalog::Choice& offer) const {
    const ServiceInfo& info = services[service];
    if (info.vm_pricing) return offer.price_usd_per_hour;
    if (!info.listed.empty()) {
      if (auto it = info.listed.find(i.id); it != info.listed.end()) {
        for (const catalog::InstancePrice* p : it->second) {
          if (listed_for(*p, i, offer.region)) return p->price_usd_per_hour;
        }
      }
    }
    if (s.markup_over_vm && offer.on_demand_usd_per_hour) return *offer.on_demand_usd_per_hour * *s.markup_over_vm;
    return std::nullopt;
  }

  std::vector<rules::Rule> rules;  ///< sorted by id
  rules::Symbols symbols;
  std::vector<std::string> effects, groups;  ///< per rule
  std::vector<rules::Fact> compute, cloud;   ///< by enum value
  std::vector<InstanceInfo> instances;       ///< as catalog.instances
  std::size_t shape_count = 0;
  std::vector<ServiceInfo> services;         ///< as catalog.services
  std::array<std::vector<std::size_t>, 3> by_cloud;  ///< service indices per cloud, in catalog order
};

// One workload against one catalog: what every candidate shares. Owns copies of the workload and
// requirements, so that a decision can build its candidates after the caller's copies are gone.
struct Context {
  Workload w;
  sizing::Requirements req;
  const catalog::Catalog& c;
  std::shared_ptr<const Prepared> prep;
  Facts workload_facts;
  /// Per instance (as catalog.instances): the offer the workload's region and spot settings choose.
  std::vector<catalog::Choice> offers;
};

std::vector<catalog::Choice> choose_offers(const Workload& w, const catalog::Catalog& c) {
  std::vector<catalog::Choice> out;
  out.reserve(c.instances.size());
  const catalog::RegionChoice regions(w.region);
  for (const auto& i : c.instances) out.push_back(catalog::choose_offer(i, regions, w.spot));
  return out;
}

// The offer chosen for an instance of the context's catalog (or, for one from elsewhere, chosen now).
catalog::Choice offer_of(const Context& ctx, const catalog::Instance& i) {
  const auto& all = ctx.c.instances;
  if (!all.empty() && &i >= all.data() && &i < all.data() + all.size()) {
    return ctx.offers[static_cast<std::size_t>(&i - all.data())];
  }
  return catalog::choose_offer(i, catalog::RegionChoice(ctx.w.region), ctx.w.spot);
}

Facts workload_facts(const Workload& w, const sizing::Requirements& req) {
  const SlotIds& k = slot_ids();
  Facts wf;
  wf.set(k.family, w.family);
  wf.set(k.sizing, std::string(catalog::to_string(w.sizing)));
  if (w.model) wf.set(k.model, *w.model);
  wf.set(k.phase, std::string(workload::to_string(w.phase)));
  if (w.phase == Phase::fine_tuning) wf.set(k.method, std::string(workload::to_string(w.method)));
  if (w.phase == Phase::inference) wf.set(k.mode, std::string(workload::to_string(w.mode)));
  if (w.params) wf.set(k.params, *w.params);
  wf.set(k.precision, std::string(catalog::to_string(w.precision)));
  wf.set(k.optimizations, w.optimizations);
  wf.set(k.priorities, w.priorities);
  wf.set(k.ops_maturity, w.ops_maturity);
  wf.set(k.traffic, w.traffic);
  if (w.qps) wf.set(k.qps, *w.qps);
  wf.set(k.framework, w.framework);
  if (w.dataset_samples) wf.set(k.dataset_samples, *w.dataset_samples);
  wf.set(k.memory_gib, req.memory.total_gib());
  return wf;
}

// Whether some CPU instance in the allowed clouds fits the workload and meets its latency target.
bool cpu_feasible(const sizing::Estimate& e, const Workload& w) {
  if (e.compute != ComputeKind::cpu || !e.fits) return false;
  if (w.latency_ms && e.latency_ms && *e.latency_ms > *w.latency_ms) return false;
  if (w.ttft_ms && e.ttft_ms && *e.ttft_ms > *w.ttft_ms) return false;
  return !(w.tpot_ms && e.tpot_ms && *e.tpot_ms > *w.tpot_ms);
}

bool allowed(const Workload& w, catalog::Cloud cloud) { return std::find(w.clouds.begin(), w.clouds.end(), cloud) != w.clouds.end(); }

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

// Whether the instance's accelerator runs the workload's framework and family (true where unused).
std::pair<bool, bool> accelerator_support(const catalog::Hardware* h, ComputeKind compute, const Workload& w) {
  bool framework_ok = true, family_ok = true;
  if (h && compute != ComputeKind::cpu) {
    framework_ok = std::find(h->frameworks.begin(), h->frameworks.end(), w.framework) != h->frameworks.end();
    family_ok = h->supported_families.empty() ||
                std::find(h->supported_families.begin(), h->supported_families.end(), w.family) != h->supported_families.end();
  }
  return {framework_ok, family_ok};
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
  f.set(k.fits, e.fits || !e.performance_known);
  f.set(k.meets_targets, meets_targets(w, e));
  f.set(k.meets_deadline, !(w.deadline_hours && e.time_hours && *e.time_hours > *w.deadline_hours));
  f.set(k.within_hourly_budget, !(w.budget_usd_per_hour && e.price_usd_per_hour && *e.price_usd_per_hour > *w.budget_usd_per_hour));
  f.set(k.within_total_budget, !(w.budget_usd && e.cost_usd && *e.cost_usd > *w.budget_usd));
  f.set(k.price_known, e.price_usd_per_hour.has_value());
  const auto [framework_ok, family_ok] =
      accelerator_support(i.accelerator ? ctx.c.hardware_by_id(*i.accelerator) : nullptr, e.compute, w);
  f.set(k.framework_supported, framework_ok);
  f.set(k.family_supported, family_ok);
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

// One instance under one service, priced for the service, before the rules.
Candidate priced_candidate(const Context& ctx, const catalog::Instance& i, const catalog::Service& s, const sizing::Estimate& base) {
  Candidate cand;
  cand.instance = i.id;
  cand.service = s.id;
  cand.service_kind = s.kind;
  cand.managed = s.managed;
  cand.id = i.id + "@" + s.id;
  cand.estimate = base;
  std::string how;
  bool spot = false;
  const auto per_instance = service_price(s, i, offer_of(ctx, i), how, spot);
  reprice(cand.estimate, per_instance, s.cluster_usd_per_hour.value_or(0), ctx.w);
  cand.estimate.spot = spot;
  if (!per_instance && !how.empty()) cand.estimate.unknowns.push_back(how);
  else if (per_instance) cand.estimate.notes.push_back("priced at " + how);
  return cand;
}

// One instance under one service, in full (words included), from an estimate made with words for
// that instance: the rules evaluated on its facts, counted in `fired` when given.
Candidate evaluate_full(const Context& ctx, const catalog::Instance& i, const catalog::Service& s, const sizing::Estimate& base,
                        std::map<std::string, FiredRule>* fired) {
  Candidate cand = priced_candidate(ctx, i, s, base);
  std::vector<std::string> limit_reasons;
  const Facts facts = candidate_facts(ctx, cand, i, &s, limit_reasons);
  const auto indices = fire_rules(*ctx.prep, facts, fired);
  apply_rules(*ctx.prep, indices.data(), indices.size(), cand, [&](const rules::Rule& r) { return exclusion_reason(r, ctx, cand, i, limit_reasons); });
  if (!cand.excluded()) cand.cost_for_work = cost_for_work(ctx.w, cand.estimate);
  return cand;
}

// The same, with the rules that fire already known (from the quick evaluation): only the words
// are made.
Candidate assemble(const Context& ctx, const catalog::Instance& i, const catalog::Service& s, const sizing::Estimate& base,
                   const std::uint16_t* fired, std::size_t count) {
  Candidate cand = priced_candidate(ctx, i, s, base);
  std::vector<std::string> limit_reasons;
  within_limits(s, cand.estimate, ctx.w, limit_reasons);
  apply_rules(*ctx.prep, fired, count, cand, [&](const rules::Rule& r) { return exclusion_reason(r, ctx, cand, i, limit_reasons); });
  if (!cand.excluded()) cand.cost_for_work = cost_for_work(ctx.w, cand.estimate);
  return cand;
}

// Serverless inference: priced per GB-second of memory while requests run. AWS does not publish
// the vCPUs a serverless endpoint gets, so latency is estimated on the smallest general-purpose
// CPU instance with that memory, and the note says so.
std::optional<Candidate> serverless_candidate(const Context& ctx, const catalog::Service& s, std::map<std::string, FiredRule>* fired,
                                              std::vector<std::uint16_t>* indices = nullptr, Facts* facts_out = nullptr) {
  if (!realtime(ctx.w) || !s.usd_per_gb_second) return std::nullopt;
  const double max_gib = s.limits.count("max_memory_gib") ? s.limits.at("max_memory_gib") : 6;
  const double need_gib = std::ceil(ctx.req.memory.total_gib() + 1);
  const catalog::Instance* proxy = nullptr;
  for (const auto& i : ctx.c.instances) {
    // A burstable size's sustained CPU is a fraction of its vCPUs: no stand-in for serverless compute.
    if (i.cloud != s.cloud || i.accelerator || i.burstable || !i.price_usd_per_hour || i.memory_gib < std::min(need_gib, max_gib)) continue;
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
  const SlotIds& k = slot_ids();
  Facts facts = candidate_facts(ctx, cand, *proxy, nullptr, limit_reasons);
  facts.set(k.instance, std::string("serverless"));
  facts.set(k.has_accelerator, false);
  facts.set(k.within_service_limits, within);
  const auto fired_here = fire_rules(*ctx.prep, facts, fired);
  apply_rules(*ctx.prep, fired_here.data(), fired_here.size(), cand, [&](const rules::Rule& r) {
    return r.id == "service-limits" ? fmt::format("serverless on {}: {}", s.id, util::join(reasons, "; "))
                                    : exclusion_reason(r, ctx, cand, *proxy, reasons);
  });
  if (indices) *indices = fired_here;
  if (facts_out) *facts_out = std::move(facts);
  return cand;
}

// The workload's facts, with needs_accelerator: whether no CPU instance in the allowed clouds fits
// and meets the latency targets. `cpu_ok(k)` estimates CPU-only instance k and says whether it does.
template <typename CpuOk>
Facts facts_with_needs(const Workload& w, const sizing::Requirements& req, const catalog::Catalog& c,
                       const std::vector<catalog::Choice>& offers, CpuOk&& cpu_ok) {
  Facts wf = workload_facts(w, req);
  bool any_cpu = false;
  for (std::size_t k = 0; k < c.instances.size() && !any_cpu; ++k) {
    const auto& i = c.instances[k];
    if (i.accelerator || !allowed(w, i.cloud) || !offers[k].offered || i.burstable) continue;
    any_cpu = cpu_ok(k);
  }
  wf.set(slot_ids().needs_accelerator, !any_cpu);
  return wf;
}

// --- Memo ---------------------------------------------------------------------------------------

thread_local Memo::Impl* t_memo = nullptr;

// The memo key: every field of the workload and the requirements, as bytes.
class KeyWriter {
 public:
  explicit KeyWriter(std::string& out) : m_out(out) {}
  void raw(const void* p, std::size_t n) { m_out.append(static_cast<const char*>(p), n); }
  void num(double v) { raw(&v, sizeof v); }
  void num(int v) { raw(&v, sizeof v); }
  void flag(bool v) { m_out.push_back(v ? '1' : '0'); }
  void text(std::string_view s) {
    const std::size_t n = s.size();
    raw(&n, sizeof n);
    m_out.append(s);
  }
  void opt(const std::optional<double>& v) {
    flag(v.has_value());
    if (v) num(*v);
  }
  void opt(const std::optional<std::string>& v) {
    flag(v.has_value());
    if (v) text(*v);
  }
  void list(const std::vector<std::string>& v) {
    num(static_cast<int>(v.size()));
    for (const auto& s : v) text(s);
  }

 private:
  std::string& m_out;
};

#if defined(__GLIBCXX__) && defined(__x86_64__)
// NOTE: a field added to Workload or Requirements must be added to the memo key below, or two
// workloads that differ only in it would share a decision. These sizes remind whoever adds one.
static_assert(sizeof(Workload) == 632, "Workload changed: update memo_key");
static_assert(sizeof(sizing::Requirements) == 160, "Requirements changed: update memo_key");
#endif

std::string memo_key(const catalog::Catalog& c, const Workload& w, const sizing::Requirements& r) {
  std::string key;
  key.reserve(512);
  KeyWriter k(key);
  const void* catalog = &c;
  k.raw(&catalog, sizeof catalog);
  k.opt(w.model);
  k.text(w.family);
  k.num(static_cast<int>(w.sizing));
  k.opt(w.params);
  k.opt(w.active_params);
  k.num(static_cast<int>(w.precision));
  k.num(static_cast<int>(w.phase));
  k.num(static_cast<int>(w.method));
  k.num(static_cast<int>(w.mode));
  for (const auto* v : {&w.qps, &w.latency_ms, &w.ttft_ms, &w.tpot_ms, &w.deadline_hours, &w.budget_usd_per_hour, &w.budget_usd,
                        &w.input_tokens, &w.output_tokens, &w.batch_size, &w.dataset_samples, &w.dataset_tokens, &w.epochs,
                        &w.features, &w.denoising_steps, &w.iterations}) {
    k.opt(*v);
  }
  k.flag(w.gradient_checkpointing);
  k.list(w.optimizations);
  k.num(static_cast<int>(w.clouds.size()));
  for (auto cloud : w.clouds) k.num(static_cast<int>(cloud));
  k.opt(w.region);
  k.flag(w.spot);
  k.text(w.framework);
  k.list(w.priorities);
  k.text(w.ops_maturity);
  k.text(w.traffic);
  k.list(w.assumed);
  const auto& m = r.memory;
  for (double v : {m.weights_gib, m.kv_cache_gib, m.activations_gib, m.gradients_gib, m.optimizer_gib, m.overhead_gib,
                   r.reference_batch, r.kv_bytes_per_token, r.activation_bytes_per_unit, r.trainable_params,
                   r.forward_flops_per_unit, r.training_flops, r.units_per_request}) {
    k.num(v);
  }
  k.text(r.unit);
  k.list(r.notes);
  return key;
}

}  // namespace

struct Memo::Impl {
  struct Entry {
    std::string key;
    std::shared_ptr<const Context> context;
    std::vector<std::pair<int, Decision>> decisions;  ///< by Options::top
  };
  std::size_t max_entries, max_bytes;
  std::map<const catalog::Catalog*, std::shared_ptr<const Prepared>> prepared;
  std::list<Entry> entries;  ///< most recently used first
  std::unordered_map<std::string_view, std::list<Entry>::iterator> index;
  Stats stats;

  Entry* find(const std::string& key) {
    auto it = index.find(key);
    if (it == index.end()) return nullptr;
    entries.splice(entries.begin(), entries, it->second);
    return &entries.front();
  }
  // Makes room for one more: the least recently used go first, until there are fewer than
  // max_entries and they hold less than max_bytes (ranked candidates built since they were stored
  // count too).
  Entry& insert(std::string key, std::shared_ptr<const Context> context) {
    auto bytes = [](const Entry& e) {
      std::size_t n = sizeof(Entry) + e.key.size();
      for (const auto& [top, d] : e.decisions) n += sizeof(Decision) + 4096 + d.ranked.footprint();
      return n;
    };
    std::size_t total = 0;
    for (const auto& e : entries) total += bytes(e);
    while (!entries.empty() && (entries.size() >= max_entries || total > max_bytes)) {
      total -= bytes(entries.back());
      index.erase(entries.back().key);
      entries.pop_back();
    }
    entries.push_front(Entry{std::move(key), std::move(context), {}});
    index.emplace(entries.front().key, entries.begin());
    return entries.front();
  }
};

Memo::Memo(std::size_t max_decisions, std::size_t max_bytes)
    : m_impl(new Impl{std::max<std::size_t>(1, max_decisions), max_bytes, {}, {}, {}, {}}), m_previous(t_memo) {
  t_memo = m_impl;
}

Memo::~Memo() {
  t_memo = m_previous;
  delete m_impl;
}

Memo::Stats Memo::stats() const { return m_impl->stats; }

namespace {

std::shared_ptr<const Prepared> prepared(const catalog::Catalog& c) {
  if (!t_memo) return std::make_shared<const Prepared>(c);
  Memo::Impl& m = *t_memo;
  auto& slot = m.prepared[&c];
  if (!slot) slot = std::make_shared<const Prepared>(c);
  return slot;
}

}  // namespace

// --- Evaluator ----------------------------------------------------------------------------------

struct Evaluator::Impl {
  std::shared_ptr<const Context> ctx;
  std::map<std::string, FiredRule> fired;
};

namespace {

std::shared_ptr<const Context> make_context(const Workload& w, const sizing::Requirements& req, const catalog::Catalog& c,
                                            std::shared_ptr<const Prepared> prep, Facts wf, std::vector<catalog::Choice> offers) {
  return std::shared_ptr<const Context>(new Context{w, req, c, std::move(prep), std::move(wf), std::move(offers)});
}

}  // namespace

Evaluator::Evaluator(const Workload& w, const sizing::Requirements& req, const catalog::Catalog& c) : m_impl(new Impl) {
  std::string key;
  if (t_memo) {
    key = memo_key(c, w, req);
    if (auto* entry = t_memo->find(key)) {
      m_impl->ctx = entry->context;
      return;
    }
  }
  auto prep = prepared(c);
  auto offers = choose_offers(w, c);
  Facts wf = facts_with_needs(w, req, c, offers, [&](std::size_t k) {
    sizing::EstimateOptions o;
    o.words = false;
    return cpu_feasible(sizing::estimate(w, req, c.instances[k], prep->instances[k].accelerator, prep->instances[k].cpu, o), w);
  });
  m_impl->ctx = make_context(w, req, c, prep, std::move(wf), std::move(offers));
}

Evaluator::~Evaluator() { delete m_impl; }

const std::map<std::string, FiredRule>& Evaluator::fired() const { return m_impl->fired; }

Candidate Evaluator::evaluate(const catalog::Instance& i, const catalog::Service& s, const sizing::Estimate& base) {
  return evaluate_full(*m_impl->ctx, i, s, base, &m_impl->fired);
}

Candidate Evaluator::evaluate(const catalog::Instance& i, const catalog::Service& s, int count) {
  sizing::EstimateOptions o;
  o.count = count;
  const Context& ctx = *m_impl->ctx;
  return evaluate(i, s, sizing::estimate(ctx.w, ctx.req, ctx.c, i, o));
}

std::optional<Candidate> Evaluator::serverless(const catalog::Service& s) {
  return serverless_candidate(*m_impl->ctx, s, &m_impl->fired);
}

bool service_applies(const catalog::Service& s, const Workload& w, ComputeKind kind) { return service_serves(s, w, kind); }

// --- recommend ----------------------------------------------------------------------------------

namespace {

constexpr std::uint32_t k_serverless = UINT32_MAX;

// An instance's estimate as the decision compares it: its numbers, without the words.
struct Base {
  ComputeKind compute = ComputeKind::cpu;
  int count = 1;
  bool fits = false, performance_known = true, meets_targets = true;
  bool cpu_ok = false;  ///< cpu_feasible()
  double headroom = 0;
  std::optional<double> latency_ms, time_hours, throughput;
};

Base summary(const sizing::Estimate& e, const Workload& w) {
  return Base{e.compute, e.count, e.fits, e.performance_known, meets_targets(w, e), cpu_feasible(e, w), e.headroom,
              e.latency_ms, e.time_hours, e.throughput};
}

// The estimates of one workload on a catalog's instances, without words, made once per shape
// (sizing::Shape): the same machine priced in many regions is sized once.
class Bases {
 public:
  Bases(const Workload& w, const sizing::Requirements& req, const catalog::Catalog& c, const Prepared& prep,
        const std::vector<catalog::Choice>& offers)
      : m_w(w), m_req(req), m_c(c), m_prep(prep), m_offers(offers), m_of_shape(prep.shape_count * 2, -1) {}
  /// The estimate of an instance (index into catalog.instances), as an index for operator[].
  std::uint32_t of(std::uint32_t instance) {
    const auto& info = m_prep.instances[instance];
    // Whether the chosen offer has a price changes the estimate (a batch job's time is given only
    // then), so a shape has one estimate priced and one unpriced.
    const bool priced = m_offers[instance].price_usd_per_hour.has_value();
    auto& slot = m_of_shape[info.shape * 2 + (priced ? 1 : 0)];
    if (slot < 0) {
      sizing::EstimateOptions o;
      o.words = false;
      m_bases.push_back(summary(sizing::estimate(m_w, m_req, m_c.instances[instance], info.accelerator, info.cpu, o), m_w));
      slot = static_cast<std::int32_t>(m_bases.size() - 1);
    }
    return static_cast<std::uint32_t>(slot);
  }
  const Base& operator[](std::uint32_t k) const { return m_bases[k]; }

 private:
  const Workload& m_w;
  const sizing::Requirements& m_req;
  const catalog::Catalog& m_c;
  const Prepared& m_prep;
  const std::vector<catalog::Choice>& m_offers;
  std::vector<std::int32_t> m_of_shape;
  std::vector<Base> m_bases;
};

// A candidate as the decision sees it: numbers and the rules that fired, no words.
struct Light {
  std::uint32_t instance = k_serverless;  ///< index into catalog.instances
  std::uint32_t service = 0;              ///< index into catalog.services
  std::uint32_t base = 0;                 ///< index of the instance's estimate (instance candidates)
  std::uint32_t fired_begin = 0, fired_count = 0;  ///< rule indices in Decider::fired, in rule order
  bool excluded = false;
  std::optional<double> price, cost_usd;  ///< repriced for the service
  double cost_for_work = 0, cost_score = 0, headroom = 0, slack = 0, score = 0;
};

}  // namespace

// Builds full candidates from light ones: the words of the estimate, the price and the rules that
// fired, with the code that evaluates a single candidate (a serverless one is evaluated again, and
// must agree). Shared by a decision's ranking and its copies.
class Ranking::Source {
 public:
  explicit Source(std::shared_ptr<const Context> ctx) : m_ctx(std::move(ctx)) {}

  const Context& context() const { return *m_ctx; }

  // The full candidate for `l`, whose fired rules are `fired[0..count)`.
  Candidate build(const Light& l, const std::uint16_t* fired) const {
    const Context& ctx = *m_ctx;
    const auto& s = ctx.c.services[l.service];
    Candidate cand;
    if (l.instance == k_serverless) {
      std::vector<std::uint16_t> indices;
      auto made = serverless_candidate(ctx, s, nullptr, &indices);
      if (!made || indices.size() != l.fired_count || !std::equal(indices.begin(), indices.end(), fired)) {
        throw std::logic_error(fmt::format("scoring: serverless on {} evaluated differently the second time", s.id));
      }
      cand = std::move(*made);
    } else {
      cand = assemble(ctx, ctx.c.instances[l.instance], s, estimate(l.instance), fired, l.fired_count);
    }
    if (!l.excluded) {
      // The score as recommend() computes it: its parts summed in the order of their names.
      const double cost = cost_for_work(ctx.w, cand.estimate);
      cand.cost_for_work = cost;
      cand.components["cost"] = l.cost_score;
      cand.components["headroom"] = l.headroom;
      cand.components["target_slack"] = l.slack;
      cand.score = 0;
      for (const auto& [name, value] : cand.components) cand.score += value;
      if (cost != l.cost_for_work || cand.score != l.score) {
        throw std::logic_error(fmt::format("scoring: the score of {} differs between the quick and the full evaluation", cand.id));
      }
    }
    return cand;
  }

  // The instance's estimate with its words, made once.
  const sizing::Estimate& estimate(std::uint32_t instance) const {
    auto it = m_estimates.find(instance);
    if (it == m_estimates.end()) {
      const Context& ctx = *m_ctx;
      const auto& info = ctx.prep->instances[instance];
      it = m_estimates.emplace(instance, sizing::estimate(ctx.w, ctx.req, ctx.c.instances[instance], info.accelerator, info.cpu)).first;
    }
    return it->second;
  }

  // The ranked candidates: their light forms and fired rules, and what was built of them.
  std::vector<Light> ranked;
  std::vector<std::uint16_t> ranked_fired;
  mutable std::vector<std::unique_ptr<const Candidate>> built;
  mutable std::size_t built_count = 0;

 private:
  std::shared_ptr<const Context> m_ctx;
  mutable std::unordered_map<std::uint32_t, sizing::Estimate> m_estimates;
};

std::string Ranking::Entry::id() const { return (instance ? instance->id : std::string("serverless")) + "@" + service->id; }

Ranking::Ranking(std::vector<Entry> entries, std::shared_ptr<Source> source)
    : m_entries(std::make_shared<const std::vector<Entry>>(std::move(entries))), m_source(std::move(source)) {}

const Candidate& Ranking::operator[](std::size_t k) const {
  if (k >= size()) throw std::out_of_range("scoring: rank out of range");
  Source& s = *m_source;
  auto& slot = s.built[k];
  if (!slot) {
    const Light& l = s.ranked[k];
    slot = std::make_unique<const Candidate>(s.build(l, s.ranked_fired.data() + l.fired_begin));
    ++s.built_count;
  }
  return *slot;
}

std::size_t Ranking::footprint() const {
  if (!m_source) return 0;
  // A built candidate holds a few dozen short strings: about 2 KiB with their allocations.
  return size() * (sizeof(Entry) + sizeof(Light) + 8) + m_source->built_count * 2048;
}

namespace {

// "<instance id>@<service id>" compared without building the strings.
int compare_ids(std::string_view a1, std::string_view a2, std::string_view b1, std::string_view b2) {
  const std::string_view a[3] = {a1, "@", a2}, b[3] = {b1, "@", b2};
  std::size_t ia = 0, ib = 0, oa = 0, ob = 0;
  for (;;) {
    while (ia < 3 && oa == a[ia].size()) ++ia, oa = 0;
    while (ib < 3 && ob == b[ib].size()) ++ib, ob = 0;
    if (ia == 3 || ib == 3) return ia == 3 ? (ib == 3 ? 0 : -1) : 1;
    const std::size_t n = std::min(a[ia].size() - oa, b[ib].size() - ob);
    if (int r = std::memcmp(a[ia].data() + oa, b[ib].data() + ob, n); r != 0) return r;
    oa += n;
    ob += n;
  }
}

// One decision: every candidate evaluated quickly, then full candidates built for what is shown.
class Decider {
 public:
  Decider(std::shared_ptr<const Context> ctx, Bases& bases)
      : m_ctx(std::move(ctx)), m_source(std::make_shared<Ranking::Source>(m_ctx)), m_bases(bases) {}

  Decision run(const Options& options, std::vector<std::string> warnings);

 private:
  const Workload& w() const { return m_ctx->w; }
  const catalog::Catalog& c() const { return m_ctx->c; }
  const Prepared& prep() const { return *m_ctx->prep; }
  std::string_view instance_id(const Light& l) const {
    return l.instance == k_serverless ? std::string_view("serverless") : std::string_view(c().instances[l.instance].id);
  }
  bool before(const Light& a, const Light& b) const {  // rank order: score, then id
    if (a.score != b.score) return a.score > b.score;
    return compare_ids(instance_id(a), c().services[a.service].id, instance_id(b), c().services[b.service].id) < 0;
  }
  const Base& base_of(const Light& l) const {
    return l.instance == k_serverless ? m_serverless[l.base] : m_bases[l.base];
  }
  // The full candidate for candidate `k` (in evaluation order), built once.
  const Candidate& full(std::size_t k) const {
    auto& slot = m_built[k];
    if (!slot) slot = std::make_unique<Candidate>(m_source->build(m_all[k], m_fired.data() + m_all[k].fired_begin));
    return *slot;
  }
  const catalog::Instance* shown_instance(const Light& l) const {
    // As c.instance(candidate.instance) finds it: instance ids are unique in a catalog, so an
    // instance candidate finds its own instance; "serverless" is looked up once.
    if (l.instance != k_serverless) return &c().instances[l.instance];
    if (!m_serverless_instance) m_serverless_instance = c().instance("serverless");
    return *m_serverless_instance;
  }
  void evaluate_instances();
  void evaluate_serverless();
  std::vector<FiredRule> fired_rules() const;

  std::shared_ptr<const Context> m_ctx;
  std::shared_ptr<Ranking::Source> m_source;
  Bases& m_bases;                             ///< the instances' estimates
  std::vector<Light> m_all;                   ///< every candidate, in evaluation order
  std::vector<std::uint16_t> m_fired;         ///< rule indices, per candidate
  std::vector<int> m_counts;                  ///< per rule: candidates it fired for
  std::vector<std::int64_t> m_first;          ///< per rule: the first candidate it fired for, or -1
  std::vector<Base> m_serverless;  ///< estimates of serverless candidates
  std::vector<std::unique_ptr<Facts>> m_serverless_facts;  ///< facts of serverless candidates, by candidate
  mutable std::vector<std::unique_ptr<Candidate>> m_built;
  mutable std::optional<const catalog::Instance*> m_serverless_instance;
};

void Decider::evaluate_instances() {
  const Context& ctx = *m_ctx;
  const Workload& w = ctx.w;
  const Prepared& p = prep();
  const SlotIds& k = slot_ids();
  // What does not depend on the service: rules that read only this are fired once per instance.
  std::vector<bool> per_instance(static_cast<std::size_t>(rules::slot_count()), false);
  for (int slot : {k.compute, k.cloud, k.instance, k.accelerator, k.has_accelerator, k.accelerators_per_instance, k.count, k.latency,
                   k.performance_known, k.fits, k.meets_targets, k.meets_deadline, k.framework_supported, k.family_supported}) {
    per_instance[static_cast<std::size_t>(slot)] = true;
  }
  const rules::Specialised rules(p.rules, p.symbols, ctx.workload_facts, per_instance);
  // Which services run the workload on each compute kind.
  std::vector<std::array<bool, 5>> serves(c().services.size());
  for (std::size_t s = 0; s < serves.size(); ++s) {
    for (std::size_t kind = 0; kind < 5; ++kind) serves[s][kind] = service_serves(c().services[s], w, static_cast<ComputeKind>(kind));
  }
  std::vector<rules::Fact> facts(static_cast<std::size_t>(rules::slot_count()));
  std::vector<std::uint16_t> shared, rest;
  for (std::uint32_t ii = 0; ii < c().instances.size(); ++ii) {
    const auto& i = c().instances[ii];
    // NOTE: burstable sizes are never recommended: their sustained CPU is a fraction of their vCPUs
    // (credit-based), which the estimate does not model; `check` still evaluates one when proposed.
    if (!allowed(w, i.cloud) || !ctx.offers[ii].offered || i.burstable) continue;
    const auto& info = p.instances[ii];
    const std::uint32_t base_index = m_bases.of(ii);
    const Base& e = m_bases[base_index];
    bool instance_done = false;
    for (std::size_t si : p.by_cloud[static_cast<std::size_t>(i.cloud)]) {
      if (!serves[si][static_cast<std::size_t>(e.compute)]) continue;
      const auto& s = c().services[si];
      const auto& sinfo = p.services[si];
      if (!instance_done) {
        // The facts of the instance (as candidate_facts sets them), and the rules that read only them.
        instance_done = true;
        facts[k.compute] = p.compute[static_cast<std::size_t>(e.compute)];
        facts[k.cloud] = p.cloud[static_cast<std::size_t>(i.cloud)];
        facts[k.instance] = info.id;
        facts[k.accelerator] = i.accelerator ? info.accelerator_id : rules::Fact{};
        facts[k.has_accelerator] = rules::Fact::of(i.accelerator.has_value());
        facts[k.accelerators_per_instance] = rules::Fact::of(static_cast<double>(i.accelerator_count));
        facts[k.count] = rules::Fact::of(static_cast<double>(e.count));
        facts[k.latency] = rules::Fact::of(e.latency_ms);
        facts[k.performance_known] = rules::Fact::of(e.performance_known);
        facts[k.fits] = rules::Fact::of(e.fits || !e.performance_known);
        facts[k.meets_targets] = rules::Fact::of(e.meets_targets);
        facts[k.meets_deadline] = rules::Fact::of(!(w.deadline_hours && e.time_hours && *e.time_hours > *w.deadline_hours));
        const auto [framework_ok, family_ok] = accelerator_support(info.accelerator, e.compute, w);
        facts[k.framework_supported] = rules::Fact::of(framework_ok);
        facts[k.family_supported] = rules::Fact::of(family_ok);
        shared.clear();
        rules.fire_shared(facts.data(), shared);
      }
      Light l;
      l.instance = ii;
      l.service = static_cast<std::uint32_t>(si);
      l.base = base_index;
      // reprice() without the words.
      if (const auto per_instance_price = p.price(si, s, i, ctx.offers[ii])) {
        l.price = *per_instance_price * e.count + s.cluster_usd_per_hour.value_or(0);
        if (e.time_hours) l.cost_usd = *l.price * sizing::billed_hours(*e.time_hours);
      }
      facts[k.service] = sinfo.id;
      facts[k.service_kind] = sinfo.kind;
      facts[k.management] = sinfo.management;
      facts[k.price] = rules::Fact::of(l.price);
      facts[k.within_hourly_budget] = rules::Fact::of(!(w.budget_usd_per_hour && l.price && *l.price > *w.budget_usd_per_hour));
      facts[k.within_total_budget] = rules::Fact::of(!(w.budget_usd && l.cost_usd && *l.cost_usd > *w.budget_usd));
      facts[k.price_known] = rules::Fact::of(l.price.has_value());
      bool within = true;
      if (sinfo.timeout_s && e.latency_ms && *e.latency_ms > *sinfo.timeout_s * 1000) within = false;
      if (sinfo.max_requests_per_second && w.qps && *w.qps > *sinfo.max_requests_per_second) within = false;
      facts[k.within_service_limits] = rules::Fact::of(within);
      rest.clear();
      rules.fire_rest(facts.data(), rest);
      l.fired_begin = static_cast<std::uint32_t>(m_fired.size());
      std::merge(shared.begin(), shared.end(), rest.begin(), rest.end(), std::back_inserter(m_fired));
      l.fired_count = static_cast<std::uint32_t>(m_fired.size() - l.fired_begin);
      for (std::uint32_t f = l.fired_begin; f < m_fired.size(); ++f) {
        const std::uint16_t r = m_fired[f];
        l.excluded = l.excluded || p.rules[r].exclude;
        if (m_counts[r]++ == 0) m_first[r] = static_cast<std::int64_t>(m_all.size());
      }
      m_all.push_back(l);
    }
  }
}

void Decider::evaluate_serverless() {
  const Context& ctx = *m_ctx;
  for (std::uint32_t si = 0; si < c().services.size(); ++si) {
    const auto& s = c().services[si];
    if (s.kind != "serverless-inference" || !allowed(w(), s.cloud)) continue;
    std::vector<std::uint16_t> indices;
    auto facts = std::make_unique<Facts>();
    auto cand = serverless_candidate(ctx, s, nullptr, &indices, facts.get());
    if (!cand) continue;
    Light l;
    l.service = si;
    l.base = static_cast<std::uint32_t>(m_serverless.size());
    m_serverless.push_back(summary(cand->estimate, w()));
    l.excluded = cand->excluded();
    l.price = cand->estimate.price_usd_per_hour;
    l.cost_usd = cand->estimate.cost_usd;
    l.fired_begin = static_cast<std::uint32_t>(m_fired.size());
    l.fired_count = static_cast<std::uint32_t>(indices.size());
    m_fired.insert(m_fired.end(), indices.begin(), indices.end());
    for (std::uint16_t r : indices) {
      if (m_counts[r]++ == 0) m_first[r] = static_cast<std::int64_t>(m_all.size());
    }
    m_serverless_facts.resize(m_all.size() + 1);
    m_serverless_facts[m_all.size()] = std::move(facts);
    m_all.push_back(l);
  }
}

std::vector<FiredRule> Decider::fired_rules() const {
  const Context& ctx = *m_ctx;
  const Prepared& p = prep();
  std::vector<FiredRule> out;
  for (std::size_t r = 0; r < p.rules.size(); ++r) {
    if (m_counts[r] == 0) continue;
    const rules::Rule& rule = p.rules[r];
    FiredRule f;
    f.id = rule.id;
    f.description = rule.description;
    f.rationale = rule.rationale;
    f.effect = p.effects[r];
    f.candidates = m_counts[r];
    // The facts the rule read, for the first candidate it fired for.
    const auto first = static_cast<std::size_t>(m_first[r]);
    const Light& l = m_all[first];
    if (l.instance == k_serverless) {
      rules::evaluate(rule.condition, *m_serverless_facts[first], &f.inputs);
    } else {
      // candidate_facts reads only what was set before the rules fired.
      const Candidate& cand = full(first);
      std::vector<std::string> limit_reasons;
      const Facts facts = candidate_facts(ctx, cand, c().instances[l.instance], &c().services[l.service], limit_reasons);
      rules::evaluate(rule.condition, facts, &f.inputs);
    }
    out.push_back(std::move(f));
  }
  return out;
}

Decision Decider::run(const Options& options, std::vector<std::string> warnings) {
  const Workload& w = this->w();
  const Prepared& p = prep();
  Decision d;
  d.warnings = std::move(warnings);
  m_counts.assign(p.rules.size(), 0);
  m_first.assign(p.rules.size(), -1);
  evaluate_instances();
  evaluate_serverless();
  m_built.resize(m_all.size());
  d.candidates_considered = m_all.size();

  // Score the feasible ones.
  double min_cost = 0;
  for (auto& l : m_all) {
    if (l.excluded) continue;
    l.cost_for_work = cost_for_work(w, l.cost_usd, l.price);
    if (l.cost_for_work > 0 && (min_cost == 0 || l.cost_for_work < min_cost)) min_cost = l.cost_for_work;
  }
  std::vector<std::uint32_t> feasible;
  std::vector<int> excluded(p.rules.size(), 0);  // by rule, before grouping by text
  for (std::uint32_t k = 0; k < m_all.size(); ++k) {
    Light& l = m_all[k];
    if (l.excluded) {
      std::size_t nth = 0;  // which of the candidate's exclusions this is
      for (std::uint32_t f = l.fired_begin; f < l.fired_begin + l.fired_count; ++f) {
        const std::uint16_t r = m_fired[f];
        if (!p.rules[r].exclude) continue;
        if (excluded[r]++ < 3) {
          // A few examples per group, in candidate order, with their words.
          auto& examples = d.excluded_examples[p.groups[r]];
          if (examples.size() < 3) {
            const std::string& why = full(k).exclusions.at(nth);
            examples.push_back(why.substr(why.find(':') + 2));
          }
        }
        ++nth;
      }
      continue;
    }
    const Base& e = base_of(l);
    l.cost_score = l.cost_for_work > 0 ? min_cost / l.cost_for_work : 0;
    l.headroom = k_weight_headroom * std::clamp(e.headroom / 0.5, 0.0, 1.0);
    double slack = 0;
    if (w.latency_ms && e.latency_ms) slack = std::clamp(1 - *e.latency_ms / *w.latency_ms, 0.0, 1.0);
    if (w.deadline_hours && e.time_hours) slack = std::clamp(1 - *e.time_hours / *w.deadline_hours, 0.0, 1.0);
    l.slack = k_weight_slack * slack;
    // The components summed in the order of their names: cost, headroom, rule:<id>..., target_slack.
    double score = 0;
    score += l.cost_score;
    score += l.headroom;
    for (std::uint32_t f = l.fired_begin; f < l.fired_begin + l.fired_count; ++f) score += p.rules[m_fired[f]].score;
    score += l.slack;
    l.score = score;
    feasible.push_back(k);
  }
  for (std::size_t r = 0; r < excluded.size(); ++r) {
    if (excluded[r] > 0) d.excluded_by_rule[p.groups[r]] += excluded[r];
  }
  std::sort(feasible.begin(), feasible.end(), [&](std::uint32_t a, std::uint32_t b) { return before(m_all[a], m_all[b]); });

  d.rules_fired = fired_rules();

  // The ranking: light entries, with what the decision itself builds passed on.
  std::vector<Ranking::Entry> entries;
  entries.reserve(feasible.size());
  Ranking::Source& source = *m_source;
  source.ranked.reserve(feasible.size());
  for (std::uint32_t k : feasible) {
    Light l = m_all[k];
    const Base& e = base_of(m_all[k]);
    Ranking::Entry x;
    x.instance = l.instance == k_serverless ? nullptr : &c().instances[l.instance];
    x.service = &c().services[l.service];
    x.compute = e.compute;
    x.count = e.count;
    x.managed = x.service->managed || l.instance == k_serverless;
    x.cost_for_work = l.cost_for_work;
    x.score = l.score;
    x.time_hours = e.time_hours;
    x.throughput = e.throughput;
    entries.push_back(x);
    l.fired_begin = static_cast<std::uint32_t>(source.ranked_fired.size());
    source.ranked_fired.insert(source.ranked_fired.end(), m_fired.begin() + m_all[k].fired_begin,
                               m_fired.begin() + m_all[k].fired_begin + l.fired_count);
    source.ranked.push_back(l);
  }
  source.built.resize(feasible.size());
  // A ranked candidate the decision builds below is handed to the ranking rather than built twice.
  auto ranked_full = [&](std::size_t rank) -> const Candidate& {
    auto& slot = source.built[rank];
    if (!slot) {
      auto& mine = m_built[feasible[rank]];
      if (mine) slot = std::make_unique<const Candidate>(*mine);
      else slot = std::make_unique<const Candidate>(full(feasible[rank]));
      ++source.built_count;
    }
    return *slot;
  };

  if (feasible.empty()) {
    // The nearest misses: excluded only by targets, deadline or budget, cheapest first.
    static const std::set<std::string> soft{"latency-targets", "deadline", "budget-hourly", "budget-total"};
    std::vector<std::uint32_t> nearest;
    for (std::uint32_t k = 0; k < m_all.size(); ++k) {
      const Light& l = m_all[k];
      bool only_soft = true;
      for (std::uint32_t f = l.fired_begin; f < l.fired_begin + l.fired_count && only_soft; ++f) {
        const std::uint16_t r = m_fired[f];
        only_soft = !p.rules[r].exclude || soft.count(p.groups[r]) > 0;
      }
      if (only_soft && l.price) nearest.push_back(k);
    }
    auto cost = [&](std::uint32_t k) { return cost_for_work(w, m_all[k].cost_usd, m_all[k].price); };
    std::sort(nearest.begin(), nearest.end(), [&](std::uint32_t a, std::uint32_t b) {
      const double ca = cost(a), cb = cost(b);
      if (ca != cb) return ca < cb;
      return compare_ids(instance_id(m_all[a]), c().services[m_all[a].service].id, instance_id(m_all[b]),
                         c().services[m_all[b].service].id) < 0;
    });
    if (nearest.size() > 3) nearest.resize(3);
    for (std::uint32_t k : nearest) d.nearest.push_back(full(k));
    d.compute_reasons.push_back(fmt::format("no feasible option among {} candidates", d.candidates_considered));
    d.ranked = Ranking(std::move(entries), m_source);
    return d;
  }

  const Candidate& pick = ranked_full(0);
  for (auto& f : d.rules_fired) {
    f.for_pick = std::find(pick.rules_fired.begin(), pick.rules_fired.end(), f.id) != pick.rules_fired.end();
  }

  // Compute kind: follows from the best feasible options, with the comparison that decided it.
  d.compute_choice = std::string(catalog::to_string(pick.estimate.compute));
  const catalog::Instance* pi = c().instance(pick.instance);
  const std::string basis = (w.trains() || w.mode == Mode::batch) ? "for the run" : "per hour";
  d.compute_reasons.push_back(fmt::format("best option: {} x {} ({}) at {} {}", pick.estimate.count, pi ? pi->name : pick.instance,
                                          d.compute_choice, money(pick.cost_for_work), basis));
  auto instance_name = [&](std::size_t rank) {
    const Light& l = source.ranked[rank];
    const catalog::Instance* i = shown_instance(l);
    return i ? i->name : std::string(instance_id(l));
  };
  const auto& kinds = catalog::compute_kind_names();
  for (std::size_t k = 0; k < kinds.size(); ++k) {
    const std::string& kind = kinds[k];
    if (kind == d.compute_choice) continue;
    auto best = std::find_if(entries.begin(), entries.end(), [&](const Ranking::Entry& x) { return x.compute == static_cast<ComputeKind>(k); });
    if (best != entries.end()) {
      d.compute_reasons.push_back(fmt::format("best {} option: {} x {} at {} {} ({:.2g}x the cost)", kind, best->count,
                                              instance_name(static_cast<std::size_t>(best - entries.begin())), money(best->cost_for_work),
                                              basis, best->cost_for_work / std::max(pick.cost_for_work, 1e-12)));
    }
  }
  const bool any_cpu = std::any_of(entries.begin(), entries.end(), [](const Ranking::Entry& x) { return x.compute == ComputeKind::cpu; });
  if (!any_cpu && d.compute_choice != "cpu") {
    std::string why = "no CPU option is feasible";
    for (const char* rule : {"compute-llm-training-accelerator", "fit-memory", "latency-targets", "deadline"}) {
      for (std::uint32_t k = 0; k < m_all.size(); ++k) {
        const Light& l = m_all[k];
        if (base_of(l).compute != ComputeKind::cpu) continue;
        // The first of its exclusions whose text starts with the rule id ("id: reason").
        std::size_t nth = 0;
        std::optional<std::size_t> match;
        for (std::uint32_t f = l.fired_begin; f < l.fired_begin + l.fired_count && !match; ++f) {
          const rules::Rule& r = p.rules[m_fired[f]];
          if (!r.exclude) continue;
          if (r.id.rfind(rule, 0) == 0) match = nth;
          ++nth;
        }
        if (match) {
          why += " (for example " + full(k).exclusions.at(*match) + ")";
          break;
        }
      }
      if (why.size() > 30) break;
    }
    d.compute_reasons.push_back(why);
  }
  if (const catalog::Family* f = c().family(w.family)) {
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
    return std::find_if(entries.begin(), entries.end(), [&](const Ranking::Entry& x) { return x.managed == managed; });
  };
  const auto best_managed = best_of(true), best_self = best_of(false);
  if (best_managed != entries.end() && best_self != entries.end()) {
    auto name = [&](decltype(best_managed) x) {
      return fmt::format("{} x {}", x->count, instance_name(static_cast<std::size_t>(x - entries.begin())));
    };
    d.deployment_reasons.push_back(fmt::format("best managed: {} on {} at {} {}; best self-managed: {} on {} at {} {}",
                                               name(best_managed), best_managed->service->id, money(best_managed->cost_for_work), basis,
                                               name(best_self), best_self->service->id, money(best_self->cost_for_work), basis));
  } else {
    d.deployment_reasons.push_back(best_managed == entries.end() ? "no managed option is feasible" : "no self-managed option is feasible");
  }
  for (const auto& id : pick.rules_fired) {
    if (id.rfind("deploy-", 0) == 0) {
      auto f = std::find_if(d.rules_fired.begin(), d.rules_fired.end(), [&](const FiredRule& x) { return x.id == id; });
      if (f != d.rules_fired.end()) d.deployment_reasons.push_back(fmt::format("rule {} ({}): {}", id, f->effect, f->rationale));
    }
  }
  if (const catalog::Service* s = c().service(pick.service); s && !s->takes_off_the_team.empty()) {
    d.deployment_reasons.push_back(fmt::format("{} takes off the team: {}", s->name, util::join(s->takes_off_the_team, "; ")));
  }
  // Spot: what the pick's price assumes, said where the pick is made.
  if (pick.estimate.spot && pi) {
    std::string risk = "spot: " + catalog::spot_risk(pi->cloud, w.trains());
    if (!w.trains() && pick.estimate.count < 2) {
      risk += fmt::format(" (the estimate above has {} instance; price 2 for that)", pick.estimate.count);
    }
    d.deployment_reasons.push_back(std::move(risk));
  } else if (w.spot && pi) {
    d.deployment_reasons.push_back(fmt::format("spot was asked for, but the pick is priced on demand: {}",
                                               pick.managed ? pick.service + " is a managed service, priced on demand here"
                                                            : "the catalog has no spot price for " + pi->name + " in " +
                                                                  pick.estimate.region));
  }

  // Alternatives: the best per cloud and per compute kind, then the next by rank.
  std::vector<std::size_t> chosen{0};
  auto add = [&](std::size_t rank) {
    if (std::find(chosen.begin(), chosen.end(), rank) == chosen.end()) chosen.push_back(rank);
  };
  const auto& clouds = catalog::cloud_names();
  for (std::size_t k = 0; k < clouds.size(); ++k) {
    const std::string& cloud = clouds[k];
    for (std::size_t rank = 0; rank < entries.size(); ++rank) {
      const Light& l = source.ranked[rank];
      const catalog::Instance* i = shown_instance(l);
      const std::string& service = entries[rank].service->id;
      if (i ? i->cloud == static_cast<catalog::Cloud>(k) : service.rfind(cloud == "aws" ? "sagemaker" : cloud, 0) == 0) {
        add(rank);
        break;
      }
    }
  }
  for (std::size_t k = 0; k < kinds.size(); ++k) {
    auto it = std::find_if(entries.begin(), entries.end(), [&](const Ranking::Entry& x) { return x.compute == static_cast<ComputeKind>(k); });
    if (it != entries.end()) add(static_cast<std::size_t>(it - entries.begin()));
  }
  for (std::size_t rank = 0; rank < entries.size(); ++rank) {
    if (static_cast<int>(chosen.size()) - 1 >= options.top) break;
    add(rank);
  }
  // Ranks are unique, and rank order is score then id: sorting the ranks sorts the alternatives.
  std::sort(chosen.begin() + 1, chosen.end());
  for (auto it = chosen.begin() + 1; it != chosen.end(); ++it) d.alternatives.push_back(ranked_full(*it));

  // A per-token API against hosting the model, where the catalog prices one.
  if (w.phase == Phase::inference && w.is_llm() && w.model && pick.estimate.price_usd_per_hour) {
    for (const auto& s : c().services) {
      if (s.kind != "model-api" || !allowed(w, s.cloud)) continue;
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
  d.ranked = Ranking(std::move(entries), m_source);
  return d;
}

}  // namespace

namespace {

// A region list restricts every cloud to what it sells there: say which allowed clouds sell
// nothing in the listed regions (region names belong to one cloud each).
std::vector<std::string> region_warnings(const Workload& w, const catalog::Catalog& c, const std::vector<catalog::Choice>& offers) {
  std::vector<std::string> warnings;
  const catalog::RegionChoice regions(w.region);
  if (regions.home() || regions.any()) return warnings;
  std::array<bool, 3> sells{false, false, false};
  for (std::size_t k = 0; k < c.instances.size(); ++k) {
    if (offers[k].offered) sells[static_cast<std::size_t>(c.instances[k].cloud)] = true;
  }
  for (const auto cloud : w.clouds) {
    if (sells[static_cast<std::size_t>(cloud)]) continue;
    std::vector<std::string> whose;
    for (const auto name : regions.names()) {
      if (auto other = c.cloud_of_region(name); other && *other != cloud) {
        whose.push_back(fmt::format("{} is a {} region", name, catalog::to_string(*other)));
      }
    }
    warnings.push_back(fmt::format("no {} instance in the catalog is offered in {}, so {} is left out{}", catalog::to_string(cloud),
                                   regions.text(), catalog::to_string(cloud),
                                   whose.empty() ? std::string() : " (" + util::join(whose, "; ") + ")"));
  }
  return warnings;
}

}  // namespace

Decision recommend(const Workload& w, const sizing::Requirements& req, const catalog::Catalog& c, const Options& options) {
  Memo::Impl* memo = t_memo;
  std::string key;
  Memo::Impl::Entry* entry = nullptr;
  if (memo) {
    key = memo_key(c, w, req);
    entry = memo->find(key);
    if (entry) {
      for (const auto& [top, decision] : entry->decisions) {
        if (top == options.top) {
          ++memo->stats.hits;
          return decision;
        }
      }
    }
    ++memo->stats.misses;
  }

  std::shared_ptr<const Context> ctx = entry ? entry->context : nullptr;
  const std::shared_ptr<const Prepared> prep = ctx ? ctx->prep : prepared(c);
  std::vector<catalog::Choice> offers = ctx ? std::vector<catalog::Choice>() : choose_offers(w, c);
  // The instances' estimates, which needs_accelerator starts and the decision goes on with.
  Bases bases(w, req, c, *prep, ctx ? ctx->offers : offers);
  if (!ctx) {
    Facts wf = facts_with_needs(w, req, c, offers, [&](std::size_t k) { return bases[bases.of(static_cast<std::uint32_t>(k))].cpu_ok; });
    ctx = make_context(w, req, c, prep, std::move(wf), offers);  // a copy: `bases` reads `offers`
  }
  Decider decider(ctx, bases);
  Decision d = decider.run(options, region_warnings(w, c, ctx->offers));
  if (memo) {
    if (!entry) entry = &memo->insert(std::move(key), ctx);
    entry->decisions.emplace_back(options.top, d);
  }
  return d;
}

}  // namespace aiadvise::scoring
