#include "aiadvise/catalog/offers.hpp"

#include <fmt/format.h>

#include <algorithm>

#include "aiadvise/util/text.hpp"

namespace aiadvise::catalog {

namespace {

std::string_view trim(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t')) s.remove_suffix(1);
  return s;
}

// Calls f(name) for each non-empty comma-separated name of `text`, trimmed.
template <typename F>
void each_name(std::string_view text, F&& f) {
  while (!text.empty()) {
    const auto comma = text.find(',');
    const std::string_view name = trim(text.substr(0, comma));
    if (!name.empty()) f(name);
    if (comma == std::string_view::npos) break;
    text.remove_prefix(comma + 1);
  }
}

// The price an offer would be bought at, and whether it is a spot price.
std::optional<double> paid(const Offer& o, bool spot, bool& is_spot) {
  is_spot = spot && o.spot_price_usd_per_hour.has_value();
  return is_spot ? o.spot_price_usd_per_hour : o.price_usd_per_hour;
}

Choice from(const Offer& o, bool spot) {
  Choice c;
  c.offer = &o;
  c.region = o.region;
  c.price_usd_per_hour = paid(o, spot, c.spot);
  c.spot_unknown = spot && !c.spot;
  c.on_demand_usd_per_hour = o.price_usd_per_hour;
  return c;
}

}  // namespace

bool RegionChoice::allows(std::string_view region) const {
  if (home() || any()) return true;
  bool found = false;
  each_name(m_text, [&](std::string_view name) { found = found || name == region; });
  return found;
}

std::vector<std::string_view> RegionChoice::names() const {
  std::vector<std::string_view> out;
  if (home() || any()) return out;
  each_name(m_text, [&](std::string_view name) { out.push_back(name); });
  return out;
}

Choice choose_offer(const Instance& i, const RegionChoice& regions, bool spot) {
  if (regions.home()) {
    if (const Offer* o = i.offer_in(i.region)) return from(*o, spot);
    Choice c;
    c.region = i.region;
    return c;
  }
  const Offer* best = nullptr;
  std::optional<double> best_price;
  auto consider = [&](const Offer& o) {
    bool is_spot = false;
    const auto price = paid(o, spot, is_spot);
    if (!best) {
      best = &o;
      best_price = price;
      return;
    }
    // A priced offer beats an unpriced one; then the lower price; offers come sorted by region,
    // so an equal price keeps the region that sorts first.
    if (price && (!best_price || *price < *best_price)) {
      best = &o;
      best_price = price;
    }
  };
  if (regions.any()) {
    if (i.offers.empty()) {
      // Nothing to choose from: the instance stays a candidate at its home region, unpriced.
      Choice c;
      c.region = i.region;
      return c;
    }
    for (const auto& o : i.offers) consider(o);
  } else {
    // Few names, many offers: look each name up. Sorted offers make the tie rule hold here too.
    std::vector<const Offer*> listed;
    each_name(regions.text(), [&](std::string_view name) {
      if (const Offer* o = i.offer_in(name)) listed.push_back(o);
    });
    std::sort(listed.begin(), listed.end(), [](const Offer* a, const Offer* b) { return a->region < b->region; });
    for (const Offer* o : listed) consider(*o);
    if (!best) {
      Choice c;
      c.offered = false;
      return c;
    }
  }
  return from(*best, spot);
}

std::string canonical_regions(std::string_view text) {
  std::vector<std::string_view> names;
  each_name(text, [&](std::string_view name) {
    if (std::find(names.begin(), names.end(), name) == names.end()) names.push_back(name);
  });
  std::string out;
  for (const auto name : names) {
    if (!out.empty()) out += ',';
    out += name;
  }
  return out;
}

std::optional<std::string> check_regions(const Catalog& catalog, std::string_view text) {
  const std::string canonical = canonical_regions(text);
  if (canonical.empty()) return std::string("expected a region name, 'any', or a comma-separated list of regions");
  const RegionChoice choice{std::string_view(canonical)};
  if (choice.any()) return std::nullopt;
  const auto& known = catalog.regions();
  for (const auto name : choice.names()) {
    if (name == RegionChoice::k_any) return std::string("'any' stands alone: it cannot be listed with other regions");
    if (!std::binary_search(known.begin(), known.end(), name)) {
      std::vector<std::string> candidates = known;
      candidates.emplace_back(RegionChoice::k_any);
      return fmt::format("unknown region '{}'{} (the catalog's regions: aws {}, gcp {}, azure {}; or 'any' for the cheapest)",
                         util::escape_for_terminal(name), util::did_you_mean(std::string(name), candidates),
                         catalog.regions(Cloud::aws).size(), catalog.regions(Cloud::gcp).size(),
                         catalog.regions(Cloud::azure).size());
    }
  }
  return std::nullopt;
}

std::string spot_risk(Cloud cloud, bool training) {
  // NOTE: the notice periods are the clouds' documented ones (docs/catalog.md, "Spot"): AWS sends
  // an interruption notice two minutes ahead; GCP gives Spot VMs 30 seconds to shut down; Azure's
  // Scheduled Events announce a Spot eviction at least 30 seconds ahead.
  const char* notice = cloud == Cloud::aws ? "2 minutes'" : "30 seconds'";
  const std::string risk = fmt::format("spot capacity can be reclaimed at any time with {} notice, and may not be available to "
                                       "relaunch", notice);
  if (training) {
    return risk + ": the run must checkpoint often and resume from its last checkpoint (or the time and cost above are "
                  "lower bounds)";
  }
  return risk + ": serve from at least 2 replicas, spread over zones, with on-demand capacity to fall back on, or requests "
                "fail while a replica is replaced";
}

}  // namespace aiadvise::catalog
