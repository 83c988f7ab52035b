// Models from files and names, as a user gives them: --model-config, the Hugging Face cache,
// Hugging Face names, and what an unknown model's error says.

#include <catch2/catch.hpp>

#include <chrono>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>

#include "aiadvise/cli/app.hpp"
#include "aiadvise/cli/exit_codes.hpp"

using aiadvise::cli::run_captured;
namespace fs = std::filesystem;

namespace {

const std::string k_hf = std::string(AIADVISE_SOURCE_DIR) + "/tests/fixtures/hf/";

nlohmann::json json_of(const std::vector<std::string>& args) {
  const auto r = run_captured(args);
  INFO(r.err);
  REQUIRE(r.code == 0);
  return nlohmann::json::parse(r.out);
}

}  // namespace

TEST_CASE("cli: --model-config sizes a model from its config.json, and the workload reproduces it", "[cli][models]") {
  const std::string config = k_hf + "Qwen--Qwen3-8B/config.json";
  const auto doc = json_of({"estimate", "--model-config", config, "--instance", "g6e.xlarge", "--qps", "1"});
  const auto& w = doc.at("workload");
  CHECK(w.at("model") == "Qwen--Qwen3-8B");
  CHECK(w.at("model_config") == config);
  CHECK(w.at("family") == "llm-decoder");
  CHECK(w.at("params").get<double>() == 8190735360.0);
  CHECK(w.at("precision") == "bf16");
  bool said = false;
  for (const auto& a : w.at("assumed")) said = said || a.get<std::string>().find("described by " + config) != std::string::npos;
  CHECK(said);
  // KV cache from the config's 8 KV heads of 128: 2 x 36 x 8 x 128 x 2 bytes.
  CHECK(doc.at("estimate").at("kv_cache_bytes_per_token").get<double>() == 147456.0);

  // The workload, fed back, gives the same answer.
  const fs::path file = fs::temp_directory_path() / ("aiadvise-w-" + std::to_string(std::chrono::steady_clock::now().time_since_epoch().count()) + ".json");
  std::ofstream(file) << w.dump();
  const auto again = json_of({"estimate", "--workload", file.string(), "--instance", "g6e.xlarge"});
  CHECK(again == doc);
  fs::remove(file);

  // --model names it; an MoE config is an llm-moe with active parameters.
  const auto moe = json_of({"recommend", "--model", "my-moe", "--model-config", k_hf + "Qwen--Qwen3-30B-A3B", "--qps", "1"});
  CHECK(moe.at("workload").at("model") == "my-moe");
  CHECK(moe.at("workload").at("family") == "llm-moe");
  CHECK(moe.at("workload").contains("active_params"));
}

TEST_CASE("cli: --model ORG/NAME is read from the Hugging Face cache when the catalog does not have it", "[cli][models]") {
  const fs::path home = fs::temp_directory_path() / ("aiadvise-hf-" + std::to_string(std::chrono::steady_clock::now().time_since_epoch().count()));
  const fs::path snapshot = home / "hub" / "models--acme--Tiny-Moe" / "snapshots" / "abc123";
  fs::create_directories(snapshot);
  fs::copy_file(k_hf + "mistralai--Mixtral-8x7B-v0.1/config.json", snapshot / "config.json");
  ::setenv("HF_HOME", home.string().c_str(), 1);
  ::unsetenv("HF_HUB_CACHE");
  const auto doc = json_of({"estimate", "--model", "acme/Tiny-Moe"});
  CHECK(doc.at("workload").at("model") == "acme/Tiny-Moe");
  CHECK(doc.at("workload").at("params").get<double>() == 46702792704.0);
  bool said = false;
  for (const auto& a : doc.at("workload").at("assumed")) said = said || a.get<std::string>().find("Hugging Face cache") != std::string::npos;
  CHECK(said);
  // Not in the cache: the error says where it looked and the ways forward.
  const auto missing = run_captured({"estimate", "--model", "acme/Other-7B"});
  CHECK(missing.code == aiadvise::cli::k_exit_invalid);
  CHECK(missing.err.find((home / "hub").string()) != std::string::npos);
  CHECK(missing.err.find("--family llm-decoder --params 7B") != std::string::npos);
  ::unsetenv("HF_HOME");
  fs::remove_all(home);
}

TEST_CASE("cli: Hugging Face names and any case answer from the catalog, and say so", "[cli][models]") {
  const auto doc = json_of({"estimate", "--model", "meta-llama/Llama-3.1-8B-Instruct"});
  CHECK(doc.at("workload").at("model") == "llama-3.1-8b");
  bool said = false;
  for (const auto& a : doc.at("workload").at("assumed")) said = said || a.get<std::string>().find("meta-llama/Llama-3.1-8B-Instruct") != std::string::npos;
  CHECK(said);
  CHECK(json_of({"estimate", "--model", "LLAMA-3.1-8B"}).at("workload").at("model") == "llama-3.1-8b");
  CHECK(json_of({"estimate", "--model", "Qwen/Qwen3-30B-A3B-Instruct-2507"}).at("workload").at("model") == "qwen3-30b-a3b");
}

TEST_CASE("cli: an unknown model or family shows the ways forward", "[cli][models]") {
  const auto r = run_captured({"recommend", "--model", "gemma-4-9b", "--qps", "1"});
  CHECK(r.code == aiadvise::cli::k_exit_invalid);
  CHECK(r.out.empty());
  CHECK(r.err.find("unknown model 'gemma-4-9b'") != std::string::npos);
  CHECK(r.err.find("did you mean") == std::string::npos);
  CHECK(r.err.find("not this one") != std::string::npos);
  CHECK(r.err.find("--family llm-decoder --params 9B") != std::string::npos);
  CHECK(r.err.find("--model-config PATH") != std::string::npos);
  CHECK(r.err.find("--catalog FILE") != std::string::npos);
  const auto family = run_captured({"recommend", "--family", "llm", "--params", "7B"});
  CHECK(family.err.find("did you mean llm-decoder or llm-moe?") != std::string::npos);
  const auto typo = run_captured({"recommend", "--model", "phi-3-minni"});
  CHECK(typo.err.find("did you mean 'phi-3-mini'?") != std::string::npos);
}
