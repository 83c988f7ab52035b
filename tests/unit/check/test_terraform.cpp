// Reading `terraform show -json` plans: every ML compute resource type maps to a catalog instance,
// service, count and workload tag; everything else is listed as skipped with a reason; malformed
// plans are rejected with every problem located.

#include <catch2/catch.hpp>

#include <algorithm>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "aiadvise/check/terraform.hpp"
#include "aiadvise/util/diagnostics.hpp"
#include "support/helpers.hpp"

using aiadvise::check::PlannedResource;
using aiadvise::check::read_terraform_plan;
using aiadvise::check::SkippedResource;
using aiadvise::check::TerraformPlan;
using aiadvise::test::default_catalog;
using aiadvise::util::Diagnostic;
using aiadvise::util::InputError;
using aiadvise::util::JsonDocument;
using nlohmann::json;

namespace {

std::string fixture_text(const std::string& name) {
  std::ifstream in(std::string(AIADVISE_SOURCE_DIR) + "/tests/fixtures/terraform/" + name, std::ios::binary);
  REQUIRE(in.good());
  std::ostringstream s;
  s << in.rdbuf();
  return s.str();
}

JsonDocument parse(const std::string& name, const std::string& text) {
  std::vector<Diagnostic> diagnostics;
  auto doc = JsonDocument::parse(name, text, {}, diagnostics);
  INFO(aiadvise::test::describe(diagnostics));
  REQUIRE(doc.ok());
  return doc;
}

TerraformPlan read_fixture(const std::string& name) {
  const auto doc = parse(name, fixture_text(name));
  return read_terraform_plan(doc, default_catalog());
}

TerraformPlan read_json(const json& plan) {
  const auto doc = parse("plan.json", plan.dump(2));
  return read_terraform_plan(doc, default_catalog());
}

std::vector<Diagnostic> rejected_text(const std::string& name, const std::string& text) {
  const auto doc = parse(name, text);
  try {
    read_terraform_plan(doc, default_catalog());
  } catch (const InputError& e) {
    return e.diagnostics();
  }
  FAIL("accepted: " << name);
  return {};
}

std::vector<Diagnostic> rejected(const std::string& fixture) { return rejected_text(fixture, fixture_text(fixture)); }

bool reports(const std::vector<Diagnostic>& diagnostics, const std::string& pointer, const std::string& words) {
  return std::any_of(diagnostics.begin(), diagnostics.end(), [&](const Diagnostic& d) {
    return d.pointer == pointer && d.message.find(words) != std::string::npos && d.line > 0;
  });
}

const PlannedResource& resource(const TerraformPlan& plan, const std::string& address) {
  // By label: the address, with ", PART" for an endpoint variant or a cluster's node pool.
  auto it = std::find_if(plan.resources.begin(), plan.resources.end(),
                         [&](const PlannedResource& r) { return r.label() == address; });
  INFO("resource " << address);
  REQUIRE(it != plan.resources.end());
  return *it;
}

bool has_resource(const TerraformPlan& plan, const std::string& address) {
  return std::any_of(plan.resources.begin(), plan.resources.end(),
                     [&](const PlannedResource& r) { return r.label() == address; });
}

std::string skip_reason(const TerraformPlan& plan, const std::string& address) {
  std::string reason;
  int found = 0;
  for (const auto& s : plan.skipped) {
    if (s.address == address) {
      reason = s.reason;
      ++found;
    }
  }
  INFO("skipped " << address);
  REQUIRE(found == 1);
  return reason;
}

bool has_note(const PlannedResource& r, const std::string& words) {
  return std::any_of(r.notes.begin(), r.notes.end(),
                     [&](const std::string& n) { return n.find(words) != std::string::npos; });
}

/// Every resource in a fixture plan is either read or skipped, never both and never dropped.
void accounts_for_everything(const std::string& fixture, const TerraformPlan& plan) {
  const json doc = json::parse(fixture_text(fixture));
  std::vector<std::string> addresses;
  std::function<void(const json&)> walk = [&](const json& module) {
    for (const auto& r : module.value("resources", json::array())) addresses.push_back(r["address"]);
    for (const auto& c : module.value("child_modules", json::array())) walk(c);
  };
  walk(doc["planned_values"]["root_module"]);
  for (const auto& rc : doc["resource_changes"]) addresses.push_back(rc["address"]);
  std::sort(addresses.begin(), addresses.end());
  addresses.erase(std::unique(addresses.begin(), addresses.end()), addresses.end());
  for (const auto& a : addresses) {
    const bool read = std::any_of(plan.resources.begin(), plan.resources.end(), [&](const PlannedResource& r) {
      return r.address == a || r.address.rfind(a + "[", 0) == 0;
    });
    const bool skipped = std::any_of(plan.skipped.begin(), plan.skipped.end(),
                                     [&](const SkippedResource& s) { return s.address == a; });
    INFO(fixture << ": " << a);
    CHECK(read != skipped);
  }
}

}  // namespace

TEST_CASE("terraform: AWS plan maps instances, endpoints, node groups and groups", "[terraform]") {
  const auto plan = read_fixture("aws.json");
  SECTION("every resource is read or skipped") { accounts_for_everything("aws.json", plan); }

  SECTION("aws_instance, tagged") {
    const auto& r = resource(plan, "aws_instance.chat");
    CHECK(r.type == "aws_instance");
    CHECK(r.cloud == "aws");
    CHECK(r.instance == "aws-g5-xlarge");
    CHECK(r.instance_as_written == "g5.xlarge");
    CHECK(r.count == 1);
    CHECK(r.service == "ec2");
    CHECK(r.workload == "chat");
    CHECK(r.notes.empty());
    CHECK(r.pointer == "/planned_values/root_module/resources/2/values");
  }
  SECTION("untagged instances are kept with no workload; count expands to separate addresses") {
    const auto& bastion = resource(plan, "aws_instance.bastion");
    CHECK(bastion.instance == "aws-m5-large");
    CHECK(bastion.workload.empty());
    CHECK(resource(plan, "aws_instance.web[0]").instance == "aws-m7i-large");
    CHECK(resource(plan, "aws_instance.web[1]").instance == "aws-m7i-large");
    CHECK(resource(plan, "aws_instance.web[1]").count == 1);
  }
  SECTION("an instance type the catalog does not know is kept with a note") {
    const auto& r = resource(plan, "aws_instance.legacy");
    CHECK(r.instance.empty());
    CHECK(r.instance_as_written == "x2idn.16xlarge");
    CHECK(r.workload == "rank");
    CHECK(has_note(r, "unknown to the catalog"));
  }
  SECTION("SageMaker endpoint configuration: one resource per variant") {
    const auto& primary = resource(plan, "aws_sagemaker_endpoint_configuration.chat, variant primary");
    CHECK(primary.instance == "aws-g5-2xlarge");
    CHECK(primary.instance_as_written == "ml.g5.2xlarge");
    CHECK(primary.count == 2);
    CHECK(primary.service == "sagemaker-realtime");
    CHECK(primary.workload == "chat");
    const auto& canary = resource(plan, "aws_sagemaker_endpoint_configuration.chat, variant canary");
    CHECK(canary.service == "sagemaker-serverless");
    CHECK(canary.instance.empty());
    CHECK(canary.instance_as_written.empty());
    CHECK(has_note(canary, "serverless: memory_size_in_mb=6144"));
    CHECK(canary.workload == "chat");
    CHECK_FALSE(has_resource(plan, "aws_sagemaker_endpoint_configuration.chat"));
    // The address stays the configuration's, so that a project file can map it as written.
    CHECK(primary.address == "aws_sagemaker_endpoint_configuration.chat");
    CHECK(primary.part == "variant primary");
    CHECK(canary.address == "aws_sagemaker_endpoint_configuration.chat");
  }
  SECTION("an endpoint configuration with async_inference_config is SageMaker async") {
    const auto& r = resource(plan, "aws_sagemaker_endpoint_configuration.batch, variant main");
    CHECK(r.service == "sagemaker-async");
    CHECK(r.instance == "aws-g6-xlarge");
    CHECK(r.count == 1);
    CHECK(r.workload == "summarise");
  }
  SECTION("the endpoint itself holds no compute") {
    CHECK(skip_reason(plan, "aws_sagemaker_endpoint.chat").find("endpoint_configuration") != std::string::npos);
  }
  SECTION("notebook instances are checked as instances with no service") {
    const auto& r = resource(plan, "aws_sagemaker_notebook_instance.lab");
    CHECK(r.instance == "aws-g4dn-xlarge");
    CHECK(r.instance_as_written == "ml.g4dn.xlarge");
    CHECK(r.service.empty());
    CHECK(has_note(r, "notebook instance: checked as an instance"));
  }
  SECTION("EKS node group two modules down") {
    const auto& r = resource(plan, "module.serving.module.gpu.aws_eks_node_group.train");
    CHECK(r.instance == "aws-p4d-24xlarge");
    CHECK(r.count == 2);
    CHECK(r.service == "eks");
    CHECK(r.workload == "train");  // from the Kubernetes labels
    CHECK(r.pointer.rfind("/planned_values/root_module/child_modules/0/child_modules/0/resources/0", 0) == 0);
    CHECK(skip_reason(plan, "module.serving.aws_eks_cluster.this").find("aws_eks_node_group") != std::string::npos);
  }
  SECTION("autoscaling group takes its launch template's instance type; the template is not reported") {
    const auto& r = resource(plan, "aws_autoscaling_group.embed");
    CHECK(r.instance == "aws-g6-2xlarge");
    CHECK(r.instance_as_written == "g6.2xlarge");
    CHECK(r.count == 3);
    CHECK(r.service == "ec2");
    CHECK(r.workload == "embed");
    CHECK(has_note(r, "scales from 1 to 6"));
    CHECK_FALSE(has_resource(plan, "aws_launch_template.embed"));
    CHECK(skip_reason(plan, "aws_launch_template.embed") == "launch template of aws_autoscaling_group.embed (checked there)");
  }
  SECTION("a launch template known only by id after apply is linked through the configuration") {
    const auto& r = resource(plan, "module.serving.aws_autoscaling_group.batch");
    CHECK(r.instance == "aws-c7i-4xlarge");
    CHECK(r.count == 2);  // no desired_capacity: min_size
    CHECK(r.workload == "batch-embed");  // from the template's tags
    CHECK(has_note(r, "module.serving.aws_launch_template.batch"));
    CHECK_FALSE(has_resource(plan, "module.serving.aws_launch_template.batch"));
    CHECK(skip_reason(plan, "module.serving.aws_launch_template.batch").find("launch template of") == 0);
  }
  SECTION("a launch template no group uses is one instance") {
    const auto& r = resource(plan, "aws_launch_template.spare");
    CHECK(r.instance == "aws-inf2-xlarge");
    CHECK(r.count == 1);
    CHECK(r.service == "ec2");
    CHECK(r.workload == "classify");
  }
  SECTION("skipped: other types, data sources, deletions") {
    CHECK(skip_reason(plan, "aws_s3_bucket.models") == "not ML compute (type aws_s3_bucket)");
    CHECK(skip_reason(plan, "data.aws_ami.dlami") == "data source");
    CHECK(skip_reason(plan, "aws_instance.old") == "being deleted");
    CHECK_FALSE(has_resource(plan, "aws_instance.old"));
  }
  SECTION("a resource only in resource_changes is read from change.after") {
    const auto& r = resource(plan, "aws_instance.late");
    CHECK(r.instance.empty());
    CHECK(r.workload == "late");
    CHECK(has_note(r, "instance_type is known only after apply"));
    CHECK(r.pointer.rfind("/resource_changes/", 0) == 0);
  }
}

TEST_CASE("terraform: GCP plan maps GCE, GKE, TPUs and Vertex", "[terraform]") {
  const auto plan = read_fixture("gcp.json");
  SECTION("every resource is read or skipped") { accounts_for_everything("gcp.json", plan); }

  SECTION("N1 + T4 maps to the catalog's N1+T4 entry") {
    const auto& r = resource(plan, "google_compute_instance.ocr");
    CHECK(r.cloud == "gcp");
    CHECK(r.instance == "gcp-n1-standard-8-t4x1");
    CHECK(r.instance_as_written == "n1-standard-8 + 1 x nvidia-tesla-t4");
    CHECK(r.service == "gce");
    CHECK(r.workload == "ocr");
  }
  SECTION("A2 carries its GPUs; untagged") {
    const auto& r = resource(plan, "google_compute_instance.a2");
    CHECK(r.instance == "gcp-a2-highgpu-1g");
    CHECK(r.workload.empty());
  }
  SECTION("N1 with an accelerator the catalog lacks") {
    const auto& r = resource(plan, "google_compute_instance.v100");
    CHECK(r.instance.empty());
    CHECK(r.instance_as_written == "n1-standard-8 + 1 x nvidia-tesla-v100");
    CHECK(has_note(r, "unknown to the catalog"));
  }
  SECTION("G2 node pool in a nested module") {
    const auto& r = resource(plan, "module.serving.module.gpu.google_container_node_pool.l4");
    CHECK(r.instance == "gcp-g2-standard-24");
    CHECK(r.count == 2);
    CHECK(r.service == "gke");
    CHECK(r.workload == "chat");
    CHECK(has_note(r, "includes its GPUs"));
  }
  SECTION("autoscaled node pool counts its minimum") {
    const auto& r = resource(plan, "module.serving.google_container_node_pool.cpu");
    CHECK(r.instance == "gcp-n2-standard-4");
    CHECK(r.count == 1);
    CHECK(has_note(r, "autoscaling from 1 to 5"));
  }
  SECTION("TPUs") {
    const auto& lite = resource(plan, "google_tpu_v2_vm.lite");
    CHECK(lite.instance == "gcp-tpu-v5litepod-8");
    CHECK(lite.service == "gce");
    CHECK(lite.workload == "serve-gemma");
    CHECK(has_note(lite, "TPU VM"));
    const auto& topo = resource(plan, "google_tpu_v2_vm.topo");
    CHECK(topo.instance == "gcp-tpu-v5litepod-4");
    CHECK(has_note(topo, "V5LITE_POD 2x2"));
    const auto& v5p = resource(plan, "google_tpu_node.v5p");
    CHECK(v5p.instance == "gcp-tpu-v5p-8");
    CHECK(v5p.service == "gce");
    CHECK(v5p.workload == "pretrain");
  }
  SECTION("Vertex endpoints: skipped unless labelled with a workload") {
    const auto& r = resource(plan, "google_vertex_ai_endpoint.chat");
    CHECK(r.instance.empty());
    CHECK(r.service == "vertex-ai-prediction");
    CHECK(r.workload == "chat");
    CHECK_FALSE(r.notes.empty());
    CHECK(skip_reason(plan, "google_vertex_ai_endpoint.plain").find("no machine type") != std::string::npos);
  }
  SECTION("others skipped") {
    CHECK(skip_reason(plan, "google_storage_bucket.data") == "not ML compute (type google_storage_bucket)");
    CHECK(skip_reason(plan, "google_container_cluster.ml").find("default node pool removed") != std::string::npos);
  }
}

TEST_CASE("terraform: Azure plan maps VMs, AKS and AML", "[terraform]") {
  const auto plan = read_fixture("azure.json");
  SECTION("every resource is read or skipped") { accounts_for_everything("azure.json", plan); }

  SECTION("NC A100 VM") {
    const auto& r = resource(plan, "azurerm_linux_virtual_machine.a100");
    CHECK(r.cloud == "azure");
    CHECK(r.instance == "azure-standard-nc24ads-a100-v4");
    CHECK(r.service == "azure-vm");
    CHECK(r.workload == "finetune");
  }
  SECTION("a size the catalog does not know") {
    const auto& r = resource(plan, "azurerm_linux_virtual_machine.nd");
    CHECK(r.instance.empty());
    CHECK(r.instance_as_written == "Standard_ND40rs_v2");
    CHECK(has_note(r, "unknown to the catalog"));
  }
  SECTION("AKS node pools in a child module; sizes match whatever their case") {
    const auto& gpu = resource(plan, "module.aks.azurerm_kubernetes_cluster_node_pool.gpu");
    CHECK(gpu.instance == "azure-standard-nc4as-t4-v3");
    CHECK(gpu.count == 3);
    CHECK(gpu.service == "aks");
    CHECK(gpu.workload == "whisper");
    const auto& autoscale = resource(plan, "module.aks.azurerm_kubernetes_cluster_node_pool.autoscale");
    CHECK(autoscale.instance == "azure-standard-nc8as-t4-v3");
    CHECK(autoscale.instance_as_written == "standard_nc8as_t4_v3");
    CHECK(autoscale.count == 1);
    CHECK(autoscale.workload == "batch");
    CHECK(has_note(autoscale, "autoscaling from 1 to 4"));
  }
  SECTION("AKS cluster: its default node pool") {
    const auto& r = resource(plan, "azurerm_kubernetes_cluster.main, default node pool system");
    CHECK(r.instance == "azure-standard-d4s-v5");
    CHECK(r.count == 2);
    CHECK(r.service == "aks");
    CHECK(r.workload == "platform");
  }
  SECTION("AML compute cluster counts its maximum") {
    const auto& r = resource(plan, "azurerm_machine_learning_compute_cluster.train");
    CHECK(r.instance == "azure-standard-nc24ads-a100-v4");
    CHECK(r.count == 4);
    CHECK(r.service == "azure-ml-training");
    CHECK(has_note(r, "scales from 0 to 4"));
  }
  SECTION("skipped") {
    CHECK(skip_reason(plan, "azurerm_resource_group.ml") == "not ML compute (type azurerm_resource_group)");
    CHECK_FALSE(skip_reason(plan, "azurerm_machine_learning_workspace.ws").empty());
  }
}

TEST_CASE("terraform: every service a resource names is in the catalog", "[terraform]") {
  for (const char* fixture : {"aws.json", "gcp.json", "azure.json"}) {
    const auto plan = read_fixture(fixture);
    for (const auto& r : plan.resources) {
      INFO(fixture << ": " << r.address << " " << r.service);
      if (!r.service.empty()) CHECK(default_catalog().service(r.service) != nullptr);
      if (!r.instance.empty()) CHECK(default_catalog().instance(r.instance) != nullptr);
    }
  }
}

TEST_CASE("terraform: deletions, replacements and no-ops", "[terraform]") {
  json plan = {{"format_version", "1.2"},
               {"terraform_version", "1.9.5"},
               {"planned_values",
                {{"root_module",
                  {{"resources",
                    {{{"address", "aws_instance.kept"},
                      {"mode", "managed"},
                      {"type", "aws_instance"},
                      {"name", "kept"},
                      {"provider_name", "registry.terraform.io/hashicorp/aws"},
                      {"values", {{"instance_type", "g5.xlarge"}}}},
                     {{"address", "aws_instance.replaced"},
                      {"mode", "managed"},
                      {"type", "aws_instance"},
                      {"name", "replaced"},
                      {"provider_name", "registry.terraform.io/hashicorp/aws"},
                      {"values", {{"instance_type", "g6.xlarge"}}}}}}}}}},
               {"resource_changes",
                {{{"address", "aws_instance.kept"}, {"mode", "managed"}, {"type", "aws_instance"}, {"name", "kept"},
                  {"change", {{"actions", {"no-op"}}, {"before", {{"instance_type", "g5.xlarge"}}},
                              {"after", {{"instance_type", "g5.xlarge"}}}}}},
                 {{"address", "aws_instance.replaced"}, {"mode", "managed"}, {"type", "aws_instance"}, {"name", "replaced"},
                  {"change", {{"actions", {"delete", "create"}}, {"before", {{"instance_type", "g5.xlarge"}}},
                              {"after", {{"instance_type", "g6.xlarge"}}}}}},
                 {{"address", "aws_instance.gone"}, {"mode", "managed"}, {"type", "aws_instance"}, {"name", "gone"},
                  {"change", {{"actions", {"delete"}}, {"before", {{"instance_type", "p5.48xlarge"}}}, {"after", nullptr}}}},
                 {{"address", "aws_instance.replaced"}, {"mode", "managed"}, {"type", "aws_instance"}, {"name", "replaced"},
                  {"deposed", "00000001"},
                  {"change", {{"actions", {"delete"}}, {"before", {{"instance_type", "g5.xlarge"}}}, {"after", nullptr}}}}}}};
  const auto read = read_json(plan);
  REQUIRE(read.resources.size() == 2);
  CHECK(resource(read, "aws_instance.kept").instance == "aws-g5-xlarge");
  CHECK(resource(read, "aws_instance.replaced").instance == "aws-g6-xlarge");
  CHECK(skip_reason(read, "aws_instance.gone") == "being deleted");
  CHECK(skip_reason(read, "aws_instance.replaced").find("deposed") != std::string::npos);
}

TEST_CASE("terraform: an empty plan and a state are read", "[terraform]") {
  const auto empty = read_json({{"format_version", "1.2"}, {"terraform_version", "1.9.5"},
                                {"planned_values", {{"root_module", json::object()}}}});
  CHECK(empty.resources.empty());
  CHECK(empty.skipped.empty());
  const auto state = read_json(
      {{"format_version", "1.0"}, {"terraform_version", "1.9.5"},
       {"values", {{"root_module", {{"resources", {{{"address", "azurerm_linux_virtual_machine.x"}, {"mode", "managed"},
                                                    {"type", "azurerm_linux_virtual_machine"}, {"name", "x"},
                                                    {"values", {{"size", "Standard_NC6s_v3"}}}}}}}}}}});
  REQUIRE(state.resources.size() == 1);
  CHECK(state.resources[0].instance == "azure-standard-nc6s-v3");
  CHECK(state.resources[0].pointer == "/values/root_module/resources/0/values");
}

TEST_CASE("terraform: more mappings", "[terraform]") {
  auto one = [](const std::string& type, const json& values) {
    json resource = {{"address", type + ".x"}, {"mode", "managed"}, {"type", type}, {"name", "x"}, {"values", values}};
    json plan = {{"format_version", "1.2"}};
    plan["planned_values"]["root_module"]["resources"] = json::array({resource});
    return read_json(plan);
  };
  SECTION("EKS node group with several instance types and no desired size") {
    const auto plan = one("aws_eks_node_group", {{"instance_types", {"g5.12xlarge", "g6.12xlarge"}},
                                                 {"scaling_config", {{{"min_size", 2}, {"max_size", 3}}}},
                                                 {"tags", {{"aiadvise-workload", "llm"}}}});
    const auto& r = plan.resources.at(0);
    CHECK(r.instance == "aws-g5-12xlarge");
    CHECK(r.count == 2);
    CHECK(r.workload == "llm");
    CHECK(has_note(r, "2 instance types"));
  }
  SECTION("GKE pool: initial_node_count, resource_labels, node_locations") {
    const auto plan = one("google_container_node_pool",
                          {{"initial_node_count", 1},
                           {"location", "us-central1"},
                           {"node_locations", {"us-central1-a", "us-central1-b"}},
                           {"node_config", {{{"machine_type", "n1-standard-16"},
                                             {"guest_accelerator", {{{"type", "nvidia-tesla-t4"}, {"count", 2}}}},
                                             {"resource_labels", {{"aiadvise-workload", "asr"}}}}}}});
    const auto& r = plan.resources.at(0);
    CHECK(r.instance == "gcp-n1-standard-16-t4x2");
    CHECK(r.count == 2);
    CHECK(r.workload == "asr");
    CHECK(has_note(r, "per zone"));
  }
  SECTION("TPU VM by accelerator_config for v5p counts TensorCores") {
    const auto plan = one("google_tpu_v2_vm", {{"accelerator_config", {{{"type", "V5P"}, {"topology", "2x2x1"}}}}});
    CHECK(plan.resources.at(0).instance == "gcp-tpu-v5p-8");
  }
  SECTION("TPU VM with a topology that is not a shape") {
    const auto plan = one("google_tpu_v2_vm", {{"accelerator_config", {{{"type", "V5LITE_POD"}, {"topology", "big"}}}}});
    CHECK(plan.resources.at(0).instance.empty());
    CHECK(has_note(plan.resources.at(0), "not of the form"));
  }
  SECTION("Windows VM and AKS node pool by min_count") {
    CHECK(one("azurerm_windows_virtual_machine", {{"size", "Standard_NC4as_T4_v3"}}).resources.at(0).service == "azure-vm");
    const auto pool = one("azurerm_kubernetes_cluster_node_pool", {{"vm_size", "Standard_NC64as_T4_v3"}, {"min_count", 2},
                                                                    {"tags", {{"aiadvise-workload", "w"}}}});
    CHECK(pool.resources.at(0).count == 2);
    CHECK(pool.resources.at(0).workload == "w");
  }
  SECTION("a mapped type without its instance field") {
    const auto plan = one("aws_instance", json::object());
    CHECK(plan.resources.at(0).instance.empty());
    CHECK(has_note(plan.resources.at(0), "no instance_type"));
  }
  SECTION("tags_all is read when tags are absent") {
    CHECK(one("aws_instance", {{"instance_type", "g5.xlarge"}, {"tags_all", {{"aiadvise-workload", "d"}}}})
              .resources.at(0).workload == "d");
  }
}

TEST_CASE("terraform: malformed plans are rejected with every problem located", "[terraform]") {
  SECTION("not an object") {
    const auto d = rejected("bad-not-object.json");
    CHECK(reports(d, "", "JSON object"));
  }
  SECTION("no format_version") {
    const auto d = rejected("bad-no-format-version.json");
    CHECK(reports(d, "", "format_version"));
  }
  SECTION("planned_values not an object") {
    const auto d = rejected("bad-planned-values.json");
    CHECK(reports(d, "/planned_values", "must be an object"));
  }
  SECTION("resources not an array, at every depth") {
    const auto d = rejected("bad-resources-not-array.json");
    CHECK(reports(d, "/planned_values/root_module/resources", "must be an array"));
    CHECK(reports(d, "/planned_values/root_module/child_modules/0/resources", "must be an array"));
  }
  SECTION("resources without type or address, and a change without change") {
    const auto d = rejected("bad-resource-fields.json");
    INFO(aiadvise::test::describe(d));
    CHECK(reports(d, "/planned_values/root_module/child_modules/0/resources/0", "\"type\""));
    CHECK(reports(d, "/planned_values/root_module/child_modules/0/resources/1", "\"address\""));
    CHECK(reports(d, "/resource_changes/0", "\"change\""));
    CHECK(d.size() == 3);
  }
  SECTION("other shapes") {
    CHECK(reports(rejected_text("p.json", R"({"format_version": 2, "planned_values": {}})"), "/format_version", "string"));
    CHECK(reports(rejected_text("p.json", R"({"format_version": "2.0", "planned_values": {}})"), "/format_version",
                  "newer than aiadvise reads"));
    CHECK(reports(rejected_text("p.json", R"({"format_version": "1.2"})"), "", "planned_values"));
    CHECK(reports(rejected_text("p.json", R"({"format_version": "1.2", "planned_values": {"root_module": []}})"),
                  "/planned_values/root_module", "module must be an object"));
    CHECK(reports(rejected_text("p.json", R"({"format_version": "1.2", "planned_values": {}, "resource_changes": {}})"),
                  "/resource_changes", "must be an array"));
    CHECK(reports(rejected_text("p.json", R"({"format_version": "1.2", "planned_values": {},
        "resource_changes": [{"address": "a.b", "type": "a", "change": {"actions": "create"}}]})"),
                  "/resource_changes/0/change/actions", "array of strings"));
    CHECK(reports(rejected_text("p.json", R"({"format_version": "1.2", "planned_values": {"root_module": {
        "resources": [{"address": "a.b", "type": "a", "values": [1]}]}}})"),
                  "/planned_values/root_module/resources/0/values", "must be an object"));
  }
}

TEST_CASE("terraform: format_version 0.1 plans (Terraform 0.12) are read like 1.x", "[terraform]") {
  const auto plan = read_fixture("aws-0.12.json");
  accounts_for_everything("aws-0.12.json", plan);
  CHECK(plan.format_version == "0.1");
  CHECK(plan.terraform_version == "0.12.31");
  SECTION("count = 4: four instances, each at its own address") {
    for (int i = 0; i < 4; ++i) {
      const auto& r = resource(plan, "aws_instance.gpu[" + std::to_string(i) + "]");
      CHECK(r.instance_as_written == "g5.xlarge");
      CHECK(r.count == 1);
      CHECK(r.line > 0);
    }
  }
  SECTION("endpoint variants keep the configuration's address") {
    const auto& blue = resource(plan, "aws_sagemaker_endpoint_configuration.serve, variant blue");
    CHECK(blue.address == "aws_sagemaker_endpoint_configuration.serve");
    CHECK(blue.count == 2);
    CHECK(blue.instance_as_written == "ml.g5.2xlarge");
    CHECK(resource(plan, "aws_sagemaker_endpoint_configuration.serve, variant green").count == 1);
  }
  SECTION("a format_version from a future major version is refused") {
    CHECK(reports(rejected_text("p.json", R"({"format_version": "3.1", "planned_values": {}})"), "/format_version", "0.x and 1.x"));
  }
}

TEST_CASE("terraform: for_each modules, provider defaults and values known after apply", "[terraform]") {
  const auto plan = read_fixture("aws-for-each.json");
  accounts_for_everything("aws-for-each.json", plan);
  SECTION("for_each keys in modules and resources are kept in the address") {
    CHECK(resource(plan, "module.fleet[\"eu\"].aws_instance.worker[\"a\"]").instance_as_written == "c7i.4xlarge");
    CHECK(resource(plan, "module.fleet[\"eu\"].aws_instance.worker[\"b\"]").instance_as_written == "c7i.4xlarge");
    CHECK(resource(plan, "module.fleet[\"us\"].aws_instance.worker[\"a\"]").instance_as_written == "m7i.large");
  }
  SECTION("an EKS node group with no instance_types in configuration gets EKS's default, stated") {
    const auto& r = resource(plan, "aws_eks_node_group.default");
    CHECK(r.instance_as_written == "t3.medium");
    CHECK(r.count == 3);
    REQUIRE(r.assumptions.size() == 1);
    CHECK(r.assumptions[0].find("EKS's default") != std::string::npos);
    CHECK(r.assumptions[0].find("aws_eks_node_group") != std::string::npos);  // the source
  }
  SECTION("instance_types set in configuration but known only after apply is not guessed") {
    const auto& r = resource(plan, "aws_eks_node_group.custom");
    CHECK(r.instance.empty());
    CHECK(r.instance_as_written.empty());
    CHECK(r.assumptions.empty());
    CHECK(has_note(r, "instance_types is known only after apply"));
  }
}

TEST_CASE("terraform: regional GKE pools count nodes in every zone, saying where the zones come from", "[terraform]") {
  const auto plan = read_fixture("gcp-regional.json");
  accounts_for_everything("gcp-regional.json", plan);
  SECTION("a regional pool without node_locations: node_count x GKE's three zones, an assumption") {
    const auto& r = resource(plan, "google_container_node_pool.gpu");
    CHECK(r.instance == "gcp-g2-standard-8");
    CHECK(r.count == 6);
    CHECK(has_note(r, "2 node(s) per zone x 3 zones, GKE's default for a regional pool in us-central1"));
    REQUIRE(r.assumptions.size() == 1);
    CHECK(r.assumptions[0].find("three of the region's zones") != std::string::npos);
  }
  SECTION("node_locations gives the zones; no machine_type in configuration is GKE's default e2-medium") {
    const auto& r = resource(plan, "google_container_node_pool.cpu");
    CHECK(r.count == 6);
    CHECK(has_note(r, "3 node(s) per zone x 2 zone(s) from the pool's node_locations"));
    CHECK(r.instance_as_written == "e2-medium");
    REQUIRE(r.assumptions.size() == 1);
    CHECK(r.assumptions[0].find("GKE's default") != std::string::npos);
  }
  SECTION("a zonal cluster's node_locations adds zones to its own") {
    const auto& r = resource(plan, "google_container_cluster.zonal, node pool l4");
    CHECK(r.address == "google_container_cluster.zonal");
    CHECK(r.count == 2);
    CHECK(has_note(r, "2 zone(s) from the cluster's node_locations"));
    CHECK(r.assumptions.empty());
  }
  SECTION("a cluster whose default pool is removed holds no nodes") {
    CHECK(skip_reason(plan, "google_container_cluster.ml").find("default node pool removed") != std::string::npos);
  }
  SECTION("a zonal pool is one zone") {
    json resource = {{"address", "google_container_node_pool.z"}, {"mode", "managed"}, {"type", "google_container_node_pool"}, {"name", "z"},
                     {"values", {{"location", "us-east1-b"}, {"node_count", 4}, {"node_config", {{{"machine_type", "g2-standard-8"}}}}}}};
    json p = {{"format_version", "1.2"}};
    p["planned_values"]["root_module"]["resources"] = json::array({resource});
    const auto one = read_json(p);
    CHECK(one.resources.at(0).count == 4);
    CHECK(has_note(one.resources.at(0), "one zone, us-east1-b"));
  }
}

TEST_CASE("terraform: inputs that are not `terraform show -json` output say what to run", "[terraform]") {
  using aiadvise::check::recognise_wrong_plan_input;
  SECTION("a binary plan file") {
    const auto why = recognise_wrong_plan_input(fixture_text("plan.out"), "plan.out");
    REQUIRE(why);
    CHECK(why->find("binary plan file") != std::string::npos);
    CHECK(why->find("terraform show -json plan.out > plan.json") != std::string::npos);
  }
  SECTION("the streamed output of terraform plan -json") {
    const auto why = recognise_wrong_plan_input(fixture_text("plan-stream.jsonl"), "plan-stream.jsonl");
    REQUIRE(why);
    CHECK(why->find("terraform plan -json") != std::string::npos);
    CHECK(why->find("terraform show -json plan.out > plan.json") != std::string::npos);
  }
  SECTION("a state file and the text of terraform plan") {
    CHECK(recognise_wrong_plan_input(R"({"version": 4, "terraform_version": "1.7.5", "serial": 3, "lineage": "x", "resources": []})", "s")
              ->find("state file") != std::string::npos);
    CHECK(recognise_wrong_plan_input("Terraform will perform the following actions:\n  # aws_instance.x", "t")->find("text output") !=
          std::string::npos);
  }
  SECTION("a real plan is not mistaken for one of them") {
    for (const char* name : {"aws.json", "gcp.json", "azure.json", "aws-0.12.json", "aws-for-each.json", "gcp-regional.json"}) {
      INFO(name);
      CHECK_FALSE(recognise_wrong_plan_input(fixture_text(name), name));
    }
  }
}
