#pragma once
/// What changes between two catalogs' instances: new and removed instances, new and removed
/// regional offers, price changes (on-demand and spot) and changed specifications. For
/// `aiadvise catalog diff`, so a team sees what a refresh changes before adopting it.

#include <optional>
#include <string>
#include <vector>

#include "aiadvise/catalog/catalog.hpp"

namespace aiadvise::catalog {

struct DiffInstance {
  std::string id, name;
  Cloud cloud = Cloud::aws;
  std::size_t offers = 0;  ///< regions it is offered in
};

struct DiffOffer {
  std::string id, name;
  Cloud cloud = Cloud::aws;
  std::string region;
  std::optional<double> price_usd_per_hour, spot_price_usd_per_hour;
};

struct PriceChange {
  std::string id, name;
  Cloud cloud = Cloud::aws;
  std::string region;
  bool spot = false;  ///< the spot price changed (else on-demand)
  std::optional<double> old_usd_per_hour, new_usd_per_hour;  ///< one may be absent: a price appeared or went
  /// (new - old) / old; absent when either side has no price.
  std::optional<double> change() const;
};

struct SpecChange {
  std::string id, name, field, old_value, new_value;
};

/// Every list sorted by id, then region.
struct CatalogDiff {
  std::vector<DiffInstance> added, removed;
  std::vector<DiffOffer> offers_added, offers_removed;  ///< of instances in both catalogs
  std::vector<PriceChange> price_changes;
  std::vector<SpecChange> spec_changes;
  bool empty() const {
    return added.empty() && removed.empty() && offers_added.empty() && offers_removed.empty() && price_changes.empty() &&
           spec_changes.empty();
  }
};

/// Compares the instances of two catalogs by id. Prices compare exactly (as stored).
CatalogDiff diff_catalogs(const Catalog& before, const Catalog& after);

}  // namespace aiadvise::catalog
