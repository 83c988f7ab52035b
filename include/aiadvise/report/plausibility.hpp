#pragma once
/// Plausibility: results beyond human scale are stated with a warning that names the inputs that
/// drove them, so that a typo (a dataset of 1e15 samples, a node pool of a million nodes) is not
/// answered as if it were a plan. Read from the reports' JSON, at the report boundary, so that
/// `recommend`, `estimate` and `check` warn alike.

#include <string>
#include <string_view>
#include <vector>

#include "aiadvise/util/json_document.hpp"

namespace aiadvise::report {

inline constexpr double k_plausible_hours = 10 * 365.25 * 24;  ///< ten years of running time
inline constexpr double k_plausible_cost_usd = 1e8;            ///< $100M for a run, or a year of serving
inline constexpr double k_plausible_instances = 100'000;

/// The warnings for one option (the report shape of an estimate: count, time_hours, cost_usd,
/// price_usd_per_hour) of `workload` (its normalised JSON). `subject` names the option in the
/// text ("the recommended option", "the proposed choice"); `count_origin`, when the count was
/// given rather than sized, names where it came from ("project", "terraform: google_...").
std::vector<std::string> plausibility_warnings(const util::Json& workload, const util::Json& option, std::string_view subject,
                                               std::string_view count_origin = {});

}  // namespace aiadvise::report
