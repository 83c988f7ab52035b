#pragma once
/// Text helpers with nothing aiadvise-specific in them.

#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace aiadvise::util {

/// Escapes control characters, DEL, bidi controls and invalid UTF-8 so that input text echoed
/// in a message cannot move the cursor, recolour the terminal or reorder the line.
std::string escape_for_terminal(std::string_view text);

/// Levenshtein distance (insertions, deletions, substitutions), bytewise.
std::size_t edit_distance(std::string_view a, std::string_view b);

/// The candidate nearest to `word` when it is near enough to be a plausible typo.
std::optional<std::string> nearest(std::string_view word, const std::vector<std::string>& candidates);

/// " (did you mean 'x'?)" or "".
std::string did_you_mean(std::string_view word, const std::vector<std::string>& candidates);

/// Parses a count with an optional suffix: "350M", "7B", "1.2T", "12k", "6.74e9". Rejects
/// negatives, NaN, infinities and trailing garbage.
std::optional<double> parse_count(std::string_view text);

/// Formats a count the way parse_count reads it: 6.74e9 -> "6.74B".
std::string format_count(double value);

/// Joins with a separator.
std::string join(const std::vector<std::string>& parts, std::string_view separator);

/// Splits on a character, dropping empty parts and trimming spaces.
std::vector<std::string> split_list(std::string_view text, char separator = ',');

}  // namespace aiadvise::util
