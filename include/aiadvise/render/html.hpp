#pragma once
/// Self-contained HTML reports: one document with inline CSS and inline SVG, no scripts, no
/// network, no external assets. They read the reports; they never compute.

#include <string>
#include <string_view>

#include "aiadvise/util/json_document.hpp"

namespace aiadvise::render {

/// Text for HTML content and attribute values: & < > " ' as entities, control characters (other
/// than tab and newline) as U+FFFD.
std::string html_escape(std::string_view text);

/// The recommendation report (report::recommendation_report). With its optional "feasible" points
/// it draws the cost-against-time (or throughput) scatter chart, Pareto front highlighted.
/// Stable hooks: #recommendation, #recommended-instance, #reasons, #compute-reasons,
/// #deployment-reasons, #chart (the svg; circles .point, .point.pareto, .point.recommended;
/// polyline .pareto-front; text .pick-label for the pick and .pareto-label for each other point on
/// the front), #api, #alternatives, #excluded, #assumed, #warnings.
std::string recommendation_html(const util::Json& report);

/// The inline <svg id="chart"> alone ("" without feasible points).
std::string scatter_svg(const util::Json& report);

/// The check report (check::check_report): summary, one row per workload with its verdict and
/// findings. Hooks: #summary, #workloads (tr.workload.pass|warn|fail), .finding, #skipped, #warnings.
std::string check_html(const util::Json& report);

}  // namespace aiadvise::render
