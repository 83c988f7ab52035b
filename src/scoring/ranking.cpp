// The quick evaluation of every candidate (numbers and fired rules, no words), its score, and the
// ranking of the feasible ones, whose full candidates are built only when looked at.

#include <fmt/format.h>

#include <cstring>

#include "scoring/internal.hpp"

namespace aiadvise::scoring {

using detail::k_serverless;
using detail::Light;

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

namespace detail {

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

void Decider::evaluate_instances() {
  const Context& ctx = *m_ctx;
  const Workload& w = ctx.w;
  const Prepared& p = prep();
  const SlotIds& k = slot_ids();
  // What does not depend on the service: rules that read only this are fired once per instance.
  std::vector<bool> per_instance(static_cast<std::size_t>(rules::slot_count()), false);
  for (int slot : {k.compute, k.cloud, k.instance, k.accelerator, k.has_accelerator, k.accelerators_per_instance, k.count, k.latency,
                   k.performance_known, k.fits, k.meets_targets, k.meets_deadline, k.framework_supported, k.family_supported, k.precision_supported,
                   k.model_runs_here}) {
    per_instance[static_cast<std::size_t>(slot)] = true;
  }
  const rules::Specialised rules(p.rules, p.symbols, ctx.workload_facts, per_instance);
  // Which services run the workload on each compute kind.
  std::vector<std::array<bool, 5>> serves(c().services.size());
  for (std::size_t s = 0; s < serves.size(); ++s) {
    for (std::size_t kind = 0; kind < 5; ++kind) serves[s][kind] = service_serves(c().services[s], w, static_cast<ComputeKind>(kind));
  }
  std::array<bool, 5> runs_here{};  // per compute kind: the named model's tooling runs there
  for (std::size_t kind = 0; kind < runs_here.size(); ++kind) runs_here[kind] = model_runs_on(c(), w, static_cast<ComputeKind>(kind));
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
    if (!allowed(w, e.compute)) continue;  // --compute: not a candidate, as another cloud is not
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
        // A chip without the precision is reported by accelerator-precision, not as a misfit.
        facts[k.fits] = rules::Fact::of(e.fits || !e.performance_known || !e.precision_supported);
        facts[k.precision_supported] = rules::Fact::of(e.precision_supported);
        facts[k.meets_targets] = rules::Fact::of(e.meets_targets);
        facts[k.meets_deadline] = rules::Fact::of(!(w.deadline_hours && e.time_hours && *e.time_hours > *w.deadline_hours));
        const auto [framework_ok, family_ok] = accelerator_support(info.accelerator, e.compute, w);
        facts[k.framework_supported] = rules::Fact::of(framework_ok);
        facts[k.family_supported] = rules::Fact::of(family_ok);
        facts[k.model_runs_here] = rules::Fact::of(runs_here[static_cast<std::size_t>(e.compute)]);
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
    if (!cand || !allowed(w(), cand->estimate.compute)) continue;
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

std::vector<FiredRule> Decider::fired_rules(bool trace) const {
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
    if (!trace) {
      out.push_back(std::move(f));
      continue;
    }
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

void Decider::score(Decision& d, bool trace) {
  const Workload& w = this->w();
  const Prepared& p = prep();
  // Score the feasible ones.
  // NOTE: an option whose speed is extrapolated (no calibration point of the family on that
  // hardware) is ranked at the top of its error band: its cost for the work may be that many times
  // what the estimate says. A calibrated option wins unless the extrapolated one is cheaper even
  // then, so that a guess is never recommended over a measured answer on a guess's margin.
  double min_cost = 0;
  for (auto& l : m_all) {
    if (l.excluded) continue;
    l.cost_for_work = cost_for_work(w, l.cost_usd, l.price);
    const double ranked = l.cost_for_work * base_of(l).risk;
    if (ranked > 0 && (min_cost == 0 || ranked < min_cost)) min_cost = ranked;
  }
  std::vector<std::uint32_t>& feasible = m_feasible;
  std::vector<int> excluded(p.rules.size(), 0);  // by rule, before grouping by text
  for (std::uint32_t k = 0; k < m_all.size(); ++k) {
    Light& l = m_all[k];
    if (l.excluded) {
      std::size_t nth = 0;  // which of the candidate's exclusions this is
      for (std::uint32_t f = l.fired_begin; f < l.fired_begin + l.fired_count; ++f) {
        const std::uint16_t r = m_fired[f];
        if (!p.rules[r].exclude) continue;
        if (excluded[r]++ < 3 && trace) {
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
    double ranked = l.cost_for_work * e.risk;
    double tie_break = 0;
    if (l.cost_usd) {
      // A job: cents do not decide against a rule, but among options that differ only by cents the
      // cheaper still wins, ahead of headroom and slack (at most k_weight_headroom + k_weight_slack).
      tie_break = (k_weight_headroom + k_weight_slack) * std::min(1.0, (ranked - min_cost) / k_negligible_run_cost_usd);
      ranked = std::max(min_cost, ranked - k_negligible_run_cost_usd);
    }
    l.cost_score = ranked > 0 ? min_cost / ranked - tie_break : 0;
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

  d.rules_fired = fired_rules(trace);
}

void Decider::build_ranking() {
  const std::vector<std::uint32_t>& feasible = m_feasible;
  std::vector<Ranking::Entry>& entries = m_entries;
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
    x.risk = e.risk;
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
}

// A ranked candidate the decision builds is handed to the ranking rather than built twice, and
// not copied: one the decision built already (the rules' trace asked for it) is moved over, and its
// own slot emptied, so that full() would build it again were it asked for once more.
const Candidate& Decider::ranked_full(std::size_t rank) {
  Ranking::Source& source = *m_source;
  auto& slot = source.built[rank];
  if (!slot) {
    const std::uint32_t k = m_feasible[rank];
    if (auto& mine = m_built[k]) {
      slot = std::make_unique<const Candidate>(std::move(*mine));
      mine.reset();
    } else {
      slot = std::make_unique<const Candidate>(source.build(m_all[k], m_fired.data() + m_all[k].fired_begin));
    }
    ++source.built_count;
  }
  return *slot;
}

std::string Decider::instance_name(std::size_t rank) const {
  const Light& l = m_source->ranked[rank];
  const catalog::Instance* i = shown_instance(l);
  return i ? i->name : std::string(instance_id(l));
}

}  // namespace detail

}  // namespace aiadvise::scoring
