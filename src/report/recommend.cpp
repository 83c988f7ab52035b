#include "aiadvise/report/recommend.hpp"

#include "aiadvise/report/json.hpp"
#include "aiadvise/report/plausibility.hpp"

#include <optional>
#include <utility>

namespace aiadvise::report {

using util::Json;

Json option_json(const scoring::Candidate& cand, const catalog::Catalog& c, const workload::Workload* w) {
  const auto& e = cand.estimate;
  Json j = Json::object();
  const catalog::Instance* i = c.instance(cand.instance);
  const catalog::Service* s = c.service(cand.service);
  j["cloud"] = i ? std::string(catalog::to_string(i->cloud)) : (s ? std::string(catalog::to_string(s->cloud)) : "");
  j["instance"] = i ? i->name : cand.instance;
  j["instance_id"] = cand.instance;
  if (i) j["region"] = e.region.empty() ? i->region : e.region;  // the region priced (catalog::choose_offer)
  j["service"] = cand.service;
  j["management"] = cand.managed ? "managed" : "self-managed";
  j["count"] = e.count;
  j["compute"] = std::string(catalog::to_string(e.compute));
  if (!e.accelerator.empty() && e.compute != catalog::ComputeKind::cpu) {
    j["accelerator"] = e.accelerator;
    j["accelerators_per_instance"] = e.accelerators_per_instance;
  } else {
    j["accelerator"] = nullptr;
    j["accelerators_per_instance"] = 0;
  }
  put_performance(j, e, w);
  // Serving: the settings an engine is started with, and the headroom the fleet keeps.
  if (w && w->phase == workload::Phase::inference && e.fits && e.memory_fraction > 0 && cand.instance != "serverless") {
    Json engine = {{"tensor_parallel", e.tensor_parallel}, {"replicas_per_instance", e.replicas_per_instance}, {"instances", e.count}};
    put_number(engine, e.continuous_batching ? "max_concurrent_sequences" : "max_batch_size", e.max_concurrent);
    put_number(engine, "memory_fraction", e.memory_fraction);
    j["engine"] = std::move(engine);
    Json headroom = Json::object();
    put_number(headroom, "utilisation", e.utilisation);
    put_number(headroom, "max_utilisation", e.max_utilisation);
    put_number(headroom, "memory_used_fraction", e.memory_available_gib > 0 ? e.memory_needed_gib / e.memory_available_gib : 0.0);
    put_number(headroom, "memory_fraction", e.memory_fraction);
    headroom["replicas"] = e.count * e.replicas_per_instance;
    headroom["min_replicas"] = e.min_replicas;
    j["headroom"] = std::move(headroom);
  }
  j["confidence"] = confidence_json(e.confidence);
  put_number(j, "score", cand.score);
  Json components = Json::object();
  for (const auto& [name, value] : cand.components) put_number(components, name.c_str(), value);
  j["score_components"] = std::move(components);
  j["notes"] = e.notes;
  if (!e.unknowns.empty()) j["unknowns"] = e.unknowns;
  if (cand.excluded()) j["excluded_by"] = cand.exclusions;
  return j;
}

namespace {

/// Every feasible candidate as {id, instance, service, cloud, compute, count, cost, time_hours |
/// throughput, pareto, recommended}. `cost` is the cost for the work: USD for the run (training,
/// batch) or USD per hour (real-time serving). A point is on the Pareto front when no other point
/// costs no more and is no worse on the other axis (less time, or more throughput), being strictly
/// better on one of them.
Json feasible_points(const workload::Workload& w, const scoring::Decision& d, const catalog::Catalog& c) {
  const bool job = w.trains() || w.mode == workload::Mode::batch;
  struct Point {
    double cost = 0;
    std::optional<double> y;  // oriented so that lower is better
  };
  std::vector<Point> points;
  Json out = Json::array();
  // From the ranking's compact entries: charting every feasible option needs no full candidates.
  for (std::size_t k = 0; k < d.ranked.size(); ++k) {
    const scoring::Ranking::Entry& x = d.ranked.entry(k);
    const std::string instance_id = x.instance ? x.instance->id : "serverless";
    const catalog::Instance* i = c.instance(instance_id);
    const catalog::Service* s = c.service(x.service->id);
    Json p = Json::object();
    p["id"] = x.id();
    p["instance"] = i ? i->name : instance_id;
    p["service"] = x.service->id;
    p["cloud"] = i ? std::string(catalog::to_string(i->cloud)) : (s ? std::string(catalog::to_string(s->cloud)) : "");
    p["compute"] = std::string(catalog::to_string(x.compute));
    p["count"] = x.count;
    put_number(p, "cost", x.cost_for_work);
    put_number(p, job ? "time_hours" : "throughput", job ? x.time_hours : x.throughput);
    // Compared as written (put_number rounds), so that a reader checking the front agrees.
    Point pt{p["cost"].get<double>(), std::nullopt};
    if (p.contains("time_hours")) pt.y = p["time_hours"].get<double>();
    if (p.contains("throughput")) pt.y = -p["throughput"].get<double>();
    points.push_back(pt);
    out.push_back(std::move(p));
  }
  for (std::size_t a = 0; a < points.size(); ++a) {
    bool dominated = !points[a].y.has_value();
    for (std::size_t b = 0; b < points.size() && !dominated; ++b) {
      if (a == b || !points[b].y) continue;
      const bool no_worse = points[b].cost <= points[a].cost && *points[b].y <= *points[a].y;
      const bool better = points[b].cost < points[a].cost || *points[b].y < *points[a].y;
      dominated = no_worse && better;
    }
    out[a]["pareto"] = !dominated;
    out[a]["recommended"] = a == 0;  // ranked is best first
  }
  return out;
}

}  // namespace

Json recommendation_report(const workload::Workload& w, const sizing::Requirements& req, const scoring::Decision& d,
                           const catalog::Catalog& c, const ReportOptions& options) {
  Json r = Json::object();
  r["schema_version"] = k_schema_version;
  r["catalog_as_of"] = c.meta.as_of;
  r["hours_per_month"] = k_hours_per_month;
  r["workload"] = workload::to_json(w);
  r["estimate"] = requirements_json(req);
  const bool feasible = !d.ranked.empty();
  r["verdict"] = feasible ? "ok" : "no-feasible-option";
  r["compute"] = {{"choice", feasible ? Json(d.compute_choice) : Json(nullptr)}, {"reasons", d.compute_reasons}};
  r["recommendation"] = feasible ? option_json(d.ranked.front(), c, &w) : Json(nullptr);
  Json alternatives = Json::array();
  for (const auto& a : d.alternatives) alternatives.push_back(option_json(a, c, &w));
  r["alternatives"] = std::move(alternatives);
  r["deployment"] = {{"choice", feasible ? Json(d.deployment_choice) : Json(nullptr)},
                     {"service", feasible ? Json(d.deployment_service) : Json(nullptr)},
                     {"reasons", d.deployment_reasons}};
  Json nearest = Json::array();
  for (const auto& n : d.nearest) nearest.push_back(option_json(n, c, &w));
  r["nearest"] = std::move(nearest);
  Json relaxations = Json::array();
  for (const auto& x : d.relaxations) {
    Json j = {{"kind", x.kind}, {"field", x.field}};
    if (x.from_value) put_number(j, "from", *x.from_value);
    else j["from"] = x.from;
    if (x.to_value) put_number(j, "to", *x.to_value);
    else j["to"] = x.to;
    put_number(j, "factor", x.factor);
    j["option"] = option_json(x.option, c, &x.workload);
    relaxations.push_back(std::move(j));
  }
  r["relaxations"] = std::move(relaxations);
  Json api = Json::array();
  for (const auto& a : d.api) {
    Json j = {{"service", a.service}, {"model", a.model}, {"cheaper_at_stated_load", a.cheaper}, {"source", a.source}, {"as_of", a.as_of}};
    put_number(j, "input_usd_per_1m_tokens", a.input_usd_per_1m_tokens);
    put_number(j, "output_usd_per_1m_tokens", a.output_usd_per_1m_tokens);
    if (a.per_run) {
      put_number(j, "api_usd_for_run", a.api_usd_for_run);
      put_number(j, "self_host_usd_for_run", a.self_host_usd_for_run);
      put_number(j, "tokens_for_run", a.tokens_for_run);
    } else {
      put_number(j, "api_usd_per_hour", a.api_usd_per_hour);
      put_number(j, "self_host_usd_per_hour", a.self_host_usd_per_hour);
      put_number(j, "tokens_per_day_at_load", a.tokens_per_day_at_load);
      put_number(j, "break_even_tokens_per_day", a.break_even_tokens_per_day);
    }
    api.push_back(std::move(j));
  }
  r["api_vs_self_host"] = std::move(api);
  Json fired = Json::array();
  for (const auto& f : d.rules_fired) {
    Json j = {{"id", f.id}, {"description", f.description}, {"effect", f.effect}, {"candidates", f.candidates}, {"for_pick", f.for_pick}};
    if (options.explain) {
      j["rationale"] = f.rationale;
      j["inputs"] = f.inputs;
    }
    fired.push_back(std::move(j));
  }
  r["rules_fired"] = std::move(fired);
  Json excluded = Json::object();
  for (const auto& [rule, count] : d.excluded_by_rule) excluded[rule] = count;
  r["excluded"] = std::move(excluded);
  r["candidates_considered"] = d.candidates_considered;
  r["warnings"] = d.warnings;
  if (feasible) {
    for (auto& warning : plausibility_warnings(r["workload"], r["recommendation"], "the recommended option")) {
      r["warnings"].push_back(std::move(warning));
    }
  }
  if (options.feasible_points) r["feasible"] = feasible_points(w, d, c);
  if (options.explain) {
    Json trace = Json::object();
    Json groups = Json::array();
    for (const auto& [rule, count] : d.excluded_by_rule) {
      groups.push_back({{"rule", rule}, {"candidates", count}, {"examples", d.excluded_examples.at(rule)}});
    }
    trace["excluded_groups"] = std::move(groups);
    Json top = Json::array();
    for (std::size_t k = 0; k < d.ranked.size() && k < 5; ++k) {
      Json t = {{"id", d.ranked[k].id}};
      put_number(t, "score", d.ranked[k].score);
      Json components = Json::object();
      for (const auto& [name, value] : d.ranked[k].components) put_number(components, name.c_str(), value);
      t["components"] = std::move(components);
      put_number(t, "cost_for_work_usd", d.ranked[k].cost_for_work);
      top.push_back(std::move(t));
    }
    trace["top_scores"] = std::move(top);
    // The configurations the search tried for the pick (sizing::EstimateOptions::search).
    Json search = Json::array();
    if (feasible) {
      for (const auto& t : d.ranked.front().estimate.tried) {
        Json x = {{"tensor_parallel", t.tensor_parallel}, {"replicas_per_instance", t.replicas_per_instance}, {"instances", t.count},
                  {"kept", t.kept}, {"why", t.why}};
        if (t.count > 0) {
          put_number(x, "utilisation", t.utilisation);
          put_number(x, "batch_size", t.batch_size);
        }
        search.push_back(std::move(x));
      }
    }
    trace["search"] = std::move(search);
    r["trace"] = std::move(trace);
  }
  return r;
}

}  // namespace aiadvise::report
