// What a decision prepares once: per catalog, the compiled rules and compact facts of every instance
// and service (Prepared); per workload, its facts and the context every candidate shares.

#include <fmt/format.h>

#include "scoring/internal.hpp"

namespace aiadvise::scoring::detail {

const SlotIds& slot_ids() {
  static const SlotIds ids = [] {
    auto w = [](const char* name) { return rules::field_slot(std::string("workload.") + name); };
    auto c = [](const char* name) { return rules::field_slot(std::string("candidate.") + name); };
    return SlotIds{w("family"), w("sizing"), w("model"), w("phase"), w("method"), w("mode"), w("params"), w("precision"),
                   w("optimizations"), w("priorities"), w("ops_maturity"), w("traffic"), w("qps"), w("framework"),
                   w("dataset_samples"), w("memory_gib"), w("needs_accelerator"), w("compute"),
                   c("compute"), c("cloud"), c("instance"), c("accelerator"), c("has_accelerator"), c("accelerators_per_instance"),
                   c("service"), c("service_kind"), c("management"), c("count"), c("price_usd_per_hour"), c("latency_ms"),
                   c("performance_known"), c("fits"), c("meets_targets"), c("meets_deadline"), c("within_hourly_budget"),
                   c("within_total_budget"), c("price_known"), c("framework_supported"), c("family_supported"),
                   c("within_service_limits"), c("precision_supported"), c("model_runs_here")};
  }();
  return ids;
}


Prepared::Prepared(const catalog::Catalog& c) : rules(rules::compile(c.rules)), symbols(rules) {
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
  std::vector<std::string> kinds;
  for (auto kind : w.compute) kinds.emplace_back(catalog::to_string(kind));
  wf.set(k.compute_allowed, kinds);
  return wf;
}


std::shared_ptr<const Context> make_context(const Workload& w, const sizing::Requirements& req, const catalog::Catalog& c,
                                            std::shared_ptr<const Prepared> prep, Facts wf, std::vector<catalog::Choice> offers) {
  return std::shared_ptr<const Context>(new Context{w, req, c, std::move(prep), std::move(wf), std::move(offers)});
}

std::vector<catalog::Choice> choose_offers(const Workload& w, const catalog::Catalog& c) {
  std::vector<catalog::Choice> out;
  out.reserve(c.instances.size());
  const catalog::RegionChoice regions(w.region);
  for (const auto& i : c.instances) out.push_back(catalog::choose_offer(i, regions, w.spot));
  return out;
}

const std::vector<catalog::Choice>& Prepared::offers(const Workload& w, const catalog::Catalog& c) const {
  // NOTE: a Choice points into the catalog; the catalog by its address (a moved catalog keeps its
  // generation, so this Prepared, but not its address).
  if (m_offers_catalog != &c || m_offers_region != w.region || m_offers_spot != w.spot) {
    m_offers = choose_offers(w, c);
    m_offers_catalog = &c;
    m_offers_region = w.region;
    m_offers_spot = w.spot;
  }
  return m_offers;
}

catalog::Choice offer_of(const Context& ctx, const catalog::Instance& i) {
  const auto& all = ctx.c.instances;
  if (!all.empty() && &i >= all.data() && &i < all.data() + all.size()) {
    return ctx.offers[static_cast<std::size_t>(&i - all.data())];
  }
  return catalog::choose_offer(i, catalog::RegionChoice(ctx.w.region), ctx.w.spot);
}

}  // namespace aiadvise::scoring::detail
