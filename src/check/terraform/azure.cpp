// Azure resources in a Terraform plan: virtual machines and scale sets, AKS clusters and node pools,
// and Azure Machine Learning compute clusters and instances.

#include <fmt/format.h>

#include "check/terraform/reader.hpp"

namespace aiadvise::check::terraform {

using catalog::Cloud;
using util::pointer_append;

namespace {

std::string azure_tags_workload(const Json* values) { return text(field(values, "tags"), workload_tag); }

/// An AKS pool (a node pool resource, or a cluster's default_node_pool block).
void read_aks_pool(PlannedResource& p, const Json* pool) {
  const bool autoscaling = is_true(pool, "auto_scaling_enabled") || is_true(pool, "enable_auto_scaling");
  if (auto n = integer(pool, "node_count")) {
    p.count = to_count(*n);
  } else if (auto m = integer(pool, "min_count")) {
    p.count = to_count(*m);
    p.notes.push_back("no node_count: count is min_count");
  }
  if (autoscaling) {
    if (auto lo = integer(pool, "min_count"), hi = integer(pool, "max_count"); lo && hi)
      p.notes.push_back(fmt::format("autoscaling from {} to {} nodes", *lo, *hi));
  }
}

}  // namespace

void Reader::azure_vm(const RawResource& r) {
  PlannedResource p = start(r, Cloud::azure, "azure-vm");
  const char* key = r.type == "azurerm_virtual_machine" ? "vm_size" : "size";
  const std::string size = text(r.values, key);
  if (size.empty())
    missing_type(p, r, key);
  else
    set_instance(p, Cloud::azure, size, size);
  p.workload = azure_tags_workload(r.values);
  push(std::move(p));
}

void Reader::azure_scale_set(const RawResource& r) {
  PlannedResource p = start(r, Cloud::azure, "azure-vm");
  const std::string size = text(r.values, "sku");
  if (size.empty())
    missing_type(p, r, "sku");
  else
    set_instance(p, Cloud::azure, size, size);
  if (auto n = integer(r.values, "instances")) p.count = to_count(*n);
  p.workload = azure_tags_workload(r.values);
  push(std::move(p));
}

void Reader::aks_node_pool(const RawResource& r) {
  PlannedResource p = start(r, Cloud::azure, "aks");
  const std::string size = text(r.values, "vm_size");
  if (size.empty())
    missing_type(p, r, "vm_size");
  else
    set_instance(p, Cloud::azure, size, size);
  read_aks_pool(p, r.values);
  p.workload = text(field(r.values, "node_labels"), workload_tag);
  if (p.workload.empty()) p.workload = azure_tags_workload(r.values);
  push(std::move(p));
}

void Reader::aks_cluster(const RawResource& r) {
  PlannedResource p = start(r, Cloud::azure, "aks");
  const Json* pool = first_block(r.values, "default_node_pool");
  if (pool != nullptr) p.pointer = pointer_append(pointer_append(r.pointer, "default_node_pool"), 0);
  const std::string name = text(pool, "name");
  p.part = name.empty() ? std::string("default node pool") : fmt::format("default node pool {}", name);
  const std::string size = text(pool, "vm_size");
  if (size.empty())
    p.notes.push_back("default_node_pool has no vm_size in the plan");
  else
    set_instance(p, Cloud::azure, size, size);
  read_aks_pool(p, pool);
  p.workload = azure_tags_workload(r.values);
  if (p.workload.empty()) p.workload = text(field(pool, "node_labels"), workload_tag);
  push(std::move(p));
}

void Reader::aml_compute_cluster(const RawResource& r) {
  PlannedResource p = start(r, Cloud::azure, "azure-ml-training");
  const std::string size = text(r.values, "vm_size");
  if (size.empty())
    missing_type(p, r, "vm_size");
  else
    set_instance(p, Cloud::azure, size, size);
  if (const Json* scale = first_block(r.values, "scale_settings")) {
    const auto lo = integer(scale, "min_node_count");
    const auto hi = integer(scale, "max_node_count");
    if (hi) p.count = to_count(*hi);
    p.notes.push_back(fmt::format("scales from {} to {} nodes: count is the maximum", lo ? std::to_string(*lo) : std::string("?"),
                                  hi ? std::to_string(*hi) : std::string("?")));
  } else {
    p.notes.push_back("no scale_settings: count is 1");
  }
  p.workload = azure_tags_workload(r.values);
  push(std::move(p));
}

void Reader::aml_compute_instance(const RawResource& r) {
  PlannedResource p = start(r, Cloud::azure, "");
  p.notes.push_back("compute instance: checked as an instance");
  const std::string size = text(r.values, "virtual_machine_size");
  if (size.empty())
    missing_type(p, r, "virtual_machine_size");
  else
    set_instance(p, Cloud::azure, size, size);
  p.workload = azure_tags_workload(r.values);
  push(std::move(p));
}

}  // namespace aiadvise::check::terraform
