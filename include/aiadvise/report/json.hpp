#pragma once
/// JSON forms of the sizing results, shared by `estimate`, `recommend` and `check`. Numbers are
/// checked finite here: a NaN or infinity reaching output is a bug, reported as an internal error.

#include "aiadvise/sizing/sizing.hpp"
#include "aiadvise/util/json_document.hpp"

namespace aiadvise::report {

inline constexpr int k_schema_version = 1;

/// Hours in the month that `cost_usd_per_month` is priced for: 365 x 24 / 12 = 730, the month cloud
/// price lists and Infracost use. Stated in every report as `hours_per_month`.
inline constexpr double k_hours_per_month = 730;

/// `value` rounded to 6 significant digits, as std::stod(fmt::format("{:.6g}", value)) gives it.
double six_digits(double value);

/// Sets `key` to `value`, rounded to 6 significant digits; throws std::logic_error when not finite.
void put_number(util::Json& object, const char* key, double value);
void put_number(util::Json& object, const char* key, const std::optional<double>& value);

util::Json requirements_json(const sizing::Requirements& r);
/// How sure an estimate is: its error band, basis and calibration points.
util::Json confidence_json(const sizing::Confidence& c);

/// The speed, memory, parallelism and cost fields of an estimate, shared by `estimate`'s instance
/// and `recommend`'s options. Costs come in the units people budget in: per hour always;
/// `cost_usd_per_month` (k_hours_per_month hours) for what runs continuously (real-time serving:
/// an estimate without `time_hours`); `cost_usd` per run for training and batch jobs; per 1M
/// output tokens and per 1k requests only for inference. `w` (may be null) tells training apart;
/// without it the per-request costs are kept as the estimate has them.
void put_performance(util::Json& object, const sizing::Estimate& e, const workload::Workload* w = nullptr);
util::Json estimate_json(const sizing::Estimate& e, const catalog::Catalog& catalog, const workload::Workload* w = nullptr);

}  // namespace aiadvise::report
