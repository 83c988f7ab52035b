#pragma once
/// A fast path for the JSON documents that need no diagnosis: plain, well-formed, ASCII JSON with no
/// duplicate key, within the caps. It builds the same value nlohmann_json's parser builds (same
/// types, same numbers) and declines everything else, so that the caller parses the text again with
/// nlohmann_json, which then finds and locates any problem. nlohmann_json's lexer reads a character
/// at a time into a token buffer; this reader scans the text in place, which makes loading a large
/// user catalog (tens of thousands of offers) several times cheaper (docs/performance.md).
///
/// It declines (returns std::nullopt) on: any syntax error; a duplicate key; nesting deeper than
/// `max_depth`; more than `max_values` values; a string with a byte outside printable ASCII or a
/// \u escape; an integer beyond 64 bits; a number that is not a normal double or zero. The
/// differential tests (tests/unit/util/test_json_fast.cpp) and the fuzz targets check that what it
/// accepts, nlohmann_json accepts with the identical value.

#include <cstddef>
#include <optional>
#include <string_view>

#include <nlohmann/json.hpp>

namespace aiadvise::util {

struct FastParse {
  nlohmann::json value;
  std::size_t values = 0;  ///< values built, containers included, as util::InputBudget counts them
};

std::optional<FastParse> parse_plain_json(std::string_view text, std::size_t max_depth, std::size_t max_values);

}  // namespace aiadvise::util
