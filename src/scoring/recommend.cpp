// recommend(): every candidate evaluated, ranked, and the verdicts drawn, reusing what a memo holds.

#include <fmt/format.h>

#include <array>

#include "aiadvise/util/text.hpp"
#include "scoring/internal.hpp"

namespace aiadvise::scoring {

namespace detail {

Decision Decider::run(const Options& options, std::vector<std::string> warnings) {
  const Prepared& p = prep();
  Decision d;
  d.warnings = std::move(warnings);
  m_counts.assign(p.rules.size(), 0);
  m_first.assign(p.rules.size(), -1);
  evaluate_instances();
  evaluate_serverless();
  m_built.resize(m_all.size());
  d.candidates_considered = m_all.size();
  score(d, options.trace);  // sets d.rules_fired too
  build_ranking();
  if (m_feasible.empty()) {
    if (options.verdicts) nearest_misses(d);
    d.compute_reasons.push_back(fmt::format("no feasible option among {} candidates", d.candidates_considered));
    d.ranked = Ranking(std::move(m_entries), m_source);
    return d;
  }
  if (!options.verdicts) {
    d.ranked = Ranking(std::move(m_entries), m_source);
    return d;
  }
  const Candidate& pick = ranked_full(0);
  for (auto& f : d.rules_fired) {
    f.for_pick = std::find(pick.rules_fired.begin(), pick.rules_fired.end(), f.id) != pick.rules_fired.end();
  }
  compute_verdict(d, pick);
  deployment_verdict(d, pick);
  choose_alternatives(d, options);
  compare_api(d, pick);
  d.ranked = Ranking(std::move(m_entries), m_source);
  return d;
}

}  // namespace detail

using namespace detail;

namespace {

// Which decision of a workload a memo entry keeps: the options that change what it holds.
int memo_variant(const Options& options) { return options.top * 2 + (options.trace ? 1 : 0); }

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

namespace detail {

Decision decide(const Workload& w, const sizing::Requirements& req, const catalog::Catalog& c, const std::shared_ptr<const Prepared>& prep,
                std::shared_ptr<const Context>& ctx, const Options& options) {
  std::vector<catalog::Choice> offers = ctx ? std::vector<catalog::Choice>() : prep->offers(w, c);
  // The instances' estimates, which needs_accelerator starts and the decision goes on with.
  Bases bases(w, req, c, *prep, ctx ? ctx->offers : offers);
  if (!ctx) {
    Facts wf = facts_with_needs(w, req, c, offers, [&](std::size_t k) { return bases[bases.of(static_cast<std::uint32_t>(k))].cpu_ok; });
    ctx = make_context(w, req, c, prep, std::move(wf), offers);  // a copy: `bases` reads `offers`
  }
  Decider decider(ctx, bases);
  return decider.run(options, region_warnings(w, c, ctx->offers));
}

}  // namespace detail

Decision recommend(const Workload& w, const sizing::Requirements& req, const catalog::Catalog& c, const Options& options) {
  // The memo keeps whole decisions (unless it was made to keep none).
  Memo::Impl* memo = options.verdicts && t_memo && t_memo->max_entries > 0 ? t_memo : nullptr;
  std::string key;
  Memo::Impl::Entry* entry = nullptr;
  if (memo) {
    key = memo_key(c, w, req);
    entry = memo->find(key);
    if (entry) {
      for (const auto& [variant, decision] : entry->decisions) {
        if (variant == memo_variant(options)) {
          ++memo->stats.hits;
          return decision;
        }
      }
    }
    ++memo->stats.misses;
  }

  std::shared_ptr<const Context> ctx = entry ? entry->context : nullptr;
  const std::shared_ptr<const Prepared> prep = ctx ? ctx->prep : prepared(c);
  Decision d = decide(w, req, c, prep, ctx, options);
  if (d.ranked.empty()) d.relaxations = relaxations(w, c, prep, d, options);
  if (memo) {
    if (!entry) entry = &memo->insert(std::move(key), ctx);
    entry->decisions.emplace_back(memo_variant(options), d);
  }
  return d;
}

}  // namespace aiadvise::scoring
