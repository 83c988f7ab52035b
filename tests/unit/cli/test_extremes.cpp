// The sweep of issue 16: every numeric input of every input kind (workload flags and files, user
// catalogs, project files, Terraform plans, environment variables) at the ends of its stated range
// and past them, through every command and output format. In range, the answer holds no NaN, no
// infinity and no negative quantity; past the range, the input is refused (exit 2) with nothing
// on stdout. Never an internal error.

#include <catch2/catch.hpp>

#include <cmath>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <map>
#include <nlohmann/json.hpp>
#include <optional>
#include <regex>
#include <string>
#include <vector>

#include "aiadvise/cli/app.hpp"
#include "aiadvise/cli/exit_codes.hpp"
#include "support/helpers.hpp"

namespace fs = std::filesystem;
using aiadvise::cli::RunResult;
using aiadvise::cli::run_captured;
using nlohmann::json;

namespace {

using aiadvise::test::ScratchDir;

std::string number_text(double v) {
  char buffer[64];
  std::snprintf(buffer, sizeof buffer, "%.17g", v);
  return buffer;
}

// Paths of numbers that are negative, other than score adjustments (which are signed).
void negatives(const json& j, const std::string& path, std::vector<std::string>& out) {
  if (j.is_number()) {
    if (j.get<double>() < 0 && path.find("score") == std::string::npos) out.push_back(path + " = " + j.dump());
  } else if (j.is_object()) {
    for (const auto& [k, v] : j.items()) negatives(v, path + "/" + k, out);
  } else if (j.is_array()) {
    for (std::size_t i = 0; i < j.size(); ++i) negatives(j[i], path + "/" + std::to_string(i), out);
  }
}

// A run whose input is in range: an answer (0, or 1 for check's findings), and a clean one.
void clean(const RunResult& r, const std::vector<std::string>& args) {
  std::string shown;
  for (const auto& a : args) shown += a + " ";
  INFO(shown << "\nstderr: " << r.err.substr(0, 600));
  REQUIRE((r.code == aiadvise::cli::k_exit_ok || r.code == aiadvise::cli::k_exit_findings));
  // "nan", "-inf", "Infinity" as a word (not "inf2.xlarge" or "aws-inf2").
  static const std::regex k_not_a_number(R"((^|[^A-Za-z0-9_.-])-?(nan|inf|infinity)([^A-Za-z0-9_-]|$))", std::regex::icase);
  CHECK_FALSE(std::regex_search(r.out, k_not_a_number));
  const bool is_json = !r.out.empty() && r.out.front() == '{';
  if (is_json) {
    const json doc = json::parse(r.out, nullptr, false);
    REQUIRE_FALSE(doc.is_discarded());
    std::vector<std::string> bad;
    negatives(doc, "", bad);
    INFO("negative quantities: " << json(bad).dump());
    CHECK(bad.empty());
  }
}

void refused(const RunResult& r, const std::vector<std::string>& args) {
  std::string shown;
  for (const auto& a : args) shown += a + " ";
  INFO(shown << "\nstderr: " << r.err.substr(0, 600));
  CHECK(r.code == aiadvise::cli::k_exit_invalid);
  CHECK(r.out.empty());
}

RunResult run(std::vector<std::string> args) {
  args.insert(args.begin(), "--no-config");
  return run_captured(args);
}

struct Field {
  std::string flag;
  std::vector<std::string> base;  ///< a workload the field applies to
  double min, max;
};

// Every numeric workload field with its stated range (src/workload/workload.cpp) and a workload it applies to.
const std::vector<Field>& workload_fields() {
  const std::vector<std::string> llm{"--model", "llama-3.1-8b"};
  const std::vector<std::string> train{"--model", "llama-3.1-8b", "--phase", "training"};
  const std::vector<std::string> batch{"--model", "bert-base", "--mode", "batch"};
  const std::vector<std::string> classical{"--model", "xgboost", "--phase", "training"};
  static const std::vector<Field> fields{
      {"--params", {"--family", "llm-decoder"}, 1, 1e15},
      {"--active-params", {"--family", "llm-decoder", "--params", "1e15"}, 1, 1e15},
      {"--qps", llm, 1e-6, 1e7},
      {"--latency-ms", {"--model", "resnet-50"}, 1e-3, 1e8},
      {"--ttft-ms", llm, 1e-3, 1e8},
      {"--tpot-ms", llm, 1e-3, 1e8},
      {"--input-tokens", llm, 1, 1e8},
      {"--output-tokens", llm, 1, 1e8},
      {"--batch-size", llm, 1, 1e7},
      {"--dataset-samples", batch, 1, 1e15},
      {"--dataset-tokens", train, 1, 1e15},
      {"--epochs", train, 1e-6, 1e6},
      {"--features", classical, 1, 1e9},
      {"--denoising-steps", {"--model", "stable-diffusion-1.5"}, 1, 1e5},
      {"--iterations", classical, 1, 1e9},
      {"--deadline-hours", train, 1e-3, 1e6},
      {"--budget-usd-per-hour", llm, 1e-6, 1e9},
      {"--budget-usd", train, 1e-6, 1e13},
  };
  return fields;
}

}  // namespace

TEST_CASE("sweep: every workload number at the ends of its range and past them", "[cli][sweep]") {
  for (const auto& f : workload_fields()) {
    for (const double v : {f.min, f.max}) {
      std::vector<std::string> args{"recommend"};
      args.insert(args.end(), f.base.begin(), f.base.end());
      args.insert(args.end(), {f.flag, number_text(v), "--format", "json"});
      clean(run(args), args);
      std::vector<std::string> check{"check"};
      check.insert(check.end(), f.base.begin(), f.base.end());
      check.insert(check.end(), {f.flag, number_text(v), "--proposed", "p5.48xlarge:4", "--format", "json"});
      clean(run(check), check);
    }
    const bool whole = f.flag == "--input-tokens" || f.flag == "--output-tokens" || f.flag == "--batch-size" || f.flag == "--features" ||
                       f.flag == "--denoising-steps" || f.flag == "--iterations";
    std::vector<std::string> past{number_text(f.max * 10), "0", "-1", "5e-324", "1e308", "1e400", "nan", "inf", "0x10", " 5"};
    if (f.min > 1e-300) past.push_back(number_text(f.min / 10));
    if (whole) past.push_back("1.5");
    for (const auto& text : past) {
      std::vector<std::string> args{"recommend"};
      args.insert(args.end(), f.base.begin(), f.base.end());
      args.insert(args.end(), {f.flag, text, "--format", "json"});
      refused(run(args), args);
    }
  }
}

TEST_CASE("sweep: every field at its largest (and smallest) at once, in every command and format", "[cli][sweep]") {
  const std::vector<std::vector<std::string>> extremes{
      {"--family", "llm-decoder", "--params", "1e15", "--qps", "1e7", "--input-tokens", "1e8", "--output-tokens", "1e8", "--batch-size", "1e7",
       "--budget-usd-per-hour", "1e9", "--tpot-ms", "1e8", "--ttft-ms", "1e8"},
      {"--family", "llm-decoder", "--params", "1", "--qps", "1e-6", "--input-tokens", "1", "--output-tokens", "1", "--batch-size", "1",
       "--budget-usd-per-hour", "1e-6", "--tpot-ms", "1e-3", "--ttft-ms", "1e-3"},
      {"--family", "llm-decoder", "--params", "1e15", "--phase", "training", "--dataset-tokens", "1e15", "--epochs", "1e6",
       "--input-tokens", "1e8", "--deadline-hours", "1e6", "--budget-usd", "1e13"},
      {"--family", "llm-decoder", "--params", "1", "--phase", "training", "--dataset-tokens", "1", "--epochs", "1e-6", "--input-tokens", "1",
       "--deadline-hours", "1e-3", "--budget-usd", "1e-6"},
      {"--model", "xgboost", "--phase", "training", "--dataset-samples", "1e15", "--features", "1e9", "--iterations", "1e9", "--epochs", "1e6"},
      {"--model", "stable-diffusion-1.5", "--qps", "1e7", "--denoising-steps", "1e5", "--latency-ms", "1e8"},
      {"--model", "bert-base", "--mode", "batch", "--dataset-samples", "1e15", "--input-tokens", "1e8", "--deadline-hours", "1e-3"},
  };
  for (const auto& w : extremes) {
    for (const char* format : {"json", "table", "markdown", "html"}) {
      std::vector<std::string> args{"recommend"};
      args.insert(args.end(), w.begin(), w.end());
      args.insert(args.end(), {"--format", format, "--explain"});
      clean(run(args), args);
    }
    for (const char* format : {"json", "table"}) {
      std::vector<std::string> args{"estimate"};
      args.insert(args.end(), w.begin(), w.end());
      args.insert(args.end(), {"--instance", "p5.48xlarge", "--format", format});
      clean(run(args), args);
    }
    for (const char* format : {"json", "table", "markdown", "github", "html"}) {
      std::vector<std::string> args{"check"};
      args.insert(args.end(), w.begin(), w.end());
      args.insert(args.end(), {"--proposed", "c7i.large:100000", "--format", format});
      clean(run(args), args);
    }
  }
}

TEST_CASE("sweep: user catalog numbers at the ends of their ranges", "[cli][sweep]") {
  ScratchDir dir("sweep");
  struct Case {
    std::string section, id, field;
    std::vector<std::string> in_range, past;
  };
  const std::vector<Case> cases{
      {"instances", "aws-g5-xlarge", "price_usd_per_hour", {"1e-6", "1e6"}, {"0", "1e-320", "1e7", "-1"}},
      {"instances", "aws-g5-xlarge", "vcpus", {"0.01", "100000"}, {"0", "1e6"}},
      {"instances", "aws-g5-xlarge", "memory_gib", {"0.001", "1000000"}, {"0", "1e7"}},
      {"instances", "aws-g5-xlarge", "accelerator_count", {"1", "1024"}, {"1025", "4294967295", "2147483648", "1.5"}},
      {"instances", "aws-g5-xlarge", "network_gbps", {"0.001", "1000000"}, {"0", "1e300"}},
      {"hardware", "nvidia-a10g", "memory_gib", {"0.001", "1000000"}, {"0", "5e-324"}},
      {"hardware", "nvidia-a10g", "memory_bandwidth_gb_per_s", {"0.001", "1000000"}, {"0", "1e18"}},
      {"hardware", "intel-sapphire-rapids", "cores_per_socket", {"1", "100000"}, {"0", "100001"}},
  };
  for (const auto& c : cases) {
    for (const auto& value : c.in_range) {
      const std::string cat = dir.file("cat.json", "{\"" + c.section + "\": [{\"id\": \"" + c.id + "\", \"" + c.field + "\": " + value + "}]}");
      for (const std::vector<std::string>& args :
           {std::vector<std::string>{"--catalog", cat, "recommend", "--model", "llama-3.1-8b", "--qps", "2", "--format", "json"},
            std::vector<std::string>{"--catalog", cat, "estimate", "--model", "llama-3.1-8b", "--instance", "g5.xlarge", "--format", "json"},
            std::vector<std::string>{"--catalog", cat, "recommend", "--model", "resnet-50", "--phase", "training", "--format", "table"},
            std::vector<std::string>{"--catalog", cat, "check", "--model", "llama-3.1-8b", "--proposed", "g5.xlarge:3", "--format", "json"}}) {
        auto full = args;
        full.insert(full.begin(), {c.section + "/" + c.field + "=" + value});
        const auto r = run(args);
        if (r.code == aiadvise::cli::k_exit_invalid && r.err.find("unknown hardware") != std::string::npos) continue;
        clean(r, full);
      }
    }
    for (const auto& value : c.past) {
      const std::string cat = dir.file("cat.json", "{\"" + c.section + "\": [{\"id\": \"" + c.id + "\", \"" + c.field + "\": " + value + "}]}");
      const std::vector<std::string> args{"--catalog", cat, "recommend", "--model", "llama-3.1-8b", "--format", "json"};
      auto full = args;
      full.insert(full.begin(), {c.section + "/" + c.field + "=" + value});
      refused(run(args), full);
    }
  }
}

TEST_CASE("sweep: project counts, Terraform counts and check thresholds at their limits", "[cli][sweep]") {
  ScratchDir dir("sweep");
  for (const char* count : {"1", "100000"}) {
    const std::string project = dir.file("p.json", std::string(R"({"workloads": [{"name": "a", "workload": {"model": "llama-3.1-8b", "qps": 1},
      "proposed": {"instance": "g5.xlarge", "count": )") + count + "}}]}");
    for (const char* format : {"json", "table", "markdown", "github", "html"}) {
      const std::vector<std::string> args{"check", "--project", project, "--format", format};
      clean(run(args), args);
    }
  }
  const std::vector<std::pair<std::string, std::vector<std::string>>> thresholds{
      {"--max-cost-ratio", {"1", "1000"}}, {"--min-cost-difference", {"0", "1000000000"}}};
  for (const auto& [flag, values] : thresholds) {
    for (const auto& v : values) {
      const std::vector<std::string> args{"check", "--model", "llama-3.1-8b", "--proposed", "p5.48xlarge", flag, v, "--format", "json"};
      clean(run(args), args);
    }
    for (const char* v : {"nan", "-1", "1e400", "0x10"}) {
      const std::vector<std::string> args{"check", "--model", "llama-3.1-8b", "--proposed", "p5.48xlarge", flag, v};
      refused(run(args), args);
    }
  }
  for (const char* top : {"0", "100"}) {
    const std::vector<std::string> args{"recommend", "--model", "llama-3.1-8b", "--top", top, "--format", "json"};
    clean(run(args), args);
  }
  for (const char* count : {"1", "100000"}) {
    const std::vector<std::string> args{"estimate", "--model", "llama-2-70b", "--instance", "p5.48xlarge", "--count", count, "--format", "json"};
    clean(run(args), args);
  }
}
