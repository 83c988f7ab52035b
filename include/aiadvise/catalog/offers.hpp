#pragma once
/// Which offer a workload buys an instance at: the one place that turns the workload's region and
/// spot settings into a price. Sizing, scoring, check and the reports read prices through it, so
/// every command prices the same way (docs/catalog.md, "Offers and regions").

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "aiadvise/catalog/catalog.hpp"

namespace aiadvise::catalog {

/// The regions a workload may buy in, as `--region` writes them: nothing (each instance's home
/// region), "any" (wherever it is cheapest) or a comma-separated list ("eu-west-1,europe-west4";
/// region names belong to one cloud each, so a list can name one per cloud). Views the text.
class RegionChoice {
 public:
  RegionChoice() = default;
  explicit RegionChoice(std::string_view text) : m_text(text) {}
  explicit RegionChoice(const char* text) : m_text(text) {}
  explicit RegionChoice(const std::string& text) : m_text(text) {}
  explicit RegionChoice(const std::optional<std::string>& text) : m_text(text ? std::string_view(*text) : std::string_view()) {}

  bool home() const { return m_text.empty(); }
  bool any() const { return m_text == k_any; }
  /// Whether `region` is in the list (true for home and any, which restrict nothing by name).
  bool allows(std::string_view region) const;
  /// The names in the list, in order (empty for home and any).
  std::vector<std::string_view> names() const;
  std::string_view text() const { return m_text; }

  static constexpr std::string_view k_any = "any";

 private:
  std::string_view m_text;
};

/// The offer chosen for an instance.
struct Choice {
  /// Whether the instance can be bought under the choice: false when a region list names none of
  /// the regions it is sold in (it is then no candidate).
  bool offered = true;
  const Offer* offer = nullptr;  ///< null: no offer in the region (price unknown)
  std::string_view region;       ///< the region priced: the offer's, or the home region
  /// What an instance-hour costs: the spot price when spot is asked for and known, else on-demand.
  std::optional<double> price_usd_per_hour;
  bool spot = false;           ///< price_usd_per_hour is a spot price
  bool spot_unknown = false;   ///< spot was asked for but the offer has no spot price (on-demand used)
  std::optional<double> on_demand_usd_per_hour;  ///< the offer's on-demand price, for comparisons
};

/// The offer a workload pays for `instance`: in the home region (no region named), the cheapest
/// priced offer of the listed regions, or the cheapest anywhere ("any"). Cheapest compares the
/// price that would be paid (spot where asked and known); ties go to the region that sorts first.
Choice choose_offer(const Instance& instance, const RegionChoice& regions, bool spot);

/// Checks a --region value against the catalog: every listed name must be a region some instance
/// is offered in. Returns a message for the first unknown name ("unknown region 'x'; did you
/// mean ...?"), with the catalog's regions listed.
std::optional<std::string> check_regions(const Catalog& catalog, std::string_view text);

/// The --region text in canonical form: names trimmed, deduplicated, in the order given; "any"
/// alone. Empty when the text names nothing.
std::string canonical_regions(std::string_view text);

/// What spot capacity asks of a workload: the interruption notice of the cloud (sourced in
/// docs/catalog.md) and what the workload must do about it, in one sentence.
std::string spot_risk(Cloud cloud, bool training);

}  // namespace aiadvise::catalog
