#include "aiadvise/util/human.hpp"

#include <fmt/format.h>

#include <cmath>

namespace aiadvise::util {

namespace {

// Decimals that leave three significant digits for 0 < |v| < 10 (0.0412 -> 4), at most 12.
int decimals_for_three_digits(double v) {
  const double a = std::fabs(v);
  if (a == 0) return 0;
  const int magnitude = static_cast<int>(std::floor(std::log10(a)));  // 4.12 -> 0, 0.0412 -> -2
  return std::min(12, std::max(0, 2 - magnitude));
}

// Three significant digits without exponent, trailing zeros after the point dropped.
std::string three_digits(double v) {
  std::string s = fmt::format("{:.{}f}", v, decimals_for_three_digits(v));
  // Rounding can carry into a new digit (9.996 -> "10.00"); that is still three digits' worth.
  if (s.find('.') != std::string::npos) {
    while (s.back() == '0') s.pop_back();
    if (s.back() == '.') s.pop_back();
  }
  return s == "-0" ? "0" : s;
}

double round_significant(double v, int digits) {
  if (v == 0) return 0;
  const double magnitude = std::floor(std::log10(std::fabs(v)));
  const double scale = std::pow(10.0, magnitude - digits + 1);
  return std::round(v / scale) * scale;
}

}  // namespace

std::string group_thousands(double value, int decimals) {
  if (!std::isfinite(value)) return value != value ? "NaN" : (value > 0 ? "inf" : "-inf");
  std::string digits = fmt::format("{:.{}f}", std::fabs(value), std::max(0, decimals));
  const auto point = digits.find('.');
  std::string whole = digits.substr(0, point);
  const std::string fraction = point == std::string::npos ? "" : digits.substr(point);
  std::string grouped;
  for (std::size_t i = 0; i < whole.size(); ++i) {
    if (i > 0 && (whole.size() - i) % 3 == 0) grouped += ',';
    grouped += whole[i];
  }
  const bool negative = value < 0 && (whole.find_first_not_of('0') != std::string::npos ||
                                      fraction.find_first_not_of(".0") != std::string::npos);
  return (negative ? "-" : "") + grouped + fraction;
}

std::string format_quantity(double value) {
  if (!std::isfinite(value)) return group_thousands(value);
  const double a = std::fabs(value);
  if (a >= 1e7) {
    static constexpr std::pair<double, const char*> k_units[] = {{1e12, "T"}, {1e9, "B"}, {1e6, "M"}};
    for (const auto& [scale, suffix] : k_units) {
      if (a >= scale) {
        const double scaled = value / scale;
        return (std::fabs(scaled) >= 1000 ? group_thousands(scaled) : three_digits(scaled)) + suffix;
      }
    }
  }
  if (a >= 99.5) return group_thousands(std::round(value));
  return three_digits(value);
}

std::string format_usd(double value) {
  if (!std::isfinite(value)) return "$" + group_thousands(value);
  const std::string sign = value < 0 ? "-" : "";
  const double a = std::fabs(value);
  if (a >= 999.5) return sign + "$" + group_thousands(round_significant(a, 4));
  if (a >= 99.995) return sign + "$" + group_thousands(std::round(a));
  if (a >= 0.995) return sign + "$" + fmt::format("{:.2f}", a);
  if (a == 0) return "$0";
  return sign + "$" + three_digits(a);
}

std::string format_duration_ms(double ms) {
  if (!std::isfinite(ms)) return group_thousands(ms) + " ms";
  const double a = std::fabs(ms);
  if (a < 999.5) return three_digits(ms) + " ms";
  if (a < 59'950) return three_digits(ms / 1000) + " s";
  return format_hours(ms / 3'600'000);
}

std::string format_hours(double hours) {
  if (!std::isfinite(hours)) return group_thousands(hours) + " h";
  const double a = std::fabs(hours);
  if (a * 3600 < 59.95) return three_digits(hours * 3600) + " s";
  if (a < 0.9995) return three_digits(hours * 60) + " min";
  if (a < 47.95) return three_digits(hours) + " h";
  return format_quantity(hours / 24) + " days";
}

std::string format_gib(double gib) {
  if (!std::isfinite(gib)) return group_thousands(gib) + " GiB";
  const double a = std::fabs(gib);
  if (a >= 999.5) return group_thousands(std::round(gib)) + " GiB";
  if (a >= 9.995) return fmt::format("{:.1f} GiB", gib);
  return fmt::format("{:.2f} GiB", gib);
}

}  // namespace aiadvise::util
