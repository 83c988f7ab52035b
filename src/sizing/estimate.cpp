// How fast and at what cost one instance type (times a count) runs a workload: the device it gives
// the workload, then training (training.cpp) or serving (serving.cpp), priced.

#include <fmt/format.h>
#include <fmt/ranges.h>

#include <algorithm>
#include <cmath>
#include <memory>
#include <optional>

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
  const catalog::Choice offer = o.offer ? *o.offer : catalog::choose_offer(i, catalog::RegionChoice(w.region), o.spot || w.spot);
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

const catalog::Factor* FactorMemo::get(const catalog::Catalog& c, const catalog::Hardware* h, catalog::ComputeKind kind,
                                       std::string_view family, std::string_view regime) {
  if (m_catalog != &c) {
    m_by_family.clear();
    m_hardware = nullptr;
    m_catalog = &c;
  }
  if (!m_hardware || m_family != family) {
    m_family = std::string(family);
    m_hardware = &m_by_family[m_family];
    m_last = nullptr;
  }
  // No object lives at the small addresses a kind's value gives.
  const auto key = h ? reinterpret_cast<std::uintptr_t>(h) : static_cast<std::uintptr_t>(kind);
  if (!m_last || m_last_key != key) {
    m_last = &(*m_hardware)[key];
    m_last_key = key;
  }
  auto& list = *m_last;
  for (const Entry& e : list) {
    if (e.regime == regime) return e.factor;
  }
  const catalog::Factor* f = h ? c.factor(*h, family, regime) : c.factor(kind, family, regime);
  list.push_back(Entry{std::string(regime), f});
  return f;
}

const PrecisionMemo::At& PrecisionMemo::at(const workload::Workload& w, const catalog::Catalog& c, catalog::Precision p) {
  for (const auto& at : m_at) {
    if (at->w.precision == p) return *at;
  }
  auto at = std::make_unique<At>(At{w, {}});
  at->w.precision = p;
  at->req = requirements(at->w, c);
  m_at.push_back(std::move(at));
  return *m_at.back();
}

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

namespace {

Estimate estimate_at(const workload::Workload& w, const Requirements& r, const catalog::Catalog& c, const catalog::Instance& i,
                     const catalog::Hardware* h, const catalog::Hardware* cpu, const EstimateOptions& o, catalog::Precision requested);

}  // namespace

Estimate estimate(const workload::Workload& w, const Requirements& r, const catalog::Catalog& c, const catalog::Instance& i,
                  const catalog::Hardware* h, const catalog::Hardware* cpu, const EstimateOptions& o) {
  if (h && detail::runs_on_accelerator(w, *h)) {
    const std::optional<catalog::Precision> used = catalog::precision_on(*h, w.precision);
    if (!used) {
      // NOTE: excluded by the rule accelerator-precision (docs/rules/accelerator-precision.md), not
      // sized: a narrower precision would understate the memory of the model the user has.
      Estimate e;
      if (o.words) {
        e.instance = i.id;
        e.accelerator = h->id;
        std::vector<std::string> names;
        for (catalog::Precision p : catalog::supported_precisions(*h)) names.emplace_back(catalog::to_string(p));
        e.fit_reason = fmt::format("{} has no {} and no wider precision (it computes in {})", h->name, catalog::to_string(w.precision),
                                   fmt::join(names, ", "));
      }
      e.count = std::max(1, o.count);
      e.compute = h->kind;
      e.accelerators_per_instance = i.accelerator_count;
      e.precision_requested = e.precision_used = w.precision;
      e.precision_supported = false;
      return e;
    }
    if (*used != w.precision) {
      // The workload as it runs on this chip: its memory and FLOPs at the precision used.
      std::optional<PrecisionMemo> own;
      PrecisionMemo& memo = o.precisions ? *o.precisions : own.emplace();
      const PrecisionMemo::At& at = memo.at(w, c, *used);
      Estimate e = estimate_at(at.w, at.req, c, i, h, cpu, o, w.precision);
      if (o.words) {
        const std::string change = fmt::format("{} has no {}: sized at {} (memory and speed at {})", h->name,
                                               catalog::to_string(w.precision), catalog::to_string(*used), catalog::to_string(*used));
        e.notes.insert(e.notes.begin(), change);
        if (!e.fit_reason.empty()) e.fit_reason = fmt::format("at {} ({} has no {}): {}", catalog::to_string(*used), h->name,
                                                              catalog::to_string(w.precision), e.fit_reason);
      }
      return e;
    }
  }
  return estimate_at(w, r, c, i, h, cpu, o, w.precision);
}

namespace {

Estimate estimate_at(const workload::Workload& w, const Requirements& r, const catalog::Catalog& c, const catalog::Instance& i,
                     const catalog::Hardware* h, const catalog::Hardware* cpu, const EstimateOptions& o, catalog::Precision requested) {
  Estimate e;
  e.precision_requested = requested;
  e.precision_used = w.precision;
  detail::Words words(e, o.words);
  if (o.words) e.instance = i.id;
  e.count = std::max(1, o.count);
  const detail::Device d = detail::device_of(w, r, i, h, cpu, e, words);
  e.compute = d.kind;
  detail::Efficiency eff(c, w, d, o.factors);
  if (w.trains()) detail::estimate_training(w, r, d, eff, i, o, e, words);
  else detail::estimate_serving(w, r, d, eff, i, o, e, words);
  e.confidence = eff.confidence(o.words);
  if (!e.price_usd_per_hour && !words.any_unknown()) detail::price(w, i, o, e, words);
  return e;
}

}  // namespace

}  // namespace aiadvise::sizing
