// The headroom a decision keeps when it sizes serving: how close to its capacity a fleet may run,
// how many replicas it has at least, and how much of each device's memory the engine may use.
// `estimate` measures one configuration and keeps none of it (sizing::EstimateOptions' defaults).

#include <fmt/format.h>

#include <algorithm>

#include "scoring/internal.hpp"
#include "sizing/constants.hpp"

namespace aiadvise::scoring {

namespace {

// NOTE: 80% of capacity leaves room for a burst above the mean rate and for the queue that grows
// as 1 / (1 - utilisation) near saturation; it is also the target many autoscalers hold
// (Kubernetes' HPA examples, SageMaker's target tracking). Two replicas let one fail, restart or
// be redeployed without an outage: the least a production real-time service runs.
constexpr double k_default_max_utilisation = 0.8;
constexpr int k_default_min_replicas = 2;

// The numbers alone: what every estimate of a decision is made with (decision_options, once per
// instance shape), without the words.
void set_numbers(Headroom& h, const workload::Workload& w) {
  h.max_utilisation = w.max_utilisation.value_or(k_default_max_utilisation);
  h.min_replicas = static_cast<int>(w.min_replicas.value_or(k_default_min_replicas));
}

}  // namespace

Headroom serving_headroom(const workload::Workload& w) {
  Headroom h;
  if (w.phase == workload::Phase::inference) {
    h.assumed.push_back(fmt::format("memory: at most {:.0f}% of each device's memory for serving (vLLM's default "
                                    "gpu_memory_utilization; the rest for the runtime and fragmentation)",
                                    sizing::constants::k_serving_memory_fraction * 100));
  }
  if (!detail::realtime(w)) return h;
  set_numbers(h, w);
  if (!w.max_utilisation) {
    h.assumed.push_back(fmt::format("max_utilisation: {} (default: serve at no more than {:.0f}% of capacity, room for bursts and "
                                    "a short queue)",
                                    k_default_max_utilisation, k_default_max_utilisation * 100));
  }
  if (!w.min_replicas) {
    h.assumed.push_back(fmt::format("min_replicas: {} (default for production real-time serving: one replica can fail or restart "
                                    "without an outage; --min-replicas 1 allows one)",
                                    k_default_min_replicas));
  }
  return h;
}

sizing::EstimateOptions decision_options(const workload::Workload& w) {
  Headroom h;
  if (detail::realtime(w)) set_numbers(h, w);
  sizing::EstimateOptions o;
  o.max_utilisation = h.max_utilisation;
  o.min_replicas = h.min_replicas;
  o.search = true;
  return o;
}

workload::Workload with_headroom(workload::Workload w) {
  Headroom h = serving_headroom(w);
  if (detail::realtime(w)) {
    w.max_utilisation = h.max_utilisation;
    w.min_replicas = h.min_replicas;
  }
  for (auto& a : h.assumed) {
    if (std::find(w.assumed.begin(), w.assumed.end(), a) == w.assumed.end()) w.assumed.push_back(std::move(a));
  }
  return w;
}

}  // namespace aiadvise::scoring
