// What to change when nothing fits: single changes to the workload (a lower precision, spot capacity,
// another region or cloud, a longer deadline, a higher budget, looser latency targets, a smaller
// model of the same family), each found by deciding again under the change, with the option it
// yields. Run only for infeasible workloads, and bounded in decisions (k_max_relaxation_runs).

#include <fmt/format.h>

#include <cmath>
#include <cctype>
#include <set>
#include <string_view>

#include "aiadvise/catalog/offers.hpp"
#include "aiadvise/util/diagnostics.hpp"
#include "aiadvise/util/human.hpp"
#include "aiadvise/util/text.hpp"
#include "scoring/internal.hpp"

namespace aiadvise::scoring::detail {

namespace {

// Up to two significant digits, rounded up: 31.4 h -> 32 h, $1,234 -> $1,300, 183 ms -> 190 ms.
double round_up(double v) {
  if (v <= 0) return v;
  const double unit = std::pow(10.0, std::floor(std::log10(v)) - 1);
  const double r = std::ceil(v / unit - 1e-9) * unit;
  return std::round(r * 1e6) / 1e6;  // 3.3000000000000003 -> 3.3
}

std::string number_text(double v) { return util::format_quantity(v); }

// A model id without the words that name its size ("llama-3.1-70b" -> "llama-3.1",
// "bge-large-en-v1.5" -> "bge-en-v1.5", "qwen3-30b-a3b" -> "qwen3"): models with one stem are
// sizes of one model.
std::string stem(const std::string& id) {
  // "70b", "1.5b", "350m", "8x22b", "a3b", or a size word.
  auto is_size = [](std::string_view part) {
    static const std::set<std::string_view> words{"tiny", "mini", "small", "base", "medium", "large", "xl", "xxl"};
    if (words.count(part)) return true;
    if (!part.empty() && part.front() == 'a') part.remove_prefix(1);
    if (part.size() < 2 || !std::isdigit(static_cast<unsigned char>(part.front()))) return false;
    const char unit = part.back();
    if (unit != 'b' && unit != 'm' && unit != 'k') return false;
    part.remove_suffix(1);
    return std::all_of(part.begin(), part.end(), [](char ch) { return std::isdigit(static_cast<unsigned char>(ch)) || ch == '.' || ch == 'x'; });
  };
  std::vector<std::string> kept;
  std::size_t begin = 0;
  while (begin <= id.size()) {
    const std::size_t end = std::min(id.find('-', begin), id.size());
    std::string part = id.substr(begin, end - begin);
    if (!is_size(part)) kept.push_back(std::move(part));
    begin = end + 1;
  }
  return util::join(kept, "-");
}

class Search {
 public:
  Search(const Workload& w, const catalog::Catalog& c, const std::shared_ptr<const Prepared>& prep, const Options& options)
      : m_w(w), m_c(c), m_prep(prep), m_options(options) {}

  // The best option when the workload is `changed`, or nothing (infeasible, invalid, or out of runs).
  std::optional<Candidate> feasible(const Workload& changed) {
    if (m_runs >= k_max_relaxation_runs) return std::nullopt;
    ++m_runs;
    sizing::Requirements req;
    try {
      req = sizing::requirements(changed, m_c);
    } catch (const util::InputError&) {
      return std::nullopt;  // a change the sizing model rejects (e.g. training in int8) is none the user can make
    }
    std::shared_ptr<const Context> ctx;
    Options o = m_options;
    o.top = 0;
    o.verdicts = false;
    o.trace = false;  // only the best option of the changed workload is read
    const Decision d = decide(changed, req, m_c, m_prep, ctx, o);
    if (d.ranked.empty()) return std::nullopt;
    return d.ranked.front();
  }

  void add(std::string kind, std::string field, std::string from, std::string to, const Workload& changed, Candidate option,
           std::optional<double> from_value = std::nullopt, std::optional<double> to_value = std::nullopt,
           std::optional<double> factor = std::nullopt) {
    Relaxation r;
    r.kind = std::move(kind);
    r.field = std::move(field);
    r.from = std::move(from);
    r.to = std::move(to);
    r.from_value = from_value;
    r.to_value = to_value;
    r.factor = factor;
    r.workload = changed;
    r.option = std::move(option);
    m_out.push_back(std::move(r));
  }

  // A numeric constraint made looser, never past k_max_relaxation_factor times its value: from
  // `guess` (what the nearest candidate excluded by it alone needs) when there is one, else at
  // twice and at ten times the value. `set` writes a value into a workload; `actual` reads what the
  // option found needs, to tighten a step to the option's own value.
  void numeric(const std::string& kind, const std::string& field, double from, std::optional<double> guess,
               const std::function<void(Workload&, double)>& set, const std::function<std::optional<double>(const Candidate&)>& actual) {
    const double limit = from * k_max_relaxation_factor;
    std::vector<double> ladder;
    if (guess) {
      if (*guess > limit) return;  // nothing within 10x
      for (double v = std::max(round_up(*guess), from * 1.01); ladder.size() < 2; v = round_up(v * 1.5)) {
        ladder.push_back(std::min(v, limit));
        if (v >= limit) break;
      }
    } else {
      ladder = {round_up(from * 2), limit};
    }
    double tried_below = from;
    for (double v : ladder) {
      Workload changed = m_w;
      set(changed, v);
      auto option = feasible(changed);
      if (!option) {
        tried_below = v;
        continue;
      }
      // The option itself may need less than the step allowed: try its own value once.
      if (auto need = actual(*option)) {
        const double tight = round_up(*need);
        if (tight > tried_below && tight < v) {
          Workload tighter = m_w;
          set(tighter, tight);
          if (auto o2 = feasible(tighter)) {
            v = tight;
            changed = std::move(tighter);
            option = std::move(o2);
          }
        }
      }
      add(kind, field, number_text(from), number_text(v), changed, std::move(*option), from, v, v / from);
      return;
    }
  }

  // The first of `changes` (least changed first) that gives an option. The most changed is tried
  // first: where it gives none, neither does a smaller one of the same kind, so one decision
  // settles it.
  template <typename Apply>
  std::optional<std::pair<std::size_t, Candidate>> first_feasible(std::size_t n, Apply&& apply) {
    if (n == 0) return std::nullopt;
    Workload most = m_w;
    apply(most, n - 1);
    auto last = feasible(most);
    if (!last) return std::nullopt;
    for (std::size_t k = 0; k + 1 < n; ++k) {
      Workload changed = m_w;
      apply(changed, k);
      if (auto o = feasible(changed)) return std::pair{k, std::move(*o)};
    }
    return std::pair{n - 1, std::move(*last)};
  }

  std::vector<Relaxation> take() { return std::move(m_out); }
  Relaxation* last(const std::string& kind) { return !m_out.empty() && m_out.back().kind == kind ? &m_out.back() : nullptr; }
  int runs() const { return m_runs; }

 private:
  const Workload& m_w;
  const catalog::Catalog& m_c;
  const std::shared_ptr<const Prepared>& m_prep;
  const Options& m_options;
  int m_runs = 0;
  std::vector<Relaxation> m_out;
};

std::string clouds_text(const std::vector<catalog::Cloud>& clouds) {
  std::vector<std::string> names;
  for (auto c : clouds) names.emplace_back(catalog::to_string(c));
  return util::join(names, ", ");
}

}  // namespace

std::vector<Relaxation> relaxations(const Workload& w, const catalog::Catalog& c, const std::shared_ptr<const Prepared>& prep,
                                    const Decision& d, const Options& options) {
  Search s(w, c, prep, options);
  using catalog::Precision;

  // A lower precision: inference only (training keeps 16-bit weights), the least step down that
  // gives an option. An 8-bit format is tried as the other 8-bit format too (chips support one or
  // the other).
  if (w.phase == Phase::inference && w.sizing != catalog::SizingMethod::classical) {
    const double bytes = catalog::bytes_per_value(w.precision);
    std::vector<Precision> lower;
    for (Precision p : {Precision::bf16, Precision::fp8, Precision::int8, Precision::int4}) {
      const double b = catalog::bytes_per_value(p);
      if (p != w.precision && (b < bytes || (b == bytes && b == 1))) lower.push_back(p);
    }
    if (auto found = s.first_feasible(lower.size(), [&](Workload& x, std::size_t k) { x.precision = lower[k]; })) {
      Workload changed = w;
      changed.precision = lower[found->first];
      s.add("precision", "precision", std::string(catalog::to_string(w.precision)), std::string(catalog::to_string(changed.precision)),
            changed, std::move(found->second));
    }
  }
  // Spot capacity: it changes only the price, so it is tried only where a budget excludes.
  if (!w.spot && (d.excluded_by_rule.count("budget-hourly") > 0 || d.excluded_by_rule.count("budget-total") > 0)) {
    Workload changed = w;
    changed.spot = true;
    if (auto o = s.feasible(changed)) s.add("spot", "spot", "false", "true", changed, std::move(*o));
  }
  // Any region of the allowed clouds (without --region, each instance is bought in its home region).
  const catalog::RegionChoice regions(w.region);
  if (!regions.any()) {
    Workload changed = w;
    changed.region = std::string(catalog::RegionChoice::k_any);
    if (auto o = s.feasible(changed)) s.add("region", "region", w.region ? *w.region : "home", "any", changed, std::move(*o));
  }
  // Every cloud (region names belong to one cloud each, so a list of them goes too).
  if (w.clouds.size() < catalog::cloud_names().size()) {
    Workload changed = w;
    changed.clouds = {catalog::Cloud::aws, catalog::Cloud::gcp, catalog::Cloud::azure};
    if (!regions.home() && !regions.any()) changed.region.reset();
    if (auto o = s.feasible(changed)) s.add("cloud", "cloud", clouds_text(w.clouds), clouds_text(changed.clouds), changed, std::move(*o));
  }
  // A longer deadline, a higher budget.
  auto guess = [&](const char* group) -> std::optional<double> {
    auto it = d.least_needed.find(group);
    return it == d.least_needed.end() ? std::nullopt : std::optional<double>(it->second);
  };
  auto excludes = [&](const char* rule) { return d.excluded_by_rule.count(rule) > 0; };
  if (w.deadline_hours && excludes("deadline")) {
    s.numeric("deadline", "deadline_hours", *w.deadline_hours, guess("deadline"), [](Workload& x, double v) { x.deadline_hours = v; },
              [](const Candidate& o) { return o.estimate.time_hours; });
  }
  // NOTE: a budget does not change how a fleet is sized, so where no candidate is excluded by the
  // budget alone, no higher budget alone gives an option: no decisions are spent on it.
  if (w.budget_usd_per_hour && guess("budget-hourly")) {
    s.numeric("budget-hourly", "budget_usd_per_hour", *w.budget_usd_per_hour, guess("budget-hourly"),
              [](Workload& x, double v) { x.budget_usd_per_hour = v; }, [](const Candidate& o) { return o.estimate.price_usd_per_hour; });
  }
  if (w.budget_usd && guess("budget-total")) {
    s.numeric("budget-total", "budget_usd", *w.budget_usd, guess("budget-total"), [](Workload& x, double v) { x.budget_usd = v; },
              [](const Candidate& o) { return o.estimate.cost_usd; });
  }
  // Looser latency targets: every target given, scaled by one factor.
  if (w.phase == Phase::inference && w.mode == Mode::realtime && (w.latency_ms || w.ttft_ms || w.tpot_ms) && excludes("latency-targets")) {
    std::vector<std::pair<const char*, std::optional<double> Workload::*>> targets;
    for (auto t : {std::pair{"latency_ms", &Workload::latency_ms}, std::pair{"ttft_ms", &Workload::ttft_ms},
                   std::pair{"tpot_ms", &Workload::tpot_ms}}) {
      if (w.*(t.second)) targets.push_back(t);
    }
    std::vector<std::string> fields, from;
    for (const auto& [name, member] : targets) {
      fields.emplace_back(name);
      from.push_back(fmt::format("{} ms", number_text(*(w.*member))));
    }
    // The factor is what is searched; one target is shown as its value.
    const bool one = targets.size() == 1;
    const double base = one ? *(w.*(targets[0].second)) : 1.0;
    const std::optional<double> ratio = guess("latency-targets");
    s.numeric(
        "latency", util::join(fields, ", "), base, ratio ? std::optional<double>(*ratio * base) : std::nullopt,
        [&](Workload& x, double v) {
          const double f = v / base;
          for (const auto& t : targets) x.*(t.second) = one ? v : round_up(*(w.*(t.second)) * f);
        },
        [&](const Candidate& o) -> std::optional<double> {
          // The option's own worst ratio to the targets, in the searched unit.
          const double own = latency_ratio(o.estimate, w);
          return own > 0 ? std::optional<double>(own * base) : std::nullopt;
        });
    if (Relaxation* r = s.last("latency"); r && !one) {
      // Several targets: each shown with its value, the factor shared.
      std::vector<std::string> to;
      for (const auto& [name, member] : targets) to.push_back(fmt::format("{} ms", number_text(*(r->workload.*member))));
      r->from = util::join(from, ", ");
      r->to = util::join(to, ", ");
      r->from_value.reset();
      r->to_value.reset();
    }
  }
  // A smaller model of the same family: a named model's smaller sizes (the same id but for the
  // words that name the size), or for a family named by its size, the family's catalog models
  // below it; the largest that gives an option.
  if (w.params && w.sizing != catalog::SizingMethod::classical) {
    const catalog::Model* named = w.model ? c.model(*w.model) : nullptr;
    std::vector<const catalog::Model*> smaller;
    for (const auto& m : c.models) {
      if (m.family != w.family || !m.params || *m.params >= *w.params) continue;
      if (named && stem(m.id) != stem(named->id)) continue;
      smaller.push_back(&m);
    }
    std::sort(smaller.begin(), smaller.end(), [](const catalog::Model* a, const catalog::Model* b) {
      if (*a->params != *b->params) return *a->params > *b->params;
      return a->id < b->id;
    });
    if (smaller.size() > 3) smaller.resize(3);
    auto apply = [&](Workload& x, std::size_t k) {
      x.model = smaller[k]->id;
      x.params = smaller[k]->params;
      x.active_params = smaller[k]->active_params;
    };
    if (auto found = s.first_feasible(smaller.size(), apply)) {
      Workload changed = w;
      apply(changed, found->first);
      const catalog::Model* m = smaller[found->first];
      s.add("model", "model", named ? named->id : fmt::format("{} ({} parameters)", w.family, util::format_count(*w.params)), m->id,
            changed, std::move(found->second), std::nullopt, std::nullopt, *m->params / *w.params);
    }
  }
  return s.take();
}

}  // namespace aiadvise::scoring::detail
