#pragma once
/// The recommendation report: one JSON document computed once, which every renderer only reads.
/// Its shape is published in data/schema/recommendation.schema.json.

#include "aiadvise/scoring/recommend.hpp"
#include "aiadvise/util/json_document.hpp"

namespace aiadvise::report {

struct ReportOptions {
  bool explain = false;  ///< include the trace: every fired rule with inputs, excluded groups, score components
  /// include "feasible": every feasible candidate as a compact point (cost against time_hours for
  /// training and batch jobs, against throughput for real-time serving), with the Pareto front and
  /// the recommended point marked; the HTML report charts them
  bool feasible_points = false;
};

util::Json recommendation_report(const workload::Workload& w, const sizing::Requirements& req,
                                 const scoring::Decision& d, const catalog::Catalog& catalog,
                                 const ReportOptions& options = {});

/// One candidate in the report's recommendation/alternatives shape; `w` (may be null) as for
/// put_performance.
util::Json option_json(const scoring::Candidate& cand, const catalog::Catalog& catalog, const workload::Workload* w = nullptr);

}  // namespace aiadvise::report
