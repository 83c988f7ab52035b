// --batch keeps the output text of a workload it has answered: a repeated line is written from it,
// byte for byte what computing it afresh writes, with its own line number and name.

#include <catch2/catch.hpp>

#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <map>
#include <sstream>

#include "aiadvise/cli/app.hpp"
#include "aiadvise/cli/exit_codes.hpp"
#include "aiadvise/render/json.hpp"
#include "support/helpers.hpp"
#include "cli/batch_cache.hpp"

using aiadvise::cli::run_captured;

namespace {

using TempFile = aiadvise::test::ScratchFile;

std::vector<std::string> text_lines(const std::string& out) {
  std::vector<std::string> lines;
  std::istringstream in(out);
  std::string line;
  while (std::getline(in, line)) lines.push_back(line);
  return lines;
}

// Line `number` of a stream, computed afresh: the line alone, after number - 1 blank lines (which
// count in line numbers but are skipped), in a run of its own.
std::string fresh(const std::string& command, const std::string& line, std::size_t number) {
  const TempFile f("fresh.jsonl", std::string(number - 1, '\n') + line + "\n");
  const auto r = run_captured({command, "--batch", f.path});
  INFO(r.err);
  const auto lines = text_lines(r.out);
  REQUIRE(lines.size() == 1);
  return lines.front();
}

// A stream of `input` lines through `command --batch`: its exit code and its output lines.
struct StreamRun {
  int code;
  std::vector<std::string> lines;
};
StreamRun run_stream(const std::string& command, const std::vector<std::string>& input) {
  std::string stream;
  for (const auto& l : input) stream += l + "\n";
  const TempFile f(command + ".jsonl", stream);
  const auto r = run_captured({command, "--batch", f.path});
  return StreamRun{r.code, text_lines(r.out)};
}

}  // namespace

TEST_CASE("batch: a repeated recommend workload is written as computing it afresh writes it", "[batch]") {
  const std::vector<std::string> input = {
      R"({"model":"llama-3.1-8b","qps":2})",
      R"({"model":"xgboost","qps":100})",
      R"({"model":"llama-3.1-8b","qps":2})",
      R"({ "qps": 2, "model": "llama-3.1-8b" })",  // the same workload, written differently
      R"({"model":"llama-3.1-8b","qps":3})",
      R"({"model":"xgboost","qps":100})",
      R"({"model":"nope"})",
      R"({"model":"nope"})",
  };
  const auto [code, lines] = run_stream("recommend", input);
  CHECK(code == aiadvise::cli::k_exit_invalid);
  REQUIRE(lines.size() == input.size());
  CHECK(lines[2] == lines[0]);
  CHECK(lines[3] == lines[0]);
  CHECK(lines[5] == lines[1]);
  CHECK(lines[4] != lines[0]);
  // Bad lines are reported each with its own number.
  CHECK(lines[6] != lines[7]);
  for (std::size_t k = 0; k < input.size(); ++k) {
    INFO("line " << k + 1);
    CHECK(lines[k] == fresh("recommend", input[k], k + 1));
  }
}

TEST_CASE("batch: a repeated check line keeps its own name and line number", "[batch][check]") {
  const std::string w = R"("workload":{"model":"xgboost","qps":50},"proposed":{"instance":"c7i.large"})";
  const std::string big = R"("workload":{"model":"llama-2-70b","precision":"fp16"},"proposed":{"instance":"g5.xlarge"})";
  const std::vector<std::string> input = {
      "{\"name\":\"a\"," + w + "}",
      "{\"name\":\"b\"," + w + "}",
      "{" + w + "}",  // unnamed: "line 3"
      "{\"name\":\"q\\\"uote \\u00e9\"," + w + "}",
      "{\"name\":\"a\"," + w + "}",
      "{\"name\":\"big\"," + big + "}",
      "{\"name\":\"big2\"," + big + "}",
      R"({"name":"c","workload":{"model":"xgboost","qps":50},"proposed":{"instance":"c7i.large","count":2}})",
  };
  const auto [code, lines] = run_stream("check", input);
  CHECK(code == aiadvise::cli::k_exit_findings);
  REQUIRE(lines.size() == input.size());
  CHECK(lines[1].find(R"("name":"b")") != std::string::npos);
  CHECK(lines[1].find(R"("line":2)") != std::string::npos);
  CHECK(lines[2].find(R"("name":"line 3")") != std::string::npos);
  CHECK(lines[2].find(R"("workload_name":"line 3")") != std::string::npos);
  for (std::size_t k = 0; k < input.size(); ++k) {
    INFO("line " << k + 1);
    CHECK(lines[k] == fresh("check", input[k], k + 1));
  }
  // A failing choice answered from what was kept still fails the run.
  const TempFile again("check-again.jsonl", "{\"name\":\"big\"," + big + "}\n{\"name\":\"big\"," + big + "}\n");
  CHECK(run_captured({"check", "--batch", again.path}).code == aiadvise::cli::k_exit_findings);
}

TEST_CASE("batch: an output template filled with a line's values is the line's text", "[batch]") {
  using aiadvise::util::Json;
  const Json line = {{"address", ""}, {"line", 12}, {"name", "n\"1"}, {"rest", {{"a", 1.5}, {"b", Json::array()}}}, {"workload_name", "n\"1"}};
  std::string whole;
  aiadvise::render::append_json(whole, line);
  const auto t = aiadvise::cli::output_template(line, {"line", "name", "workload_name"});
  CHECK(t.holes == std::vector<std::size_t>{0, 1, 2});
  std::string filled;
  t.fill(filled, {"12", "\"n\\\"1\"", "\"n\\\"1\""});
  CHECK(filled == whole);
}

TEST_CASE("batch: kept outputs are bounded in count and bytes, the least recently used dropped first", "[batch]") {
  aiadvise::cli::OutputCache cache(3, 1 << 20);
  const auto text = [](std::string s) {
    aiadvise::cli::OutputTemplate t;
    t.parts.push_back(std::move(s));
    return t;
  };
  cache.insert("a", text("A"));
  cache.insert("b", text("B"));
  cache.insert("c", text("C"));
  REQUIRE(cache.find("a") != nullptr);  // now the most recently used
  cache.insert("d", text("D"));
  CHECK(cache.size() == 3);
  CHECK(cache.find("b") == nullptr);
  CHECK(cache.find("a")->parts.front() == "A");
  CHECK(cache.find("c") != nullptr);
  CHECK(cache.find("d") != nullptr);

  aiadvise::cli::OutputCache small(100, 4096);
  for (int k = 0; k < 50; ++k) small.insert(std::to_string(k), text(std::string(1000, 'x')));
  CHECK(small.bytes() <= 4096);
  CHECK(small.size() < 4);
  CHECK(small.find("49") != nullptr);
  small.insert("huge", text(std::string(8192, 'x')));  // larger than the bound: not kept
  CHECK(small.find("huge") == nullptr);
  CHECK(small.bytes() <= 4096);
  small.clear();
  CHECK(small.size() == 0);
  CHECK(small.bytes() == 0);
}

TEST_CASE("batch: a line answers as it would alone, whatever lines come before or after it", "[batch][models]") {
  const std::string hf = std::string(AIADVISE_SOURCE_DIR) + "/tests/fixtures/hf/";
  // llama-3.1-8b from the catalog, and the same id read from files of other models: a line that
  // reads a model must not change what the others say.
  const std::string catalog_model = R"({"model":"llama-3.1-8b","qps":1})";
  const std::string gemma = R"({"model":"llama-3.1-8b","qps":1,"model_config":")" + hf + R"(google--gemma-2-9b"})";
  const std::string qwen = R"({"model":"llama-3.1-8b","qps":1,"model_config":")" + hf + R"(Qwen--Qwen3-8B"})";
  const std::string mine = R"({"model":"mine","qps":1,"model_config":")" + hf + R"(Qwen--Qwen3-8B"})";
  const std::string mine_alone = R"({"model":"mine","qps":1})";  // no catalog has "mine": an error alone
  std::vector<std::vector<std::string>> streams = {
      {catalog_model, gemma, catalog_model},
      {gemma, catalog_model, catalog_model},
      {catalog_model, catalog_model, gemma},
      {gemma, qwen, gemma, catalog_model, qwen, catalog_model},
      {mine, mine_alone, mine},
  };
  // More models from files than the catalogs kept for them: the first is read into a new one again.
  std::vector<std::string> many;
  for (const char* dir : {"google--gemma-2-9b", "Qwen--Qwen3-8B", "Qwen--Qwen2.5-7B", "google--gemma-3-1b-pt", "Qwen--Qwen3-30B-A3B",
                          "google--gemma-2-9b", "Qwen--Qwen2.5-7B"}) {
    many.push_back(R"({"model":"llama-3.1-8b","qps":1,"model_config":")" + hf + dir + R"("})");
  }
  many.push_back(catalog_model);
  streams.push_back(many);
  std::map<std::pair<std::string, std::size_t>, std::string> alone;
  for (std::size_t s = 0; s < streams.size(); ++s) {
    const auto& input = streams[s];
    const auto [code, lines] = run_stream("recommend", input);
    const bool bad = std::find(input.begin(), input.end(), mine_alone) != input.end();
    CHECK(code == (bad ? aiadvise::cli::k_exit_invalid : aiadvise::cli::k_exit_ok));
    REQUIRE(lines.size() == input.size());
    for (std::size_t k = 0; k < input.size(); ++k) {
      INFO("stream " << s + 1 << ", line " << k + 1 << ": " << input[k]);
      auto [it, fresh_one] = alone.try_emplace({input[k], k + 1});
      if (fresh_one) it->second = fresh("recommend", input[k], k + 1);
      CHECK(lines[k] == it->second);
    }
  }
}

TEST_CASE("batch: a model read from the Hugging Face cache is read again by each line that names it", "[batch][models]") {
  const aiadvise::test::ScratchDir home("hf");
  const std::filesystem::path snapshot = home.path / "hub" / "models--acme--Tiny-Moe" / "snapshots" / "abc123";
  std::filesystem::create_directories(snapshot);
  std::filesystem::copy_file(std::string(AIADVISE_SOURCE_DIR) + "/tests/fixtures/hf/mistralai--Mixtral-8x7B-v0.1/config.json",
                             snapshot / "config.json");
  ::setenv("HF_HOME", home.path.string().c_str(), 1);
  ::unsetenv("HF_HUB_CACHE");
  const std::string acme = R"({"model":"acme/Tiny-Moe","qps":1})";
  const std::vector<std::string> input = {acme, R"({"model":"llama-3.1-8b","qps":1})", acme, acme};
  const auto [code, lines] = run_stream("recommend", input);
  CHECK(code == aiadvise::cli::k_exit_ok);
  REQUIRE(lines.size() == input.size());
  const std::string first = fresh("recommend", acme, 1);
  CHECK(first.find("Hugging Face cache") != std::string::npos);
  CHECK(lines[0] == first);
  CHECK(lines[2] == first);
  CHECK(lines[3] == first);
  ::unsetenv("HF_HOME");
}
