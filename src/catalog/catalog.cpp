#include "aiadvise/catalog/catalog.hpp"

#include <algorithm>

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

void Catalog::index() {
  build(families, m_family);
  build(models, m_model);
  build(hardware, m_hardware);
  build(instances, m_instance);
  build(services, m_service);
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
const Hardware* Catalog::hardware_by_id(std::string_view id) const { return find_in(hardware, m_hardware, id); }
const Service* Catalog::service(std::string_view id) const { return find_in(services, m_service, id); }

const Instance* Catalog::instance(std::string_view id_or_name) const {
  if (const Instance* i = find_in(instances, m_instance, id_or_name)) return i;
  return find_in(instances, m_instance_name, id_or_name);
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
