#include "aiadvise/catalog/catalog.hpp"

#include <algorithm>
#include <atomic>
#include <mutex>
#include <set>

namespace aiadvise::catalog {

namespace {
constexpr std::size_t k_ambiguous = static_cast<std::size_t>(-1);

template <typename T, typename Index>
const T* find_in(const std::vector<T>& items, const Index& index, std::string_view id) {
  auto it = std::lower_bound(index.begin(), index.end(), id, [](const auto& entry, std::string_view key) { return entry.first < key; });
  if (it == index.end() || it->first != id || it->second >= items.size()) return nullptr;
  return &items[it->second];
}

template <typename Index>
void sort_index(Index& index) {
  // Loaded catalogs are already in id order: checking is linear, sorting is not.
  const auto by_key = [](const auto& a, const auto& b) { return a.first < b.first; };
  if (!std::is_sorted(index.begin(), index.end(), by_key)) std::stable_sort(index.begin(), index.end(), by_key);
}

template <typename T, typename Index>
void build(const std::vector<T>& items, Index& index) {
  index.clear();
  index.reserve(items.size());
  for (std::size_t i = 0; i < items.size(); ++i) index.emplace_back(items[i].id, i);
  sort_index(index);
}

template <typename T>
std::vector<std::string> ids_of(const std::vector<T>& items) {
  std::vector<std::string> out;
  out.reserve(items.size());
  for (const auto& item : items) out.push_back(item.id);
  return out;
}
}  // namespace

std::string_view intern_region(std::string_view name) {
  static std::mutex mutex;
  static std::set<std::string, std::less<>> names;
  const std::lock_guard lock(mutex);
  auto it = names.find(name);
  if (it == names.end()) it = names.emplace(name).first;
  return *it;
}

const Offer* Instance::offer_in(std::string_view region_name) const {
  auto it = std::lower_bound(offers.begin(), offers.end(), region_name, [](const Offer& o, std::string_view r) { return o.region < r; });
  return it != offers.end() && it->region == region_name ? &*it : nullptr;
}

const std::vector<std::string>& factor_regimes() {
  static const std::vector<std::string> regimes{"training", "training-memory", "prefill", "decode", "inference", "gbdt", "overhead"};
  return regimes;
}

std::uint64_t Catalog::Generation::next() {
  static std::atomic<std::uint64_t> last{0};
  return last.fetch_add(1, std::memory_order_relaxed) + 1;
}

void Catalog::index() {
  m_generation.value = Generation::next();
  m_regions.reset();
  m_region_names.reset();
  build(families, m_family);
  build(models, m_model);
  build(hardware, m_hardware);
  build(instances, m_instance);
  build(services, m_service);
  build(factors, m_factor);
  m_factor_key.clear();
  m_factor_key.reserve(factors.size());
  for (std::size_t i = 0; i < factors.size(); ++i) {
    const Factor& f = factors[i];
    m_factor_key.emplace_back(f.hardware, i);
  }
  std::stable_sort(m_factor_key.begin(), m_factor_key.end(), [](const auto& a, const auto& b) { return a.first < b.first; });
  m_instance_name.clear();
  m_instance_name.reserve(instances.size());
  for (std::size_t i = 0; i < instances.size(); ++i) m_instance_name.emplace_back(instances[i].name, i);
  sort_index(m_instance_name);
  // A name shared by two clouds is ambiguous: keep one entry for it, marked so lookups fail.
  Index names;
  names.reserve(m_instance_name.size());
  for (const auto& entry : m_instance_name) {
    if (!names.empty() && names.back().first == entry.first) {
      names.back().second = k_ambiguous;
    } else {
      names.push_back(entry);
    }
  }
  m_instance_name = std::move(names);
}

const Family* Catalog::family(std::string_view id) const { return find_in(families, m_family, id); }
const Model* Catalog::model(std::string_view id) const { return find_in(models, m_model, id); }
std::vector<Precision> supported_precisions(const Hardware& h) {
  if (!h.precisions.empty()) return h.precisions;
  std::vector<Precision> out;
  for (const auto& [p, peak] : h.tflops) out.push_back(p);
  return out;
}

std::optional<Precision> precision_on(const Hardware& h, Precision requested) {
  const std::vector<Precision> has = supported_precisions(h);
  auto supports = [&](Precision p) { return std::find(has.begin(), has.end(), p) != has.end(); };
  auto first = [&](std::initializer_list<Precision> order) -> std::optional<Precision> {
    for (Precision p : order) {
      if (supports(p)) return p;
    }
    return std::nullopt;
  };
  switch (requested) {
    case Precision::fp32: return first({Precision::fp32, Precision::tf32});
    case Precision::tf32: return first({Precision::tf32, Precision::fp32});
    case Precision::fp16: return first({Precision::fp16, Precision::bf16});
    case Precision::bf16: return first({Precision::bf16, Precision::fp16});
    case Precision::fp8: return first({Precision::fp8, Precision::bf16, Precision::fp16});
    case Precision::int8: return first({Precision::int8, Precision::bf16, Precision::fp16});
    case Precision::int4:
      if (supports(Precision::int4) || supports(Precision::fp16) || supports(Precision::bf16)) return Precision::int4;
      return std::nullopt;
  }
  return std::nullopt;
}

const Hardware* Catalog::hardware_by_id(std::string_view id) const { return find_in(hardware, m_hardware, id); }
const Service* Catalog::service(std::string_view id) const { return find_in(services, m_service, id); }
const Factor* Catalog::factor_by_id(std::string_view id) const { return find_in(factors, m_factor, id); }

namespace {

// Factors are indexed by hardware (a chip's id or a kind), in catalog order within one: a chip has a
// handful, and this is asked for every configuration a search sizes (thousands in one `recommend`).
const Factor* factor_at(const std::vector<Factor>& factors, const std::vector<std::pair<std::string, std::size_t>>& keys,
                        std::string_view hardware, std::string_view family, std::string_view regime) {
  auto it = std::lower_bound(keys.begin(), keys.end(), hardware, [](const auto& entry, std::string_view k) { return entry.first < k; });
  for (; it != keys.end() && it->first == hardware; ++it) {
    const Factor& f = factors[it->second];
    if (f.regime == regime && f.family == family) return &f;
  }
  return nullptr;
}

}  // namespace

const Factor* Catalog::factor(const Hardware& h, std::string_view family, std::string_view regime) const {
  // NOTE: the most specific description wins: this chip for this family, this chip for any family,
  // then its kind for this family and for any family.
  for (std::string_view hw : {std::string_view(h.id), to_string(h.kind)}) {
    for (std::string_view fam : {family, std::string_view("any")}) {
      if (const Factor* f = factor_at(factors, m_factor_key, hw, fam, regime)) return f;
    }
  }
  return nullptr;
}

const Factor* Catalog::factor(ComputeKind kind, std::string_view family, std::string_view regime) const {
  for (std::string_view fam : {family, std::string_view("any")}) {
    if (const Factor* f = factor_at(factors, m_factor_key, to_string(kind), fam, regime)) return f;
  }
  return nullptr;
}

const Instance* Catalog::instance(std::string_view id_or_name) const {
  if (const Instance* i = find_in(instances, m_instance, id_or_name)) return i;
  return find_in(instances, m_instance_name, id_or_name);
}

void Catalog::build_regions() const {
  std::vector<std::pair<std::string_view, Cloud>> all;
  for (const auto& i : instances) {
    // Offers are sorted by region: consecutive duplicates across instances of one family are common.
    std::string_view last;
    for (const auto& o : i.offers) {
      if (o.region != last) all.emplace_back(o.region, i.cloud);
      last = o.region;
    }
    all.emplace_back(i.region, i.cloud);
  }
  std::sort(all.begin(), all.end());
  all.erase(std::unique(all.begin(), all.end()), all.end());
  auto pairs = std::make_shared<std::vector<std::pair<std::string, Cloud>>>();
  auto names = std::make_shared<std::vector<std::string>>();
  pairs->reserve(all.size());
  for (const auto& [region, cloud] : all) {
    if (region.empty()) continue;
    pairs->emplace_back(std::string(region), cloud);
    if (names->empty() || names->back() != region) names->emplace_back(region);
  }
  m_regions = std::move(pairs);
  m_region_names = std::move(names);
}

void Catalog::share() const {
  if (!m_regions || !m_region_names) build_regions();
}

const std::vector<std::string>& Catalog::regions() const {
  if (!m_region_names) build_regions();
  return *m_region_names;
}

std::vector<std::string> Catalog::regions(Cloud cloud) const {
  if (!m_regions) build_regions();
  std::vector<std::string> out;
  for (const auto& [region, c] : *m_regions) {
    if (c == cloud) out.push_back(region);
  }
  return out;
}

std::optional<Cloud> Catalog::cloud_of_region(std::string_view region) const {
  if (!m_regions) build_regions();
  auto it = std::lower_bound(m_regions->begin(), m_regions->end(), region,
                             [](const auto& entry, std::string_view r) { return entry.first < r; });
  if (it == m_regions->end() || it->first != region) return std::nullopt;
  return it->second;
}

std::vector<std::string> Catalog::ids(std::string_view section) const {
  if (section == "families") return ids_of(families);
  if (section == "models") return ids_of(models);
  if (section == "hardware") return ids_of(hardware);
  if (section == "instances") {
    auto out = ids_of(instances);
    for (const auto& i : instances) out.push_back(i.name);
    return out;
  }
  if (section == "services") return ids_of(services);
  if (section == "factors") return ids_of(factors);
  if (section == "rules") {
    std::vector<std::string> out;
    for (const auto& r : rules) {
      if (r.contains("id") && r["id"].is_string()) out.push_back(r["id"].get<std::string>());
    }
    return out;
  }
  return {};
}

}  // namespace aiadvise::catalog
