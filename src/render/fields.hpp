#pragma once
// Reading a report's fields (util::Json), as every renderer of it does.

#include <optional>

#include "aiadvise/util/json_document.hpp"

namespace aiadvise::render::detail {

/// The number at `key` of an object; none when absent, null or not a number.
inline std::optional<double> number(const util::Json& o, const char* key) {
  if (!o.is_object() || !o.contains(key) || !o[key].is_number()) return std::nullopt;
  return o[key].get<double>();
}

/// An option of a job (training, batch): it has a time for the work, not a rate per hour.
inline bool is_job(const util::Json& o) { return o.is_object() && o.contains("time_hours"); }

}  // namespace aiadvise::render::detail
