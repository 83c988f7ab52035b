// Safetensors headers read from small files written here: an 8-byte little-endian header length,
// the JSON header, then the tensors' bytes (zeros; only the header is read).

#include <catch2/catch.hpp>

#include <chrono>
#include <cstdint>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>

#include "aiadvise/models/local.hpp"
#include "aiadvise/models/safetensors.hpp"
#include "aiadvise/util/diagnostics.hpp"

namespace fs = std::filesystem;
using aiadvise::models::count_safetensors_directory;

namespace {

struct TempDir {
  fs::path path;
  TempDir() {
    path = fs::temp_directory_path() / ("aiadvise-st-" + std::to_string(reinterpret_cast<std::uintptr_t>(this)) + "-" +
                                        std::to_string(std::chrono::steady_clock::now().time_since_epoch().count()));
    fs::create_directories(path);
  }
  ~TempDir() {
    std::error_code ec;
    fs::remove_all(path, ec);
  }
};

std::size_t bytes_of(const std::string& dtype) {
  if (dtype == "F32" || dtype == "I32") return 4;
  if (dtype == "BF16" || dtype == "F16") return 2;
  return 1;
}

/// Writes a safetensors file with these tensors (name, dtype, shape); returns its path.
fs::path write_safetensors(const fs::path& file, const std::vector<std::tuple<std::string, std::string, std::vector<std::uint64_t>>>& tensors,
                           const std::string& padding = "") {
  nlohmann::json header = nlohmann::json::object();
  header["__metadata__"] = {{"format", "pt"}};
  std::uint64_t offset = 0;
  for (const auto& [name, dtype, shape] : tensors) {
    std::uint64_t n = 1;
    for (auto d : shape) n *= d;
    const std::uint64_t size = n * bytes_of(dtype);
    header[name] = {{"dtype", dtype}, {"shape", shape}, {"data_offsets", {offset, offset + size}}};
    offset += size;
  }
  const std::string text = header.dump() + padding;
  std::ofstream out(file, std::ios::binary);
  const std::uint64_t length = text.size();
  for (int k = 0; k < 8; ++k) out.put(static_cast<char>((length >> (8 * k)) & 0xFF));
  out << text;
  out << std::string(offset, '\0');
  return file;
}

}  // namespace

TEST_CASE("models: safetensors headers give exact counts and dtypes without the weights", "[models]") {
  TempDir dir;
  write_safetensors(dir.path / "model-00001-of-00002.safetensors",
                    {{"model.embed_tokens.weight", "BF16", {32, 16}}, {"model.layers.0.mlp.up_proj.weight", "BF16", {64, 16}}}, "    ");
  write_safetensors(dir.path / "model-00002-of-00002.safetensors",
                    {{"model.norm.weight", "F32", {16}}, {"lm_head.weight", "BF16", {32, 16}}});
  const auto count = count_safetensors_directory(dir.path);
  CHECK(count.files == 2);
  CHECK(count.tensors == 4);
  CHECK(count.params == 32 * 16 + 64 * 16 + 16 + 32 * 16);
  CHECK(count.by_dtype.at("BF16") == 32 * 16 + 64 * 16 + 32 * 16);
  CHECK(count.by_dtype.at("F32") == 16);
  CHECK(count.main_dtype() == "BF16");
}

TEST_CASE("models: quantisation scales and extra prediction layers are not parameters, and MXFP4 blocks hold two each", "[models]") {
  TempDir dir;
  write_safetensors(dir.path / "model.safetensors",
                    {{"model.layers.0.mlp.down_proj.weight", "F8_E4M3", {8, 8}},
                     {"model.layers.0.mlp.down_proj.weight_scale_inv", "F32", {1, 1}},
                     {"model.layers.1.self_attn.o_proj.weight", "BF16", {8, 8}},
                     {"model.layers.0.mlp.experts.gate_up_proj_blocks", "U8", {4, 8}},
                     {"model.layers.0.mlp.experts.gate_up_proj_scales", "U8", {4, 1}}});
  aiadvise::models::CountOptions options;
  options.first_extra_layer = 1;  // layer 1 is a multi-token-prediction layer
  options.mxfp4_blocks = true;
  const auto count = count_safetensors_directory(dir.path, options);
  CHECK(count.params == 64 + 2 * 32);
  CHECK(count.skipped_tensors == 3);
}

TEST_CASE("models: a damaged safetensors file is an error naming it", "[models]") {
  TempDir dir;
  {
    std::ofstream out(dir.path / "short.safetensors", std::ios::binary);
    out << "abc";
  }
  CHECK_THROWS_AS(count_safetensors_directory(dir.path), aiadvise::util::InputError);
  fs::remove(dir.path / "short.safetensors");
  {
    // A header length far beyond the file.
    std::ofstream out(dir.path / "huge.safetensors", std::ios::binary);
    const std::uint64_t length = 1ull << 40;
    for (int k = 0; k < 8; ++k) out.put(static_cast<char>((length >> (8 * k)) & 0xFF));
    out << "{}";
  }
  try {
    count_safetensors_directory(dir.path);
    FAIL("expected an InputError");
  } catch (const aiadvise::util::InputError& e) {
    CHECK(e.diagnostics().at(0).file.find("huge.safetensors") != std::string::npos);
  }
  fs::remove(dir.path / "huge.safetensors");
  {
    // A byte range that does not match dtype x shape.
    std::ofstream out(dir.path / "bad.safetensors", std::ios::binary);
    const std::string text = R"({"w":{"dtype":"BF16","shape":[4,4],"data_offsets":[0,16]}})";
    const std::uint64_t length = text.size();
    for (int k = 0; k < 8; ++k) out.put(static_cast<char>((length >> (8 * k)) & 0xFF));
    out << text << std::string(16, '\0');
  }
  try {
    count_safetensors_directory(dir.path);
    FAIL("expected an InputError");
  } catch (const aiadvise::util::InputError& e) {
    CHECK(e.diagnostics().at(0).message.find("should take 32 bytes") != std::string::npos);
  }
}

TEST_CASE("models: a model directory takes its count and dtype from the safetensors, its shape from config.json", "[models]") {
  TempDir dir;
  const fs::path model = dir.path / "tiny-llama";
  fs::create_directories(model);
  {
    std::ofstream cfg(model / "config.json");
    cfg << R"({"architectures": ["LlamaForCausalLM"], "model_type": "llama", "vocab_size": 32, "hidden_size": 16,
      "num_hidden_layers": 1, "num_attention_heads": 2, "num_key_value_heads": 1, "intermediate_size": 64,
      "tie_word_embeddings": false, "torch_dtype": "float32"})";
  }
  write_safetensors(model / "model.safetensors", {{"model.embed_tokens.weight", "F16", {32, 16}}, {"lm_head.weight", "F16", {32, 16}},
                                                  {"model.layers.0.self_attn.q_proj.weight", "F16", {16, 16}}});
  const auto local = aiadvise::models::read_local_model(model.string(), "", {});
  CHECK(local.model.id == "tiny-llama");
  CHECK(local.model.family == "llm-decoder");
  CHECK(*local.model.params == 32 * 16 * 2 + 16 * 16);
  CHECK(local.model.default_precision == aiadvise::catalog::Precision::fp16);  // the weights, not torch_dtype
  CHECK(local.model.architecture.layers == 1);
  REQUIRE_FALSE(local.assumed.empty());
  CHECK(local.assumed.front().find("from the headers of 1 safetensors file(s)") != std::string::npos);
}

TEST_CASE("models: the Hugging Face cache layout is found under HF_HOME", "[models]") {
  TempDir dir;
  const fs::path snapshot = dir.path / "hub" / "models--acme--Tiny-7B" / "snapshots" / "0123abcd";
  fs::create_directories(snapshot);
  fs::create_directories(dir.path / "hub" / "models--acme--Tiny-7B" / "refs");
  std::ofstream(snapshot / "config.json") << "{}";
  std::ofstream(dir.path / "hub" / "models--acme--Tiny-7B" / "refs" / "main") << "0123abcd";
  ::setenv("HF_HOME", dir.path.string().c_str(), 1);
  ::unsetenv("HF_HUB_CACHE");
  const auto found = aiadvise::models::find_in_hf_cache("acme/Tiny-7B");
  REQUIRE(found.has_value());
  CHECK(*found == snapshot);
  CHECK_FALSE(aiadvise::models::find_in_hf_cache("acme/Other").has_value());
  CHECK_FALSE(aiadvise::models::find_in_hf_cache("../etc").has_value());
  ::unsetenv("HF_HOME");
}
