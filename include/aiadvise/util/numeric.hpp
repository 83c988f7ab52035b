#pragma once
/// Checked numbers: every number read from an input (a flag, an environment variable, a JSON or
/// CSV file) passes through here before it is used, so that no out-of-range value is cast, no
/// integer wraps and no NaN, infinity or subnormal value reaches a computation.

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace aiadvise::util {

/// The stated range of one input quantity.
struct Bounds {
  double min = 0;          ///< smallest accepted value (inclusive)
  double max = 0;          ///< largest accepted value (inclusive)
  bool integral = false;   ///< must be a whole number
};

/// True for a finite double that is zero or at least DBL_MIN in magnitude. Subnormal values
/// (below about 2.2e-308) are not accepted as input anywhere: dividing by one gives infinity.
bool is_normal_or_zero(double value);

/// Checks `value` against `bounds`: finite, not subnormal, whole when asked, within [min, max].
/// Returns the problem in words ("expected a whole number from 1 to 100000, got 2147483648"), or
/// nothing. `as_written` is how the input spelled the value (for the message); empty: the value.
std::optional<std::string> check_bounds(double value, const Bounds& bounds, std::string_view as_written = {});

/// "a whole number from 1 to 100000", "a number from 1e-06 to 1e+09": the words check_bounds uses.
std::string describe_bounds(const Bounds& bounds);

/// Strict decimal text: [-]DIGITS[.DIGITS][(e|E)[+|-]DIGITS], nothing before or after (no spaces,
/// no '+', no hexadecimal, no "inf" or "nan"), finite and not subnormal. Nothing otherwise.
std::optional<double> parse_decimal(std::string_view text);

/// A double as an integer, only when it is whole and within [min, max]; nothing otherwise (no
/// cast of an out-of-range double happens).
std::optional<std::int64_t> to_integer(double value, std::int64_t min, std::int64_t max);

/// a * b and a + b, or nothing when the result overflows int64 or exceeds `limit` in magnitude.
std::optional<std::int64_t> checked_mul(std::int64_t a, std::int64_t b, std::int64_t limit = INT64_MAX);
std::optional<std::int64_t> checked_add(std::int64_t a, std::int64_t b, std::int64_t limit = INT64_MAX);

}  // namespace aiadvise::util
