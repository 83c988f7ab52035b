// End-to-end scenarios on precisions: a chip is never sized at a precision it does not compute in.
// A request for one it lacks runs at the nearest wider one it has (memory and speed at that one,
// the change stated), or the chip is excluded by accelerator-precision when it has none.

#include <catch2/catch.hpp>

#include <nlohmann/json.hpp>

#include <algorithm>
#include <string>

#include "aiadvise/catalog/catalog.hpp"
#include "aiadvise/cli/app.hpp"
#include "support/helpers.hpp"
#include "support/scenario.hpp"

using nlohmann::json;

using namespace aiadvise::test::scenario;

namespace {

// The `instance` object of `aiadvise estimate ARGS --format json`.
json estimate_on(std::vector<std::string> args) { return run_json("estimate", std::move(args)).at("instance"); }

bool chip_has(const std::string& accelerator, const std::string& precision) {
  const auto* h = aiadvise::test::default_catalog().hardware_by_id(accelerator);
  REQUIRE(h != nullptr);
  const auto p = aiadvise::catalog::parse_precision(precision);
  REQUIRE(p.has_value());
  const auto all = aiadvise::catalog::supported_precisions(*h);
  return std::find(all.begin(), all.end(), *p) != all.end();
}

// What a practitioner insists on for every option shown: it is sized at a precision its chip has,
// and where that is not the one asked for, its notes say so.
void check_sized_at_a_real_precision(const json& option, const std::string& requested) {
  INFO(option.at("instance").get<std::string>() << ": " << option.at("precision").dump());
  CHECK(option.at("precision").at("requested") == requested);
  if (option.at("accelerator").is_null()) return;
  const std::string used = option.at("precision").at("used");
  CHECK(chip_has(option.at("accelerator"), used));
  if (used != requested) CHECK(option.at("notes").dump().find("has no " + requested + ": sized at " + used) != std::string::npos);
}

void check_all_options(const json& r, const std::string& requested) {
  check_sized_at_a_real_precision(pick(r), requested);
  for (const auto& a : r.at("alternatives")) check_sized_at_a_real_precision(a, requested);
}

}  // namespace

TEST_CASE("scenario: Llama 3.1 405B at fp8 is never sized with fp8 memory on an A100 or a TPU", "[scenario][precision]") {
  const auto r = recommend({"--model", "llama-3.1-405b", "--precision", "fp8", "--qps", "1"});
  const auto& p = pick(r);
  check_all_options(r, "fp8");
  // 405B at fp8 is 377 GiB of weights; at bf16 (where the chip lacks fp8) 754 GiB.
  const std::string used = p.at("precision").at("used");
  CHECK(accelerator_memory_gib(p) >= (used == "fp8" ? 377 : 754));
  if (p.at("compute") == "tpu" || p.at("accelerator").get<std::string>().find("a100") != std::string::npos) CHECK(used == "bf16");
}

TEST_CASE("scenario: DeepSeek-V3 at fp8 lands on chips with FP8 units, or is sized at bf16", "[scenario][precision]") {
  const auto r = recommend({"--model", "deepseek-v3", "--precision", "fp8", "--qps", "1"});
  const auto& p = pick(r);
  check_all_options(r, "fp8");
  const std::string used = p.at("precision").at("used");
  // 671B parameters: 625 GiB at fp8, 1,250 GiB at bf16.
  CHECK(accelerator_memory_gib(p) >= (used == "fp8" ? 625 : 1250));
  CHECK_FALSE((p.at("compute") == "tpu" && used == "fp8"));
}

TEST_CASE("scenario: fp8 on an A100 is sized as bf16, memory and speed both", "[scenario][precision]") {
  const auto fp8 = estimate_on({"--model", "llama-3.1-70b", "--precision", "fp8", "--instance", "p4d.24xlarge", "--qps", "1"});
  const auto bf16 = estimate_on({"--model", "llama-3.1-70b", "--precision", "bf16", "--instance", "p4d.24xlarge", "--qps", "1"});
  CHECK(fp8.at("precision") == json{{"requested", "fp8"}, {"used", "bf16"}});
  CHECK(fp8.at("memory_needed_gib") == bf16.at("memory_needed_gib"));
  CHECK(fp8.at("tpot_ms") == bf16.at("tpot_ms"));
  CHECK(fp8.at("notes").at(0).get<std::string>().find("has no fp8: sized at bf16") != std::string::npos);
}

TEST_CASE("scenario: fp8 on an H100 stays fp8, with half the weights and faster decode than bf16", "[scenario][precision]") {
  const auto fp8 = estimate_on({"--model", "llama-3.1-70b", "--precision", "fp8", "--instance", "p5.48xlarge", "--qps", "1"});
  const auto bf16 = estimate_on({"--model", "llama-3.1-70b", "--precision", "bf16", "--instance", "p5.48xlarge", "--qps", "1"});
  CHECK(fp8.at("precision") == json{{"requested", "fp8"}, {"used", "fp8"}});
  CHECK(fp8.at("memory_needed_gib").get<double>() < bf16.at("memory_needed_gib").get<double>());
  CHECK(fp8.at("tpot_ms").get<double>() < bf16.at("tpot_ms").get<double>());
  CHECK(fp8.at("notes").dump().find("has no fp8") == std::string::npos);
}

TEST_CASE("scenario: an fp8 70B chat model on AWS is picked on an FP8 chip at fp8", "[scenario][precision]") {
  const auto r = recommend({"--model", "llama-3.1-70b", "--precision", "fp8", "--qps", "5", "--cloud", "aws", "--tpot-ms", "50"});
  const auto& p = pick(r);
  check_all_options(r, "fp8");
  INFO(p.at("instance"));
  CHECK(p.at("compute") == "gpu");
  CHECK(chip_has(p.at("accelerator"), "fp8"));
  CHECK(p.at("precision").at("used") == "fp8");
}

TEST_CASE("scenario: a bf16 model on a T4 runs as fp16 and says so", "[scenario][precision]") {
  const auto bf16 = estimate_on({"--model", "llama-3.2-1b", "--precision", "bf16", "--instance", "g4dn.xlarge", "--qps", "1"});
  const auto fp16 = estimate_on({"--model", "llama-3.2-1b", "--precision", "fp16", "--instance", "g4dn.xlarge", "--qps", "1"});
  CHECK(bf16.at("precision") == json{{"requested", "bf16"}, {"used", "fp16"}});
  CHECK(bf16.at("notes").at(0).get<std::string>().find("T4 has no bf16: sized at fp16") != std::string::npos);
  CHECK(bf16.at("memory_needed_gib") == fp16.at("memory_needed_gib"));
}

TEST_CASE("scenario: int8 on a V100 (no INT8 tensor path) is sized at fp16 weights", "[scenario][precision]") {
  const auto int8 = estimate_on({"--model", "llama-2-7b", "--precision", "int8", "--instance", "p3.2xlarge", "--qps", "1"});
  const auto fp16 = estimate_on({"--model", "llama-2-7b", "--precision", "fp16", "--instance", "p3.2xlarge", "--qps", "1"});
  CHECK(int8.at("precision") == json{{"requested", "int8"}, {"used", "fp16"}});
  CHECK(int8.at("memory_needed_gib") == fp16.at("memory_needed_gib"));
}

TEST_CASE("scenario: fp8 and fp16 on TPUs run as bf16", "[scenario][precision]") {
  for (const char* instance : {"v5p-8", "v5litepod-8", "v6e-8"}) {
    INFO(instance);
    const auto fp8 = estimate_on({"--model", "llama-3.1-8b", "--precision", "fp8", "--instance", instance, "--qps", "1"});
    CHECK(fp8.at("precision") == json{{"requested", "fp8"}, {"used", "bf16"}});
    const auto fp16 = estimate_on({"--model", "llama-3.1-8b", "--precision", "fp16", "--instance", instance, "--qps", "1"});
    CHECK(fp16.at("precision") == json{{"requested", "fp16"}, {"used", "bf16"}});
  }
}

TEST_CASE("scenario: fp32 ResNet-50 serving excludes Inferentia 1, which has no fp32 or wider units", "[scenario][precision]") {
  const auto r = recommend({"--model", "resnet-50", "--qps", "50", "--precision", "fp32"});
  CHECK(excluded_by(r, "accelerator-precision"));
  check_all_options(r, "fp32");
  const auto quiet = recommend({"--model", "resnet-50", "--qps", "50", "--precision", "bf16"});
  CHECK_FALSE(excluded_by(quiet, "accelerator-precision"));
}

TEST_CASE("scenario: a bf16 CNN served on GCP shows every option at a precision its chip has", "[scenario][precision]") {
  const auto r = recommend({"--model", "resnet-50", "--qps", "2000", "--precision", "bf16", "--cloud", "gcp"});
  check_all_options(r, "bf16");
}
