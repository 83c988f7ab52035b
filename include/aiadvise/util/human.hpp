#pragma once
/// Numbers for people to read: no scientific notation, thousands separators, and the unit in the
/// text. Used by the table, Markdown and HTML renderers; JSON keeps the plain numbers.

#include <string>

namespace aiadvise::util {

/// `value` with `decimals` decimals and commas between thousands: (1234567.891, 1) -> "1,234,567.9".
std::string group_thousands(double value, int decimals = 0);

/// A count or rate: whole numbers with separators from 100 up ("1,290"), three significant digits
/// below ("41.2", "0.0412"), and k/M/B/T suffixes from ten million up ("12.3M").
std::string format_quantity(double value);

/// US dollars: "$231,900" (four significant digits from $1,000), "$232", "$12.35", "$0.0123".
std::string format_usd(double value);

/// A duration given in milliseconds: "0.85 ms", "412 ms", "12.8 s", "14.2 min", then as format_hours.
std::string format_duration_ms(double ms);

/// A duration given in hours: "42 min", "12.3 h", "20.8 days".
std::string format_hours(double hours);

/// Gibibytes: "0.52 GiB", "15.0 GiB", "1,234 GiB".
std::string format_gib(double gib);

}  // namespace aiadvise::util
