// The decision ranks every candidate from quick, word-free evaluations and builds full candidates
// (notes, reasons) only for what is looked at. A ranked candidate, built on demand, must be the
// one the single-candidate evaluation (scoring::Evaluator, which `check` uses) gives; and a
// decision taken from the memo must be the one computed afresh.

#include <catch2/catch.hpp>

#include <algorithm>
#include <map>
#include <string>
#include <vector>

#include "aiadvise/report/recommend.hpp"
#include "aiadvise/catalog/offers.hpp"
#include "aiadvise/scoring/recommend.hpp"
#include "aiadvise/sizing/sizing.hpp"
#include "aiadvise/workload/workload.hpp"
#include "support/helpers.hpp"

using aiadvise::scoring::Candidate;
using aiadvise::test::default_catalog;
namespace scoring = aiadvise::scoring;
namespace sizing = aiadvise::sizing;

namespace {

const std::vector<aiadvise::workload::FlagValues> k_workloads{
    {{"model", "llama-3.1-8b"}, {"qps", "5"}, {"tpot_ms", "50"}},
    {{"model", "bert-base"}, {"mode", "batch"}, {"dataset_samples", "10M"}},
    {{"model", "resnet-50"}, {"phase", "training"}, {"dataset_samples", "1.28M"}, {"epochs", "90"}, {"deadline_hours", "24"}},
    {{"model", "xgboost"}, {"qps", "100"}, {"ops_maturity", "low"}, {"traffic", "spiky"}},
    {{"model", "all-minilm-l6-v2"}, {"qps", "0.5"}, {"traffic", "intermittent"}, {"priorities", "ease,cost"}},
    {{"model", "llama-2-70b"}, {"precision", "fp16"}, {"qps", "1"}, {"budget_usd_per_hour", "30"}},
    {{"family", "classical-clustering"}, {"phase", "training"}, {"dataset_samples", "1M"}, {"cloud", "gcp,azure"}},
};

void same_candidate(const Candidate& got, const Candidate& want) {
  CHECK(got.id == want.id);
  CHECK(got.instance == want.instance);
  CHECK(got.service == want.service);
  CHECK(got.service_kind == want.service_kind);
  CHECK(got.managed == want.managed);
  CHECK(got.exclusions == want.exclusions);
  CHECK(got.rules_fired == want.rules_fired);
  // A single serverless evaluation leaves the cost for the work to the decision.
  if (got.instance != "serverless") CHECK(got.cost_for_work == want.cost_for_work);
  const auto& a = got.estimate;
  const auto& b = want.estimate;
  CHECK(a.count == b.count);
  CHECK(a.compute == b.compute);
  CHECK(a.accelerator == b.accelerator);
  CHECK(a.fits == b.fits);
  CHECK(a.fit_reason == b.fit_reason);
  CHECK(a.memory_needed_gib == b.memory_needed_gib);
  CHECK(a.batch_size == b.batch_size);
  CHECK(a.throughput == b.throughput);
  CHECK(a.latency_ms == b.latency_ms);
  CHECK(a.time_hours == b.time_hours);
  CHECK(a.price_usd_per_hour == b.price_usd_per_hour);
  CHECK(a.cost_usd == b.cost_usd);
  CHECK(a.cost_usd_per_1m_tokens == b.cost_usd_per_1m_tokens);
  CHECK(a.cost_usd_per_1k_requests == b.cost_usd_per_1k_requests);
  CHECK(a.bottleneck == b.bottleneck);
  CHECK(a.notes == b.notes);
  CHECK(a.unknowns == b.unknowns);
}

}  // namespace

TEST_CASE("scoring: a ranked candidate built on demand is the one a single evaluation gives", "[scoring]") {
  const auto& c = default_catalog();
  for (const auto& flags : k_workloads) {
    const auto w = aiadvise::workload::normalise(nullptr, flags, c);
    const auto req = sizing::requirements(w, c);
    const scoring::Decision d = scoring::recommend(w, req, c);
    scoring::Evaluator eager(w, req, c);
    REQUIRE_FALSE(d.ranked.empty());
    for (std::size_t k = 0; k < d.ranked.size(); ++k) {
      const Candidate& got = d.ranked[k];
      const auto& entry = d.ranked.entry(k);
      INFO(got.id);
      Candidate want;
      if (got.instance == "serverless") {
        auto made = eager.serverless(*c.service(got.service));
        REQUIRE(made);
        want = *made;
      } else {
        const auto* i = c.instance(got.instance);
        REQUIRE(i != nullptr);
        want = eager.evaluate(*i, *c.service(got.service), sizing::estimate(w, req, c, *i, scoring::decision_options(w)));
      }
      same_candidate(got, want);
      CHECK_FALSE(got.excluded());
      // The score is its parts, summed in the order of their names.
      double score = 0;
      for (const auto& [name, value] : got.components) score += value;
      CHECK(got.score == score);
      CHECK(got.components.count("cost") == 1);
      // The compact entry agrees with the full candidate, and the order is score, then id.
      CHECK(entry.id() == got.id);
      CHECK(entry.score == got.score);
      CHECK(entry.cost_for_work == got.cost_for_work);
      CHECK(entry.count == got.estimate.count);
      CHECK(entry.compute == got.estimate.compute);
      CHECK(entry.managed == got.managed);
      if (k > 0) {
        const auto& before = d.ranked.entry(k - 1);
        CHECK((before.score > entry.score || (before.score == entry.score && before.id() < entry.id())));
      }
    }
    // Iterators walk the same candidates.
    std::size_t n = 0;
    for (const Candidate& x : d.ranked) CHECK(&x == &d.ranked[n++]);
    CHECK(n == d.ranked.size());
    // A copy shares what was built.
    const scoring::Decision copy = d;
    CHECK(&copy.ranked.front() == &d.ranked.front());
  }
}

TEST_CASE("scoring: exclusions, their examples and rule counts are those of evaluating every candidate one at a time",
          "[scoring]") {
  const auto& c = default_catalog();
  std::vector<aiadvise::workload::FlagValues> workloads = k_workloads;
  workloads.push_back({{"model", "llama-3.1-405b"}, {"qps", "50"}, {"latency_ms", "100"}, {"budget_usd_per_hour", "5"}});
  workloads.push_back({{"model", "gpt-2"}, {"qps", "2000"}, {"traffic", "intermittent"}, {"region", "eu-west-1"}});
  bool infeasible = false;
  for (const auto& flags : workloads) {
    const auto w = aiadvise::workload::normalise(nullptr, flags, c);
    const auto req = sizing::requirements(w, c);
    const scoring::Decision d = scoring::recommend(w, req, c);
    // The previous engine: every candidate in full, in catalog order, then serverless.
    scoring::Evaluator eager(w, req, c);
    std::vector<Candidate> all;
    for (const auto& i : c.instances) {
      if (std::find(w.clouds.begin(), w.clouds.end(), i.cloud) == w.clouds.end()) continue;
      // Only what is sold in the workload's regions is a candidate, and never a burstable size.
      if (!aiadvise::catalog::choose_offer(i, aiadvise::catalog::RegionChoice(w.region), w.spot).offered || i.burstable) continue;
      const auto base = sizing::estimate(w, req, c, i, scoring::decision_options(w));
      for (const auto& s : c.services) {
        if (s.cloud == i.cloud && scoring::service_applies(s, w, base.compute)) all.push_back(eager.evaluate(i, s, base));
      }
    }
    for (const auto& s : c.services) {
      if (s.kind != "serverless-inference" || std::find(w.clouds.begin(), w.clouds.end(), s.cloud) == w.clouds.end()) continue;
      if (auto cand = eager.serverless(s)) all.push_back(*cand);
    }
    std::map<std::string, int> counts;
    std::map<std::string, std::vector<std::string>> examples;
    std::size_t feasible = 0;
    for (const auto& cand : all) {
      feasible += cand.excluded() ? 0 : 1;
      for (const auto& why : cand.exclusions) {
        const std::string rule = why.substr(0, why.find(':'));
        ++counts[rule];
        if (examples[rule].size() < 3) examples[rule].push_back(why.substr(why.find(':') + 2));
      }
    }
    INFO(aiadvise::util::Json(flags).dump());
    CHECK(d.candidates_considered == all.size());
    CHECK(d.ranked.size() == feasible);
    CHECK(d.excluded_by_rule == counts);
    CHECK(d.excluded_examples == examples);
    REQUIRE(d.rules_fired.size() == eager.fired().size());
    for (const auto& f : d.rules_fired) {
      const auto& want = eager.fired().at(f.id);
      CHECK(f.candidates == want.candidates);
      CHECK(f.effect == want.effect);
      CHECK(f.inputs == want.inputs);
    }
    // The nearest misses, when nothing is feasible, are full candidates as a single evaluation gives.
    if (d.ranked.empty()) {
      infeasible = true;
      CHECK(d.nearest.size() == 3);
    }
    for (const auto& n : d.nearest) {
      auto it = std::find_if(all.begin(), all.end(), [&](const Candidate& x) { return x.id == n.id; });
      REQUIRE(it != all.end());
      same_candidate(n, *it);
    }
  }
  CHECK(infeasible);  // one workload has no feasible option, so the nearest misses were compared
}

TEST_CASE("scoring: a decision from the memo is the one computed afresh, report for report", "[scoring]") {
  const auto& c = default_catalog();
  std::vector<std::string> fresh;
  for (const auto& flags : k_workloads) {
    const auto w = aiadvise::workload::normalise(nullptr, flags, c);
    const auto req = sizing::requirements(w, c);
    fresh.push_back(aiadvise::report::recommendation_report(w, req, scoring::recommend(w, req, c), c, {true, true}).dump());
  }
  // Two decisions kept: the repeats below hit, and the rest are evicted and computed again.
  scoring::Memo memo(2);
  for (int pass = 0; pass < 3; ++pass) {
    for (std::size_t k = 0; k < k_workloads.size(); ++k) {
      for (int repeat = 0; repeat < 2; ++repeat) {
        const auto w = aiadvise::workload::normalise(nullptr, k_workloads[k], c);
        const auto req = sizing::requirements(w, c);
        INFO("workload " << k << ", pass " << pass << ", repeat " << repeat);
        CHECK(aiadvise::report::recommendation_report(w, req, scoring::recommend(w, req, c), c, {true, true}).dump() == fresh[k]);
      }
    }
  }
  CHECK(memo.stats().hits == 3 * k_workloads.size());
  CHECK(memo.stats().misses == 3 * k_workloads.size());
}

TEST_CASE("scoring: the memo keeps within its byte budget, the newest decision at least", "[scoring]") {
  const auto& c = default_catalog();
  scoring::Memo memo(128, 1);
  for (int pass = 0; pass < 2; ++pass) {
    for (const auto& flags : k_workloads) {
      for (int repeat = 0; repeat < 2; ++repeat) {
        const auto w = aiadvise::workload::normalise(nullptr, flags, c);
        const auto req = sizing::requirements(w, c);
        const auto d = scoring::recommend(w, req, c);
        CHECK(d.ranked.footprint() > 0);
      }
    }
  }
  // Only the last decision is kept: each workload's repeat hits, the second pass misses again.
  CHECK(memo.stats().hits == 2 * k_workloads.size());
  CHECK(memo.stats().misses == 2 * k_workloads.size());
}

TEST_CASE("scoring: the memo never answers from what a catalog held before it changed", "[scoring]") {
  aiadvise::catalog::Catalog c = default_catalog();
  const aiadvise::workload::FlagValues flags{{"model", "llama-3.1-8b"}, {"qps", "5"}};
  const auto decide = [&] {
    const auto w = aiadvise::workload::normalise(nullptr, flags, c);
    const auto req = sizing::requirements(w, c);
    return aiadvise::report::recommendation_report(w, req, scoring::recommend(w, req, c), c).dump();
  };
  scoring::Memo memo;
  const std::string before = decide();
  // The same id and parameter count with four times the KV heads (as when batch mode read a model
  // of that id from files): the workload is the same, the catalog at the same address is not.
  const auto it = std::find_if(c.models.begin(), c.models.end(), [](const auto& m) { return m.id == "llama-3.1-8b"; });
  REQUIRE(it != c.models.end());
  REQUIRE(it->architecture.kv_heads);
  *it->architecture.kv_heads *= 4;
  c.index();
  const std::string after = decide();
  std::string afresh;
  {
    const scoring::Memo empty;  // the memo of this scope: nothing kept
    afresh = decide();
  }
  CHECK(after != before);
  CHECK(after == afresh);
}

TEST_CASE("scoring: the memo keys on every workload field and on the options", "[scoring]") {
  const auto& c = default_catalog();
  scoring::Memo memo;
  auto decide = [&](const aiadvise::workload::FlagValues& flags, int top = 5) {
    const auto w = aiadvise::workload::normalise(nullptr, flags, c);
    const auto req = sizing::requirements(w, c);
    scoring::Options options;
    options.top = top;
    return aiadvise::report::recommendation_report(w, req, scoring::recommend(w, req, c, options), c).dump();
  };
  const std::string base = decide({{"model", "llama-3.1-8b"}, {"qps", "5"}});
  CHECK(decide({{"model", "llama-3.1-8b"}, {"qps", "5"}}) == base);
  CHECK(memo.stats().hits == 1);
  // A small change to a number, a flag or the options is another decision.
  CHECK(decide({{"model", "llama-3.1-8b"}, {"qps", "5.000001"}}) != base);
  CHECK(decide({{"model", "llama-3.1-8b"}, {"qps", "5"}, {"spot", ""}}) != base);
  CHECK(decide({{"model", "llama-3.1-8b"}, {"qps", "5"}}, 20) != base);
  CHECK(memo.stats().hits == 1);
}

// The explain trace (each fired rule's inputs, a few examples per exclusion group) costs a full
// candidate per rule and per example: a decision made without it (Options::trace false, what
// `recommend` without --explain and `check` ask for) leaves those empty and is otherwise the same.
TEST_CASE("scoring: a decision without the trace is the one with it, less the trace", "[scoring]") {
  const auto& c = default_catalog();
  std::vector<aiadvise::workload::FlagValues> workloads = k_workloads;
  workloads.push_back({{"model", "llama-3.1-405b"}, {"qps", "50"}, {"latency_ms", "100"}, {"budget_usd_per_hour", "5"}});
  for (const auto& flags : workloads) {
    INFO(aiadvise::util::Json(flags).dump());
    const auto w = aiadvise::workload::normalise(nullptr, flags, c);
    const auto req = sizing::requirements(w, c);
    scoring::Memo memo;  // the two must be two decisions, not one kept for the other
    const scoring::Decision traced = scoring::recommend(w, req, c);
    scoring::Options options;
    options.trace = false;
    const scoring::Decision plain = scoring::recommend(w, req, c, options);
    CHECK(memo.stats().misses == 2);
    CHECK(plain.excluded_examples.empty());
    CHECK(traced.excluded_examples.size() == traced.excluded_by_rule.size());
    REQUIRE(plain.rules_fired.size() == traced.rules_fired.size());
    bool read = false;
    for (std::size_t k = 0; k < plain.rules_fired.size(); ++k) {
      CHECK(plain.rules_fired[k].id == traced.rules_fired[k].id);
      CHECK(plain.rules_fired[k].candidates == traced.rules_fired[k].candidates);
      CHECK(plain.rules_fired[k].inputs.empty());
      read = read || !traced.rules_fired[k].inputs.empty();
    }
    CHECK(read);
    // What a report without --explain shows is the same, byte for byte.
    CHECK(aiadvise::report::recommendation_report(w, req, plain, c).dump() ==
          aiadvise::report::recommendation_report(w, req, traced, c).dump());
  }
}

// `recommend --batch` keeps each workload's text and so asks its memo to keep no decision: the
// memo then prepares the catalog once for the run and answers nothing itself.
TEST_CASE("scoring: a memo made to keep no decision keeps none, and changes no answer", "[scoring]") {
  const auto& c = default_catalog();
  std::vector<std::string> fresh;
  for (const auto& flags : k_workloads) {
    const auto w = aiadvise::workload::normalise(nullptr, flags, c);
    const auto req = sizing::requirements(w, c);
    fresh.push_back(aiadvise::report::recommendation_report(w, req, scoring::recommend(w, req, c), c).dump());
  }
  scoring::Memo memo(0);
  for (int pass = 0; pass < 2; ++pass) {
    for (std::size_t k = 0; k < k_workloads.size(); ++k) {
      const auto w = aiadvise::workload::normalise(nullptr, k_workloads[k], c);
      const auto req = sizing::requirements(w, c);
      INFO("workload " << k << ", pass " << pass);
      CHECK(aiadvise::report::recommendation_report(w, req, scoring::recommend(w, req, c), c).dump() == fresh[k]);
    }
  }
  CHECK(memo.stats().hits == 0);
  CHECK(memo.stats().misses == 0);
}
