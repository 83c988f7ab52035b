// The nesting ceiling (issue 16): --max-depth cannot be raised past util::k_max_depth_ceiling, and
// at that ceiling every reader (workload, catalog, project, Terraform plan, JSON Lines) runs to its
// end in a quarter of the default stack. Nothing that walks a value (nlohmann_json copies and
// prints recursively) can then reach the stack's end. Run under the sanitizer build too, whose
// frames are larger.

#include <catch2/catch.hpp>

#include <pthread.h>

#include <filesystem>
#include <fstream>
#include <functional>
#include <string>

#include "aiadvise/cli/app.hpp"
#include "aiadvise/cli/exit_codes.hpp"
#include "aiadvise/util/json_document.hpp"
#include "support/helpers.hpp"

namespace fs = std::filesystem;
using aiadvise::cli::RunResult;
using aiadvise::cli::run_captured;
using aiadvise::util::k_max_depth_ceiling;

namespace {

// Runs `work` on a thread with a stack of `bytes` (the default is 8 MiB).
void on_small_stack(std::size_t bytes, const std::function<void()>& work) {
  pthread_attr_t attr;
  REQUIRE(pthread_attr_init(&attr) == 0);
  REQUIRE(pthread_attr_setstacksize(&attr, bytes) == 0);
  pthread_t thread;
  auto* task = new std::function<void()>(work);
  REQUIRE(pthread_create(
              &thread, &attr,
              [](void* p) -> void* {
                auto* f = static_cast<std::function<void()>*>(p);
                (*f)();
                delete f;
                return nullptr;
              },
              task) == 0);
  pthread_join(thread, nullptr);
  pthread_attr_destroy(&attr);
}

// A value nested `depth` levels: arrays and objects alternating, innermost a number.
std::string nested(std::size_t depth) {
  std::string open, close;
  for (std::size_t i = 0; i < depth; ++i) {
    if (i % 2 == 0) {
      open += "[";
      close = "]" + close;
    } else {
      open += "{\"k\":";
      close = "}" + close;
    }
  }
  return open + "1" + close;
}

using aiadvise::test::ScratchDir;

}  // namespace

TEST_CASE("depth: --max-depth has a ceiling", "[cli][depth]") {
  const auto r = run_captured({"--no-config", "--max-depth", std::to_string(k_max_depth_ceiling + 1), "rules", "list"});
  CHECK(r.code == aiadvise::cli::k_exit_invalid);
  CHECK(r.err.find("--max-depth: expected a whole number from 1 to 1000") != std::string::npos);
  CHECK(run_captured({"--no-config", "--max-depth", std::to_string(k_max_depth_ceiling), "rules", "list"}).code == aiadvise::cli::k_exit_ok);
}

TEST_CASE("depth: every reader survives input nested to the ceiling on a quarter of the stack", "[cli][depth]") {
  ScratchDir dir("depth");
  const std::string depth = std::to_string(k_max_depth_ceiling);
  // The deep value sits one level down in each input, so the document is exactly at the ceiling.
  const std::string deep = nested(k_max_depth_ceiling - 1);
  const std::string workload = dir.file("w.json", R"({"model": "llama-3.1-8b", "deep": )" + deep + "}");
  const std::string catalog = dir.file("c.json", R"({"instances": )" + deep + "}");
  const std::string project = dir.file("p.json", R"({"workloads": )" + deep + "}");
  const std::string plan = dir.file("plan.json", R"({"format_version": "1.2", "planned_values": )" + deep + "}");
  const std::string lines = dir.file("l.jsonl", R"({"model": "llama-3.1-8b", "deep": )" + deep + "}\n");
  const std::string too_deep = dir.file("d.json", R"({"model": "llama-3.1-8b", "deep": )" + nested(k_max_depth_ceiling) + "}");

  std::vector<RunResult> results(7);
  on_small_stack(2u << 20, [&] {
    results[0] = run_captured({"--no-config", "--max-depth", depth, "recommend", "--workload", workload, "--format", "json"});
    results[1] = run_captured({"--no-config", "--max-depth", depth, "--catalog", catalog, "catalog", "validate"});
    results[2] = run_captured({"--no-config", "--max-depth", depth, "check", "--project", project, "--format", "json"});
    results[3] = run_captured({"--no-config", "--max-depth", depth, "check", "--terraform-plan", plan, "--project", project});
    results[4] = run_captured({"--no-config", "--max-depth", depth, "recommend", "--batch", lines});
    results[5] = run_captured({"--no-config", "--max-depth", depth, "check", "--batch", lines});
    results[6] = run_captured({"--no-config", "--max-depth", depth, "recommend", "--workload", too_deep});
  });
  for (std::size_t i = 0; i < results.size(); ++i) {
    INFO("run " << i << ": " << results[i].err.substr(0, 400));
    // Each is bad input (an unknown field, the wrong shape), reported as such: never a crash, never exit 3.
    CHECK(results[i].code == aiadvise::cli::k_exit_invalid);
  }
  CHECK(results[0].err.find("/deep: unknown field 'deep'") != std::string::npos);
  CHECK(results[6].err.find("nesting deeper than the cap of 1000 levels") != std::string::npos);
}
