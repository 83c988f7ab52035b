// The memo: decisions (and what they prepared per catalog) kept for repeated workloads, bounded in
// count and bytes.

#include <cstring>

#include "scoring/internal.hpp"

namespace aiadvise::scoring {

namespace detail {

thread_local Memo::Impl* t_memo = nullptr;

namespace {

// The memo key: every field of the workload and the requirements, as bytes.
class KeyWriter {
 public:
  explicit KeyWriter(std::string& out) : m_out(out) {}
  void raw(const void* p, std::size_t n) { m_out.append(static_cast<const char*>(p), n); }
  void num(double v) { raw(&v, sizeof v); }
  void num(int v) { raw(&v, sizeof v); }
  void flag(bool v) { m_out.push_back(v ? '1' : '0'); }
  void text(std::string_view s) {
    const std::size_t n = s.size();
    raw(&n, sizeof n);
    m_out.append(s);
  }
  void opt(const std::optional<double>& v) {
    flag(v.has_value());
    if (v) num(*v);
  }
  void opt(const std::optional<std::string>& v) {
    flag(v.has_value());
    if (v) text(*v);
  }
  void list(const std::vector<std::string>& v) {
    num(static_cast<int>(v.size()));
    for (const auto& s : v) text(s);
  }

 private:
  std::string& m_out;
};

#if defined(__GLIBCXX__) && defined(__x86_64__)
// NOTE: a field added to Workload must be added to the memo key below, or two workloads that differ
// only in it would share a decision. The size reminds whoever adds one. The requirements are not in
// the key: they follow from the workload and the catalog, which are.
static_assert(sizeof(Workload) == 744, "Workload changed: update memo_key");
#endif

}  // namespace

std::string memo_key(const catalog::Catalog& c, const Workload& w, const sizing::Requirements&) {
  std::string key;
  key.reserve(512);
  KeyWriter k(key);
  // NOTE: the catalog by its generation, not its address: one address may hold other contents
  // later (a catalog changed in place, or freed and another made there), and a decision kept for
  // the old contents must not answer for the new.
  const std::uint64_t generation = c.generation();
  k.raw(&generation, sizeof generation);
  k.opt(w.model);
  k.opt(w.model_config);
  k.text(w.family);
  k.num(static_cast<int>(w.sizing));
  k.opt(w.params);
  k.opt(w.active_params);
  k.num(static_cast<int>(w.precision));
  k.num(static_cast<int>(w.phase));
  k.num(static_cast<int>(w.method));
  k.num(static_cast<int>(w.mode));
  for (const auto* v : {&w.qps, &w.latency_ms, &w.ttft_ms, &w.tpot_ms, &w.deadline_hours, &w.budget_usd_per_hour, &w.budget_usd,
                        &w.input_tokens, &w.output_tokens, &w.batch_size, &w.dataset_samples, &w.dataset_tokens, &w.epochs,
                        &w.features, &w.denoising_steps, &w.iterations, &w.resolution, &w.max_utilisation, &w.min_replicas}) {
    k.opt(*v);
  }
  k.flag(w.gradient_checkpointing.has_value());
  k.flag(w.gradient_checkpointing.value_or(false));
  k.list(w.optimizations);
  k.num(static_cast<int>(w.clouds.size()));
  for (auto cloud : w.clouds) k.num(static_cast<int>(cloud));
  k.num(static_cast<int>(w.compute.size()));
  for (auto kind : w.compute) k.num(static_cast<int>(kind));
  k.opt(w.region);
  k.flag(w.spot);
  k.text(w.framework);
  k.list(w.priorities);
  k.text(w.ops_maturity);
  k.text(w.traffic);
  k.list(w.assumed);
  return key;
}

std::shared_ptr<const Prepared> prepared(const catalog::Catalog& c) {
  if (!t_memo) return std::make_shared<const Prepared>(c);
  auto& kept = t_memo->prepared;
  for (auto it = kept.begin(); it != kept.end(); ++it) {
    if (it->first == c.generation()) {
      kept.splice(kept.begin(), kept, it);
      return kept.front().second;
    }
  }
  kept.emplace_front(c.generation(), std::make_shared<const Prepared>(c));
  if (kept.size() > Memo::Impl::k_max_prepared) kept.pop_back();
  return kept.front().second;
}

}  // namespace detail

using detail::t_memo;

std::string decision_key(const catalog::Catalog& catalog, const workload::Workload& w) {
  // NOTE: memo_key reads nothing of the requirements (they follow from the workload and catalog).
  return detail::memo_key(catalog, w, sizing::Requirements{});
}

Memo::Impl::Entry* Memo::Impl::find(const std::string& key) {
  auto it = index.find(key);
  if (it == index.end()) return nullptr;
  entries.splice(entries.begin(), entries, it->second);
  return &entries.front();
}

Memo::Impl::Entry& Memo::Impl::insert(std::string key, std::shared_ptr<const detail::Context> context) {
  auto bytes = [](const Entry& e) {
    std::size_t n = sizeof(Entry) + e.key.size();
    for (const auto& [top, d] : e.decisions) n += sizeof(Decision) + 4096 + d.ranked.footprint();
    return n;
  };
  std::size_t total = 0;
  for (const auto& e : entries) total += bytes(e);
  while (!entries.empty() && (entries.size() >= max_entries || total > max_bytes)) {
    total -= bytes(entries.back());
    index.erase(entries.back().key);
    entries.pop_back();
  }
  entries.push_front(Entry{std::move(key), std::move(context), {}});
  index.emplace(entries.front().key, entries.begin());
  return entries.front();
}

Memo::Memo(std::size_t max_decisions, std::size_t max_bytes)
    : m_impl(new Impl{max_decisions, max_bytes, {}, {}, {}, {}}), m_previous(t_memo) {
  t_memo = m_impl;
}

Memo::~Memo() {
  t_memo = m_previous;
  delete m_impl;
}

Memo::Stats Memo::stats() const { return m_impl->stats; }

}  // namespace aiadvise::scoring
