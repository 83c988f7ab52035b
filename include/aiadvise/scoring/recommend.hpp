#pragma once
/// The decision: every instance (and every service variant of it) in the allowed clouds is a
/// candidate; rules exclude or adjust; the feasible ones are scored and ranked. Reasons are
/// recorded where each decision is made.

#include <compare>
#include <cstddef>
#include <iterator>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "aiadvise/catalog/catalog.hpp"
#include "aiadvise/rules/rules.hpp"
#include "aiadvise/sizing/sizing.hpp"
#include "aiadvise/workload/workload.hpp"

namespace aiadvise::scoring {

struct Candidate {
  std::string id;  ///< "<instance id>@<service id>"
  std::string instance, service, service_kind;
  bool managed = false;
  sizing::Estimate estimate;  ///< priced for this service
  std::vector<std::string> exclusions;  ///< "rule-id: reason with numbers"
  std::vector<std::string> rules_fired;  ///< ids of score rules that applied
  std::map<std::string, double> components;  ///< score parts
  double cost_for_work = 0;  ///< USD for the run (training, batch) or per hour (realtime)
  double score = 0;
  bool excluded() const { return !exclusions.empty(); }
};

struct FiredRule {
  std::string id, description, effect, rationale;
  int candidates = 0;  ///< how many candidates it fired for
  bool for_pick = false;
  std::vector<std::string> inputs;  ///< facts it read, for the pick or the first candidate
};

struct ApiComparison {
  std::string service, model;
  double input_usd_per_1m_tokens = 0, output_usd_per_1m_tokens = 0;
  double api_usd_per_hour = 0;        ///< at the stated load
  double self_host_usd_per_hour = 0;  ///< the recommended instance fleet
  double tokens_per_day_at_load = 0;
  std::optional<double> break_even_tokens_per_day;  ///< below: the API is cheaper; above: self-hosting
  /// A batch job is compared for the whole run: the API priced for the job's tokens against the
  /// self-hosted job's cost (the per-hour fields and the break-even are then not given).
  bool per_run = false;
  double api_usd_for_run = 0, self_host_usd_for_run = 0, tokens_for_run = 0;
  std::string cheaper;  ///< "api" or "self-host" at the stated load
  std::string source, as_of;
};

/// The feasible candidates, best first. It holds them in compact form (Entry) and builds a full
/// Candidate, with the estimate's notes and the rules' words, the first time one is looked at, by
/// the same code that evaluates a single candidate; so what is read is what an eager evaluation
/// would hold, and a decision over thousands of candidates formats only the few it shows.
/// Copies share what was built. Not for use from two threads at once.
class Ranking {
 public:
  /// A feasible candidate without its words.
  struct Entry {
    const catalog::Instance* instance = nullptr;  ///< null for serverless
    const catalog::Service* service = nullptr;
    catalog::ComputeKind compute = catalog::ComputeKind::cpu;
    int count = 1;
    bool managed = false;
    double cost_for_work = 0, score = 0;
    double risk = 1;  ///< the error band of an extrapolated speed, which its cost is ranked at; else 1
    std::optional<double> time_hours, throughput;
    /// "<instance id>@<service id>", as Candidate::id.
    std::string id() const;
  };
  class Source;  ///< builds full candidates (defined by the scoring code)

  class const_iterator {
   public:
    using iterator_category = std::random_access_iterator_tag;
    using value_type = Candidate;
    using difference_type = std::ptrdiff_t;
    using pointer = const Candidate*;
    using reference = const Candidate&;
    const_iterator() = default;
    const_iterator(const Ranking* r, std::size_t k) : m_r(r), m_k(k) {}
    reference operator*() const { return (*m_r)[m_k]; }
    pointer operator->() const { return &(*m_r)[m_k]; }
    reference operator[](difference_type n) const { return (*m_r)[m_k + static_cast<std::size_t>(n)]; }
    const_iterator& operator++() { ++m_k; return *this; }
    const_iterator operator++(int) { auto t = *this; ++m_k; return t; }
    const_iterator& operator--() { --m_k; return *this; }
    const_iterator operator--(int) { auto t = *this; --m_k; return t; }
    const_iterator& operator+=(difference_type n) { m_k += static_cast<std::size_t>(n); return *this; }
    const_iterator& operator-=(difference_type n) { m_k -= static_cast<std::size_t>(n); return *this; }
    friend const_iterator operator+(const_iterator a, difference_type n) { return a += n; }
    friend const_iterator operator+(difference_type n, const_iterator a) { return a += n; }
    friend const_iterator operator-(const_iterator a, difference_type n) { return a -= n; }
    friend difference_type operator-(const const_iterator& a, const const_iterator& b) {
      return static_cast<difference_type>(a.m_k) - static_cast<difference_type>(b.m_k);
    }
    friend bool operator==(const const_iterator& a, const const_iterator& b) { return a.m_k == b.m_k; }
    friend auto operator<=>(const const_iterator& a, const const_iterator& b) { return a.m_k <=> b.m_k; }

   private:
    const Ranking* m_r = nullptr;
    std::size_t m_k = 0;
  };

  Ranking() = default;
  Ranking(std::vector<Entry> entries, std::shared_ptr<Source> source);

  std::size_t size() const { return m_entries ? m_entries->size() : 0; }
  bool empty() const { return size() == 0; }
  const Entry& entry(std::size_t k) const { return (*m_entries)[k]; }
  /// The full candidate at rank k (built on first use).
  const Candidate& operator[](std::size_t k) const;
  const Candidate& front() const { return (*this)[0]; }
  const_iterator begin() const { return const_iterator(this, 0); }
  const_iterator end() const { return const_iterator(this, size()); }
  /// About how many bytes the entries and the candidates built so far take (for caches).
  std::size_t footprint() const;

 private:
  std::shared_ptr<const std::vector<Entry>> m_entries;
  std::shared_ptr<Source> m_source;
};

/// One change to the workload under which some option is feasible, and the best option then: what
/// a "no feasible option" answer offers instead of a dead end.
struct Relaxation {
  std::string kind;   ///< precision, spot, region, cloud, deadline, budget-hourly, budget-total, latency, model
  std::string field;  ///< the workload field it changes ("deadline_hours"; "latency" scales every latency target)
  std::string from, to;  ///< the old and the new value, as text
  std::optional<double> from_value, to_value, factor;  ///< numeric changes: the values and to / from
  workload::Workload workload;  ///< the workload with the change
  Candidate option;             ///< the best option under it
};

struct Decision {
  Ranking ranked;                  ///< feasible, best first
  std::vector<Candidate> nearest;  ///< when none is feasible: the closest misses
  /// When none is feasible: single changes to the workload that give an option, one per kind, the
  /// smallest found within 10x of the constraint.
  std::vector<Relaxation> relaxations;
  /// When none is feasible: per soft constraint ("deadline", "budget-hourly", "budget-total",
  /// "latency-targets"), the least value that a candidate excluded by it alone needs (its time,
  /// price per hour, cost, or the factor its latency is over the targets).
  std::map<std::string, double> least_needed;
  std::map<std::string, int> excluded_by_rule;
  std::map<std::string, std::vector<std::string>> excluded_examples;  ///< rule -> a few reasons with numbers
  std::size_t candidates_considered = 0;
  std::string compute_choice;  ///< "" when none is feasible
  std::vector<std::string> compute_reasons;
  std::string deployment_choice, deployment_service;
  std::vector<std::string> deployment_reasons;
  std::vector<Candidate> alternatives;
  std::vector<FiredRule> rules_fired;
  std::vector<ApiComparison> api;
  std::vector<std::string> warnings;
};

struct Options {
  int top = 5;
  /// false: the ranking alone, without the verdicts, alternatives and API comparison (what the
  /// relaxations need of each decision they run again).
  bool verdicts = true;
  /// false: no explain trace (FiredRule::inputs and Decision::excluded_examples stay empty). The
  /// trace builds a full candidate, words and all, for the first candidate of every rule that fired
  /// and for a few of every exclusion group: work that only `--explain` shows.
  bool trace = true;
};

/// The headroom a decision sizes real-time serving with (docs/sizing.md, 7.7): the
/// workload's max_utilisation and min_replicas, else the defaults, each default in words for
/// `assumed` with its reason. A batch job runs at full capacity on one replica or more.
struct Headroom {
  double max_utilisation = 1;
  int min_replicas = 1;
  std::vector<std::string> assumed;
};
Headroom serving_headroom(const workload::Workload& w);
/// The estimate options every estimate of a decision (recommend, check) is made with: the headroom
/// and the configuration search (sizing::EstimateOptions::search).
sizing::EstimateOptions decision_options(const workload::Workload& w);
/// The workload with the headroom's defaults set and named in `assumed`, as recommend and check
/// print it (the decision is the same with or without).
workload::Workload with_headroom(workload::Workload w);

/// Evaluates candidates one at a time with the rules `recommend` applies; `check` uses it for the
/// proposed choice. Construction computes the workload's facts once.
class Evaluator {
 public:
  Evaluator(const workload::Workload& w, const sizing::Requirements& req, const catalog::Catalog& catalog);
  ~Evaluator();
  Evaluator(const Evaluator&) = delete;
  Evaluator& operator=(const Evaluator&) = delete;

  /// One instance under one service, from an estimate made for that instance (the service only
  /// changes the price).
  Candidate evaluate(const catalog::Instance& i, const catalog::Service& s, const sizing::Estimate& base);
  /// The same, estimating first; count 0 sizes the fleet to the targets.
  Candidate evaluate(const catalog::Instance& i, const catalog::Service& s, int count);
  /// Serverless inference under `s`; nothing when the workload is not real-time inference.
  std::optional<Candidate> serverless(const catalog::Service& s);
  /// Every rule that fired so far, by id.
  const std::map<std::string, FiredRule>& fired() const;

 private:
  struct Impl;
  Impl* m_impl;
};

/// While one is alive on a thread, recommend() and Evaluator there reuse what they worked out for a
/// catalog (compiled rules, lookups per instance and service) and for a workload (the decision,
/// which is the same for the same workload, requirements and options). Batch mode holds one for a
/// run, since fleets repeat shapes. What it keeps is keyed on the catalog's generation(), not its
/// address, so a catalog that changes (through index()) or goes while it is alive is never answered
/// for from its earlier contents. At most `max_decisions` decisions, holding about `max_bytes`, are
/// kept (the least recently used go first), so memory stays bounded however long the input;
/// `max_decisions` 0 keeps none, only what is prepared per catalog (for a caller that keeps its own
/// answers, as `recommend --batch` keeps each workload's text).
class Memo {
 public:
  explicit Memo(std::size_t max_decisions = 128, std::size_t max_bytes = std::size_t{16} << 20);
  ~Memo();
  Memo(const Memo&) = delete;
  Memo& operator=(const Memo&) = delete;

  struct Stats {
    std::size_t hits = 0, misses = 0;
  };
  Stats stats() const;
  struct Impl;

 private:
  Impl* m_impl;
  Impl* m_previous;
};

/// The bytes that identify a decision for `w` on `catalog` (its contents now, by generation()): what
/// Memo keys its decisions on. Equal keys mean equal decisions, requirements and reports for the same
/// options; batch mode keys the output text of a line on it.
std::string decision_key(const catalog::Catalog& catalog, const workload::Workload& w);

/// Whether a service can run the workload on a compute kind (phase, mode, accelerators).
bool service_applies(const catalog::Service& s, const workload::Workload& w, catalog::ComputeKind kind);

Decision recommend(const workload::Workload& w, const sizing::Requirements& req, const catalog::Catalog& catalog,
                   const Options& options = {});

}  // namespace aiadvise::scoring
