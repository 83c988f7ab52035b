#include "aiadvise/util/human.hpp"
#include "aiadvise/report/plausibility.hpp"

#include <fmt/format.h>

#include "aiadvise/util/text.hpp"

namespace aiadvise::report {

using util::Json;

namespace {

double number(const Json& j, const char* key) {
  const auto it = j.find(key);
  return it != j.end() && it->is_number() ? it->get<double>() : 0.0;
}

// "dataset_tokens 1e+15, epochs 3 (assumed), params 7e+09": the workload fields that set the amount
// of work, a default (named in `assumed`) marked as such.
std::string inputs(const Json& workload, std::initializer_list<const char*> keys) {
  std::vector<std::string> parts;
  const Json empty = Json::array();
  const Json& assumed = workload.contains("assumed") ? workload["assumed"] : empty;
  for (const char* key : keys) {
    if (!workload.contains(key) || !workload[key].is_number()) continue;
    bool defaulted = false;
    for (const auto& a : assumed) {
      defaulted = defaulted || (a.is_string() && a.get<std::string>().rfind(std::string(key) + ":", 0) == 0);
    }
    parts.push_back(fmt::format("{} {}{}", key, util::format_quantity(workload[key].get<double>()), defaulted ? " (assumed)" : ""));
  }
  return parts.empty() ? std::string("the workload") : util::join(parts, ", ");
}

}  // namespace

std::vector<std::string> plausibility_warnings(const Json& workload, const Json& option, std::string_view subject,
                                               std::string_view count_origin) {
  std::vector<std::string> out;
  if (!option.is_object()) return out;
  const bool trains = workload.value("phase", std::string()) != "inference";
  const auto work = [&] {
    return trains ? inputs(workload, {"dataset_tokens", "dataset_samples", "epochs", "params"})
                  : inputs(workload, {"dataset_samples", "qps", "input_tokens", "output_tokens", "params"});
  };
  const double hours = number(option, "time_hours");
  if (hours > k_plausible_hours) {
    out.push_back(fmt::format("implausible result: {} takes {} hours ({} years, over 10) from {}: check those inputs", subject,
                              util::format_quantity(hours), util::format_quantity(hours / (365.25 * 24)), work()));
  }
  const double cost = number(option, "cost_usd");
  if (cost > k_plausible_cost_usd) {
    out.push_back(fmt::format("implausible result: {} costs {} for the run (over $100M) from {}: check those inputs", subject,
                              util::format_usd(cost), work()));
  }
  const double hourly = number(option, "price_usd_per_hour");
  if (!option.contains("cost_usd") && hourly * 24 * 365.25 > k_plausible_cost_usd) {
    out.push_back(fmt::format("implausible result: {} costs {} per hour ({} a year, over $100M) from {}: check those inputs",
                              subject, util::format_usd(hourly), util::format_usd(hourly * 24 * 365.25), work()));
  }
  const double count = number(option, "count");
  if (count > k_plausible_instances) {
    out.push_back(fmt::format("implausible result: {} has {:.0f} instances (over 100,000), {}: check that count", subject, count,
                              count_origin.empty() ? fmt::format("sized from {}", work())
                                                   : fmt::format("as given by {}", count_origin)));
  }
  return out;
}

}  // namespace aiadvise::report
