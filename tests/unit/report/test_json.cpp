// The JSON forms of the results: numbers are rounded to six significant digits exactly as the
// reference formula (format with %.6g, read back with strtod) rounds them.

#include <catch2/catch.hpp>

#include <fmt/format.h>

#include <cstdint>
#include <cstring>
#include <random>
#include <stdexcept>
#include <string>

#include "aiadvise/report/json.hpp"

TEST_CASE("report: six significant digits, as formatting and reading back gives them", "[report]") {
  std::mt19937_64 gen(7);
  auto reference = [](double v) -> std::string {
    try {
      return fmt::format("{}", std::stod(fmt::format("{:.6g}", v)));
    } catch (const std::out_of_range&) {
      return "out of range";
    }
  };
  auto ours = [](double v) -> std::string {
    try {
      return fmt::format("{}", aiadvise::report::six_digits(v));
    } catch (const std::out_of_range&) {
      return "out of range";
    }
  };
  for (int k = 0; k < 300000; ++k) {
    double v = 0;
    const std::uint64_t bits = gen();
    switch (k % 4) {
      case 0: std::memcpy(&v, &bits, sizeof v); break;  // any finite bit pattern, subnormals included
      case 1: v = static_cast<double>(bits % 100000000) / 1000; break;
      case 2: v = static_cast<double>(bits % 2000000) * 1e-9 - 1e-3; break;
      default: v = std::ldexp(static_cast<double>(bits >> 11), static_cast<int>(bits % 200) - 100); break;
    }
    if (!std::isfinite(v)) continue;
    INFO(fmt::format("{:a}", v));
    REQUIRE(ours(v) == reference(v));
  }
  CHECK(aiadvise::report::six_digits(0.1234567) == 0.123457);
  CHECK(aiadvise::report::six_digits(-0.0) == 0.0);
}
