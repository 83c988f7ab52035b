// One candidate in full: an instance under a service, priced for the service, with the rules fired
// and their words; serverless candidates; and the Evaluator that `check` uses for a proposed choice.

#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <tuple>

#include "aiadvise/util/human.hpp"
#include "aiadvise/util/text.hpp"
#include "scoring/internal.hpp"

namespace aiadvise::scoring {

namespace detail {

std::string money(double usd) { return util::format_usd(usd); }

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
                                              std::vector<std::uint16_t>* indices, Facts* facts_out) {
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
  cand.estimate = sizing::estimate(ctx.w, ctx.req, ctx.c, *proxy, decision_options(ctx.w));
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

}  // namespace detail

using namespace detail;

// --- Evaluator ----------------------------------------------------------------------------------

struct Evaluator::Impl {
  std::shared_ptr<const Context> ctx;
  std::map<std::string, FiredRule> fired;
};

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
  std::vector<catalog::Choice> offers = prep->offers(w, c);
  Facts wf = facts_with_needs(w, req, c, offers, [&](std::size_t k) {
    sizing::EstimateOptions o = decision_options(w);
    o.words = false;
    return cpu_feasible(sizing::estimate(w, req, c, c.instances[k], prep->instances[k].accelerator, prep->instances[k].cpu, o), w);
  });
  m_impl->ctx = make_context(w, req, c, prep, std::move(wf), std::move(offers));
}

Evaluator::~Evaluator() { delete m_impl; }

const std::map<std::string, FiredRule>& Evaluator::fired() const { return m_impl->fired; }

Candidate Evaluator::evaluate(const catalog::Instance& i, const catalog::Service& s, const sizing::Estimate& base) {
  return evaluate_full(*m_impl->ctx, i, s, base, &m_impl->fired);
}

Candidate Evaluator::evaluate(const catalog::Instance& i, const catalog::Service& s, int count) {
  const Context& ctx = *m_impl->ctx;
  sizing::EstimateOptions o = decision_options(ctx.w);
  o.count = count;
  return evaluate(i, s, sizing::estimate(ctx.w, ctx.req, ctx.c, i, o));
}

std::optional<Candidate> Evaluator::serverless(const catalog::Service& s) {
  return serverless_candidate(*m_impl->ctx, s, &m_impl->fired);
}

bool service_applies(const catalog::Service& s, const Workload& w, ComputeKind kind) { return service_serves(s, w, kind); }

}  // namespace aiadvise::scoring
