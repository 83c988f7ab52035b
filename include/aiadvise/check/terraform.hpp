#pragma once
/// Reading a Terraform plan (`terraform show -json PLANFILE`) into the compute it would create:
/// one PlannedResource per instance, node pool, endpoint variant or TPU, with the catalog instance
/// it maps to, and every other resource listed as skipped with a reason (nothing is dropped
/// silently). The checker (check.hpp) then holds each against the workload it is tagged with.
///
/// Sources: planned_values.root_module (recursively through child_modules) is where resources come
/// from; resource_changes adds only what planned_values lacks and marks what is being deleted. The
/// output of `terraform show -json` on a state (top-level "values" instead of "planned_values") is
/// read the same way.

#include <string>
#include <vector>

#include "aiadvise/catalog/catalog.hpp"
#include "aiadvise/util/json_document.hpp"

namespace aiadvise::check {

/// The tag (AWS, Azure) or label (GCP, Kubernetes) that names the workload a resource serves.
inline constexpr const char* workload_tag = "aiadvise-workload";

struct PlannedResource {
  std::string address;  ///< Terraform address; an endpoint variant adds "[variant_name]"
  std::string type;     ///< Terraform resource type, e.g. "aws_instance"
  std::string cloud;    ///< "aws", "gcp" or "azure"
  std::string instance; ///< catalog instance id, or "" if the type could not be mapped
  std::string instance_as_written;  ///< e.g. "ml.g5.xlarge", "n1-standard-8 + 1 x nvidia-tesla-t4"
  int count = 1;        ///< instances (nodes, replicas) of that type
  std::string service;  ///< catalog service id; "" for notebooks
  std::string workload; ///< value of the "aiadvise-workload" tag or label, "" if none
  std::vector<std::string> notes;
  std::string pointer;  ///< JSON pointer, in the plan, of the values this was read from
};

struct SkippedResource {
  std::string address;
  std::string type;
  std::string reason;  ///< "data source", "being deleted", "not ML compute (type aws_s3_bucket)", ...
};

struct TerraformPlan {
  std::vector<PlannedResource> resources;
  std::vector<SkippedResource> skipped;
};

/// Reads a parsed plan. Throws util::InputError listing every structural problem (not an object,
/// no format_version, planned_values not an object, resources not an array, a resource without
/// type or address, ...), each located by a JSON pointer into `plan`.
TerraformPlan read_terraform_plan(const util::JsonDocument& plan, const catalog::Catalog& catalog);

}  // namespace aiadvise::check
