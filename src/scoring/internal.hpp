#pragma once
// The decision's parts, shared by the files of src/scoring: what is prepared once per catalog and per
// workload (prepared.cpp), whether and how a candidate can run (eligibility.cpp), a candidate priced
// and evaluated in full (candidates.cpp), the memo (memo.cpp), the quick evaluation and ranking of
// every candidate (ranking.cpp), and the verdicts drawn from the ranking (verdicts.cpp).
// recommend.cpp runs them in order. Not a public interface.

#include <fmt/format.h>

#include <algorithm>
#include <array>
#include <cstdint>
#include <functional>
#include <list>
#include <memory>
#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>
#include <unordered_map>
#include <utility>
#include <vector>

#include "aiadvise/catalog/offers.hpp"
#include "aiadvise/scoring/recommend.hpp"

namespace aiadvise::scoring {

namespace detail {

using catalog::ComputeKind;
using rules::Facts;
using workload::Mode;
using workload::Phase;
using workload::Workload;

// Score weights (docs/scoring.md): cost for the work dominates; memory headroom and slack against
// the targets break near-ties; rule adjustments add or subtract directly.
constexpr double k_weight_headroom = 0.05;
constexpr double k_weight_slack = 0.05;
// A job's costs that differ by less than this many USD per run rank as equal: the CI gate's
// default --min-cost-difference, below which a dearer choice is not worth a finding either.
constexpr double k_negligible_run_cost_usd = 0.5;
// The best option of another compute kind is named as an alternative up to this many times the
// pick's cost; beyond it the reasons say only that none is within it.
constexpr double k_alternative_cost_ratio = 10;

std::string money(double usd);

inline bool realtime(const Workload& w) { return w.phase == Phase::inference && w.mode == Mode::realtime; }

// The fact slots the engine sets, looked up by name once.
// The fact slots the engine sets, looked up by name once.
struct SlotIds {
  int family, sizing, model, phase, method, mode, params, precision, optimizations, priorities, ops_maturity, traffic, qps,
      framework, dataset_samples, memory_gib, needs_accelerator, compute_allowed;
  int compute, cloud, instance, accelerator, has_accelerator, accelerators_per_instance, service, service_kind, management, count,
      price, latency, performance_known, fits, meets_targets, meets_deadline, within_hourly_budget, within_total_budget,
      price_known, framework_supported, family_supported, within_service_limits, precision_supported, model_runs_here;
};

const SlotIds& slot_ids();

// --- Prices (candidates.cpp) ---------------------------------------------------------------------

/// Whether a service's listed price for an instance applies in `region`: a price without a region
/// is for the instance's home region (where the catalog prices it by default).
inline bool listed_for(const catalog::InstancePrice& p, const catalog::Instance& i, std::string_view region) {
  return p.region.empty() ? region == i.region : region == p.region;
}
/// The price one instance costs under a service, at the offer chosen for the workload (`offer`);
/// empty when the catalog does not know it. `spot` says whether it is a spot price: only services
/// priced as the VMs themselves sell spot capacity here; managed services are priced on demand.
std::optional<double> service_price(const catalog::Service& s, const catalog::Instance& i, const catalog::Choice& offer,
                                    std::string& how, bool& spot);
/// Reprices an estimate for a per-instance price and a fixed fee per hour.
void reprice(sizing::Estimate& e, std::optional<double> per_instance, double fee_per_hour, const Workload& w);
/// USD for the run (training, batch inference) or per hour (serving).
double cost_for_work(const Workload& w, const std::optional<double>& cost_usd, const std::optional<double>& price_usd_per_hour);
double cost_for_work(const Workload& w, const sizing::Estimate& e);

// --- Prepared once per catalog and per workload (prepared.cpp) -----------------------------------

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

  explicit Prepared(const catalog::Catalog& c);

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
  /// The factors every estimate of this catalog looks up, for every decision made with it (a
  /// memo: what it holds follows from the catalog alone). A Prepared is used by one thread: the
  /// thread's scoring::Memo keeps it, or one decision makes its own.
  mutable sizing::FactorMemo factors;
  /// choose_offers(w, c), kept for the region list and spot asked for last: the offers follow from
  /// the catalog and those two alone, and a batch run asks the same for line after line.
  const std::vector<catalog::Choice>& offers(const Workload& w, const catalog::Catalog& c) const;

 private:
  mutable const catalog::Catalog* m_offers_catalog = nullptr;
  mutable std::optional<std::string> m_offers_region;
  mutable bool m_offers_spot = false;
  mutable std::vector<catalog::Choice> m_offers;
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

/// The offer each instance of the catalog is bought at under the workload's region and spot settings.
std::vector<catalog::Choice> choose_offers(const Workload& w, const catalog::Catalog& c);
/// The offer chosen for an instance of the context's catalog (or, for one from elsewhere, chosen now).
catalog::Choice offer_of(const Context& ctx, const catalog::Instance& i);

Facts workload_facts(const Workload& w, const sizing::Requirements& req);
/// The catalog's Prepared: the memo's when one is alive on this thread, else a new one.
std::shared_ptr<const Prepared> prepared(const catalog::Catalog& c);
std::shared_ptr<const Context> make_context(const Workload& w, const sizing::Requirements& req, const catalog::Catalog& c,
                                            std::shared_ptr<const Prepared> prep, Facts wf, std::vector<catalog::Choice> offers);

// --- Eligibility: what a candidate can run, and the rules over its facts (eligibility.cpp) -------

/// Whether a service can run the workload on a compute kind (phase, mode, accelerators).
bool service_serves(const catalog::Service& s, const Workload& w, ComputeKind kind);
/// Whether some CPU instance in the allowed clouds fits the workload and meets its latency target.
bool cpu_feasible(const sizing::Estimate& e, const Workload& w);
bool allowed(const Workload& w, catalog::Cloud cloud);
/// The compute kind is one the user allows (--compute; all when none is named).
bool allowed(const Workload& w, catalog::ComputeKind kind);
/// Whether the targets are met, judged only where the model fits (fit-memory reports the rest).
bool meets_targets(const Workload& w, const sizing::Estimate& e);
/// Whether the instance's accelerator runs the workload's framework and family (true where unused).
std::pair<bool, bool> accelerator_support(const catalog::Hardware* h, ComputeKind compute, const Workload& w);
/// Whether the named model's own tooling runs on `compute` (catalog Model::runs_on; true for a
/// model without that list, or no named model).
bool model_runs_on(const catalog::Catalog& c, const Workload& w, ComputeKind compute);
/// Whether the service's limits allow the workload at the estimated latency; the reasons if not.
bool within_limits(const catalog::Service& s, const sizing::Estimate& e, const Workload& w, std::vector<std::string>& limit_reasons);
Facts candidate_facts(const Context& ctx, const Candidate& cand, const catalog::Instance& i, const catalog::Service* s,
                      std::vector<std::string>& limit_reasons);
std::string exclusion_reason(const rules::Rule& r, const Context& ctx, const Candidate& cand, const catalog::Instance& i,
                             const std::vector<std::string>& limit_reasons);
/// The rules that fire on a candidate's facts, in rule order. Counts and first inputs go to `fired`
/// when given.
std::vector<std::uint16_t> fire_rules(const Prepared& prep, const Facts& facts, std::map<std::string, FiredRule>* fired);
/// What the rules that fired do to a candidate: exclusions record their reason with numbers, score
/// rules their adjustment. `reason` words an exclusion.
void apply_rules(const Prepared& prep, const std::uint16_t* indices, std::size_t count, Candidate& cand,
                 const std::function<std::string(const rules::Rule&)>& reason);

// The workload's facts, with needs_accelerator: whether no CPU instance in the allowed clouds fits
// and meets the latency targets. `cpu_ok(k)` estimates CPU-only instance k and says whether it does.
template <typename CpuOk>
Facts facts_with_needs(const Workload& w, const sizing::Requirements& req, const catalog::Catalog& c,
                       const std::vector<catalog::Choice>& offers, CpuOk&& cpu_ok) {
  Facts wf = workload_facts(w, req);
  bool any_cpu = false;
  for (std::size_t k = 0; k < c.instances.size() && !any_cpu; ++k) {
    const auto& i = c.instances[k];
    if (i.accelerator || !allowed(w, i.cloud) || !allowed(w, catalog::ComputeKind::cpu) || !offers[k].offered || i.burstable) continue;
    any_cpu = cpu_ok(k);
  }
  wf.set(slot_ids().needs_accelerator, !any_cpu);
  return wf;
}

// --- Candidates in full (candidates.cpp) ---------------------------------------------------------

/// One instance under one service, priced for the service, before the rules.
Candidate priced_candidate(const Context& ctx, const catalog::Instance& i, const catalog::Service& s, const sizing::Estimate& base);
/// One instance under one service, in full (words included), from an estimate made with words for
/// that instance: the rules evaluated on its facts, counted in `fired` when given.
Candidate evaluate_full(const Context& ctx, const catalog::Instance& i, const catalog::Service& s, const sizing::Estimate& base,
                        std::map<std::string, FiredRule>* fired);
/// The same, with the rules that fire already known (from the quick evaluation): only the words
/// are made.
Candidate assemble(const Context& ctx, const catalog::Instance& i, const catalog::Service& s, const sizing::Estimate& base,
                   const std::uint16_t* fired, std::size_t count);
/// Serverless inference under `s`; nothing when the workload is not real-time inference.
std::optional<Candidate> serverless_candidate(const Context& ctx, const catalog::Service& s, std::map<std::string, FiredRule>* fired,
                                              std::vector<std::uint16_t>* indices = nullptr, Facts* facts_out = nullptr);

// --- The decision and what to change when nothing fits (recommend.cpp, relaxations.cpp) ---------

/// One decision without the memo and without relaxations; `ctx` is made when null (and returned).
Decision decide(const Workload& w, const sizing::Requirements& req, const catalog::Catalog& c, const std::shared_ptr<const Prepared>& prep,
                std::shared_ptr<const Context>& ctx, const Options& options);
/// A numeric constraint is relaxed up to this many times its value, and no further.
constexpr double k_max_relaxation_factor = 10;
/// At most this many decisions are re-run to find the relaxations of one infeasible workload.
constexpr int k_max_relaxation_runs = 24;
/// The single changes to `w` under which an option is feasible (`d` is its infeasible decision).
std::vector<Relaxation> relaxations(const Workload& w, const catalog::Catalog& c, const std::shared_ptr<const Prepared>& prep,
                                    const Decision& d, const Options& options);

// --- Memo (memo.cpp) -----------------------------------------------------------------------------

/// The memo key: every field of the workload and the requirements, as bytes.
std::string memo_key(const catalog::Catalog& c, const Workload& w, const sizing::Requirements& r);

// --- The quick evaluation and the ranking (ranking.cpp) ------------------------------------------

constexpr std::uint32_t k_serverless = UINT32_MAX;

// An instance's estimate as the decision compares it: its numbers, without the words.
struct Base {
  ComputeKind compute = ComputeKind::cpu;
  int count = 1;
  bool fits = false, performance_known = true, meets_targets = true;
  bool cpu_ok = false;  ///< cpu_feasible()
  bool precision_supported = true;  ///< sizing::Estimate::precision_supported
  double headroom = 0;
  std::optional<double> latency_ms, time_hours, throughput;
  /// What the cost is ranked at: 1, or the error band of an extrapolated speed (ranking.cpp).
  double risk = 1;
  /// The largest ratio of an estimated latency to its target (0 without targets): what the
  /// targets would have to allow (relaxations.cpp).
  double latency_ratio = 0;
};

inline double latency_ratio(const sizing::Estimate& e, const Workload& w) {
  double ratio = 0;
  for (auto [got, want] : {std::pair{e.latency_ms, w.latency_ms}, std::pair{e.ttft_ms, w.ttft_ms}, std::pair{e.tpot_ms, w.tpot_ms}}) {
    if (got && want && *want > 0) ratio = std::max(ratio, *got / *want);
  }
  return ratio;
}

inline Base summary(const sizing::Estimate& e, const Workload& w) {
  return Base{e.compute, e.count, e.fits, e.performance_known, meets_targets(w, e), cpu_feasible(e, w), e.precision_supported, e.headroom,
              e.latency_ms, e.time_hours, e.throughput, e.confidence.extrapolated ? std::max(1.0, e.confidence.band) : 1.0,
              latency_ratio(e, w)};
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
      sizing::EstimateOptions o = decision_options(m_w);
      o.words = false;
      o.factors = &m_prep.factors;
      o.precisions = &m_precisions;
      o.offer = &m_offers[instance];  // what choose_offers chose for it
      m_bases.push_back(summary(sizing::estimate(m_w, m_req, m_c, m_c.instances[instance], info.accelerator, info.cpu, o), m_w));
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
  sizing::PrecisionMemo m_precisions;  // for m_w
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


/// "<instance id>@<service id>" compared without building the strings.
int compare_ids(std::string_view a1, std::string_view a2, std::string_view b1, std::string_view b2);

}  // namespace detail

struct Memo::Impl {
  struct Entry {
    std::string key;
    std::shared_ptr<const detail::Context> context;
    std::vector<std::pair<int, Decision>> decisions;  ///< by Options::top and trace (memo_variant)
  };
  std::size_t max_entries, max_bytes;
  /// What was prepared per catalog, by generation(), the most recently used first; at most
  /// k_max_prepared (a batch run uses its own catalog and, for a line with a model read from
  /// files, one more at a time), so catalogs that come and go do not grow memory.
  std::list<std::pair<std::uint64_t, std::shared_ptr<const detail::Prepared>>> prepared;
  static constexpr std::size_t k_max_prepared = 4;
  std::list<Entry> entries;  ///< most recently used first
  std::unordered_map<std::string_view, std::list<Entry>::iterator> index;
  Stats stats;

  Entry* find(const std::string& key);
  /// Makes room for one more: the least recently used go first, until there are fewer than
  /// max_entries and they hold less than max_bytes (ranked candidates built since they were stored
  /// count too).
  Entry& insert(std::string key, std::shared_ptr<const detail::Context> context);
};

namespace detail {

/// The memo alive on this thread, if any (memo.cpp).
extern thread_local Memo::Impl* t_memo;

}  // namespace detail

// Builds full candidates from light ones: the words of the estimate, the price and the rules that
// fired, with the code that evaluates a single candidate (a serverless one is evaluated again, and
// must agree). Shared by a decision's ranking and its copies.
class Ranking::Source {
  using Context = detail::Context;
  using Light = detail::Light;

 public:
  explicit Source(std::shared_ptr<const Context> ctx) : m_ctx(std::move(ctx)) {}

  const Context& context() const { return *m_ctx; }

  // The full candidate for `l`, whose fired rules are `fired[0..count)`.
  Candidate build(const Light& l, const std::uint16_t* fired) const {
    const Context& ctx = *m_ctx;
    const auto& s = ctx.c.services[l.service];
    Candidate cand;
    if (l.instance == detail::k_serverless) {
      std::vector<std::uint16_t> indices;
      auto made = detail::serverless_candidate(ctx, s, nullptr, &indices);
      if (!made || indices.size() != l.fired_count || !std::equal(indices.begin(), indices.end(), fired)) {
        throw std::logic_error(fmt::format("scoring: serverless on {} evaluated differently the second time", s.id));
      }
      cand = std::move(*made);
    } else {
      cand = detail::assemble(ctx, ctx.c.instances[l.instance], s, estimate(l.instance), fired, l.fired_count);
    }
    if (!l.excluded) {
      // The score as recommend() computes it: its parts summed in the order of their names.
      const double cost = detail::cost_for_work(ctx.w, cand.estimate);
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
      sizing::EstimateOptions o = decision_options(ctx.w);
      o.factors = &ctx.prep->factors;
      o.precisions = &m_precisions;
      o.offer = &ctx.offers[instance];  // what choose_offers chose for it
      it = m_estimates.emplace(instance, sizing::estimate(ctx.w, ctx.req, ctx.c, ctx.c.instances[instance], info.accelerator, info.cpu, o)).first;
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
  mutable sizing::PrecisionMemo m_precisions;  // for m_ctx->w
};


namespace detail {

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
  std::string instance_name(std::size_t rank) const;

  // ranking.cpp: every candidate evaluated quickly, scored, and the feasible ones ranked.
  void evaluate_instances();
  void evaluate_serverless();
  /// With `trace`, each rule's inputs (the facts it read for its first candidate).
  std::vector<FiredRule> fired_rules(bool trace) const;
  /// With `trace`, a few examples per exclusion group too.
  void score(Decision& d, bool trace);
  void build_ranking();
  const Candidate& ranked_full(std::size_t rank);
  // verdicts.cpp: what the decision says about the ranked candidates.
  void nearest_misses(Decision& d);
  void compute_verdict(Decision& d, const Candidate& pick);
  void missing_kinds(Decision& d);
  void deployment_verdict(Decision& d, const Candidate& pick);
  void choose_alternatives(Decision& d, const Options& options);
  void compare_api(Decision& d, const Candidate& pick) const;

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
  std::vector<std::uint32_t> m_feasible;      ///< candidates (in evaluation order), best first
  std::vector<Ranking::Entry> m_entries;      ///< the ranking's entries, as m_feasible
  mutable std::optional<const catalog::Instance*> m_serverless_instance;
};

}  // namespace detail

}  // namespace aiadvise::scoring
