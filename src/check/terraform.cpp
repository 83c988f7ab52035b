#include "aiadvise/check/terraform.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cctype>
#include <cstdint>
#include <functional>
#include <map>
#include <optional>
#include <set>
#include <string_view>

#include "aiadvise/util/diagnostics.hpp"
#include "aiadvise/util/numeric.hpp"

namespace aiadvise::check {

namespace {

using catalog::Cloud;
using util::Json;
using util::pointer_append;

// ---------------------------------------------------------------------------------------------
// Small JSON accessors: a value that is missing, null or of another type reads as absent.

const Json* field(const Json* object, std::string_view key) {
  if (object == nullptr || !object->is_object()) return nullptr;
  const auto& members = object->get_ref<const Json::object_t&>();
  auto it = members.find(key);
  if (it == members.end() || it->second.is_null()) return nullptr;
  return &it->second;
}

std::string text(const Json* object, std::string_view key) {
  const Json* v = field(object, key);
  return v != nullptr && v->is_string() ? v->get<std::string>() : std::string{};
}

std::optional<std::int64_t> integer(const Json* object, std::string_view key) {
  const Json* v = field(object, key);
  if (v == nullptr || !v->is_number()) return std::nullopt;
  // NOTE: an unsigned above INT64_MAX would wrap to a negative count; it reads as the largest.
  if (v->is_number_unsigned() && v->get<std::uint64_t>() > static_cast<std::uint64_t>(INT64_MAX)) return INT64_MAX;
  if (v->is_number_integer()) return v->get<std::int64_t>();
  const double d = v->get<double>();
  if (!(d >= -1e15 && d <= 1e15)) return std::nullopt;
  return static_cast<std::int64_t>(d);
}

/// The first element of a non-empty list of blocks (Terraform nested blocks are lists).
const Json* first_block(const Json* object, std::string_view key) {
  const Json* v = field(object, key);
  if (v == nullptr || !v->is_array() || v->empty() || !(*v)[0].is_object()) return nullptr;
  return &(*v)[0];
}

bool non_empty_list(const Json* object, std::string_view key) {
  const Json* v = field(object, key);
  return v != nullptr && v->is_array() && !v->empty();
}

/// True when after_unknown marks `key` as known only after apply.
bool unknown(const Json* after_unknown, std::string_view key) {
  const Json* v = field(after_unknown, key);
  return v != nullptr && v->is_boolean() && v->get<bool>();
}

std::string last_segment(std::string s) {
  const auto slash = s.rfind('/');
  return slash == std::string::npos ? s : s.substr(slash + 1);
}

bool iequals(std::string_view a, std::string_view b) {
  return a.size() == b.size() && std::equal(a.begin(), a.end(), b.begin(), [](char x, char y) {
           return std::tolower(static_cast<unsigned char>(x)) == std::tolower(static_cast<unsigned char>(y));
         });
}

/// The most instances one resource may propose (a count beyond it is read as this many).
constexpr std::int64_t k_max_count = 1'000'000;

int to_count(std::int64_t n) { return static_cast<int>(std::clamp<std::int64_t>(n, 0, k_max_count)); }

/// "module.a[0].aws_instance.x[2]" -> "module.a[0].aws_instance.x": an address without its
/// trailing instance key.
std::string without_index(const std::string& address) {
  if (address.empty() || address.back() != ']') return address;
  const auto open = address.rfind('[');
  return open == std::string::npos ? address : address.substr(0, open);
}

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

bool is_delete(const std::vector<std::string>& actions) {
  return actions == std::vector<std::string>{"delete"};
}

bool is_forget(const std::vector<std::string>& actions) {
  return actions == std::vector<std::string>{"forget"};
}

// ---------------------------------------------------------------------------------------------

class Reader {
 public:
  Reader(const util::JsonDocument& plan, const catalog::Catalog& catalog) : m_plan(plan), m_catalog(catalog) {}

  TerraformPlan read();

 private:
  // structure
  void error(std::string pointer, std::string message) {
    m_errors.push_back(m_plan.diagnostic(std::move(pointer), std::move(message)));
  }
  void walk_module(const Json& module, const std::string& pointer, const std::string& module_address, int depth);
  void read_changes(const Json& changes, const std::string& pointer);

  // mapping
  void map(const RawResource& r);
  PlannedResource start(const RawResource& r, Cloud cloud, std::string service) const;
  void set_instance(PlannedResource& p, Cloud cloud, const std::string& catalog_name,
                    const std::string& as_written) const;
  void missing_type(PlannedResource& p, const RawResource& r, std::string_view key) const;
  std::string find_instance(Cloud cloud, std::string_view name) const;
  void skip(const RawResource& r, std::string reason) {
    m_out.skipped.push_back(SkippedResource{r.address, r.type, std::move(reason)});
  }

  void aws_instance(const RawResource& r);
  void sagemaker_endpoint_configuration(const RawResource& r);
  void sagemaker_notebook(const RawResource& r);
  void eks_node_group(const RawResource& r);
  void launch_template(const RawResource& r);
  void autoscaling_group(const RawResource& r);
  void gce_instance(const RawResource& r);
  void gke_node_pool(const RawResource& r);
  void gke_cluster(const RawResource& r);
  void tpu(const RawResource& r);
  void vertex_endpoint(const RawResource& r);
  void vertex_resource_pool(const RawResource& r);
  void azure_vm(const RawResource& r);
  void azure_scale_set(const RawResource& r);
  void aks_node_pool(const RawResource& r);
  void aks_cluster(const RawResource& r);
  void aml_compute_cluster(const RawResource& r);
  void aml_compute_instance(const RawResource& r);

  /// GCP machine type plus guest accelerators ([{type, count}]) -> catalog instance.
  void gcp_machine(PlannedResource& p, const RawResource& r, const Json* holder,
                   std::string machine_type, const Json* accelerators) const;

  // launch templates
  const RawResource* launch_template_of(const RawResource& user, const Json* spec) const;
  const RawResource* launch_template_by_reference(const RawResource& user) const;
  const Json* configuration_resource(const RawResource& r) const;

  const util::JsonDocument& m_plan;
  const catalog::Catalog& m_catalog;
  std::vector<util::Diagnostic> m_errors;
  std::vector<RawResource> m_raw;
  std::map<std::string, Change, std::less<>> m_changes;  ///< by address, non-deposed
  std::map<std::string, std::string, std::less<>> m_used_templates;  ///< launch template -> its user
  TerraformPlan m_out;
};

constexpr int max_module_depth = 32;

void Reader::walk_module(const Json& module, const std::string& pointer, const std::string& module_address,
                         int depth) {
  if (!module.is_object()) {
    error(pointer, "a module must be an object");
    return;
  }
  if (depth > max_module_depth) {
    error(pointer, fmt::format("modules nested deeper than {}", max_module_depth));
    return;
  }
  if (const Json* resources = field(&module, "resources")) {
    const std::string rp = pointer_append(pointer, "resources");
    if (!resources->is_array()) {
      error(rp, "resources must be an array");
    } else {
      for (std::size_t i = 0; i < resources->size(); ++i) {
        const Json& res = (*resources)[i];
        const std::string p = pointer_append(rp, i);
        if (!res.is_object()) {
          error(p, "a resource must be an object");
          continue;
        }
        RawResource raw;
        raw.address = text(&res, "address");
        raw.type = text(&res, "type");
        raw.name = text(&res, "name");
        raw.mode = text(&res, "mode");
        raw.module_address = module_address;
        bool ok = true;
        if (raw.address.empty()) {
          error(p, "a resource needs an \"address\" (a non-empty string)");
          ok = false;
        }
        if (raw.type.empty()) {
          error(p, "a resource needs a \"type\" (a non-empty string)");
          ok = false;
        }
        const Json* values = field(&res, "values");
        if (values != nullptr && !values->is_object()) {
          error(pointer_append(p, "values"), "values must be an object");
          ok = false;
        }
        if (!ok) continue;
        raw.values = values;
        raw.pointer = values != nullptr ? pointer_append(p, "values") : p;
        m_raw.push_back(std::move(raw));
      }
    }
  }
  if (const Json* children = field(&module, "child_modules")) {
    const std::string cp = pointer_append(pointer, "child_modules");
    if (!children->is_array()) {
      error(cp, "child_modules must be an array");
    } else {
      for (std::size_t i = 0; i < children->size(); ++i) {
        const Json& child = (*children)[i];
        std::string address = child.is_object() ? text(&child, "address") : std::string{};
        walk_module(child, pointer_append(cp, i), address, depth + 1);
      }
    }
  }
}

void Reader::read_changes(const Json& changes, const std::string& pointer) {
  if (!changes.is_array()) {
    error(pointer, "resource_changes must be an array");
    return;
  }
  std::set<std::string, std::less<>> planned;
  for (const auto& r : m_raw) planned.insert(r.address);
  std::set<std::string, std::less<>> skipped_data;
  for (std::size_t i = 0; i < changes.size(); ++i) {
    const Json& rc = changes[i];
    const std::string p = pointer_append(pointer, i);
    if (!rc.is_object()) {
      error(p, "a resource change must be an object");
      continue;
    }
    RawResource raw;
    raw.address = text(&rc, "address");
    raw.type = text(&rc, "type");
    raw.name = text(&rc, "name");
    raw.mode = text(&rc, "mode");
    raw.module_address = text(&rc, "module_address");
    bool ok = true;
    if (raw.address.empty()) {
      error(p, "a resource change needs an \"address\" (a non-empty string)");
      ok = false;
    }
    if (raw.type.empty()) {
      error(p, "a resource change needs a \"type\" (a non-empty string)");
      ok = false;
    }
    const Json* change = field(&rc, "change");
    const std::string cp = pointer_append(p, "change");
    if (change == nullptr || !change->is_object()) {
      error(change == nullptr ? p : cp, "a resource change needs a \"change\" object");
      continue;
    }
    Change c;
    const Json* actions = field(change, "actions");
    if (actions == nullptr || !actions->is_array() ||
        !std::all_of(actions->begin(), actions->end(), [](const Json& a) { return a.is_string(); })) {
      error(actions == nullptr ? cp : pointer_append(cp, "actions"), "change.actions must be an array of strings");
      ok = false;
    } else {
      for (const auto& a : *actions) c.actions.push_back(a.get<std::string>());
    }
    const Json* after = field(change, "after");
    if (after != nullptr && !after->is_object()) {
      error(pointer_append(cp, "after"), "change.after must be an object or null");
      ok = false;
    }
    if (!ok) continue;
    c.after_unknown = field(change, "after_unknown");
    c.deposed = field(&rc, "deposed") != nullptr;

    if (c.deposed) {
      if (is_delete(c.actions)) m_out.skipped.push_back({raw.address, raw.type, "being deleted (deposed object)"});
      continue;
    }
    m_changes[raw.address] = c;
    if (planned.count(raw.address) != 0) continue;
    if (raw.mode == "data") {
      if (skipped_data.insert(raw.address).second) m_out.skipped.push_back({raw.address, raw.type, "data source"});
      continue;
    }
    if (is_delete(c.actions)) {
      m_out.skipped.push_back({raw.address, raw.type, "being deleted"});
      continue;
    }
    if (is_forget(c.actions)) {
      m_out.skipped.push_back({raw.address, raw.type, "being removed from the state (forget)"});
      continue;
    }
    // Only in resource_changes: read it from change.after.
    raw.values = after;
    raw.pointer = after != nullptr ? pointer_append(cp, "after") : cp;
    raw.after_unknown = c.after_unknown;
    planned.insert(raw.address);
    m_raw.push_back(std::move(raw));
  }
}

TerraformPlan Reader::read() {
  const Json& root = m_plan.value();
  if (!root.is_object()) {
    error("", "a Terraform plan must be a JSON object (the output of `terraform show -json PLANFILE`)");
    throw util::InputError(std::move(m_errors));
  }
  const Json* version = field(&root, "format_version");
  if (version == nullptr) {
    error("", "no \"format_version\": not the output of `terraform show -json PLANFILE`");
  } else if (!version->is_string()) {
    error("/format_version", "format_version must be a string such as \"1.2\"");
  } else {
    const auto v = version->get<std::string>();
    if (v.rfind("1.", 0) != 0 && v != "1")
      error("/format_version", fmt::format("unsupported format_version \"{}\": only 1.x is read", v));
  }
  const Json* planned = field(&root, "planned_values");
  std::string planned_pointer = "/planned_values";
  if (planned == nullptr && field(&root, "values") != nullptr && field(&root, "resource_changes") == nullptr) {
    planned = field(&root, "values");  // `terraform show -json` of a state
    planned_pointer = "/values";
  }
  if (planned == nullptr) {
    error("", "no \"planned_values\": not the output of `terraform show -json PLANFILE`");
  } else if (!planned->is_object()) {
    error(planned_pointer, "planned_values must be an object");
  } else if (const Json* root_module = field(planned, "root_module")) {
    walk_module(*root_module, pointer_append(planned_pointer, "root_module"), "", 0);
  }
  if (const Json* changes = field(&root, "resource_changes")) read_changes(*changes, "/resource_changes");
  if (!m_errors.empty()) throw util::InputError(std::move(m_errors));

  // Launch templates referenced by a group are reported through that group, not on their own.
  for (const auto& r : m_raw) {
    if (r.type == "aws_autoscaling_group") {
      const Json* spec = first_block(r.values, "launch_template");
      if (spec == nullptr) {
        const Json* mixed = first_block(r.values, "mixed_instances_policy");
        const Json* lt = first_block(mixed, "launch_template");
        spec = first_block(lt, "launch_template_specification");
      }
      if (const RawResource* t = launch_template_of(r, spec)) m_used_templates.emplace(t->address, r.address);
    } else if (r.type == "aws_eks_node_group") {
      if (const RawResource* t = launch_template_of(r, first_block(r.values, "launch_template")))
        m_used_templates.emplace(t->address, r.address);
    }
  }
  for (const auto& r : m_raw) map(r);
  if (!m_errors.empty()) throw util::InputError(std::move(m_errors));
  return std::move(m_out);
}

// ---------------------------------------------------------------------------------------------
// Mapping

std::string Reader::find_instance(Cloud cloud, std::string_view name) const {
  if (name.empty()) return {};
  for (const auto& i : m_catalog.instances) {
    if (i.cloud != cloud) continue;
    // Azure sizes are case-insensitive (the AML API writes them upper-case).
    if (cloud == Cloud::azure ? iequals(i.name, name) : i.name == name) return i.id;
  }
  return {};
}

PlannedResource Reader::start(const RawResource& r, Cloud cloud, std::string service) const {
  PlannedResource p;
  p.address = r.address;
  p.type = r.type;
  p.cloud = std::string(catalog::to_string(cloud));
  p.service = std::move(service);
  p.pointer = r.pointer;
  return p;
}

void Reader::set_instance(PlannedResource& p, Cloud cloud, const std::string& catalog_name,
                          const std::string& as_written) const {
  p.instance_as_written = as_written;
  p.instance = find_instance(cloud, catalog_name);
  if (p.instance.empty())
    p.notes.push_back(fmt::format("instance type \"{}\" is unknown to the catalog", as_written));
}

void Reader::missing_type(PlannedResource& p, const RawResource& r, std::string_view key) const {
  const Json* after_unknown = r.after_unknown;
  if (after_unknown == nullptr) {
    auto it = m_changes.find(r.address);
    if (it != m_changes.end()) after_unknown = it->second.after_unknown;
  }
  if (unknown(after_unknown, key))
    p.notes.push_back(fmt::format("{} is known only after apply", key));
  else
    p.notes.push_back(fmt::format("no {} in the plan", key));
}

void Reader::map(const RawResource& r) {
  if (r.mode == "data") return skip(r, "data source");
  if (auto it = m_changes.find(r.address); it != m_changes.end()) {
    if (is_delete(it->second.actions)) return skip(r, "being deleted");
    if (is_forget(it->second.actions)) return skip(r, "being removed from the state (forget)");
  }
  using Handler = void (Reader::*)(const RawResource&);
  static const std::map<std::string, Handler, std::less<>> handlers = {
      {"aws_instance", &Reader::aws_instance},
      {"aws_sagemaker_endpoint_configuration", &Reader::sagemaker_endpoint_configuration},
      {"aws_sagemaker_notebook_instance", &Reader::sagemaker_notebook},
      {"aws_eks_node_group", &Reader::eks_node_group},
      {"aws_launch_template", &Reader::launch_template},
      {"aws_autoscaling_group", &Reader::autoscaling_group},
      {"google_compute_instance", &Reader::gce_instance},
      {"google_container_node_pool", &Reader::gke_node_pool},
      {"google_container_cluster", &Reader::gke_cluster},
      {"google_tpu_v2_vm", &Reader::tpu},
      {"google_tpu_node", &Reader::tpu},
      {"google_vertex_ai_endpoint", &Reader::vertex_endpoint},
      {"google_vertex_ai_deployment_resource_pool", &Reader::vertex_resource_pool},
      {"azurerm_linux_virtual_machine", &Reader::azure_vm},
      {"azurerm_windows_virtual_machine", &Reader::azure_vm},
      {"azurerm_virtual_machine", &Reader::azure_vm},
      {"azurerm_linux_virtual_machine_scale_set", &Reader::azure_scale_set},
      {"azurerm_windows_virtual_machine_scale_set", &Reader::azure_scale_set},
      {"azurerm_kubernetes_cluster_node_pool", &Reader::aks_node_pool},
      {"azurerm_kubernetes_cluster", &Reader::aks_cluster},
      {"azurerm_machine_learning_compute_cluster", &Reader::aml_compute_cluster},
      {"azurerm_machine_learning_compute_instance", &Reader::aml_compute_instance},
  };
  // ML resources that hold no compute of their own: say where their compute comes from.
  static const std::map<std::string, std::string, std::less<>> no_compute = {
      {"aws_sagemaker_endpoint", "no instance type: its compute is its aws_sagemaker_endpoint_configuration"},
      {"aws_sagemaker_model", "no instance type: a model runs on an endpoint configuration"},
      {"aws_eks_cluster", "no instance type: its nodes come from aws_eks_node_group"},
      {"azurerm_machine_learning_workspace", "no instance type: its compute comes from compute clusters, "
                                            "compute instances and online deployments"},
      {"google_compute_instance_template",
       "instance templates are not mapped: managed instance groups are not read yet"},
      {"google_compute_instance_group_manager", "managed instance groups are not read yet"},
      {"google_compute_region_instance_group_manager", "managed instance groups are not read yet"},
  };
  if (auto it = handlers.find(r.type); it != handlers.end()) return (this->*(it->second))(r);
  if (auto it = no_compute.find(r.type); it != no_compute.end()) return skip(r, it->second);
  skip(r, fmt::format("not ML compute (type {})", r.type));
}

// --- AWS ---------------------------------------------------------------------------------------

std::string aws_tags_workload(const Json* values) {
  std::string w = text(field(values, "tags"), workload_tag);
  if (w.empty()) w = text(field(values, "tags_all"), workload_tag);
  return w;
}

void Reader::aws_instance(const RawResource& r) {
  PlannedResource p = start(r, Cloud::aws, "ec2");
  const std::string type = text(r.values, "instance_type");
  if (type.empty())
    missing_type(p, r, "instance_type");
  else
    set_instance(p, Cloud::aws, type, type);
  p.workload = aws_tags_workload(r.values);
  m_out.resources.push_back(std::move(p));
}

/// "ml.g5.xlarge" -> "g5.xlarge".
std::string strip_ml(const std::string& type) { return type.rfind("ml.", 0) == 0 ? type.substr(3) : type; }

void Reader::sagemaker_endpoint_configuration(const RawResource& r) {
  const bool async = non_empty_list(r.values, "async_inference_config");
  const std::string workload = aws_tags_workload(r.values);
  bool any = false;
  for (const char* list : {"production_variants", "shadow_production_variants"}) {
    const Json* variants = field(r.values, list);
    if (variants == nullptr || !variants->is_array()) continue;
    for (std::size_t i = 0; i < variants->size(); ++i) {
      const Json& v = (*variants)[i];
      if (!v.is_object()) continue;
      any = true;
      std::string name = text(&v, "variant_name");
      if (name.empty()) name = std::to_string(i);
      const Json* serverless = first_block(&v, "serverless_config");
      PlannedResource p = start(r, Cloud::aws,
                                serverless != nullptr ? "sagemaker-serverless"
                                : async               ? "sagemaker-async"
                                                      : "sagemaker-realtime");
      p.address = r.address + "[" + name + "]";
      p.pointer = pointer_append(pointer_append(r.pointer, list), i);
      p.workload = workload;
      if (std::string_view(list) == "shadow_production_variants") p.notes.push_back("shadow variant");
      const std::string type = text(&v, "instance_type");
      if (serverless != nullptr) {
        if (auto mb = integer(serverless, "memory_size_in_mb"))
          p.notes.push_back(fmt::format("serverless: memory_size_in_mb={}", *mb));
        if (auto c = integer(serverless, "max_concurrency"))
          p.notes.push_back(fmt::format("serverless: max_concurrency={}", *c));
        if (auto c = integer(serverless, "provisioned_concurrency"))
          p.notes.push_back(fmt::format("serverless: provisioned_concurrency={}", *c));
      } else {
        if (type.empty())
          p.notes.push_back("variant has no instance_type");
        else
          set_instance(p, Cloud::aws, strip_ml(type), type);
        if (auto n = integer(&v, "initial_instance_count")) p.count = to_count(*n);
        if (!text(&v, "accelerator_type").empty())
          p.notes.push_back(fmt::format("elastic inference accelerator {} not counted", text(&v, "accelerator_type")));
      }
      m_out.resources.push_back(std::move(p));
    }
  }
  if (!any) {
    PlannedResource p = start(r, Cloud::aws, async ? "sagemaker-async" : "sagemaker-realtime");
    p.workload = workload;
    missing_type(p, r, "production_variants");
    m_out.resources.push_back(std::move(p));
  }
}

void Reader::sagemaker_notebook(const RawResource& r) {
  PlannedResource p = start(r, Cloud::aws, "");
  p.notes.push_back("notebook instance: checked as an instance");
  const std::string type = text(r.values, "instance_type");
  if (type.empty())
    missing_type(p, r, "instance_type");
  else
    set_instance(p, Cloud::aws, strip_ml(type), type);
  p.workload = aws_tags_workload(r.values);
  m_out.resources.push_back(std::move(p));
}

/// Tags on the instances a launch template starts: tag_specifications of resource_type "instance"
/// first, then the template's own tags.
std::string launch_template_workload(const Json* values) {
  if (const Json* specs = field(values, "tag_specifications"); specs != nullptr && specs->is_array()) {
    for (const auto& s : *specs) {
      const std::string rt = text(&s, "resource_type");
      if (!rt.empty() && rt != "instance") continue;
      std::string w = text(field(&s, "tags"), workload_tag);
      if (!w.empty()) return w;
    }
  }
  return aws_tags_workload(values);
}

const Json* Reader::configuration_resource(const RawResource& r) const {
  const Json* module = field(field(&m_plan.value(), "configuration"), "root_module");
  // module.a[0].module.b -> a, b
  std::string_view rest = r.module_address;
  while (!rest.empty() && module != nullptr) {
    if (rest.rfind("module.", 0) != 0) return nullptr;
    rest.remove_prefix(7);
    auto end = rest.find_first_of(".[");
    std::string call(rest.substr(0, end));
    rest = end == std::string_view::npos ? std::string_view{} : rest.substr(end);
    if (!rest.empty() && rest.front() == '[') {
      auto close = rest.find(']');
      rest = close == std::string_view::npos ? std::string_view{} : rest.substr(close + 1);
    }
    if (!rest.empty() && rest.front() == '.') rest.remove_prefix(1);
    module = field(field(field(module, "module_calls"), call), "module");
  }
  const Json* resources = field(module, "resources");
  if (resources == nullptr || !resources->is_array()) return nullptr;
  const std::string local = r.type + "." + r.name;
  for (const auto& c : *resources)
    if (text(&c, "address") == local && text(&c, "mode") != "data") return &c;
  return nullptr;
}

/// Finds "aws_launch_template.X" among the references of a configuration expression tree.
void collect_template_references(const Json& node, std::vector<std::string>& out) {
  if (node.is_object()) {
    if (const Json* refs = field(&node, "references"); refs != nullptr && refs->is_array()) {
      for (const auto& ref : *refs) {
        if (!ref.is_string()) continue;
        const auto s = ref.get<std::string>();
        if (s.rfind("aws_launch_template.", 0) != 0) continue;
        // aws_launch_template.gpu.id -> aws_launch_template.gpu
        const auto second_dot = s.find('.', 20);
        out.push_back(second_dot == std::string::npos ? s : s.substr(0, second_dot));
      }
    }
    for (const auto& [key, value] : node.items()) collect_template_references(value, out);
  } else if (node.is_array()) {
    for (const auto& v : node) collect_template_references(v, out);
  }
}

const RawResource* Reader::launch_template_by_reference(const RawResource& user) const {
  const Json* config = configuration_resource(user);
  const Json* expressions = field(config, "expressions");
  if (expressions == nullptr) return nullptr;
  std::vector<std::string> refs;
  collect_template_references(*expressions, refs);
  for (const auto& ref : refs) {
    const std::string full = user.module_address.empty() ? ref : user.module_address + "." + ref;
    for (const auto& t : m_raw)
      if (t.type == "aws_launch_template" && without_index(t.address) == without_index(full)) return &t;
  }
  return nullptr;
}

/// The planned launch template a group names: by id, by name, or, when both are known only after
/// apply, by the reference in the plan's configuration.
const RawResource* Reader::launch_template_of(const RawResource& user, const Json* spec) const {
  std::string id = text(spec, "id");
  if (id.empty()) id = text(spec, "launch_template_id");
  std::string name = text(spec, "name");
  if (name.empty()) name = text(spec, "launch_template_name");
  for (const auto& t : m_raw) {
    if (t.type != "aws_launch_template" || t.mode == "data") continue;
    if (!id.empty() && text(t.values, "id") == id) return &t;
    if (!name.empty() && text(t.values, "name") == name) return &t;
  }
  if (spec == nullptr && user.type == "aws_eks_node_group") return nullptr;  // no template block
  return launch_template_by_reference(user);
}

void Reader::launch_template(const RawResource& r) {
  if (auto user = m_used_templates.find(r.address); user != m_used_templates.end())
    return skip(r, fmt::format("launch template of {} (checked there)", user->second));
  PlannedResource p = start(r, Cloud::aws, "ec2");
  p.notes.push_back("launch template used by no autoscaling group or node group in this plan: "
                    "checked as one instance");
  const std::string type = text(r.values, "instance_type");
  if (type.empty())
    missing_type(p, r, "instance_type");
  else
    set_instance(p, Cloud::aws, type, type);
  p.workload = launch_template_workload(r.values);
  m_out.resources.push_back(std::move(p));
}

void Reader::autoscaling_group(const RawResource& r) {
  PlannedResource p = start(r, Cloud::aws, "ec2");
  const Json* mixed = first_block(r.values, "mixed_instances_policy");
  const Json* mixed_lt = first_block(mixed, "launch_template");
  const Json* spec = first_block(r.values, "launch_template");
  if (spec == nullptr) spec = first_block(mixed_lt, "launch_template_specification");
  const RawResource* lt = launch_template_of(r, spec);

  // Instance type: the first mixed-instances override, else the launch template's.
  std::string type;
  if (const Json* overrides = field(mixed_lt, "override"); overrides != nullptr && overrides->is_array()) {
    for (const auto& o : *overrides) {
      const std::string t = text(&o, "instance_type");
      if (t.empty()) continue;
      if (type.empty())
        type = t;
      else
        p.notes.push_back(fmt::format("mixed instances: also {} (checked as {})", t, type));
    }
  }
  if (type.empty() && lt != nullptr) type = text(lt->values, "instance_type");
  if (!type.empty()) {
    set_instance(p, Cloud::aws, type, type);
  } else if (lt == nullptr) {
    p.notes.push_back(first_block(r.values, "launch_configuration") != nullptr || !text(r.values, "launch_configuration").empty()
                          ? "launch configurations are not read: instance type unknown"
                          : "its launch template is not in this plan: instance type unknown");
  } else {
    p.notes.push_back(fmt::format("launch template {} has no instance_type", lt->address));
  }
  if (lt != nullptr) p.notes.push_back(fmt::format("instance type from launch template {}", lt->address));

  if (auto n = integer(r.values, "desired_capacity")) {
    p.count = to_count(*n);
  } else if (auto m = integer(r.values, "min_size")) {
    p.count = to_count(*m);
    p.notes.push_back("no desired_capacity: count is min_size");
  }
  if (auto lo = integer(r.values, "min_size"), hi = integer(r.values, "max_size"); lo && hi)
    p.notes.push_back(fmt::format("scales from {} to {}", *lo, *hi));

  if (const Json* tags = field(r.values, "tag"); tags != nullptr && tags->is_array()) {
    for (const auto& t : *tags)
      if (text(&t, "key") == workload_tag) p.workload = text(&t, "value");
  }
  if (p.workload.empty() && lt != nullptr) p.workload = launch_template_workload(lt->values);
  m_out.resources.push_back(std::move(p));
}

void Reader::eks_node_group(const RawResource& r) {
  PlannedResource p = start(r, Cloud::aws, "eks");
  std::string type;
  if (const Json* types = field(r.values, "instance_types"); types != nullptr && types->is_array() && !types->empty()) {
    if ((*types)[0].is_string()) type = (*types)[0].get<std::string>();
    if (types->size() > 1)
      p.notes.push_back(fmt::format("{} instance types: checked as the first, {}", types->size(), type));
  }
  const RawResource* lt = nullptr;
  if (const Json* spec = first_block(r.values, "launch_template")) lt = launch_template_of(r, spec);
  if (type.empty() && lt != nullptr) {
    type = text(lt->values, "instance_type");
    if (!type.empty()) p.notes.push_back(fmt::format("instance type from launch template {}", lt->address));
  }
  if (!type.empty())
    set_instance(p, Cloud::aws, type, type);
  else
    missing_type(p, r, "instance_types");
  if (const Json* scaling = first_block(r.values, "scaling_config")) {
    if (auto n = integer(scaling, "desired_size")) {
      p.count = to_count(*n);
    } else if (auto m = integer(scaling, "min_size")) {
      p.count = to_count(*m);
      p.notes.push_back("no desired_size: count is min_size");
    }
    if (auto lo = integer(scaling, "min_size"), hi = integer(scaling, "max_size"); lo && hi)
      p.notes.push_back(fmt::format("scales from {} to {}", *lo, *hi));
  }
  p.workload = aws_tags_workload(r.values);
  if (p.workload.empty()) p.workload = text(field(r.values, "labels"), workload_tag);
  m_out.resources.push_back(std::move(p));
}

// --- GCP ---------------------------------------------------------------------------------------

/// "NVIDIA_TESLA_T4" or ".../acceleratorTypes/nvidia-tesla-t4" -> "nvidia-tesla-t4".
std::string gcp_accelerator_name(std::string type) {
  type = last_segment(std::move(type));
  for (auto& c : type) {
    c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    if (c == '_') c = '-';
  }
  return type;
}

void Reader::gcp_machine(PlannedResource& p, const RawResource& r, const Json* holder,
                         std::string machine_type, const Json* accelerators) const {
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

std::string gcp_labels_workload(const Json* values) { return text(field(values, "labels"), workload_tag); }

void Reader::gce_instance(const RawResource& r) {
  PlannedResource p = start(r, Cloud::gcp, "gce");
  gcp_machine(p, r, nullptr, text(r.values, "machine_type"), field(r.values, "guest_accelerator"));
  p.workload = gcp_labels_workload(r.values);
  if (p.workload.empty()) p.workload = text(field(r.values, "effective_labels"), workload_tag);
  m_out.resources.push_back(std::move(p));
}

/// A GKE node pool (resource or a block of a cluster): node_config, counts and labels. Returns a
/// problem when the pool's total count is out of range.
std::optional<std::string> read_gke_pool(PlannedResource& p, const Json* pool, const Json* location_holder) {
  if (auto n = integer(pool, "node_count")) {
    p.count = to_count(*n);
  } else if (auto i = integer(pool, "initial_node_count")) {
    p.count = to_count(*i);
  } else if (const Json* as = first_block(pool, "autoscaling")) {
    if (auto m = integer(as, "min_node_count")) p.count = to_count(*m);
  }
  if (const Json* as = first_block(pool, "autoscaling")) {
    if (auto lo = integer(as, "min_node_count"), hi = integer(as, "max_node_count"); lo && hi)
      p.notes.push_back(fmt::format("autoscaling from {} to {} nodes per zone", *lo, *hi));
    if (auto lo = integer(as, "total_min_node_count"), hi = integer(as, "total_max_node_count"); lo && hi)
      p.notes.push_back(fmt::format("autoscaling from {} to {} nodes in total", *lo, *hi));
  }
  // Counts are per zone: multiply by the pool's zones when they are listed.
  const Json* zones = field(pool, "node_locations");
  if (zones != nullptr && zones->is_array() && zones->size() > 1) {
    const auto total = util::checked_mul(p.count, static_cast<std::int64_t>(zones->size()), k_max_count);
    if (!total) {
      return fmt::format("{} nodes per zone x {} node_locations is more than {} instances", p.count, zones->size(), k_max_count);
    }
    p.count = static_cast<int>(*total);
    p.notes.push_back(fmt::format("count is per zone: multiplied by {} node_locations", zones->size()));
  } else {
    const std::string location = text(location_holder, "location");
    if (std::count(location.begin(), location.end(), '-') == 1)
      p.notes.push_back(fmt::format("regional pool in {}: node count is per zone (count is one zone's)", location));
  }
  return std::nullopt;
}

void Reader::gke_node_pool(const RawResource& r) {
  PlannedResource p = start(r, Cloud::gcp, "gke");
  const Json* config = first_block(r.values, "node_config");
  const std::string machine = text(config, "machine_type");
  if (config == nullptr || machine.empty()) {
    if (config == nullptr) missing_type(p, r, "node_config");
    p.notes.push_back("no machine_type: GKE's default is e2-medium");
  } else {
    gcp_machine(p, r, config, machine, field(config, "guest_accelerator"));
  }
  if (auto problem = read_gke_pool(p, r.values, r.values)) error(pointer_append(p.pointer, "node_locations"), *problem);
  p.workload = text(field(config, "labels"), workload_tag);
  if (p.workload.empty()) p.workload = text(field(config, "resource_labels"), workload_tag);
  m_out.resources.push_back(std::move(p));
}

void Reader::gke_cluster(const RawResource& r) {
  if (const Json* autopilot = field(r.values, "enable_autopilot"); autopilot != nullptr && autopilot->is_boolean() &&
                                                                   autopilot->get<bool>())
    return skip(r, "GKE Autopilot cluster: no machine type in Terraform");
  bool any = false;
  if (const Json* pools = field(r.values, "node_pool"); pools != nullptr && pools->is_array()) {
    for (std::size_t i = 0; i < pools->size(); ++i) {
      const Json& pool = (*pools)[i];
      if (!pool.is_object()) continue;
      any = true;
      PlannedResource p = start(r, Cloud::gcp, "gke");
      std::string name = text(&pool, "name");
      p.address = r.address + "[" + (name.empty() ? std::to_string(i) : name) + "]";
      p.pointer = pointer_append(pointer_append(r.pointer, "node_pool"), i);
      const Json* config = first_block(&pool, "node_config");
      const std::string machine = text(config, "machine_type");
      if (machine.empty())
        p.notes.push_back("no machine_type: GKE's default is e2-medium");
      else
        gcp_machine(p, r, config, machine, field(config, "guest_accelerator"));
      if (auto problem = read_gke_pool(p, &pool, r.values)) error(pointer_append(p.pointer, "node_locations"), *problem);
      p.workload = text(field(config, "labels"), workload_tag);
      if (p.workload.empty()) p.workload = text(field(config, "resource_labels"), workload_tag);
      if (p.workload.empty()) p.workload = text(field(r.values, "resource_labels"), workload_tag);
      m_out.resources.push_back(std::move(p));
    }
  }
  if (any) return;
  if (const Json* remove = field(r.values, "remove_default_node_pool");
      remove != nullptr && remove->is_boolean() && remove->get<bool>())
    return skip(r, "default node pool removed: nodes come from google_container_node_pool");
  const Json* config = first_block(r.values, "node_config");
  PlannedResource p = start(r, Cloud::gcp, "gke");
  p.notes.push_back("default node pool");
  const std::string machine = text(config, "machine_type");
  if (machine.empty())
    p.notes.push_back("no machine_type: GKE's default is e2-medium");
  else
    gcp_machine(p, r, config, machine, field(config, "guest_accelerator"));
  if (auto problem = read_gke_pool(p, r.values, r.values)) error(pointer_append(p.pointer, "node_locations"), *problem);
  p.workload = text(field(config, "labels"), workload_tag);
  if (p.workload.empty()) p.workload = text(field(r.values, "resource_labels"), workload_tag);
  m_out.resources.push_back(std::move(p));
}

/// accelerator_config {type: "V5LITE_POD", topology: "2x4"} -> "v5litepod-8". The suffix counts
/// chips for v5e and v6e and TensorCores (two a chip) for v2, v3, v4 and v5p.
constexpr std::int64_t k_max_tpu_chips = 1'000'000;

std::optional<std::string> tpu_type_from_config(const Json* config, std::string& why) {
  const std::string type = text(config, "type");
  const std::string topology = text(config, "topology");
  static const std::map<std::string, std::pair<std::string, int>, std::less<>> kinds = {
      {"V2", {"v2", 2}},          {"V3", {"v3", 2}},  {"V4", {"v4", 2}},   {"V5P", {"v5p", 2}},
      {"V5LITE_POD", {"v5litepod", 1}}, {"V6E", {"v6e", 1}},
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
  m_out.resources.push_back(std::move(p));
}

void Reader::vertex_endpoint(const RawResource& r) {
  const std::string workload = gcp_labels_workload(r.values);
  if (workload.empty())
    return skip(r, "no machine type in Terraform: models are deployed to a Vertex AI endpoint separately");
  PlannedResource p = start(r, Cloud::gcp, "vertex-ai-prediction");
  p.workload = workload;
  p.notes.push_back("Vertex AI endpoint: no machine type in Terraform (models are deployed to it separately)");
  m_out.resources.push_back(std::move(p));
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
  m_out.resources.push_back(std::move(p));
}

// --- Azure -------------------------------------------------------------------------------------

std::string azure_tags_workload(const Json* values) { return text(field(values, "tags"), workload_tag); }

void Reader::azure_vm(const RawResource& r) {
  PlannedResource p = start(r, Cloud::azure, "azure-vm");
  const char* key = r.type == "azurerm_virtual_machine" ? "vm_size" : "size";
  const std::string size = text(r.values, key);
  if (size.empty())
    missing_type(p, r, key);
  else
    set_instance(p, Cloud::azure, size, size);
  p.workload = azure_tags_workload(r.values);
  m_out.resources.push_back(std::move(p));
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
  m_out.resources.push_back(std::move(p));
}

/// An AKS pool (a node pool resource, or a cluster's default_node_pool block).
void read_aks_pool(PlannedResource& p, const Json* pool) {
  const bool autoscaling = [&] {
    for (const char* key : {"auto_scaling_enabled", "enable_auto_scaling"}) {
      const Json* v = field(pool, key);
      if (v != nullptr && v->is_boolean() && v->get<bool>()) return true;
    }
    return false;
  }();
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
  m_out.resources.push_back(std::move(p));
}

void Reader::aks_cluster(const RawResource& r) {
  PlannedResource p = start(r, Cloud::azure, "aks");
  const Json* pool = first_block(r.values, "default_node_pool");
  if (pool != nullptr) p.pointer = pointer_append(pointer_append(r.pointer, "default_node_pool"), 0);
  const std::string name = text(pool, "name");
  p.notes.push_back(name.empty() ? std::string("default node pool") : fmt::format("default node pool \"{}\"", name));
  const std::string size = text(pool, "vm_size");
  if (size.empty())
    p.notes.push_back("default_node_pool has no vm_size in the plan");
  else
    set_instance(p, Cloud::azure, size, size);
  read_aks_pool(p, pool);
  p.workload = azure_tags_workload(r.values);
  if (p.workload.empty()) p.workload = text(field(pool, "node_labels"), workload_tag);
  m_out.resources.push_back(std::move(p));
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
    p.notes.push_back(fmt::format("scales from {} to {} nodes: count is the maximum",
                                  lo ? std::to_string(*lo) : std::string("?"), hi ? std::to_string(*hi) : std::string("?")));
  } else {
    p.notes.push_back("no scale_settings: count is 1");
  }
  p.workload = azure_tags_workload(r.values);
  m_out.resources.push_back(std::move(p));
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
  m_out.resources.push_back(std::move(p));
}

}  // namespace

TerraformPlan read_terraform_plan(const util::JsonDocument& plan, const catalog::Catalog& catalog) {
  return Reader(plan, catalog).read();
}

}  // namespace aiadvise::check
