// The Terraform plan format: what `terraform show -json` (and OpenTofu's `tofu show -json`) write,
// from format_version 0.1 (Terraform 0.12) on. Walks planned_values through child modules, adds
// what only resource_changes holds, recognises the inputs people give in its place, and hands each
// resource to its provider's reader (aws.cpp, gcp.cpp, azure.cpp) or skips it with a reason.

#include <fmt/format.h>

#include <algorithm>
#include <cctype>
#include <set>

#include "aiadvise/check/address.hpp"
#include "check/terraform/reader.hpp"

namespace aiadvise::check {

std::string_view to_string(SkipKind kind) {
  switch (kind) {
    case SkipKind::not_ml_compute: return "not ML compute";
    case SkipKind::data_source: return "data source";
    case SkipKind::deleted: return "being deleted";
    case SkipKind::no_compute: return "no machine of its own";
    case SkipKind::read_elsewhere: return "read through another resource";
    case SkipKind::not_read: return "compute aiadvise does not read yet";
    case SkipKind::no_workload: return "no workload tag, label or mapping";
    case SkipKind::unknown_workload: return "workload not in the project file";
  }
  return "skipped";
}

std::optional<std::string> recognise_wrong_plan_input(std::string_view text, const std::string& name) {
  const std::string file = name.empty() || name == "<stdin>" ? std::string("PLANFILE") : name;
  // A plan file written by `terraform plan -out` (or `tofu plan -out`) is a zip archive.
  if (text.size() >= 4 && text.substr(0, 4) == std::string_view("PK\x03\x04", 4)) {
    return fmt::format(
        "{} is a binary plan file (`terraform plan -out` writes a zip archive); aiadvise reads its JSON form: "
        "run `terraform show -json {} > plan.json` (OpenTofu: `tofu show -json {} > plan.json`) and pass plan.json",
        file, file, file);
  }
  std::size_t start = 0;
  while (start < text.size() && std::isspace(static_cast<unsigned char>(text[start]))) ++start;
  const std::string_view rest = text.substr(start);
  // `terraform plan -json` streams one UI message a line: {"@level":"info","@message":...,"type":"version",...}
  if (!rest.empty() && rest.front() == '{') {
    const std::string_view first = rest.substr(0, rest.find('\n'));
    const util::Json line = util::Json::parse(first.begin(), first.end(), nullptr, false);
    if (line.is_object() && line.contains("@level") && line.contains("@message")) {
      return fmt::format(
          "{} is the streamed output of `terraform plan -json` (one UI message a line), not a plan: "
          "run `terraform plan -out plan.out`, then `terraform show -json plan.out > plan.json`, and pass plan.json",
          file);
    }
  }
  // A raw state file (terraform.tfstate): {"version": 4, "lineage": ..., "resources": [...]}.
  if (!rest.empty() && rest.front() == '{' && rest.find("\"lineage\"") != std::string_view::npos &&
      rest.find("\"format_version\"") == std::string_view::npos && rest.find("\"serial\"") != std::string_view::npos) {
    return fmt::format(
        "{} is a Terraform state file, not a plan: run `terraform plan -out plan.out`, then "
        "`terraform show -json plan.out > plan.json`, and pass plan.json (or `terraform show -json > state.json` to "
        "check what is deployed)",
        file);
  }
  for (const char* words : {"Terraform will perform the following actions", "Terraform used the selected providers",
                            "An execution plan has been generated", "OpenTofu will perform the following actions"}) {
    if (text.find(words) != std::string_view::npos && rest.substr(0, 1) != "{") {
      return fmt::format(
          "{} is the text output of `terraform plan`, not its JSON: run `terraform plan -out plan.out`, then "
          "`terraform show -json plan.out > plan.json`, and pass plan.json",
          file);
    }
  }
  return std::nullopt;
}

namespace terraform {

using catalog::Cloud;
using util::pointer_append;

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
  if (v->is_number_integer()) return v->get<std::int64_t>();
  const double d = v->get<double>();
  if (!(d >= -1e15 && d <= 1e15)) return std::nullopt;
  return static_cast<std::int64_t>(d);
}

const Json* first_block(const Json* object, std::string_view key) {
  const Json* v = field(object, key);
  if (v == nullptr || !v->is_array() || v->empty() || !(*v)[0].is_object()) return nullptr;
  return &(*v)[0];
}

bool non_empty_list(const Json* object, std::string_view key) {
  const Json* v = field(object, key);
  return v != nullptr && v->is_array() && !v->empty();
}

bool is_true(const Json* object, std::string_view key) {
  const Json* v = field(object, key);
  return v != nullptr && v->is_boolean() && v->get<bool>();
}

bool unknown(const Json* after_unknown, std::string_view key) { return is_true(after_unknown, key); }

std::string last_segment(std::string s) {
  const auto slash = s.rfind('/');
  return slash == std::string::npos ? s : s.substr(slash + 1);
}

bool iequals(std::string_view a, std::string_view b) {
  return a.size() == b.size() && std::equal(a.begin(), a.end(), b.begin(), [](char x, char y) {
           return std::tolower(static_cast<unsigned char>(x)) == std::tolower(static_cast<unsigned char>(y));
         });
}

int to_count(std::int64_t n) { return static_cast<int>(std::clamp<std::int64_t>(n, 0, 1'000'000)); }

std::string without_index(const std::string& address) {
  if (address.empty() || address.back() != ']') return address;
  const auto open = address.rfind('[');
  return open == std::string::npos ? address : address.substr(0, open);
}

bool is_delete(const std::vector<std::string>& actions) { return actions == std::vector<std::string>{"delete"}; }
bool is_forget(const std::vector<std::string>& actions) { return actions == std::vector<std::string>{"forget"}; }

namespace {
constexpr int max_module_depth = 32;
}  // namespace

void Reader::read_version(const Json& root) {
  const Json* version = field(&root, "format_version");
  if (version == nullptr) {
    error("", "no \"format_version\": not the output of `terraform show -json PLANFILE`");
    return;
  }
  if (!version->is_string()) {
    error("/format_version", "format_version must be a string such as \"1.2\"");
    return;
  }
  m_out.format_version = version->get<std::string>();
  m_out.terraform_version = text(&root, "terraform_version");
  // NOTE: 0.1 and 0.2 (Terraform 0.12 to 1.0) differ from 1.x only in fields aiadvise does not
  // read (sensitive_values, relevant_attributes, checks); a new major version may change the
  // meaning of what it reads, so it is refused.
  const std::string& v = m_out.format_version;
  const auto dot = v.find('.');
  const std::string major = v.substr(0, dot);
  if (major != "0" && major != "1") {
    error("/format_version",
          fmt::format("format_version \"{}\" is newer than aiadvise reads (0.x and 1.x, Terraform 0.12 and later, OpenTofu); "
                      "please report it with the Terraform version that wrote it",
                      v));
  }
}

void Reader::walk_module(const Json& module, const std::string& pointer, const std::string& module_address, int depth) {
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
      if (is_delete(c.actions)) skip(raw, SkipKind::deleted, "being deleted (deposed object)");
      continue;
    }
    m_changes[raw.address] = c;
    if (planned.count(raw.address) != 0) continue;
    if (raw.mode == "data") {
      if (skipped_data.insert(raw.address).second) skip(raw, SkipKind::data_source, "data source");
      continue;
    }
    if (is_delete(c.actions)) {
      skip(raw, SkipKind::deleted, "being deleted");
      continue;
    }
    if (is_forget(c.actions)) {
      skip(raw, SkipKind::deleted, "being removed from the state (forget)");
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
  m_out.file = m_plan.name();
  const Json& root = m_plan.value();
  if (!root.is_object()) {
    error("", "a Terraform plan must be a JSON object (the output of `terraform show -json PLANFILE`)");
    throw util::InputError(std::move(m_errors));
  }
  read_version(root);
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

  note_used_launch_templates();
  for (const auto& r : m_raw) map(r);
  return std::move(m_out);
}

// ---------------------------------------------------------------------------------------------
// Shared by the providers' readers

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

void Reader::set_instance(PlannedResource& p, Cloud cloud, const std::string& catalog_name, const std::string& as_written) const {
  p.instance_as_written = as_written;
  p.instance = find_instance(cloud, catalog_name);
  if (p.instance.empty()) p.notes.push_back(fmt::format("instance type \"{}\" is unknown to the catalog", as_written));
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

Setting Reader::setting(const RawResource& r, const std::vector<std::string>& path) const {
  // In the plan?
  const Json* v = r.values;
  const Json* u = r.after_unknown;
  if (u == nullptr) {
    if (auto it = m_changes.find(r.address); it != m_changes.end()) u = it->second.after_unknown;
  }
  const Json* expr = field(configuration_resource(r), "expressions");
  const bool have_configuration = field(&m_plan.value(), "configuration") != nullptr;
  for (std::size_t i = 0; i < path.size(); ++i) {
    const std::string& step = path[i];
    const bool index = !step.empty() && std::all_of(step.begin(), step.end(), [](char c) { return c >= '0' && c <= '9'; });
    auto descend = [&](const Json* j) -> const Json* {
      if (j == nullptr) return nullptr;
      if (index) {
        const std::size_t n = std::stoul(step);
        return j->is_array() && n < j->size() ? &(*j)[n] : nullptr;
      }
      return field(j, step);
    };
    v = descend(v);
    if (u != nullptr && u->is_boolean()) {
      // the whole block is unknown: so is everything under it
    } else {
      u = descend(u);
    }
    expr = descend(expr);
  }
  if (v != nullptr && !(v->is_string() && v->get<std::string>().empty()) && !(v->is_array() && v->empty())) return Setting::given;
  const bool is_unknown = u != nullptr && u->is_boolean() && u->get<bool>();
  // NOTE: a value the provider fills in (Optional + Computed) is unknown in the plan whether or not
  // configuration sets it; only configuration tells: an expression there means the user set it
  // to something known after apply. Without a configuration section (some tools strip it), an
  // unknown value is taken as set. A null value means the provider's default applies.
  if (!is_unknown) return Setting::not_set;
  if (expr != nullptr || !have_configuration) return Setting::after_apply;
  return Setting::not_set;
}

namespace {

/// Collects "TYPE.NAME" from the references of a configuration expression tree.
void collect_references(const Json& node, std::string_view type, std::vector<std::string>& out) {
  if (node.is_object()) {
    if (const Json* refs = field(&node, "references"); refs != nullptr && refs->is_array()) {
      for (const auto& ref : *refs) {
        if (!ref.is_string()) continue;
        const auto s = ref.get<std::string>();
        if (s.size() <= type.size() + 1 || s.compare(0, type.size(), type) != 0 || s[type.size()] != '.') continue;
        // aws_launch_template.gpu.id -> aws_launch_template.gpu
        const auto second_dot = s.find('.', type.size() + 1);
        out.push_back(second_dot == std::string::npos ? s : s.substr(0, second_dot));
      }
    }
    for (const auto& [key, value] : node.items()) collect_references(value, type, out);
  } else if (node.is_array()) {
    for (const auto& v : node) collect_references(v, type, out);
  }
}

}  // namespace

std::vector<const RawResource*> Reader::referenced(const RawResource& user, std::string_view type) const {
  std::vector<const RawResource*> out;
  const Json* expressions = field(configuration_resource(user), "expressions");
  if (expressions == nullptr) return out;
  std::vector<std::string> refs;
  collect_references(*expressions, type, refs);
  for (const auto& ref : refs) {
    const std::string full = user.module_address.empty() ? ref : user.module_address + "." + ref;
    for (const auto& t : m_raw) {
      if (t.type == type && t.mode != "data" && without_index(t.address) == without_index(full) &&
          std::find(out.begin(), out.end(), &t) == out.end())
        out.push_back(&t);
    }
  }
  return out;
}

// ---------------------------------------------------------------------------------------------
// Dispatch

void Reader::map(const RawResource& r) {
  if (r.mode == "data") return skip(r, SkipKind::data_source, "data source");
  if (auto it = m_changes.find(r.address); it != m_changes.end()) {
    if (is_delete(it->second.actions)) return skip(r, SkipKind::deleted, "being deleted");
    if (is_forget(it->second.actions)) return skip(r, SkipKind::deleted, "being removed from the state (forget)");
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
  static const std::map<std::string, std::pair<SkipKind, std::string>, std::less<>> no_compute = {
      {"aws_sagemaker_endpoint", {SkipKind::no_compute, "no instance type: its compute is its aws_sagemaker_endpoint_configuration"}},
      {"aws_sagemaker_model", {SkipKind::no_compute, "no instance type: a model runs on an endpoint configuration"}},
      {"aws_eks_cluster", {SkipKind::no_compute, "no instance type: its nodes come from aws_eks_node_group"}},
      {"azurerm_machine_learning_workspace",
       {SkipKind::no_compute, "no instance type: its compute comes from compute clusters, compute instances and online deployments"}},
      {"google_compute_instance_template",
       {SkipKind::not_read, "instance templates are not mapped: managed instance groups are not read yet"}},
      {"google_compute_instance_group_manager", {SkipKind::not_read, "managed instance groups are not read yet"}},
      {"google_compute_region_instance_group_manager", {SkipKind::not_read, "managed instance groups are not read yet"}},
  };
  if (auto it = handlers.find(r.type); it != handlers.end()) return (this->*(it->second))(r);
  if (auto it = no_compute.find(r.type); it != no_compute.end()) return skip(r, it->second.first, it->second.second);
  skip(r, SkipKind::not_ml_compute, fmt::format("not ML compute (type {})", r.type));
}

}  // namespace terraform

TerraformPlan read_terraform_plan(const util::JsonDocument& plan, const catalog::Catalog& catalog) {
  return terraform::Reader(plan, catalog).read();
}

}  // namespace aiadvise::check
