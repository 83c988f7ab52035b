// Fitting efficiency factors to measurements: coordinate descent over the factors, each a 1-D
// golden-section search of the squared log error of the points that use it. First one factor per
// hardware kind and regime fitted on every point of that kind (the fallback for families without
// points: "extrapolated"), then one per family where it has enough points of its own, then one per
// chip and family where that chip has enough points of the family (generations of a kind differ).

#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <map>
#include <set>

#include "aiadvise/calibration/calibration.hpp"

namespace aiadvise::calibration {

namespace {

struct Usage {
  std::vector<std::vector<std::size_t>> points;  ///< per factor of the working catalog: the points that use it
};

// Whether a point's family informs a kind-wide ("any" family) factor of a regime: the transformer
// regimes (prefill, decode, overhead) are fitted on transformer points, dense inference on dense
// points; training and gbdt on all. A kind-wide factor is what families without points of their own
// fall back on, so it is fitted on the work it stands for.
bool informs(const catalog::Factor& f, const std::string& family, const catalog::Catalog& c) {
  if (f.family != "any") return true;
  const catalog::Family* fam = c.family(family);
  const bool transformer = fam && (fam->sizing == catalog::SizingMethod::transformer_decoder ||
                                   fam->sizing == catalog::SizingMethod::transformer_encoder ||
                                   fam->sizing == catalog::SizingMethod::transformer_encoder_decoder);
  if (f.regime == "prefill" || f.regime == "decode" || f.regime == "overhead") return transformer;
  if (f.regime == "inference") return !transformer;
  return true;
}

Usage usage_of(const std::vector<Point>& points, const catalog::Catalog& c) {
  Usage u;
  u.points.resize(c.factors.size());
  for (std::size_t p = 0; p < points.size(); ++p) {
    const Prediction pr = predict(points[p], c);
    if (!pr.ok()) continue;
    for (const auto& id : pr.factors) {
      for (std::size_t f = 0; f < c.factors.size(); ++f) {
        if (c.factors[f].id == id && informs(c.factors[f], pr.family, c)) u.points[f].push_back(p);
      }
    }
  }
  return u;
}

double loss(const std::vector<Point>& points, const std::vector<std::size_t>& which, const catalog::Catalog& c) {
  double sum = 0;
  for (std::size_t p : which) {
    const Prediction pr = predict(points[p], c);
    // A point the model cannot predict at this value counts as a large error, so the search
    // stays where every point can be predicted.
    const double err = pr.ok() ? log_error(pr.predicted, points[p].value) : 5;
    sum += err * err;
  }
  return sum;
}

// Golden-section search of factor `f` in log space.
void search(const std::vector<Point>& points, const std::vector<std::size_t>& which, catalog::Catalog& c, std::size_t f) {
  catalog::Factor& factor = c.factors[f];
  // Fractions of a peak lie in (0, 1]; gbdt is a rate per core-cycle or byte; overhead is in
  // microseconds per layer per pass.
  double lo = std::log(0.005), hi = 0;
  if (factor.regime == "gbdt") lo = std::log(1e-6);
  if (factor.regime == "overhead") lo = std::log(0.01), hi = std::log(2000.0);
  const double g = (std::sqrt(5.0) - 1) / 2;
  auto at = [&](double x) {
    factor.value = std::exp(x);
    return loss(points, which, c);
  };
  double a = hi - g * (hi - lo), b = lo + g * (hi - lo);
  double fa = at(a), fb = at(b);
  for (int it = 0; it < 30; ++it) {
    if (fa < fb) {
      hi = b;
      b = a;
      fb = fa;
      a = hi - g * (hi - lo);
      fa = at(a);
    } else {
      lo = a;
      a = b;
      fa = fb;
      b = lo + g * (hi - lo);
      fb = at(b);
    }
  }
  // Four significant digits: stable in the data file and in diffs.
  const double best = std::exp((lo + hi) / 2);
  factor.value = std::stod(fmt::format("{:.4g}", best));
}

// Rounds of coordinate descent until no factor moves by more than 0.1% (or `rounds` rounds): the
// result then hardly depends on where the search started, so a refit reproduces the committed
// factors.
void descend(const std::vector<Point>& points, catalog::Catalog& c, const std::vector<std::size_t>& free, int rounds) {
  for (int round = 0; round < rounds; ++round) {
    const Usage u = usage_of(points, c);
    double moved = 0;
    for (std::size_t f : free) {
      if (u.points[f].empty()) continue;
      const double before = c.factors[f].value;
      search(points, u.points[f], c, f);
      moved = std::max(moved, std::abs(std::log(c.factors[f].value / before)));
    }
    if (moved < 1e-3) break;
  }
}

// Adds `added` to the working catalog's factors (kept sorted by id) and fits those `fitted` picks,
// the others held.
template <typename Pick>
void add_and_fit(const std::vector<Point>& points, catalog::Catalog& c, const std::vector<catalog::Factor>& added, Pick fitted, int rounds) {
  c.factors.insert(c.factors.end(), added.begin(), added.end());
  std::sort(c.factors.begin(), c.factors.end(), [](const auto& a, const auto& b) { return a.id < b.id; });
  c.index();
  std::vector<std::size_t> free;
  for (std::size_t k = 0; k < c.factors.size(); ++k) {
    if (fitted(c.factors[k])) free.push_back(k);
  }
  descend(points, c, free, rounds);
}

}  // namespace

std::vector<catalog::Factor> fit(const std::vector<Point>& points, const catalog::Catalog& base, const FitOptions& options) {
  catalog::Catalog c = base;
  // Pass 1: one factor per hardware kind and regime, over every point of that kind. The catalog's
  // own factors for "any" family start the search; family and chip factors are set aside so that
  // every point uses its kind's.
  std::vector<catalog::Factor> any;
  for (const auto& f : base.factors) {
    if (f.family == "any" && catalog::parse_compute_kind(f.hardware)) any.push_back(f);
  }
  c.factors = any;
  c.index();
  std::vector<std::size_t> all(c.factors.size());
  for (std::size_t k = 0; k < all.size(); ++k) all[k] = k;
  descend(points, c, all, options.rounds);
  // The points behind each kind-wide factor: those of pass 1.
  std::map<std::string, std::vector<std::string>> any_points;
  {
    const Usage u = usage_of(points, c);
    for (std::size_t k = 0; k < c.factors.size(); ++k) {
      for (std::size_t p : u.points[k]) any_points[c.factors[k].id].push_back(points[p].id);
    }
  }

  // Pass 2: a factor of its own for each (kind, family, regime) with enough points.
  std::map<std::string, std::size_t> per_family;  // "kind|family|regime" -> points
  std::map<std::string, const catalog::Factor*> parent;
  for (const auto& p : points) {
    const Prediction pr = predict(p, c);
    if (!pr.ok()) continue;
    for (const auto& id : pr.factors) {
      const catalog::Factor* f = c.factor_by_id(id);
      if (!f) continue;
      const std::string key = f->hardware + "|" + pr.family + "|" + f->regime;
      ++per_family[key];
      parent[key] = f;
    }
  }
  std::vector<catalog::Factor> families;
  for (const auto& [key, n] : per_family) {
    if (static_cast<int>(n) < options.min_family_points) continue;
    const catalog::Factor* p = parent[key];
    const std::string family = key.substr(key.find('|') + 1, key.rfind('|') - key.find('|') - 1);
    catalog::Factor f = *p;
    f.family = family;
    f.id = fmt::format("{}-{}-{}", f.hardware, family, f.regime);
    families.push_back(f);
  }
  add_and_fit(points, c, families, [](const catalog::Factor& f) { return f.family != "any"; }, options.rounds);

  // The points behind each family factor of a kind: those of pass 2 (a chip factor of pass 3 takes
  // some of them over, but the kind's value rests on all of them).
  std::map<std::string, std::vector<std::string>> family_points;
  {
    const Usage u = usage_of(points, c);
    for (std::size_t k = 0; k < c.factors.size(); ++k) {
      if (c.factors[k].family == "any") continue;
      for (std::size_t p : u.points[k]) family_points[c.factors[k].id].push_back(points[p].id);
    }
  }

  // Pass 3: a factor of its own for each (chip, family, regime) with enough points: generations of
  // one kind differ (Trainium 1 and 2, Inferentia 1 and 2, each GPU generation), started from the
  // family's kind-level value and fitted with those held. Training-memory factors stay per kind and
  // family: they stand for the traffic a network's software makes per stored byte, not for a chip,
  // and on chips whose TF32 peak is half their FP16 peak the two precisions cannot tell compute from
  // memory apart (both double), so a chip's own pair would drift to a bound.
  if (options.min_chip_points > 0) {
    std::map<std::string, std::size_t> per_chip;  // "chip|family|regime" -> points
    std::map<std::string, const catalog::Factor*> from;
    for (const auto& p : points) {
      const std::string chip = p.accelerator.empty() ? p.cpu : p.accelerator;
      if (chip.empty()) continue;
      const Prediction pr = predict(p, c);
      if (!pr.ok()) continue;
      for (const auto& id : pr.factors) {
        const catalog::Factor* f = c.factor_by_id(id);
        if (!f || f->family != pr.family || !catalog::parse_compute_kind(f->hardware) || f->regime == "training-memory") continue;
        const std::string key = chip + "|" + pr.family + "|" + f->regime;
        ++per_chip[key];
        from[key] = f;
      }
    }
    std::vector<catalog::Factor> chips;
    for (const auto& [key, n] : per_chip) {
      if (static_cast<int>(n) < options.min_chip_points) continue;
      catalog::Factor f = *from[key];
      f.hardware = key.substr(0, key.find('|'));
      f.id = fmt::format("{}-{}-{}", f.hardware, f.family, f.regime);
      chips.push_back(f);
    }
    add_and_fit(points, c, chips, [](const catalog::Factor& f) { return !catalog::parse_compute_kind(f.hardware); }, options.rounds);
  }

  // The points behind each factor (a kind-wide one: those it was fitted on in pass 1), and its
  // provenance.
  const Usage u = usage_of(points, c);
  for (std::size_t k = 0; k < c.factors.size(); ++k) {
    catalog::Factor& f = c.factors[k];
    f.points.clear();
    if (f.family == "any") f.points = any_points[f.id];
    else if (catalog::parse_compute_kind(f.hardware)) f.points = family_points[f.id];
    else for (std::size_t p : u.points[k]) f.points.push_back(points[p].id);
    std::sort(f.points.begin(), f.points.end());
    f.band.reset();
    f.band_basis.clear();
    f.provenance.source = fmt::format("fitted by `aiadvise calibrate` on {} ({} point(s) use it)", options.source, f.points.size());
    f.provenance.as_of = options.as_of;
  }
  // A factor of "any" family that no point used keeps the catalog's value, and says so.
  for (auto& f : c.factors) {
    if (f.points.empty()) {
      const catalog::Factor* old = base.factor_by_id(f.id);
      const std::string before = old ? old->provenance.source : std::string("no source");
      f.provenance.source = before.rfind("not fitted", 0) == 0
                                ? before
                                : fmt::format("not fitted: no calibration point uses it; kept from the catalog ({})", before);
    }
  }
  return c.factors;
}

}  // namespace aiadvise::calibration
