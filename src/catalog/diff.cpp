#include "aiadvise/catalog/diff.hpp"

#include <fmt/format.h>

namespace aiadvise::catalog {

std::optional<double> PriceChange::change() const {
  if (!old_usd_per_hour || !new_usd_per_hour || *old_usd_per_hour <= 0) return std::nullopt;
  return (*new_usd_per_hour - *old_usd_per_hour) / *old_usd_per_hour;
}

namespace {

std::string text(const std::optional<std::string>& v) { return v ? *v : std::string("none"); }

void compare_specs(const Instance& a, const Instance& b, std::vector<SpecChange>& out) {
  auto add = [&](const char* field, std::string before, std::string after) {
    if (before != after) out.push_back(SpecChange{b.id, b.name, field, std::move(before), std::move(after)});
  };
  add("vcpus", fmt::format("{:g}", a.vcpus), fmt::format("{:g}", b.vcpus));
  add("memory_gib", fmt::format("{:g}", a.memory_gib), fmt::format("{:g}", b.memory_gib));
  add("accelerator", text(a.accelerator), text(b.accelerator));
  add("accelerator_count", std::to_string(a.accelerator_count), std::to_string(b.accelerator_count));
  add("accelerator_share", a.accelerator_share ? fmt::format("{:g}", *a.accelerator_share) : "none",
      b.accelerator_share ? fmt::format("{:g}", *b.accelerator_share) : "none");
  add("cpu", text(a.cpu), text(b.cpu));
  add("region", a.region, b.region);
}

DiffOffer offer_row(const Instance& i, const Offer& o) {
  return DiffOffer{i.id, i.name, i.cloud, std::string(o.region), o.price_usd_per_hour, o.spot_price_usd_per_hour};
}

void compare_offers(const Instance& a, const Instance& b, CatalogDiff& d) {
  // Both lists are sorted by region: one merge pass.
  std::size_t x = 0, y = 0;
  while (x < a.offers.size() || y < b.offers.size()) {
    if (y == b.offers.size() || (x < a.offers.size() && a.offers[x].region < b.offers[y].region)) {
      d.offers_removed.push_back(offer_row(a, a.offers[x++]));
    } else if (x == a.offers.size() || b.offers[y].region < a.offers[x].region) {
      d.offers_added.push_back(offer_row(b, b.offers[y++]));
    } else {
      const Offer& o = a.offers[x++];
      const Offer& n = b.offers[y++];
      if (o.price_usd_per_hour != n.price_usd_per_hour) {
        d.price_changes.push_back(PriceChange{b.id, b.name, b.cloud, std::string(n.region), false, o.price_usd_per_hour, n.price_usd_per_hour});
      }
      if (o.spot_price_usd_per_hour != n.spot_price_usd_per_hour) {
        d.price_changes.push_back(
            PriceChange{b.id, b.name, b.cloud, std::string(n.region), true, o.spot_price_usd_per_hour, n.spot_price_usd_per_hour});
      }
    }
  }
}

}  // namespace

CatalogDiff diff_catalogs(const Catalog& before, const Catalog& after) {
  CatalogDiff d;
  // Instances are sorted by id in a loaded catalog: one merge pass.
  const auto& a = before.instances;
  const auto& b = after.instances;
  std::size_t x = 0, y = 0;
  while (x < a.size() || y < b.size()) {
    if (y == b.size() || (x < a.size() && a[x].id < b[y].id)) {
      d.removed.push_back(DiffInstance{a[x].id, a[x].name, a[x].cloud, a[x].offers.size()});
      ++x;
    } else if (x == a.size() || b[y].id < a[x].id) {
      d.added.push_back(DiffInstance{b[y].id, b[y].name, b[y].cloud, b[y].offers.size()});
      ++y;
    } else {
      compare_specs(a[x], b[y], d.spec_changes);
      compare_offers(a[x], b[y], d);
      ++x;
      ++y;
    }
  }
  return d;
}

}  // namespace aiadvise::catalog
