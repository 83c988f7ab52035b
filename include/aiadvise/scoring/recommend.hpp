#pragma once
/// The decision: every instance (and every service variant of it) in the allowed clouds is a
/// candidate; rules exclude or adjust; the feasible ones are scored and ranked. Reasons are
/// recorded where each decision is made.

#include <map>
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
  std::string cheaper;  ///< "api" or "self-host" at the stated load
  std::string source, as_of;
};

struct Decision {
  std::vector<Candidate> ranked;   ///< feasible, best first
  std::vector<Candidate> nearest;  ///< when none is feasible: the closest misses
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
};

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

/// Whether a service can run the workload on a compute kind (phase, mode, accelerators).
bool service_applies(const catalog::Service& s, const workload::Workload& w, catalog::ComputeKind kind);

Decision recommend(const workload::Workload& w, const sizing::Requirements& req, const catalog::Catalog& catalog,
                   const Options& options = {});

}  // namespace aiadvise::scoring
