// Google Cloud resources in a Terraform plan: Compute Engine instances, GKE node pools (their own
// resources or blocks of a cluster), TPU VMs and nodes, and Vertex AI endpoints and resource pools.

#include <fmt/format.h>

#include <algorithm>

#include "aiadvise/util/numeric.hpp"
#include "check/terraform/reader.hpp"

namespace aiadvise::check::terraform {

using catalog::Cloud;
using util::pointer_append;

namespace {

// NOTE: GKE starts e2-medium nodes when node_config.machine_type is not set. Source: the GKE API's
// NodeConfig.machineType ("If unspecified, the default machine type is e2-medium",
// cloud.google.com/kubernetes-engine/docs/reference/rest/v1/NodeConfig); the Terraform Google
// provider declares the field Optional and Computed, so the plan shows it as known after apply.
constexpr const char* k_gke_default_machine = "e2-medium";

// NOTE: a regional GKE pool without node_locations runs its nodes in three of the region's zones,
// node_count in each. Source: "Regional clusters" in the GKE documentation (a regional cluster's
// default node pool is "nine nodes ... spread across three zones", three per zone;
// cloud.google.com/kubernetes-engine/docs/concepts/regional-clusters); read 2026-05.
constexpr int k_gke_default_zones = 3;

/// "NVIDIA_TESLA_T4" or ".../acceleratorTypes/nvidia-tesla-t4" -> "nvidia-tesla-t4".
std::string gcp_accelerator_name(std::string type) {
  type = last_segment(std::move(type));
  for (auto& c : type) {
    c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    if (c == '_') c = '-';
  }
  return type;
}

std::string gcp_labels_workload(const Json* values) { return text(field(values, "labels"), workload_tag); }

bool is_region(const std::string& location) { return std::count(location.begin(), location.end(), '-') == 1; }

std::vector<std::string> strings(const Json* list) {
  std::vector<std::string> out;
  if (list != nullptr && list->is_array()) {
    for (const auto& z : *list)
      if (z.is_string()) out.push_back(z.get<std::string>());
  }
  return out;
}

/// accelerator_config {type: "V5LITE_POD", topology: "2x4"} -> "v5litepod-8". The suffix counts
/// chips for v5e and v6e and TensorCores (two a chip) for v2, v3, v4 and v5p.
constexpr std::int64_t k_max_tpu_chips = 1'000'000;

std::optional<std::string> tpu_type_from_config(const Json* config, std::string& why) {
  const std::string type = text(config, "type");
  const std::string topology = text(config, "topology");
  static const std::map<std::string, std::pair<std::string, int>, std::less<>> kinds = {
      {"V2", {"v2", 2}}, {"V3", {"v3", 2}}, {"V4", {"v4", 2}}, {"V5P", {"v5p", 2}}, {"V5LITE_POD", {"v5litepod", 1}}, {"V6E", {"v6e", 1}},
  };
  auto kind = kinds.find(type);
  if (kind == kinds.end()) {
    why = fmt::format("TPU accelerator_config type \"{}\" is not known", type);
    return std::nullopt;
  }
  std::int64_t chips = 1;
  std::size_t start = 0;
  bool ok = !topology.empty();
  while (ok && start <= topology.size()) {
    const auto x = topology.find('x', start);
    const std::string dim = topology.substr(start, x == std::string::npos ? std::string::npos : x - start);
    if (dim.empty() || dim.size() > 4 || !std::all_of(dim.begin(), dim.end(), [](char c) { return c >= '0' && c <= '9'; })) {
      ok = false;
      break;
    }
    // NOTE: the product is bounded (the largest TPU pods have a few thousand chips), so that a
    // topology of many large dimensions cannot overflow.
    const auto product = util::checked_mul(chips, std::stoll(dim), k_max_tpu_chips);
    if (!product) {
      why = fmt::format("TPU topology \"{}\" has more than {} chips", topology, k_max_tpu_chips);
      return std::nullopt;
    }
    chips = *product;
    if (x == std::string::npos) break;
    start = x + 1;
  }
  if (!ok) {
    why = fmt::format("TPU topology \"{}\" is not of the form AxB or AxBxC", topology);
    return std::nullopt;
  }
  return fmt::format("{}-{}", kind->second.first, chips * kind->second.second);
}

}  // namespace

void Reader::gcp_machine(PlannedResource& p, const RawResource& r, const Json* holder, std::string machine_type,
                         const Json* accelerators) const {
  machine_type = last_segment(std::move(machine_type));
  if (machine_type.empty()) {
    if (holder == nullptr)
      missing_type(p, r, "machine_type");
    else
      p.notes.push_back("no machine_type in the plan");
    return;
  }
  struct Accel {
    std::string type;
    std::int64_t count;
  };
  std::vector<Accel> accels;
  if (accelerators != nullptr && accelerators->is_array()) {
    for (const auto& a : *accelerators) {
      const std::string t = gcp_accelerator_name(text(&a, "type"));
      if (t.empty()) continue;
      accels.push_back({t, integer(&a, "count").value_or(1)});
    }
  }
  std::string written = machine_type;
  for (const auto& a : accels) written += fmt::format(" + {} x {}", a.count, a.type);
  p.instance_as_written = written;

  if (accels.empty()) {
    set_instance(p, Cloud::gcp, machine_type, written);
    return;
  }
  const std::string machine_alone = find_instance(Cloud::gcp, machine_type);
  const catalog::Instance* base = machine_alone.empty() ? nullptr : m_catalog.instance(machine_alone);
  if (base != nullptr && base->accelerator_count > 0) {
    // g2, a2, a3: the machine type carries its GPUs.
    p.instance = machine_alone;
    p.notes.push_back(fmt::format("guest_accelerator ignored: {} includes its GPUs", machine_type));
    return;
  }
  if (machine_type.rfind("n1-", 0) == 0 && accels.size() == 1 && accels[0].type == "nvidia-tesla-t4") {
    const std::string id = fmt::format("gcp-{}-t4x{}", machine_type, accels[0].count);
    if (const catalog::Instance* i = m_catalog.instance(id); i != nullptr && i->cloud == Cloud::gcp) {
      p.instance = i->id;
      return;
    }
  }
  p.instance.clear();
  p.notes.push_back(fmt::format("instance type \"{}\" is unknown to the catalog", written));
}

void Reader::gke_machine(PlannedResource& p, const RawResource& r, const Json* config, const std::vector<std::string>& config_path) const {
  const std::string machine = text(config, "machine_type");
  if (!machine.empty()) {
    gcp_machine(p, r, config, machine, field(config, "guest_accelerator"));
    return;
  }
  std::vector<std::string> path = config_path;
  path.push_back("machine_type");
  if (config != nullptr && setting(r, path) == Setting::after_apply) {
    p.notes.push_back("node_config.machine_type is known only after apply");
    return;
  }
  gcp_machine(p, r, config, k_gke_default_machine, field(config, "guest_accelerator"));
  p.assumptions.push_back(fmt::format(
      "machine type {}: GKE's default when node_config.machine_type is not set (GKE API NodeConfig.machineType)",
      k_gke_default_machine));
}

const RawResource* Reader::gke_cluster_of(const RawResource& pool) const {
  const std::string cluster = last_segment(text(pool.values, "cluster"));
  for (const auto& c : m_raw) {
    if (c.type != "google_container_cluster" || c.mode == "data") continue;
    if (!cluster.empty() && text(c.values, "name") == cluster) return &c;
  }
  const auto refs = referenced(pool, "google_container_cluster");
  return refs.empty() ? nullptr : refs.front();
}

void Reader::gke_count(PlannedResource& p, const Json* pool, const RawResource& r, const Json* cluster_values) {
  // Per-zone count: node_count, else initial_node_count, else the autoscaler's minimum.
  std::int64_t per_zone = 1;
  bool total = false;  // total_min_node_count counts every zone already
  const Json* as = first_block(pool, "autoscaling");
  if (auto n = integer(pool, "node_count")) {
    per_zone = *n;
  } else if (auto i = integer(pool, "initial_node_count")) {
    per_zone = *i;
  } else if (auto m = integer(as, "min_node_count")) {
    per_zone = *m;
  } else if (auto t = integer(as, "total_min_node_count")) {
    per_zone = *t;
    total = true;
  }
  if (auto lo = integer(as, "min_node_count"), hi = integer(as, "max_node_count"); lo && hi)
    p.notes.push_back(fmt::format("autoscaling from {} to {} nodes per zone", *lo, *hi));
  if (auto lo = integer(as, "total_min_node_count"), hi = integer(as, "total_max_node_count"); lo && hi)
    p.notes.push_back(fmt::format("autoscaling from {} to {} nodes in total", *lo, *hi));

  // Zones: the pool's node_locations, else the cluster's, else the location (a zone, or a region
  // and GKE's default of three of its zones).
  std::string location = text(pool, "location");
  if (location.empty()) location = text(r.values, "location");
  if (location.empty()) location = text(cluster_values, "location");
  std::int64_t zones = 1;
  std::string where;
  const std::vector<std::string> own = strings(field(pool, "node_locations"));
  const std::vector<std::string> cluster_zones = strings(field(cluster_values, "node_locations"));
  if (!own.empty()) {
    zones = static_cast<std::int64_t>(own.size());
    where = fmt::format("{} zone(s) from the pool's node_locations", zones);
  } else if (!cluster_zones.empty()) {
    zones = static_cast<std::int64_t>(cluster_zones.size());
    // A zonal cluster's node_locations lists the zones besides its own (Terraform Google provider docs).
    if (!location.empty() && !is_region(location) &&
        std::find(cluster_zones.begin(), cluster_zones.end(), location) == cluster_zones.end())
      ++zones;
    where = fmt::format("{} zone(s) from the cluster's node_locations", zones);
  } else if (location.empty()) {
    where = "location not in the plan: counted as one zone";
  } else if (is_region(location)) {
    zones = k_gke_default_zones;
    p.assumptions.push_back(fmt::format(
        "{} zones: a regional pool in {} with no node_locations runs in three of the region's zones "
        "(GKE docs, Regional clusters)",
        k_gke_default_zones, location));
    where = fmt::format("{} zones, GKE's default for a regional pool in {}", zones, location);
  } else {
    where = fmt::format("one zone, {}", location);
  }
  // NOTE: the product is bounded, so that a pool of a huge count over many zones cannot overflow.
  per_zone = std::clamp<std::int64_t>(per_zone, 0, k_max_count);  // as to_count reads one count
  const auto nodes = total ? std::optional<std::int64_t>(per_zone) : util::checked_mul(per_zone, zones, k_max_count);
  if (!nodes) {
    error(pointer_append(p.pointer, "node_locations"),
          fmt::format("{} nodes per zone x {} zones is more than {} instances", per_zone, zones, k_max_count));
    return;
  }
  p.count = to_count(*nodes);
  if (total)
    p.notes.push_back(fmt::format("{} nodes in total (total_min_node_count)", per_zone));
  else
    p.notes.push_back(fmt::format("{} node(s) per zone x {}", per_zone, where));
}

void Reader::gce_instance(const RawResource& r) {
  PlannedResource p = start(r, Cloud::gcp, "gce");
  gcp_machine(p, r, nullptr, text(r.values, "machine_type"), field(r.values, "guest_accelerator"));
  p.workload = gcp_labels_workload(r.values);
  if (p.workload.empty()) p.workload = text(field(r.values, "effective_labels"), workload_tag);
  push(std::move(p));
}

void Reader::gke_node_pool(const RawResource& r) {
  PlannedResource p = start(r, Cloud::gcp, "gke");
  const Json* config = first_block(r.values, "node_config");
  gke_machine(p, r, config, {"node_config", "0"});
  const RawResource* cluster = gke_cluster_of(r);
  gke_count(p, r.values, r, cluster != nullptr ? cluster->values : nullptr);
  p.workload = text(field(config, "labels"), workload_tag);
  if (p.workload.empty()) p.workload = text(field(config, "resource_labels"), workload_tag);
  push(std::move(p));
}

void Reader::gke_cluster(const RawResource& r) {
  if (is_true(r.values, "enable_autopilot")) return skip(r, SkipKind::no_compute, "GKE Autopilot cluster: no machine type in Terraform");
  bool any = false;
  if (const Json* pools = field(r.values, "node_pool"); pools != nullptr && pools->is_array()) {
    for (std::size_t i = 0; i < pools->size(); ++i) {
      const Json& pool = (*pools)[i];
      if (!pool.is_object()) continue;
      any = true;
      PlannedResource p = start(r, Cloud::gcp, "gke");
      std::string name = text(&pool, "name");
      p.part = "node pool " + (name.empty() ? std::to_string(i) : name);
      p.pointer = pointer_append(pointer_append(r.pointer, "node_pool"), i);
      const Json* config = first_block(&pool, "node_config");
      gke_machine(p, r, config, {"node_pool", std::to_string(i), "node_config", "0"});
      gke_count(p, &pool, r, r.values);
      p.workload = text(field(config, "labels"), workload_tag);
      if (p.workload.empty()) p.workload = text(field(config, "resource_labels"), workload_tag);
      if (p.workload.empty()) p.workload = text(field(r.values, "resource_labels"), workload_tag);
      push(std::move(p));
    }
  }
  if (any) return;
  if (is_true(r.values, "remove_default_node_pool"))
    return skip(r, SkipKind::no_compute, "default node pool removed: nodes come from google_container_node_pool");
  const Json* config = first_block(r.values, "node_config");
  PlannedResource p = start(r, Cloud::gcp, "gke");
  p.part = "default node pool";
  gke_machine(p, r, config, {"node_config", "0"});
  gke_count(p, r.values, r, r.values);
  p.workload = text(field(config, "labels"), workload_tag);
  if (p.workload.empty()) p.workload = text(field(r.values, "resource_labels"), workload_tag);
  push(std::move(p));
}

void Reader::tpu(const RawResource& r) {
  PlannedResource p = start(r, Cloud::gcp, "gce");
  p.notes.push_back(r.type == "google_tpu_v2_vm" ? "TPU VM" : "TPU node (legacy TPU API)");
  std::string type = last_segment(text(r.values, "accelerator_type"));
  std::string written = type;
  if (type.empty()) {
    if (const Json* config = first_block(r.values, "accelerator_config")) {
      std::string why;
      written = fmt::format("{} {}", text(config, "type"), text(config, "topology"));
      if (auto t = tpu_type_from_config(config, why)) {
        type = *t;
        p.notes.push_back(fmt::format("accelerator_config {} read as {}", written, type));
      } else {
        p.notes.push_back(why);
      }
    }
  }
  if (!type.empty())
    set_instance(p, Cloud::gcp, type, written);
  else if (written.empty())
    missing_type(p, r, "accelerator_type");
  else
    p.instance_as_written = written;
  p.workload = gcp_labels_workload(r.values);
  push(std::move(p));
}

void Reader::vertex_endpoint(const RawResource& r) {
  const std::string workload = gcp_labels_workload(r.values);
  if (workload.empty())
    return skip(r, SkipKind::no_compute, "no machine type in Terraform: models are deployed to a Vertex AI endpoint separately");
  PlannedResource p = start(r, Cloud::gcp, "vertex-ai-prediction");
  p.workload = workload;
  p.notes.push_back("Vertex AI endpoint: no machine type in Terraform (models are deployed to it separately)");
  push(std::move(p));
}

void Reader::vertex_resource_pool(const RawResource& r) {
  PlannedResource p = start(r, Cloud::gcp, "vertex-ai-prediction");
  const Json* dedicated = first_block(r.values, "dedicated_resources");
  const Json* spec = first_block(dedicated, "machine_spec");
  Json accelerators = Json::array();
  if (const std::string a = text(spec, "accelerator_type"); !a.empty())
    accelerators.push_back(Json::object({{"type", a}, {"count", integer(spec, "accelerator_count").value_or(1)}}));
  gcp_machine(p, r, spec, text(spec, "machine_type"), &accelerators);
  if (auto n = integer(dedicated, "min_replica_count")) p.count = to_count(*n);
  if (auto lo = integer(dedicated, "min_replica_count"), hi = integer(dedicated, "max_replica_count"); lo && hi)
    p.notes.push_back(fmt::format("replicas from {} to {}", *lo, *hi));
  p.workload = gcp_labels_workload(r.values);
  push(std::move(p));
}

}  // namespace aiadvise::check::terraform
