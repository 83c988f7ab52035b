#include <catch2/catch.hpp>

#include <cmath>
#include <cstdint>
#include <limits>

#include "aiadvise/util/numeric.hpp"
#include "aiadvise/util/text.hpp"

using namespace aiadvise::util;

TEST_CASE("numeric: decimal text only, nothing before or after", "[util][numeric]") {
  CHECK(parse_decimal("5") == 5.0);
  CHECK(parse_decimal("-2.5") == -2.5);
  CHECK(parse_decimal("1e3") == 1000.0);
  CHECK(parse_decimal("1.5E-3") == Approx(0.0015));
  CHECK(parse_decimal(".5") == 0.5);
  CHECK(parse_decimal("5.") == 5.0);
  CHECK(parse_decimal("0") == 0.0);
  // What strtod would also take (issue 16: AIADVISE_MAX_COST_RATIO=0x10 and " 5" were accepted).
  for (const char* bad : {"0x10", " 5", "5 ", "+5", "inf", "-inf", "nan", "NaN", "infinity", "", "-", ".", "e5", "1e", "1e+",
                          "5,0", "1_000", "5x"}) {
    INFO(bad);
    CHECK_FALSE(parse_decimal(bad));
  }
  // Out of a double's range, or subnormal: no value to compute with.
  CHECK_FALSE(parse_decimal("1e400"));
  CHECK_FALSE(parse_decimal("5e-324"));
  CHECK_FALSE(parse_decimal("1e-310"));
  CHECK(parse_decimal("2.3e-308"));  // just above DBL_MIN
}

TEST_CASE("numeric: counts keep their suffixes and lose the spaces", "[util][numeric]") {
  CHECK(parse_count("7B") == 7e9);
  CHECK_FALSE(parse_count(" 7B"));
  CHECK_FALSE(parse_count("7B "));
  CHECK_FALSE(parse_count("0x10"));
  CHECK_FALSE(parse_count("5e-324"));
  CHECK_FALSE(parse_count("1e308T"));  // finite text, infinite value
}

TEST_CASE("numeric: a value out of its stated range is named with the range", "[util][numeric]") {
  const Bounds count{1, 100000, true};
  CHECK_FALSE(check_bounds(1, count));
  CHECK_FALSE(check_bounds(100000, count));
  CHECK(check_bounds(2147483648.0, count) == "expected a whole number from 1 to 100000, got 2.14748e+09");
  CHECK(check_bounds(2147483648.0, count, "2147483648") == "expected a whole number from 1 to 100000, got 2147483648");
  CHECK(check_bounds(2.5, count, "2.5") == "expected a whole number from 1 to 100000, got 2.5");
  CHECK(check_bounds(0, count).has_value());
  const Bounds qps{1e-6, 1e7};
  CHECK(check_bounds(std::nan(""), qps) == "expected a number from 1e-06 to 10000000, got NaN");
  CHECK(check_bounds(std::numeric_limits<double>::infinity(), qps) == "expected a number from 1e-06 to 10000000, got an infinite value");
  CHECK(check_bounds(5e-324, qps, "5e-324") ==
        "expected a number from 1e-06 to 10000000, got 5e-324 (too small to compute with: a subnormal number)");
  CHECK(describe_bounds(Bounds{1, 1e15}) == "a number from 1 to 1e+15");
}

TEST_CASE("numeric: doubles become integers only when whole and in range", "[util][numeric]") {
  CHECK(to_integer(3, 1, 10) == 3);
  CHECK_FALSE(to_integer(3.5, 1, 10));
  CHECK_FALSE(to_integer(11, 1, 10));
  CHECK_FALSE(to_integer(2147483648.0, 1, 2147483647));
  CHECK(to_integer(2147483648.0, 1, INT64_MAX) == 2147483648);
  CHECK_FALSE(to_integer(1e300, 0, INT64_MAX));  // no out-of-range cast (UBSan's float-cast-overflow)
  CHECK_FALSE(to_integer(9.3e18, 0, INT64_MAX));
  CHECK_FALSE(to_integer(std::nan(""), 0, 10));
  CHECK_FALSE(to_integer(-std::numeric_limits<double>::infinity(), INT64_MIN, 0));
}

TEST_CASE("numeric: products and sums that overflow or pass the limit are refused", "[util][numeric]") {
  CHECK(checked_mul(1000, 1000) == 1000000);
  CHECK(checked_mul(1000000, 3, 1000000) == std::nullopt);
  CHECK(checked_mul(INT64_MAX / 2 + 1, 2) == std::nullopt);
  CHECK(checked_mul(9999, 9999) == 99980001);
  // The TPU topology 9999x9999x9999x9999x9999 of issue 16 overflows int64 at the fifth factor.
  std::optional<std::int64_t> p = 1;
  for (int i = 0; i < 5 && p; ++i) p = checked_mul(*p, 9999);
  CHECK_FALSE(p);
  CHECK(checked_add(INT64_MAX, 1) == std::nullopt);
  CHECK(checked_add(2, 3, 4) == std::nullopt);
  CHECK(checked_add(2, 2, 4) == 4);
}

TEST_CASE("text: calendar dates are real days", "[util][text]") {
  CHECK(is_iso_date("2026-02-28"));
  CHECK(is_iso_date("2024-02-29"));
  CHECK(is_iso_date("2000-02-29"));
  CHECK_FALSE(is_iso_date("1900-02-29"));
  CHECK_FALSE(is_iso_date("2025-02-29"));
  CHECK_FALSE(is_iso_date("2026-02-31"));
  CHECK_FALSE(is_iso_date("2026-04-31"));
  CHECK_FALSE(is_iso_date("2026-13-01"));
  CHECK_FALSE(is_iso_date("2026-00-10"));
  CHECK_FALSE(is_iso_date("2026-1-01"));
  CHECK_FALSE(is_iso_date("0999-01-01"));
}

TEST_CASE("text: the first byte that is not UTF-8 is found", "[util][text]") {
  CHECK(is_valid_utf8("caf\xc3\xa9"));
  CHECK(first_invalid_utf8("g5.xlarge\xff") == 9u);
  CHECK(first_invalid_utf8("\xc0\xaf") == 0u);        // overlong '/'
  CHECK(first_invalid_utf8("a\xed\xa0\x80") == 1u);   // a UTF-16 surrogate
  CHECK(first_invalid_utf8("ab\xe2\x82") == 2u);      // cut short
  CHECK(is_valid_utf8(""));
}
