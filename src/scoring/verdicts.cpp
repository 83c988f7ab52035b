// The verdicts drawn from a ranking: the compute kind, managed or self-managed, the alternatives
// shown, the per-token API comparison, and the nearest misses when nothing is feasible. Each
// records the comparison that decided it.

#include <fmt/format.h>

#include <set>

#include "aiadvise/util/human.hpp"
#include "aiadvise/util/text.hpp"
#include "scoring/internal.hpp"

namespace aiadvise::scoring::detail {

namespace {

// What a cost is for: the whole run (training, batch inference) or an hour of serving.
std::string cost_basis(const Workload& w) { return (w.trains() || w.mode == Mode::batch) ? "for the run" : "per hour"; }

// "; ranked below the pick by rule X +0.1, headroom +0.02": the score parts other than cost in
// which `pick` leads `other` (empty when none does).
std::string score_gap(const Candidate& pick, const Candidate& other) {
  std::set<std::string> names;
  for (const auto& part : pick.components) names.insert(part.first);
  for (const auto& part : other.components) names.insert(part.first);
  auto part_of = [](const Candidate& c, const std::string& name) {
    const auto it = c.components.find(name);
    return it == c.components.end() ? 0.0 : it->second;
  };
  std::vector<std::string> leads;
  for (const auto& name : names) {
    if (name == "cost") continue;
    const double gap = part_of(pick, name) - part_of(other, name);
    if (gap <= 1e-6) continue;
    const std::string shown = name.rfind("rule:", 0) == 0 ? "rule " + name.substr(5) : name;
    leads.push_back(fmt::format("{} +{:.2g}", shown, gap));
  }
  return leads.empty() ? std::string() : "; ranked below the pick by " + util::join(leads, ", ");
}

}  // namespace

// The nearest misses when nothing is feasible: excluded only by targets, deadline or budget,
// cheapest first.
void Decider::nearest_misses(Decision& d) {
  const Workload& w = this->w();
  const Prepared& p = prep();
  static const std::set<std::string> soft{"latency-targets", "deadline", "budget-hourly", "budget-total"};
  std::vector<std::uint32_t> nearest;
  for (std::uint32_t k = 0; k < m_all.size(); ++k) {
    const Light& l = m_all[k];
    bool only_soft = true;
    const std::string* group = nullptr;  // the one soft group that excludes it, if only one does
    bool one_group = true;
    for (std::uint32_t f = l.fired_begin; f < l.fired_begin + l.fired_count && only_soft; ++f) {
      const std::uint16_t r = m_fired[f];
      if (!p.rules[r].exclude) continue;
      only_soft = soft.count(p.groups[r]) > 0;
      if (group && *group != p.groups[r]) one_group = false;
      group = &p.groups[r];
    }
    if (!only_soft || !l.price) continue;
    nearest.push_back(k);
    // What the one constraint that excludes it would have to allow (relaxations.cpp starts there).
    if (group && one_group) {
      std::optional<double> need;
      if (*group == "deadline") need = base_of(l).time_hours;
      if (*group == "budget-hourly") need = l.price;
      if (*group == "budget-total") need = l.cost_usd;
      if (*group == "latency-targets" && base_of(l).latency_ratio > 1) need = base_of(l).latency_ratio;
      if (need) {
        auto [it, inserted] = d.least_needed.emplace(*group, *need);
        if (!inserted) it->second = std::min(it->second, *need);
      }
    }
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
}

// Every compute kind with candidates but no feasible option, named with the rule that removed most
// of them and one of its exclusions; kinds removed by the same rule share a line. Where the rule is
// about the workload's method rather than the numbers, the line says what brings the kind back. A
// kind the allowed clouds do not offer is not named (nor one --compute left out).
void Decider::missing_kinds(Decision& d) {
  const Workload& w = this->w();
  const Prepared& p = prep();
  const std::vector<Ranking::Entry>& entries = m_entries;
  struct Missing {
    std::uint16_t rule = 0;
    std::vector<std::string> kinds;
    std::uint32_t example = 0;  // a candidate the rule excluded
    std::size_t excluded = 0, candidates = 0;
  };
  std::vector<Missing> missing;
  const auto& kinds = catalog::compute_kind_names();
  for (std::size_t k = 0; k < kinds.size(); ++k) {
    const auto kind = static_cast<ComputeKind>(k);
    if (kinds[k] == d.compute_choice) continue;
    if (!w.compute.empty() && std::find(w.compute.begin(), w.compute.end(), kind) == w.compute.end()) continue;
    if (std::any_of(entries.begin(), entries.end(), [&](const Ranking::Entry& x) { return x.compute == kind; })) continue;
    // Per excluding rule: how many of this kind's candidates it removed, and the first of them.
    std::vector<std::pair<std::size_t, std::uint32_t>> by_rule(p.rules.size(), {0, 0});
    std::size_t candidates = 0;
    for (std::uint32_t c = 0; c < m_all.size(); ++c) {
      const Light& l = m_all[c];
      if (base_of(l).compute != kind) continue;
      ++candidates;
      for (std::uint32_t f = l.fired_begin; f < l.fired_begin + l.fired_count; ++f) {
        const std::uint16_t r = m_fired[f];
        if (!p.rules[r].exclude) continue;
        if (by_rule[r].first++ == 0) by_rule[r].second = c;
      }
    }
    if (candidates == 0) {
      if (kind == ComputeKind::cpu && w.compute.empty()) d.compute_reasons.push_back("no CPU option is feasible");
      continue;
    }
    // The rule that removed the most (ties: the first in rule order).
    std::size_t best = 0;
    for (std::size_t r = 1; r < by_rule.size(); ++r) {
      if (by_rule[r].first > by_rule[best].first) best = r;
    }
    if (by_rule[best].first == 0) continue;
    const auto rule = static_cast<std::uint16_t>(best);
    auto same = std::find_if(missing.begin(), missing.end(), [&](const Missing& m) { return m.rule == rule; });
    if (same == missing.end()) {
      missing.push_back(Missing{rule, {}, by_rule[best].second, 0, 0});
      same = missing.end() - 1;
    }
    same->kinds.push_back(kind == ComputeKind::cpu ? std::string("CPU") : kinds[k]);
    same->excluded += by_rule[best].first;
    same->candidates += candidates;
  }
  for (const Missing& m : missing) {
    std::vector<std::string> names = m.kinds;
    std::string kinds_text = names.back();
    if (names.size() > 1) {
      names.pop_back();
      kinds_text = util::join(names, ", ") + " or " + kinds_text;
    }
    const std::string& id = p.rules[m.rule].id;
    // NOTE: the rules that leave a kind out for the workload's method, not its numbers, say how to
    // bring it back; every other rule is shown by one of its exclusions.
    if (id == "training-cpu-deep-network") {
      d.compute_reasons.push_back(fmt::format("no {} option: CPUs are not proposed for training a deep network (rule {}; list cpu in "
                                              "--compute to compare them)",
                                              kinds_text, id));
      continue;
    }
    if (id == "qlora-needs-bitsandbytes") {
      d.compute_reasons.push_back(fmt::format("no {} option: QLoRA's 4-bit weights need bitsandbytes, which runs on GPUs and CPUs only "
                                              "(rule {}; --method lora runs on them)",
                                              kinds_text, id));
      continue;
    }
    // The example: the candidate's exclusion by this rule ("id: reason").
    const Light& l = m_all[m.example];
    std::size_t nth = 0;
    std::string example;
    for (std::uint32_t f = l.fired_begin; f < l.fired_begin + l.fired_count; ++f) {
      const std::uint16_t r = m_fired[f];
      if (!p.rules[r].exclude) continue;
      if (r == m.rule) {
        const auto& exclusions = full(m.example).exclusions;
        if (nth < exclusions.size()) example = exclusions[nth];
        break;
      }
      ++nth;
    }
    // The example names its rule first ("id: reason"); the line names it already.
    if (example.rfind(id + ": ", 0) == 0) example.erase(0, id.size() + 2);
    std::string line = m.excluded == m.candidates ? fmt::format("no {} option: rule {} excludes all {}", kinds_text, id, m.candidates)
                                                  : fmt::format("no {} option: rule {} excludes {} of {}", kinds_text, id, m.excluded, m.candidates);
    if (!example.empty()) line += fmt::format(", for example {}", example);
    d.compute_reasons.push_back(std::move(line));
  }
}

// The compute kind follows from the best feasible options, with the comparison that decided it.
void Decider::compute_verdict(Decision& d, const Candidate& pick) {
  const Workload& w = this->w();
  const std::vector<Ranking::Entry>& entries = m_entries;
  d.compute_choice = std::string(catalog::to_string(pick.estimate.compute));
  const catalog::Instance* pi = c().instance(pick.instance);
  const std::string basis = cost_basis(w);
  d.compute_reasons.push_back(fmt::format("best option: {} x {} ({}) at {} {}", pick.estimate.count, pi ? pi->name : pick.instance,
                                          d.compute_choice, money(pick.cost_for_work), basis));
  if (!w.compute.empty()) {
    std::vector<std::string> kinds_allowed;
    for (auto kind : w.compute) kinds_allowed.emplace_back(catalog::to_string(kind));
    d.compute_reasons.push_back(fmt::format("only {} considered (--compute)", util::join(kinds_allowed, ", ")));
  }
  const auto& kinds = catalog::compute_kind_names();
  for (std::size_t k = 0; k < kinds.size(); ++k) {
    const std::string& kind = kinds[k];
    if (kind == d.compute_choice) continue;
    auto best = std::find_if(entries.begin(), entries.end(), [&](const Ranking::Entry& x) { return x.compute == static_cast<ComputeKind>(k); });
    if (best != entries.end()) {
      const double ratio = best->cost_for_work / std::max(pick.cost_for_work, 1e-12);
      // NOTE: an option at many times the cost is no alternative: it is named as out of range, so
      // that "2048 x t2d-standard-48" is not read as a choice.
      if (ratio > k_alternative_cost_ratio) {
        d.compute_reasons.push_back(fmt::format("no {} option within {:g}x the cost (the best costs {}x)", kind, k_alternative_cost_ratio,
                                                util::format_quantity(ratio)));
        continue;
      }
      std::string reason = fmt::format("best {} option: {} x {} at {} {} ({}x the cost)", kind, best->count,
                                       instance_name(static_cast<std::size_t>(best - entries.begin())), money(best->cost_for_work), basis,
                                       util::format_quantity(ratio));
      if (best->risk > 1 && best->cost_for_work < pick.cost_for_work) {
        reason += fmt::format("; its speed is extrapolated (within x{:.2g}), so it is ranked at the top of that band", best->risk);
      } else if (pick.estimate.cost_usd && best->cost_for_work < pick.cost_for_work &&
                 pick.cost_for_work - best->cost_for_work < k_negligible_run_cost_usd) {
        reason += fmt::format("; less than {} a run cheaper, which does not decide", money(k_negligible_run_cost_usd));
      } else if (best->cost_for_work < pick.cost_for_work) {
        // A cheaper option ranked lower: the parts of the score that put the pick ahead of it.
        reason += score_gap(pick, ranked_full(static_cast<std::size_t>(best - entries.begin())));
      }
      d.compute_reasons.push_back(std::move(reason));
    }
  }
  missing_kinds(d);
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
}

// Managed or self-managed: the service of the best candidate, with the rules and prices behind it.
void Decider::deployment_verdict(Decision& d, const Candidate& pick) {
  const std::vector<Ranking::Entry>& entries = m_entries;
  const std::string basis = cost_basis(w());
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
  const catalog::Instance* pi = c().instance(pick.instance);
  if (pick.estimate.spot && pi) {
    std::string risk = "spot: " + catalog::spot_risk(pi->cloud, w().trains());
    if (!w().trains() && pick.estimate.count < 2) {
      risk += fmt::format(" (the estimate above has {} instance; price 2 for that)", pick.estimate.count);
    }
    d.deployment_reasons.push_back(std::move(risk));
  } else if (w().spot && pi) {
    d.deployment_reasons.push_back(fmt::format("spot was asked for, but the pick is priced on demand: {}",
                                               pick.managed ? pick.service + " is a managed service, priced on demand here"
                                                            : "the catalog has no spot price for " + pi->name + " in " +
                                                                  pick.estimate.region));
  }
}

// Alternatives: the best per cloud and per compute kind, then the next by rank.
void Decider::choose_alternatives(Decision& d, const Options& options) {
  const std::vector<Ranking::Entry>& entries = m_entries;
  const Ranking::Source& source = *m_source;
  const auto& kinds = catalog::compute_kind_names();
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
  // The best of each compute kind, when it is within k_alternative_cost_ratio of the pick; beyond
  // that compute_verdict names it in one line ("no cpu option within 10x the cost") and the table
  // does not offer it as a choice.
  const double pick_cost = entries.front().cost_for_work;
  for (std::size_t k = 0; k < kinds.size(); ++k) {
    auto it = std::find_if(entries.begin(), entries.end(), [&](const Ranking::Entry& x) { return x.compute == static_cast<ComputeKind>(k); });
    if (it != entries.end() && it->cost_for_work <= k_alternative_cost_ratio * std::max(pick_cost, 1e-12)) {
      add(static_cast<std::size_t>(it - entries.begin()));
    }
  }
  for (std::size_t rank = 0; rank < entries.size(); ++rank) {
    if (static_cast<int>(chosen.size()) - 1 >= options.top) break;
    add(rank);
  }
  // Ranks are unique, and rank order is score then id: sorting the ranks sorts the alternatives.
  std::sort(chosen.begin() + 1, chosen.end());
  for (auto it = chosen.begin() + 1; it != chosen.end(); ++it) d.alternatives.push_back(ranked_full(*it));
}

// A per-token API against hosting the model, where the catalog prices one.
void Decider::compare_api(Decision& d, const Candidate& pick) const {
  const Workload& w = this->w();
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
      const double per_request = (in * t.input_usd_per_1m_tokens + out * t.output_usd_per_1m_tokens) / 1e6;
      if (w.mode == Mode::batch) {
        // NOTE: a batch job has no load per hour: the API is priced for the job's tokens and
        // compared with what the self-hosted job costs.
        if (!pick.estimate.cost_usd) continue;
        const double requests = w.dataset_samples.value_or(0);
        a.per_run = true;
        a.tokens_for_run = requests * (in + out);
        a.api_usd_for_run = requests * per_request;
        a.self_host_usd_for_run = *pick.estimate.cost_usd;
        a.cheaper = a.api_usd_for_run < a.self_host_usd_for_run ? "api" : "self-host";
        d.api.push_back(a);
        continue;
      }
      const double rps = w.qps.value_or(1);
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
}

}  // namespace aiadvise::scoring::detail
