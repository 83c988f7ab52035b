// The hostile inputs of issue 16 ("Hardening, round two"), each run in-process as a user would
// give it: out-of-range numbers in every input kind, bytes that are not UTF-8, paths that are not
// regular files, a closed pipe under --batch, and results beyond human scale. Every error exits 2
// with nothing on stdout; nothing is an internal error.

#include <catch2/catch.hpp>

#include <sys/stat.h>
#include <unistd.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <map>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>

#include "aiadvise/check/check.hpp"
#include "aiadvise/cli/app.hpp"
#include "aiadvise/cli/exit_codes.hpp"
#include "aiadvise/util/file_io.hpp"
#include "aiadvise/util/json_document.hpp"
#include "support/helpers.hpp"

namespace fs = std::filesystem;
using aiadvise::cli::RunResult;
using aiadvise::cli::run_captured;
using nlohmann::json;
namespace exit_code = aiadvise::cli;

namespace {

const std::string k_src = AIADVISE_SOURCE_DIR;

using aiadvise::test::ScratchDir;

// Sets environment variables for one scope and restores them.
class Env {
 public:
  ~Env() {
    for (const auto& [name, value] : m_saved) {
      if (value) ::setenv(name.c_str(), value->c_str(), 1);
      else ::unsetenv(name.c_str());
    }
  }
  void set(const std::string& name, const std::string& value) {
    if (!m_saved.count(name)) {
      const char* v = std::getenv(name.c_str());
      m_saved[name] = v ? std::optional<std::string>(v) : std::nullopt;
    }
    ::setenv(name.c_str(), value.c_str(), 1);
  }

 private:
  std::map<std::string, std::optional<std::string>> m_saved;
};

// An input error: exit 2, nothing on stdout, and `message` on stderr.
void rejected(const RunResult& r, const std::string& message) {
  INFO("stderr: " << r.err);
  CHECK(r.code == exit_code::k_exit_invalid);
  CHECK(r.out.empty());
  CHECK(r.err.find(message) != std::string::npos);
}

RunResult run(std::vector<std::string> args) {
  args.insert(args.begin(), "--no-config");
  return run_captured(args);
}

std::string project_with_count(const std::string& count) {
  return R"({"workloads": [{"name": "chat", "workload": {"model": "llama-3.1-8b", "qps": 1},
                            "proposed": {"instance": "g5.xlarge", "count": )" + count + "}}]}";
}

std::string gke_plan(const std::string& node_count, int zones) {
  json locations = json::array();
  for (int i = 0; i < zones; ++i) locations.push_back("us-central1-" + std::string(1, static_cast<char>('a' + i % 26)) + std::to_string(i));
  json values = {{"name", "pool"},
                 {"location", "us-central1"},
                 {"node_count", json::parse(node_count)},
                 {"node_locations", locations},
                 {"node_config", json::array({{{"machine_type", "g2-standard-8"}, {"labels", {{"aiadvise-workload", "chat"}}}}})}};
  json plan = {{"format_version", "1.2"},
               {"planned_values",
                {{"root_module",
                  {{"resources", json::array({{{"address", "google_container_node_pool.pool"},
                                               {"mode", "managed"},
                                               {"type", "google_container_node_pool"},
                                               {"name", "pool"},
                                               {"values", values}}})}}}}}};
  return plan.dump(1);
}

const std::string k_chat_project = R"({"workloads": [{"name": "chat", "workload": {"model": "llama-3.1-8b", "qps": 1, "cloud": ["gcp"]}}]})";

}  // namespace

TEST_CASE("hostile: a count past its range is an input error, never a wrapped PASS", "[cli][hostile]") {
  ScratchDir dir("hostile");
  // 2147483648 used to become -2147483648 and 4294967297 to become 1, both PASS (exit 0).
  for (const char* count : {"2147483648", "4294967297", "-1", "0", "1.5", "1e300", "100001"}) {
    INFO(count);
    const auto r = run({"check", "--project", dir.file("p.json", project_with_count(count))});
    rejected(r, "/workloads/0/proposed/count: expected a whole number from 1 to 100000, got ");
  }
  CHECK(run({"check", "--project", dir.file("p.json", project_with_count("100000")), "--format", "json"}).code != exit_code::k_exit_invalid);
  rejected(run({"check", "--model", "llama-3.1-8b", "--proposed", "g5.xlarge:2147483648"}),
           "--proposed: expected INSTANCE[:COUNT] with a whole count from 1 to 100000, got 'g5.xlarge:2147483648'");
}

TEST_CASE("hostile: a user catalog's accelerator_count of 4294967295 is refused", "[cli][hostile]") {
  ScratchDir dir("hostile");
  const std::string cat = dir.file("cat.json", R"({"instances": [{"id": "my-box", "cloud": "aws", "name": "my.box", "vcpus": 8,
    "memory_gib": 32, "accelerator": "nvidia-a10g", "accelerator_count": 4294967295, "region": "us-east-1",
    "price_usd_per_hour": 1, "source": "me", "as_of": "2025-01-01"}]})");
  const auto r = run({"--catalog", cat, "recommend", "--model", "llama-3.1-8b", "--format", "json"});
  rejected(r, "cat.json:2:74: /instances/0/accelerator_count: expected a whole number from 0 to 1024, got 4294967295\n");
  CHECK(r.err.find("problems found") == std::string::npos);  // one problem, not a follow-on
  // The price of 1e-320 that an import once wrote: subnormal, refused where the catalog is read.
  const std::string tiny = dir.file("tiny.json", R"({"instances": [{"id": "aws-g5-xlarge", "price_usd_per_hour": 1e-320}]})");
  rejected(run({"--catalog", tiny, "recommend", "--model", "llama-3.1-8b"}),
           "/instances/0/price_usd_per_hour: expected a number from 1e-06 to 1000000, got 1e-320 (too small to compute with: a subnormal number)");
}

TEST_CASE("hostile: Terraform counts are multiplied with a check, TPU topologies bounded", "[cli][hostile][terraform]") {
  ScratchDir dir("hostile");
  const std::string project = dir.file("p.json", k_chat_project);
  // 1,000,000 nodes per zone x 3000 zones overflowed a signed int (UBSan).
  const auto r = run({"check", "--project", project, "--terraform-plan", dir.file("plan.json", gke_plan("1000000", 3000))});
  rejected(r, "plan.json:");
  CHECK(r.err.find("/planned_values/root_module/resources/0/values/node_locations: 1000000 nodes per zone x 3000 zones "
                   "is more than 1000000 instances") != std::string::npos);
  rejected(run({"check", "--project", project, "--terraform-plan", dir.file("plan.json", gke_plan("18446744073709551615", 2))}),
           "node_locations: 1000000 nodes per zone x 2 zones is more than 1000000 instances");
  // Within range but beyond human scale: checked, with a warning that names where the count came from.
  const auto big = run({"check", "--project", project, "--terraform-plan", dir.file("plan.json", gke_plan("60000", 2)), "--format", "json"});
  INFO(big.err);
  REQUIRE(big.code != exit_code::k_exit_invalid);
  REQUIRE(big.code != exit_code::k_exit_internal);
  const json report = json::parse(big.out);
  CHECK(report["workloads"][0]["proposed"]["count"] == 120000);
  const std::string warnings = report["warnings"].dump();
  INFO(warnings);
  CHECK(warnings.find("has 120000 instances (over 100,000), as given by terraform: google_container_node_pool.pool") != std::string::npos);

  // 9999x9999x9999x9999x9999 overflowed int64: now the topology is named as too large, the
  // resource maps to no instance, and the check says so.
  json plan = json::parse(gke_plan("1", 1));
  plan["planned_values"]["root_module"]["resources"][0] = {
      {"address", "google_tpu_v2_vm.huge"}, {"mode", "managed"}, {"type", "google_tpu_v2_vm"}, {"name", "huge"},
      {"values", {{"accelerator_config", json::array({{{"type", "V5LITE_POD"}, {"topology", "9999x9999x9999x9999x9999"}}})},
                  {"labels", {{"aiadvise-workload", "chat"}}}, {"zone", "us-west4-a"}}}};
  // check-unknown-instance warns (an unchecked choice is not a failed one), so --fail-on warn fails.
  const auto tpu = run({"check", "--project", project, "--terraform-plan", dir.file("plan.json", plan.dump()), "--format", "json",
                        "--fail-on", "warn"});
  INFO(tpu.err);
  CHECK(tpu.code == exit_code::k_exit_findings);
  CHECK(json::parse(tpu.out)["workloads"][0]["findings"][0]["rule"] == "check-unknown-instance");
}

TEST_CASE("hostile: subnormal and out-of-range numbers are refused at the flag", "[cli][hostile]") {
  rejected(run({"recommend", "--model", "llama-3.1-8b", "--qps", "5e-324"}),
           "--qps: expected a number from 1e-06 to 10000000, got 5e-324 (too small to compute with: a subnormal number)");
  rejected(run({"recommend", "--model", "llama-3.1-8b", "--phase", "training", "--dataset-tokens", "5e-324"}),
           "--dataset-tokens: expected a number from 1 to 1e+15, got 5e-324 (too small to compute with: a subnormal number)");
  // A training run over 1e18 samples used to answer "ok" with 1.1e12 hours.
  rejected(run({"recommend", "--model", "resnet-50", "--phase", "training", "--dataset-samples", "1e18"}),
           "--dataset-samples: expected a number from 1 to 1e+15, got 1e+18");
  rejected(run({"--max-depth", "100000000", "recommend", "--model", "llama-3.1-8b"}),
           "--max-depth: expected a whole number from 1 to 1000, got 100000000");
  rejected(run({"--max-input-bytes", "0x10", "config", "show"}), "--max-input-bytes: expected a whole number from 1 to 1073741824");
  rejected(run({"catalog", "list", "instances", "--max-price", "nan"}), "--max-price: expected a number from 1e-06 to 1000000 (decimal digits), got 'nan'");
  rejected(run({"catalog", "list", "instances", "--vcpus", "5-3"}), "--vcpus: the range '5-3' is empty: its minimum 5 is above its maximum 3");
  rejected(run({"catalog", "import", "skypilot", k_src + "/tests/fixtures/skypilot/aws-odd-rows.csv", "--cloud", "aws", "--as-of",
                "2026-02-31", "-o", "-"}),
           "--as-of: expected a calendar date YYYY-MM-DD, got '2026-02-31'");
  // An integer flag may be written in exponent form; it reaches the option as its digits.
  CHECK(run({"--max-input-bytes", "1e6", "config", "show"}).code == exit_code::k_exit_ok);
}

TEST_CASE("hostile: bytes that are not UTF-8 are invalid input, never an internal error", "[cli][hostile]") {
  rejected(run({"recommend", "--model", "llama-3.1-8b", "--region", "\xff", "--format", "json"}),
           "aiadvise: error: --region: '\\xff' is not valid UTF-8 text");
  rejected(run({"check", "--model", "llama-3.1-8b", "--proposed", "g5.xlarge\xff"}), "--proposed: 'g5.xlarge\\xff' is not valid UTF-8");
  rejected(run({"--catalog=cat\xff.json", "catalog", "validate", "--format", "json"}), "--catalog: 'cat\\xff.json' is not valid UTF-8");
  rejected(run({"catalog", "validate", "cat\xff.json"}), "argument 4: 'cat\\xff.json' is not valid UTF-8");
  {
    Env env;
    env.set("AIADVISE_REGION", "eu-\xff");
    rejected(run({"recommend", "--model", "llama-3.1-8b", "--format", "json"}), "AIADVISE_REGION: 'eu-\\xff' is not valid UTF-8 text");
  }
  {
    Env env;
    env.set("AIADVISE_CATALOG", "/tmp/\xfe.json");
    rejected(run({"catalog", "validate", "--format", "json"}), "AIADVISE_CATALOG: '/tmp/\\xfe.json' is not valid UTF-8 text");
  }
  {
    ScratchDir dir("hostile");
    Env env;
    env.set("AIADVISE_CONFIG", dir.file("\xff.json", "{}"));
    const auto r = run_captured({"config", "show", "--format", "json"});
    rejected(r, "is not valid UTF-8 text");
  }
  {
    // A catalog directory holding a file whose name is not UTF-8.
    ScratchDir dir("hostile");
    fs::create_directory(dir.path / "cat");
    dir.file("cat/a\xff.json", R"({"instances": []})");
    rejected(run({"--catalog", dir.file("cat"), "catalog", "validate", "--format", "json"}), "file name is not valid UTF-8 text: rename the file");
  }
}

TEST_CASE("hostile: configuration and catalog paths that are not regular files are refused, never waited on", "[cli][hostile]") {
  ScratchDir dir("hostile");
  const std::string fifo = dir.file("fifo.json");
  REQUIRE(::mkfifo(fifo.c_str(), 0600) == 0);
  fs::create_symlink(dir.file("loop-b"), dir.file("loop-a"));
  fs::create_symlink(dir.file("loop-a"), dir.file("loop-b"));
  for (const auto& [path, message] : std::vector<std::pair<std::string, std::string>>{
           {fifo, "expected a config file, got a FIFO"},
           {"/dev/null", "expected a config file, got a character device"},
           {dir.file("loop-a"), "cannot read the config file: a loop of symbolic links"},
       }) {
    INFO(path);
    Env env;
    env.set("AIADVISE_CONFIG", path);
    rejected(run_captured({"config", "show"}), path + ": " + message);
  }
  if (fs::exists("/dev/tty")) {
    Env env;
    env.set("AIADVISE_CONFIG", "/dev/tty");
    rejected(run_captured({"config", "show"}), "/dev/tty: expected a config file, got a character device");
  }
  rejected(run({"--catalog", fifo, "catalog", "validate"}), fifo + ": cannot read: is a FIFO, expected a regular file");
  rejected(run({"--catalog", dir.file("loop-a"), "catalog", "validate"}), "cannot read: a loop of symbolic links");
}

TEST_CASE("hostile: a batch stops as soon as its reader leaves", "[cli][hostile][batch]") {
  ScratchDir dir("hostile");
  std::string lines;
  for (int i = 0; i < 2000; ++i) lines += R"({"model": "llama-3.1-8b", "qps": )" + std::to_string(1 + i) + "}\n";
  const std::string path = dir.file("many.jsonl", lines);
  int calls = 0;
  const auto r = aiadvise::cli::run_streaming({"--no-config", "recommend", "--batch", path}, [&calls](std::string_view) {
    ++calls;
    return aiadvise::util::k_reader_gone;  // the pipe closed after the first line
  });
  CHECK(r.code == exit_code::k_exit_ok);
  CHECK(r.err.empty());
  CHECK(calls == 1);  // no line after the first was even computed
}

TEST_CASE("hostile: batch diagnostics go out as they occur, capped, with a count of the rest", "[cli][hostile][batch]") {
  ScratchDir dir("hostile");
  std::string lines;
  for (int i = 0; i < 1000; ++i) lines += "not json\n";
  const auto r = run({"recommend", "--batch", dir.file("bad.jsonl", lines)});
  CHECK(r.code == exit_code::k_exit_invalid);
  std::size_t shown = 0;
  for (std::size_t at = 0; (at = r.err.find("aiadvise: error: ", at)) != std::string::npos; ++at) ++shown;
  CHECK(shown == 100);
  CHECK(r.err.find("aiadvise: 900 more problems not shown (1000 bad lines in all; each line's output holds its errors)") != std::string::npos);
  // Every line still has its own answer on stdout.
  CHECK(static_cast<std::size_t>(std::count(r.out.begin(), r.out.end(), '\n')) == 1000);
}

TEST_CASE("hostile: one input error report holds a bounded number of lines", "[cli][hostile]") {
  ScratchDir dir("hostile");
  std::string keys;
  for (int i = 0; i < 5000; ++i) keys += ",\"unknown_" + std::to_string(i) + "\": 0";
  const auto r = run({"recommend", "--workload", dir.file("w.json", "{\"model\": \"llama-3.1-8b\"" + keys + "}")});
  rejected(r, "aiadvise: 5000 problems found (100 shown)\n");
  CHECK(std::count(r.err.begin(), r.err.end(), '\n') == 101);
}

TEST_CASE("hostile: results beyond human scale are flagged with the inputs that caused them", "[cli][hostile][plausibility]") {
  // Every input within its range, the product beyond ten years and $100M.
  const auto r = run({"recommend", "--model", "llama-2-70b", "--phase", "training", "--dataset-tokens", "1e15", "--epochs", "100",
                      "--format", "json"});
  INFO(r.err);
  REQUIRE(r.code == exit_code::k_exit_ok);
  const json report = json::parse(r.out);
  std::string all;
  for (const auto& w : report["warnings"]) all += w.get<std::string>() + "\n";
  INFO(all);
  CHECK(all.find("implausible result: the recommended option takes ") != std::string::npos);
  CHECK(all.find("years, over 10) from dataset_tokens ") != std::string::npos);
  CHECK(all.find(", epochs 100, params ") != std::string::npos);
  CHECK(all.find("for the run (over $100M)") != std::string::npos);
  // The same in every format.
  for (const char* format : {"table", "markdown", "html"}) {
    const auto t = run({"recommend", "--model", "llama-2-70b", "--phase", "training", "--dataset-tokens", "1e15", "--epochs", "100",
                        "--format", format});
    INFO(format);
    CHECK(t.out.find("implausible result") != std::string::npos);
  }
  const auto e = run({"estimate", "--model", "llama-2-70b", "--phase", "training", "--dataset-tokens", "1e15", "--epochs", "100",
                      "--instance", "p5.48xlarge", "--format", "json"});
  REQUIRE(e.code == exit_code::k_exit_ok);
  CHECK(json::parse(e.out)["warnings"][0].get<std::string>().find("implausible result: this option takes") == 0);
  // An ordinary workload has none.
  const auto ok = run({"recommend", "--model", "llama-3.1-8b", "--qps", "5", "--format", "json"});
  const json ordinary = json::parse(ok.out);
  for (const auto& w : ordinary["warnings"]) CHECK(w.get<std::string>().find("implausible") == std::string::npos);
}

TEST_CASE("check: the streamed JSON report is byte for byte the report built at once", "[cli][check]") {
  // The streamed form (check --format json) against check_report(...).dump(2) of the same checks.
  const std::string project = k_src + "/examples/aiadvise.json";
  const auto streamed = run({"check", "--project", project, "--format", "json"});
  REQUIRE((streamed.code == exit_code::k_exit_ok || streamed.code == exit_code::k_exit_findings));
  const json report = json::parse(streamed.out);
  CHECK(report.dump(2) + "\n" == streamed.out);
  CHECK(report["workloads"].size() == report["summary"]["workloads"].get<std::size_t>());
  // No workload at all (allowed with --allow-empty): the empty array as dump() writes it.
  ScratchDir dir("hostile");
  const auto none = run({"check", "--project", dir.file("p.json", R"({"workloads": [{"name": "a", "workload": {"model": "xgboost"}}]})"),
                         "--format", "json", "--allow-empty"});
  CHECK(none.code == exit_code::k_exit_ok);
  CHECK(json::parse(none.out).dump(2) + "\n" == none.out);
  CHECK(json::parse(none.out)["workloads"].empty());
}
