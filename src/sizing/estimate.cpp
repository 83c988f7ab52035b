// How fast and at what cost one instance type (times a count) runs a workload: the device it gives
// the workload, then training (training.cpp) or serving (serving.cpp), priced.

#include <fmt/format.h>

#include <algorithm>
#include <cmath>

#include "aiadvise/catalog/offers.hpp"
#include "aiadvise/sizing/sizing.hpp"
#include "sizing/constants.hpp"
#include "sizing/device.hpp"

namespace aiadvise::sizing {

namespace k = constants;

namespace detail {

void price(const workload::Workload& w, const catalog::Instance& i, const EstimateOptions& o, Estimate& e, Words& words) {
  // The offer the workload's region and spot settings choose (catalog/offers.hpp): the one place
  // every command takes its instance prices from.
  const catalog::Choice offer = catalog::choose_offer(i, catalog::RegionChoice(w.region), o.spot || w.spot);
  if (o.words) e.region = std::string(offer.region);
  std::optional<double> per_instance = o.price_override_usd_per_hour;
  if (!per_instance) {
    per_instance = offer.price_usd_per_hour;
    e.spot = offer.spot;
    if (offer.spot) {
      words.note([&] { return fmt::format("spot price in {}", offer.region); });
    } else if (offer.spot_unknown && offer.price_usd_per_hour) {
      words.note([&] { return fmt::format("no spot price for {} in {}: priced on demand", i.name, offer.region); });
    }
  }
  if (per_instance) {
    e.price_usd_per_hour = *per_instance * e.count;
  } else if (!offer.offered) {
    words.unknown([&] { return fmt::format("{} is not offered in {}", i.name, w.region.value_or("")); });
  } else {
    words.unknown([&] { return fmt::format("no price for {} in {} in the catalog", i.name, offer.region); });
  }
}

}  // namespace detail

double billed_hours(double hours) { return std::max(hours, k::k_minimum_billed_hours); }

double allocated_gib(const Estimate& e) {
  const double context = e.compute == catalog::ComputeKind::cpu ? 1.0 : k::k_device_context_gib;
  return std::max(0.0, e.memory_needed_gib - context) / (1 + k::k_fragmentation);
}

Shape shape_of(const catalog::Instance& i, const catalog::Hardware* accelerator, const catalog::Hardware* cpu) {
  // NOTE: every field of the instance that estimate() reads, but its id, name and prices.
  return Shape{accelerator, cpu, i.accelerator_count, i.accelerator_share.value_or(1), i.vcpus, i.memory_gib,
               i.price_usd_per_hour.has_value(), i.spot_price_usd_per_hour.has_value()};
}

Estimate estimate(const workload::Workload& w, const Requirements& r, const catalog::Catalog& c, const catalog::Instance& i,
                  const EstimateOptions& o) {
  return estimate(w, r, c, i, i.accelerator ? c.hardware_by_id(*i.accelerator) : nullptr, i.cpu ? c.hardware_by_id(*i.cpu) : nullptr, o);
}

Estimate estimate(const workload::Workload& w, const Requirements& r, const catalog::Catalog& c, const catalog::Instance& i,
                  const catalog::Hardware* h, const catalog::Hardware* cpu, const EstimateOptions& o) {
  Estimate e;
  detail::Words words(e, o.words);
  if (o.words) e.instance = i.id;
  e.count = std::max(1, o.count);
  const detail::Device d = detail::device_of(w, r, i, h, cpu, e, words);
  e.compute = d.kind;
  detail::Efficiency eff(c, w, d);
  if (w.trains()) detail::estimate_training(w, r, d, eff, i, o, e, words);
  else detail::estimate_serving(w, r, d, eff, i, o, e, words);
  e.confidence = eff.confidence(o.words);
  if (!e.price_usd_per_hour && !words.any_unknown()) detail::price(w, i, o, e, words);
  return e;
}

}  // namespace aiadvise::sizing
