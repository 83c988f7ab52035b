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

/// Optimal string alignment distance: Levenshtein plus the swap of two adjacent characters as one
/// edit ("modle" is one edit from "model"), bytewise.
std::size_t typo_distance(std::string_view a, std::string_view b);

/// The candidate nearest to `word` when it is near enough to be a plausible typo. Distance is
/// typo_distance; ties go to the candidate of the same length (a swapped pair keeps the length:
/// "--modle" -> "--model", not "--mode"), then to the longer shared prefix, then to the smaller.
std::optional<std::string> nearest(std::string_view word, const std::vector<std::string>& candidates);

/// " (did you mean 'x'?)" or "".
std::string did_you_mean(std::string_view word, const std::vector<std::string>& candidates);

/// Parses a count with an optional suffix: "350M", "7B", "1.2T", "12k", "6.74e9". Rejects
/// negatives, NaN, infinities and trailing garbage.
std::optional<double> parse_count(std::string_view text);

/// Formats a count the way parse_count reads it: 6.74e9 -> "6.74B".
std::string format_count(double value);

/// `text` broken at spaces into lines of at most `width` display columns (a word longer than that
/// gets a line of its own; a number stays with a short unit after it: "49.6 ms"); the first line
/// starts with `first_indent`, the others with `rest_indent`. Every line ends with '\n'. Width 0:
/// no wrapping.
std::string wrap(std::string_view text, std::size_t width, std::string_view first_indent = "",
                 std::string_view rest_indent = "");

/// Joins with a separator.
std::string join(const std::vector<std::string>& parts, std::string_view separator);

/// Splits on a character, dropping empty parts and trimming spaces.
std::vector<std::string> split_list(std::string_view text, char separator = ',');

}  // namespace aiadvise::util
