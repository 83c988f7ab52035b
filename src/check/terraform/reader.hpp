#pragma once
// The Terraform plan reader's internals, shared by the plan format (plan.cpp) and the readers of
// each provider's resources (aws.cpp, gcp.cpp, azure.cpp).

#include <cstdint>
#include <functional>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "aiadvise/check/terraform.hpp"
#include "aiadvise/util/diagnostics.hpp"

namespace aiadvise::check::terraform {

using util::Json;

// ---------------------------------------------------------------------------------------------
// Small JSON accessors: a value that is missing, null or of another type reads as absent.

const Json* field(const Json* object, std::string_view key);
std::string text(const Json* object, std::string_view key);
std::optional<std::int64_t> integer(const Json* object, std::string_view key);
/// The first element of a non-empty list of blocks (Terraform nested blocks are lists).
const Json* first_block(const Json* object, std::string_view key);
bool non_empty_list(const Json* object, std::string_view key);
bool is_true(const Json* object, std::string_view key);
/// True when after_unknown marks `key` as known only after apply.
bool unknown(const Json* after_unknown, std::string_view key);
std::string last_segment(std::string s);
bool iequals(std::string_view a, std::string_view b);
/// A count read from the plan, clamped to [0, 1,000,000].
int to_count(std::int64_t n);
/// "module.a[0].aws_instance.x[2]" -> "module.a[0].aws_instance.x".
std::string without_index(const std::string& address);

// ---------------------------------------------------------------------------------------------
// Resources as found in the plan, before mapping.

struct RawResource {
  std::string address, type, name, mode;
  std::string module_address;         ///< "" for the root module
  const Json* values = nullptr;       ///< planned values, or change.after
  std::string pointer;                ///< of `values`
  const Json* after_unknown = nullptr;
};

struct Change {
  std::vector<std::string> actions;
  const Json* after_unknown = nullptr;
  bool deposed = false;
};

bool is_delete(const std::vector<std::string>& actions);
bool is_forget(const std::vector<std::string>& actions);

/// Where a value of a resource came from when the plan leaves it empty.
enum class Setting {
  given,         ///< in the plan
  after_apply,   ///< set in configuration to a value known only after apply
  not_set,       ///< not set in configuration: the provider's default applies
};

class Reader {
 public:
  Reader(const util::JsonDocument& plan, const catalog::Catalog& catalog) : m_plan(plan), m_catalog(catalog) {}

  TerraformPlan read();

 private:
  // the plan format (plan.cpp)
  void error(std::string pointer, std::string message) {
    m_errors.push_back(m_plan.diagnostic(std::move(pointer), std::move(message)));
  }
  void read_version(const Json& root);
  void walk_module(const Json& module, const std::string& pointer, const std::string& module_address, int depth);
  void read_changes(const Json& changes, const std::string& pointer);
  void map(const RawResource& r);

  // shared by the providers (plan.cpp)
  PlannedResource start(const RawResource& r, catalog::Cloud cloud, std::string service) const;
  void set_instance(PlannedResource& p, catalog::Cloud cloud, const std::string& catalog_name,
                    const std::string& as_written) const;
  void missing_type(PlannedResource& p, const RawResource& r, std::string_view key) const;
  std::string find_instance(catalog::Cloud cloud, std::string_view name) const;
  void skip(const RawResource& r, SkipKind kind, std::string reason) {
    m_out.skipped.push_back(SkippedResource{r.address, r.type, std::move(reason), kind});
  }
  void push(PlannedResource p) {
    p.line = static_cast<int>(m_plan.locate(p.pointer).line);
    m_out.resources.push_back(std::move(p));
  }
  /// The resource's block in the plan's `configuration` (null when the plan has none).
  const Json* configuration_resource(const RawResource& r) const;
  /// Whether the value at `path` (keys and block indexes under the resource's values) is in the
  /// plan, set in configuration to something known only after apply, or not set at all.
  Setting setting(const RawResource& r, const std::vector<std::string>& path) const;
  /// Planned resources of `type` named by references ("TYPE.NAME...") in the resource's
  /// configuration expressions.
  std::vector<const RawResource*> referenced(const RawResource& user, std::string_view type) const;

  // AWS (aws.cpp)
  void aws_instance(const RawResource& r);
  void sagemaker_endpoint_configuration(const RawResource& r);
  void sagemaker_notebook(const RawResource& r);
  void eks_node_group(const RawResource& r);
  void launch_template(const RawResource& r);
  void autoscaling_group(const RawResource& r);
  const RawResource* launch_template_of(const RawResource& user, const Json* spec) const;
  void note_used_launch_templates();

  // GCP (gcp.cpp)
  void gce_instance(const RawResource& r);
  void gke_node_pool(const RawResource& r);
  void gke_cluster(const RawResource& r);
  void tpu(const RawResource& r);
  void vertex_endpoint(const RawResource& r);
  void vertex_resource_pool(const RawResource& r);
  /// GCP machine type plus guest accelerators ([{type, count}]) -> catalog instance.
  void gcp_machine(PlannedResource& p, const RawResource& r, const Json* holder, std::string machine_type,
                   const Json* accelerators) const;
  /// A GKE pool's machine: the type in the plan, else GKE's default (an assumption), else unknown.
  void gke_machine(PlannedResource& p, const RawResource& r, const Json* config, const std::vector<std::string>& config_path) const;
  /// Nodes of a GKE pool: the per-zone count times the zones, saying where the zones come from.
  void gke_count(PlannedResource& p, const Json* pool, const RawResource& r, const Json* cluster_values) const;
  const RawResource* gke_cluster_of(const RawResource& pool) const;

  // Azure (azure.cpp)
  void azure_vm(const RawResource& r);
  void azure_scale_set(const RawResource& r);
  void aks_node_pool(const RawResource& r);
  void aks_cluster(const RawResource& r);
  void aml_compute_cluster(const RawResource& r);
  void aml_compute_instance(const RawResource& r);

  const util::JsonDocument& m_plan;
  const catalog::Catalog& m_catalog;
  std::vector<util::Diagnostic> m_errors;
  std::vector<RawResource> m_raw;
  std::map<std::string, Change, std::less<>> m_changes;             ///< by address, non-deposed
  std::map<std::string, std::string, std::less<>> m_used_templates;  ///< launch template -> its user
  TerraformPlan m_out;
};

}  // namespace aiadvise::check::terraform
