#include "aiadvise/util/numeric.hpp"

#include <fmt/format.h>

#include <charconv>
#include <cmath>
#include <limits>

namespace aiadvise::util {

bool is_normal_or_zero(double value) {
  return std::isfinite(value) && (value == 0 || std::fabs(value) >= std::numeric_limits<double>::min());
}

namespace {
// 100000 and 1073741824 as written; 1e+15 and 1e-06 in exponent form.
std::string bound_text(double v) {
  if (v == std::floor(v) && std::fabs(v) < 1e12) return fmt::format("{:.0f}", v);
  return fmt::format("{:g}", v);
}
}  // namespace

std::string describe_bounds(const Bounds& bounds) {
  return fmt::format("{} from {} to {}", bounds.integral ? "a whole number" : "a number", bound_text(bounds.min),
                     bound_text(bounds.max));
}

std::optional<std::string> check_bounds(double value, const Bounds& bounds, std::string_view as_written) {
  // The value as written is formatted only for a message: this check runs on every number read.
  const auto shown = [&] { return as_written.empty() ? fmt::format("{:g}", value) : std::string(as_written); };
  if (std::isnan(value)) return fmt::format("expected {}, got NaN", describe_bounds(bounds));
  if (std::isinf(value)) return fmt::format("expected {}, got an infinite value", describe_bounds(bounds));
  if (!is_normal_or_zero(value)) {
    return fmt::format("expected {}, got {} (too small to compute with: a subnormal number)", describe_bounds(bounds), shown());
  }
  if ((bounds.integral && value != std::floor(value)) || value < bounds.min || value > bounds.max) {
    return fmt::format("expected {}, got {}", describe_bounds(bounds), shown());
  }
  return std::nullopt;
}

std::optional<double> parse_decimal(std::string_view text) {
  std::size_t i = 0;
  const auto digits = [&] {
    const std::size_t start = i;
    while (i < text.size() && text[i] >= '0' && text[i] <= '9') ++i;
    return i - start;
  };
  if (i < text.size() && text[i] == '-') ++i;
  std::size_t mantissa = digits();
  if (i < text.size() && text[i] == '.') {
    ++i;
    mantissa += digits();
  }
  if (mantissa == 0) return std::nullopt;
  if (i < text.size() && (text[i] == 'e' || text[i] == 'E')) {
    ++i;
    if (i < text.size() && (text[i] == '+' || text[i] == '-')) ++i;
    if (digits() == 0) return std::nullopt;
  }
  if (i != text.size()) return std::nullopt;
  double value = 0;
  const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
  // from_chars reports a result too large or too small for a double as out of range.
  if (ec != std::errc() || end != text.data() + text.size() || !is_normal_or_zero(value)) return std::nullopt;
  return value;
}

std::optional<std::int64_t> to_integer(double value, std::int64_t min, std::int64_t max) {
  if (!std::isfinite(value) || value != std::floor(value)) return std::nullopt;
  // Compared as doubles first, so the cast below is always in range (2^63 is exact as a double).
  if (value < -9.2233720368547758e18 || value >= 9.2233720368547758e18) return std::nullopt;
  const auto n = static_cast<std::int64_t>(value);
  if (n < min || n > max) return std::nullopt;
  return n;
}

std::optional<std::int64_t> checked_mul(std::int64_t a, std::int64_t b, std::int64_t limit) {
  std::int64_t out = 0;
  if (__builtin_mul_overflow(a, b, &out) || out > limit || out < -limit) return std::nullopt;
  return out;
}

std::optional<std::int64_t> checked_add(std::int64_t a, std::int64_t b, std::int64_t limit) {
  std::int64_t out = 0;
  if (__builtin_add_overflow(a, b, &out) || out > limit || out < -limit) return std::nullopt;
  return out;
}

}  // namespace aiadvise::util
