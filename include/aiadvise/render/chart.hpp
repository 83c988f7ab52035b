#pragma once
/// `recommend --chart`: the top candidates (the recommendation and the alternatives) as aligned
/// horizontal bars, one chart for the cost for the work (per run for jobs, per month of 730 hours
/// for serving) and one for the time (training, batch) or the throughput (real-time serving). Reads
/// the report; computes nothing but the bar lengths.

#include <string>

#include "aiadvise/util/json_document.hpp"

namespace aiadvise::render {

struct ChartStyle {
  bool unicode = false;  ///< block characters (█▏▎▍▌▋▊▉); otherwise ASCII '#'
  bool color = false;    ///< ANSI bold headings and a coloured bar for the pick
  int width = 40;        ///< cells for the longest bar, at most
  std::size_t columns = 0;  ///< the terminal's width: bars shrink (to 10 cells) so that lines fit (0: no limit)
};

/// Whether the locale's character set is UTF-8: the first of LC_ALL, LC_CTYPE and LANG that is set
/// and not empty names UTF-8 (or utf8).
bool utf8_locale();

/// The bars, or "" when the report has no feasible option.
std::string recommendation_chart(const util::Json& report, const ChartStyle& style = {});

}  // namespace aiadvise::render
