#pragma once
/// Reading a Terraform plan (`terraform show -json PLANFILE`) into the compute it would create:
/// one PlannedResource per instance, node pool, endpoint variant or TPU, with the catalog instance
/// it maps to, and every other resource listed as skipped with a reason (nothing is dropped
/// silently). The checker (check.hpp) then holds each against the workload it is tagged with.
///
/// Sources: planned_values.root_module (recursively through child_modules) is where resources come
/// from; resource_changes adds only what planned_values lacks and marks what is being deleted. The
/// output of `terraform show -json` on a state (top-level "values" instead of "planned_values") is
/// read the same way. Every format_version Terraform (0.12 on) and OpenTofu write is read: 0.x and
/// 1.x. The reader lives in src/check/terraform/: the plan format (plan.cpp), one file per provider
/// (aws.cpp, gcp.cpp, azure.cpp) and addresses (address.cpp).

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "aiadvise/catalog/catalog.hpp"
#include "aiadvise/util/json_document.hpp"

namespace aiadvise::check {

/// The tag (AWS, Azure) or label (GCP, Kubernetes) that names the workload a resource serves.
inline constexpr const char* workload_tag = "aiadvise-workload";

struct PlannedResource {
  std::string address;  ///< Terraform address, exactly as in the plan (with its instance key, if any)
  std::string part;     ///< "" or the part of the resource read: "variant primary", "node pool gpu"
  std::string type;     ///< Terraform resource type, e.g. "aws_instance"
  std::string cloud;    ///< "aws", "gcp" or "azure"
  std::string instance; ///< catalog instance id, or "" if the type could not be mapped
  std::string instance_as_written;  ///< e.g. "ml.g5.xlarge", "n1-standard-8 + 1 x nvidia-tesla-t4"
  int count = 1;        ///< instances (nodes, replicas) of that type
  std::string service;  ///< catalog service id; "" for notebooks
  std::string workload; ///< value of the "aiadvise-workload" tag or label, "" if none
  std::vector<std::string> notes;
  /// Defaults applied where the plan is silent, each naming its source (a provider default
  /// machine type, the zones of a regional pool); the check report lists them as assumptions.
  std::vector<std::string> assumptions;
  std::string pointer;  ///< JSON pointer, in the plan, of the values this was read from
  int line = 0;         ///< line of `pointer` in the plan file (Terraform's JSON has no configuration lines)

  /// "ADDRESS" or "ADDRESS, PART".
  std::string label() const { return part.empty() ? address : address + ", " + part; }
};

/// Why a resource is not checked; the report counts skipped resources by kind.
enum class SkipKind {
  not_ml_compute,    ///< not a compute resource aiadvise reads (buckets, networks, roles, ...)
  data_source,
  deleted,           ///< being deleted or forgotten
  no_compute,        ///< ML resource with no machine of its own (an endpoint, a model, a cluster)
  read_elsewhere,    ///< read through another resource (a launch template through its group)
  not_read,          ///< compute aiadvise cannot read yet (instance templates, launch configurations)
  no_workload,       ///< ML compute with no aiadvise-workload tag or label and no mapping
  unknown_workload,  ///< tagged or mapped for a workload the project file does not define
};
/// A short label for a kind: "not ML compute", "data source", ...
std::string_view to_string(SkipKind kind);

struct SkippedResource {
  std::string address;
  std::string type;
  std::string reason;  ///< "data source", "being deleted", "not ML compute (type aws_s3_bucket)", ...
  SkipKind kind = SkipKind::not_ml_compute;
};

struct TerraformPlan {
  std::string file;            ///< the plan's name as given
  std::string format_version;  ///< "0.1", "1.2", ...
  std::string terraform_version;
  std::vector<PlannedResource> resources;
  std::vector<SkippedResource> skipped;
};

/// Recognises inputs that are not `terraform show -json` output but are often given in its place:
/// a binary plan file, the streamed output of `terraform plan -json`, a raw state file, the text
/// output of `terraform plan`. Returns the message that says so with the exact command that makes
/// the right input, or nullopt. `name` is the file name as the user gave it.
std::optional<std::string> recognise_wrong_plan_input(std::string_view text, const std::string& name);

/// Reads a parsed plan. Throws util::InputError listing every structural problem (not an object,
/// no format_version, planned_values not an object, resources not an array, a resource without
/// type or address, ...), each located by a JSON pointer into `plan`.
TerraformPlan read_terraform_plan(const util::JsonDocument& plan, const catalog::Catalog& catalog);

}  // namespace aiadvise::check
