// Each family's model against what practitioners know: the cases live in
// tests/fixtures/sizing/<family>.json, each with the source of its expectation (README there).

#include <catch2/catch.hpp>

#include <fstream>
#include <sstream>
#include <string>

#include <nlohmann/json.hpp>

#include "aiadvise/report/json.hpp"
#include "aiadvise/sizing/sizing.hpp"
#include "aiadvise/util/diagnostics.hpp"
#include "aiadvise/workload/workload.hpp"
#include "support/helpers.hpp"

using aiadvise::test::default_catalog;
using nlohmann::json;

namespace {

const std::string k_dir = std::string(AIADVISE_SOURCE_DIR) + "/tests/fixtures/sizing/";

json read_fixture(const std::string& name) {
  std::ifstream in(k_dir + name);
  REQUIRE(in.good());
  std::stringstream text;
  text << in.rdbuf();
  return json::parse(text.str());
}

// The value at a dotted path ("latency_parts.first_ms"), or null.
json at_path(const json& doc, const std::string& path) {
  const json* node = &doc;
  std::size_t start = 0;
  while (start <= path.size()) {
    const std::size_t dot = path.find('.', start);
    const std::string key = path.substr(start, dot == std::string::npos ? std::string::npos : dot - start);
    if (!node->is_object() || !node->contains(key)) return nullptr;
    node = &(*node)[key];
    if (dot == std::string::npos) break;
    start = dot + 1;
  }
  return *node;
}

void expect(const json& doc, const json& expectations) {
  for (const auto& [path, want] : expectations.items()) {
    const json got = at_path(doc, path);
    INFO(path << ": got " << got.dump() << ", expected " << want.dump());
    if (!want.is_object()) {
      CHECK(got == want);
      continue;
    }
    if (want.contains("absent")) {
      CHECK(got.is_null());
      continue;
    }
    if (want.contains("contains")) {
      const std::string part = want["contains"].get<std::string>();
      bool found = false;
      if (got.is_array()) {
        for (const auto& item : got) found = found || (item.is_string() && item.get<std::string>().find(part) != std::string::npos);
      } else if (got.is_string()) {
        found = got.get<std::string>().find(part) != std::string::npos;
      }
      CHECK(found);
    }
    if (want.contains("min") || want.contains("max")) {
      REQUIRE(got.is_number());
      if (want.contains("min")) CHECK(got.get<double>() >= want["min"].get<double>());
      if (want.contains("max")) CHECK(got.get<double>() <= want["max"].get<double>());
    }
  }
}

void run_family(const std::string& file) {
  const json fixture = read_fixture(file);
  const auto& c = default_catalog();
  REQUIRE_FALSE(fixture.at("cases").empty());
  for (const auto& k : fixture.at("cases")) {
    INFO(file << ": " << k.at("name").get<std::string>() << " (" << k.at("source").get<std::string>() << ")");
    std::vector<aiadvise::util::Diagnostic> diagnostics;
    const auto doc = aiadvise::util::JsonDocument::parse(file, k.at("workload").dump(), {}, diagnostics);
    REQUIRE(doc.ok());
    const auto w = aiadvise::workload::normalise(&doc, {}, c);
    const auto r = aiadvise::sizing::requirements(w, c);
    const auto* instance = c.instance(k.at("instance").get<std::string>());
    REQUIRE(instance != nullptr);
    aiadvise::sizing::EstimateOptions options;
    options.count = k.value("count", 0);
    const json est = aiadvise::report::estimate_json(aiadvise::sizing::estimate(w, r, c, *instance, options), c);
    expect(est, k.at("expect"));
    if (k.contains("expect_requirements")) expect(aiadvise::report::requirements_json(r), k.at("expect_requirements"));
  }
}

}  // namespace

TEST_CASE("families: LLM decoders (QLoRA on one GPU, fp8 batches, latency parts, overload, tensor parallelism)", "[sizing][families]") {
  run_family("llm-decoder.json");
}

TEST_CASE("families: diffusion (full fine-tune on 24 GB, SDXL seconds per image)", "[sizing][families]") {
  run_family("diffusion.json");
}

TEST_CASE("families: GANs (StyleGAN2's official batch fits, fp32-rate arithmetic)", "[sizing][families]") { run_family("gan.json"); }

TEST_CASE("families: CNNs and dense networks (U-Net on one GPU, ResNet-50 epoch on 8 A100s)", "[sizing][families]") {
  run_family("dense.json");
}

TEST_CASE("families: RNNs (WMT14 LSTM takes days, DeepAR without --params)", "[sizing][families]") { run_family("rnn.json"); }

TEST_CASE("families: transformer encoders (CLIP image tower, Whisper's 1,500 positions, BERT pre-training)", "[sizing][families]") {
  run_family("transformer-encoder.json");
}

TEST_CASE("families: classical ML (XGBoost memory, a 2-vCPU endpoint's real capacity)", "[sizing][families]") {
  run_family("classical.json");
}
