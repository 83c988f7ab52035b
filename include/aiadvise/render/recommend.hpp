#pragma once
/// Renderers of the recommendation report. They read the report; they never compute.

#include <string>

#include "aiadvise/util/json_document.hpp"

namespace aiadvise::render {

struct Style {
  bool color = false;  ///< ANSI bold and colour (only on a terminal, never with NO_COLOR)
};

std::string recommendation_table(const util::Json& report, const Style& style = {});
std::string recommendation_markdown(const util::Json& report);

}  // namespace aiadvise::render
