#pragma once
/// Renderers of the recommendation report. They read the report; they never compute.

#include <string>

#include "aiadvise/util/json_document.hpp"

namespace aiadvise::render {

struct Style {
  bool color = false;     ///< ANSI bold and colour (only on a terminal, never with NO_COLOR or --no-color)
  std::size_t width = 0;  ///< columns: the options table fits them and long lines wrap at spaces (0: no limit)
  bool wide = false;      ///< every column of the options table, whatever the width (-o wide)
};

/// The terminal report: workload, the pick with its costs (per hour and per month for serving, per
/// run for jobs) and speed (an LLM request as TTFT + tokens x TPOT), reasons, the options table,
/// exclusions and assumptions. Numbers with thousands separators and units, never exponents.
std::string recommendation_table(const util::Json& report, const Style& style = {});
/// The same for a pull-request comment or a wiki: also the API comparison and the exclusion counts
/// as tables.
std::string recommendation_markdown(const util::Json& report);

/// One request of an option (an estimate's "instance" or a recommendation option) in words: LLM
/// requests as TTFT + tokens x TPOT = total, other serving as its latency, with the queueing share
/// named; "overloaded at this load" when the stated load is at or above capacity (no latency is
/// given then: the queue grows without bound). Empty for jobs and when nothing is known.
std::string request_text(const util::Json& option, const util::Json& workload);
/// How far to trust an option's speed numbers, from its "confidence", in a few words: "within
/// x1.4 (12 calibration points)" or "extrapolated, within x2.5". Empty without one. The basis in
/// full is the confidence's "basis".
std::string confidence_text(const util::Json& option);

}  // namespace aiadvise::render
