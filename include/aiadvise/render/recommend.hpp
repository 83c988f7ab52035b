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

}  // namespace aiadvise::render
