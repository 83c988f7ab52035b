// Model and family names as people write them.

#include <catch2/catch.hpp>

#include "aiadvise/models/names.hpp"
#include "support/helpers.hpp"

using aiadvise::models::match_catalog_model;

namespace {

aiadvise::catalog::Catalog small_catalog() {
  aiadvise::catalog::Catalog c;
  auto model = [](std::string id, std::string source) {
    aiadvise::catalog::Model m;
    m.id = std::move(id);
    m.name = m.id;
    m.family = "llm-decoder";
    m.provenance.source = std::move(source);
    return m;
  };
  c.models = {model("gemma-7b", "https://huggingface.co/google/gemma-7b/blob/main/config.json"),
              model("gpt-2", "https://huggingface.co/openai-community/gpt2/blob/main/config.json"),
              model("llama-3.1-8b", "https://huggingface.co/meta-llama/Llama-3.1-8B/blob/main/config.json ; https://huggingface.co/meta-llama/Llama-3.1-8B"),
              model("phi-3-mini", "https://huggingface.co/microsoft/Phi-3-mini-4k-instruct/blob/main/config.json")};
  aiadvise::catalog::Family f;
  f.id = "llm-decoder";
  aiadvise::catalog::Family moe = f;
  moe.id = "llm-moe";
  aiadvise::catalog::Family cnn = f;
  cnn.id = "cnn";
  c.families = {cnn, f, moe};
  c.index();
  return c;
}

}  // namespace

TEST_CASE("models: Hugging Face names and any case map to catalog ids", "[models]") {
  const auto c = small_catalog();
  for (const char* name : {"llama-3.1-8b", "Llama-3.1-8B", "meta-llama/Llama-3.1-8B-Instruct", "meta-llama/Meta-Llama-3.1-8B-Instruct",
                           "meta-llama/Llama-3.1-8B"}) {
    INFO(name);
    const auto m = match_catalog_model(name, c);
    REQUIRE(m.has_value());
    CHECK(m->id == "llama-3.1-8b");
  }
  CHECK(match_catalog_model("meta-llama/Llama-3.1-8B-Instruct", c)->how.find("fine-tuned variant") != std::string::npos);
  CHECK(match_catalog_model("llama-3.1-8b", c)->how.empty());
  CHECK(match_catalog_model("openai-community/gpt2", c)->id == "gpt-2");
  CHECK(match_catalog_model("GPT2", c)->id == "gpt-2");
  CHECK(match_catalog_model("microsoft/Phi-3-mini-4k-instruct", c)->id == "phi-3-mini");
  // Another version or size is another model.
  CHECK_FALSE(match_catalog_model("meta-llama/Llama-3.1-70B-Instruct", c).has_value());
  CHECK_FALSE(match_catalog_model("google/gemma-2-9b", c).has_value());
}

TEST_CASE("models: an unknown model never suggests another version or size as a typo, and shows the ways forward", "[models]") {
  const auto c = small_catalog();
  const std::string gemma = aiadvise::models::unknown_model_message("gemma-2-9b", c, "/cache");
  CHECK(gemma.find("did you mean") == std::string::npos);
  CHECK(gemma.find("other versions or sizes, not this one: gemma-7b") != std::string::npos);
  CHECK(gemma.find("--family llm-decoder --params 9B") != std::string::npos);
  CHECK(gemma.find("--model-config PATH") != std::string::npos);
  CHECK(gemma.find("user catalog") != std::string::npos);
  // A typo with the same version and size is suggested.
  CHECK(aiadvise::models::unknown_model_message("lama-3.1-8b", c, "/cache").find("did you mean 'llama-3.1-8b'?") != std::string::npos);
  // A Hugging Face name points at the cache; an MoE name gives both sizes.
  const std::string moe = aiadvise::models::unknown_model_message("Qwen/Qwen3-30B-A3B", c, "/cache");
  CHECK(moe.find("--family llm-moe --params 30B --active-params 3B") != std::string::npos);
  CHECK(moe.find("Hugging Face cache (/cache)") != std::string::npos);
}

TEST_CASE("models: --family llm suggests the LLM families", "[models]") {
  const auto c = small_catalog();
  CHECK(aiadvise::models::unknown_family_message("llm", c) == "unknown family 'llm' (did you mean llm-decoder or llm-moe?)");
  CHECK(aiadvise::models::unknown_family_message("llm-decodr", c).find("did you mean 'llm-decoder'?") != std::string::npos);
}

TEST_CASE("models: every catalog model with a Hugging Face source is found by its repo id", "[models]") {
  const auto& c = aiadvise::test::default_catalog();
  std::size_t checked = 0;
  for (const auto& m : c.models) {
    const auto at = m.provenance.source.find("huggingface.co/");
    if (at == std::string::npos) continue;
    std::string repo = m.provenance.source.substr(at + 15);
    const auto end = repo.find('/', repo.find('/') + 1);
    repo = repo.substr(0, std::min(end, repo.find_first_of(" ;,")));
    if (repo.rfind("datasets/", 0) == 0 || repo.find('/') == std::string::npos) continue;
    INFO(m.id << " from " << repo);
    const auto match = match_catalog_model(repo, c);
    REQUIRE(match.has_value());
    CHECK(match->id == m.id);
    ++checked;
  }
  CHECK(checked >= 10);
}
