// AWS resources in a Terraform plan: EC2 instances, SageMaker endpoint configurations and notebooks,
// EKS node groups, autoscaling groups and the launch templates they start.

#include <fmt/format.h>

#include "check/terraform/reader.hpp"

namespace aiadvise::check::terraform {

using catalog::Cloud;
using util::pointer_append;

namespace {

// NOTE: EKS starts t3.medium nodes when neither instance_types nor the launch template names a
// type. Sources: the Terraform AWS provider's aws_eks_node_group docs ("instance_types ... Defaults
// to ["t3.medium"]", website/docs/r/eks_node_group.html.markdown) and the EKS API's
// CreateNodegroup ("If you don't specify an instance type in a launch template or for
// instanceTypes, then t3.medium is used, by default"); read 2026-05.
constexpr const char* k_eks_default_type = "t3.medium";

std::string aws_tags_workload(const Json* values) {
  std::string w = text(field(values, "tags"), workload_tag);
  if (w.empty()) w = text(field(values, "tags_all"), workload_tag);
  return w;
}

/// "ml.g5.xlarge" -> "g5.xlarge".
std::string strip_ml(const std::string& type) { return type.rfind("ml.", 0) == 0 ? type.substr(3) : type; }

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

}  // namespace

void Reader::aws_instance(const RawResource& r) {
  PlannedResource p = start(r, Cloud::aws, "ec2");
  const std::string type = text(r.values, "instance_type");
  if (type.empty())
    missing_type(p, r, "instance_type");
  else
    set_instance(p, Cloud::aws, type, type);
  p.workload = aws_tags_workload(r.values);
  push(std::move(p));
}

void Reader::sagemaker_endpoint_configuration(const RawResource& r) {
  const bool async = non_empty_list(r.values, "async_inference_config");
  const std::string workload = aws_tags_workload(r.values);
  bool any = false;
  for (const char* list : {"production_variants", "shadow_production_variants"}) {
    const Json* variants = field(r.values, list);
    if (variants == nullptr || !variants->is_array()) continue;
    const bool shadow = std::string_view(list) == "shadow_production_variants";
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
      // NOTE: the address stays the resource's own, so that the project file maps it as written
      // in configuration; the variant is a part of it.
      p.part = fmt::format("{}variant {}", shadow ? "shadow " : "", name);
      p.pointer = pointer_append(pointer_append(r.pointer, list), i);
      p.workload = workload;
      const std::string type = text(&v, "instance_type");
      if (serverless != nullptr) {
        if (auto mb = integer(serverless, "memory_size_in_mb")) p.notes.push_back(fmt::format("serverless: memory_size_in_mb={}", *mb));
        if (auto c = integer(serverless, "max_concurrency")) p.notes.push_back(fmt::format("serverless: max_concurrency={}", *c));
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
      push(std::move(p));
    }
  }
  if (!any) {
    PlannedResource p = start(r, Cloud::aws, async ? "sagemaker-async" : "sagemaker-realtime");
    p.workload = workload;
    missing_type(p, r, "production_variants");
    push(std::move(p));
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
  push(std::move(p));
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
  const auto refs = referenced(user, "aws_launch_template");
  return refs.empty() ? nullptr : refs.front();
}

void Reader::note_used_launch_templates() {
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
}

void Reader::launch_template(const RawResource& r) {
  if (auto user = m_used_templates.find(r.address); user != m_used_templates.end())
    return skip(r, SkipKind::read_elsewhere, fmt::format("launch template of {} (checked there)", user->second));
  PlannedResource p = start(r, Cloud::aws, "ec2");
  p.notes.push_back("launch template used by no autoscaling group or node group in this plan: checked as one instance");
  const std::string type = text(r.values, "instance_type");
  if (type.empty())
    missing_type(p, r, "instance_type");
  else
    set_instance(p, Cloud::aws, type, type);
  p.workload = launch_template_workload(r.values);
  push(std::move(p));
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
  push(std::move(p));
}

void Reader::eks_node_group(const RawResource& r) {
  PlannedResource p = start(r, Cloud::aws, "eks");
  std::string type;
  if (const Json* types = field(r.values, "instance_types"); types != nullptr && types->is_array() && !types->empty()) {
    if ((*types)[0].is_string()) type = (*types)[0].get<std::string>();
    if (types->size() > 1) p.notes.push_back(fmt::format("{} instance types: checked as the first, {}", types->size(), type));
  }
  const Json* spec = first_block(r.values, "launch_template");
  const RawResource* lt = spec != nullptr ? launch_template_of(r, spec) : nullptr;
  if (type.empty() && lt != nullptr) {
    type = text(lt->values, "instance_type");
    if (!type.empty()) p.notes.push_back(fmt::format("instance type from launch template {}", lt->address));
  }
  if (!type.empty()) {
    set_instance(p, Cloud::aws, type, type);
  } else if (spec != nullptr && lt == nullptr) {
    p.notes.push_back("its launch template is not in this plan: instance type unknown");
  } else if (lt != nullptr && unknown(lt->after_unknown, "instance_type")) {
    p.notes.push_back(fmt::format("launch template {}: instance_type is known only after apply", lt->address));
  } else if (setting(r, {"instance_types"}) == Setting::after_apply) {
    missing_type(p, r, "instance_types");
  } else {
    set_instance(p, Cloud::aws, k_eks_default_type, k_eks_default_type);
    p.assumptions.push_back(fmt::format(
        "instance type {}: EKS's default when neither instance_types nor a launch template names one "
        "(Terraform AWS provider docs, aws_eks_node_group.instance_types; EKS API CreateNodegroup)",
        k_eks_default_type));
  }
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
  push(std::move(p));
}

}  // namespace aiadvise::check::terraform
