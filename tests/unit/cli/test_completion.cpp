// `aiadvise completion`: scripts generated from the command-line definition and the catalog.

#include <catch2/catch.hpp>

#include <cstdio>
#include <cstdlib>
#include <fstream>

#include "aiadvise/cli/app.hpp"

using aiadvise::cli::run_captured;

TEST_CASE("completion: bash completes subcommands, flags, their values and catalog ids", "[cli][completion]") {
  const auto r = run_captured({"completion", "bash"});
  REQUIRE(r.code == 0);
  for (const char* expected : {"complete -F _aiadvise aiadvise", "recommend", "--tpot-ms", "llama-3.1-8b", "p4d.24xlarge",
                               "\"recommend|--format\") COMPREPLY=($(compgen -W \"table wide json markdown html\"",
                               "\"catalog list\") echo \"families models hardware gpus accelerators cpus instances services rules\"",
                               "fp32 tf32 fp16 bf16 fp8 int8 int4", "sagemaker-serverless"}) {
    INFO(expected);
    CHECK(r.out.find(expected) != std::string::npos);
  }
  // The script is valid bash.
  const std::string path = "aiadvise-test-completion.bash";
  std::ofstream(path) << r.out;
  CHECK(std::system(("bash -n " + path).c_str()) == 0);
  std::remove(path.c_str());
}

TEST_CASE("completion: zsh goes through bashcompinit; fish lists flags with their values", "[cli][completion]") {
  const auto zsh = run_captured({"completion", "zsh"});
  REQUIRE(zsh.code == 0);
  CHECK(zsh.out.rfind("#compdef aiadvise", 0) == 0);
  CHECK(zsh.out.find("bashcompinit") != std::string::npos);
  const auto fish = run_captured({"completion", "fish"});
  REQUIRE(fish.code == 0);
  CHECK(fish.out.find("complete -c aiadvise -n '__fish_use_subcommand' -a 'catalog recommend estimate check rules completion config help calibrate'") !=
        std::string::npos);
  CHECK(fish.out.find("-l model -x -a '") != std::string::npos);
  const auto bad = run_captured({"completion", "powershell"});
  CHECK(bad.code == 2);
  CHECK(bad.out.empty());
}

TEST_CASE("completion: bash really completes flags, values and catalog ids", "[cli][completion]") {
  const auto r = run_captured({"completion", "bash"});
  REQUIRE(r.code == 0);
  const std::string script = "aiadvise-test-completion-live.bash";
  std::ofstream(script) << r.out;
  // Drive the completion function the way bash does on Tab, and print what it offers.
  const std::string probe = "aiadvise-test-completion-probe.sh";
  std::ofstream(probe) << "source " << script << "\n"
                       << "t() { COMP_WORDS=(\"$@\"); COMP_CWORD=$((${#COMP_WORDS[@]} - 1)); _aiadvise; echo \"${COMPREPLY[*]}\"; }\n"
                       << "t aiadvise recommend --qp\n"
                       << "t aiadvise recommend --model llama-3.1-\n"
                       << "t aiadvise check --proposed p4d\n"
                       << "t aiadvise catalog list gp\n";
  const std::string out_file = "aiadvise-test-completion-out.txt";
  REQUIRE(std::system(("bash " + probe + " > " + out_file).c_str()) == 0);
  std::ifstream in(out_file);
  std::string qps, model, proposed, kind;
  std::getline(in, qps);
  std::getline(in, model);
  std::getline(in, proposed);
  std::getline(in, kind);
  CHECK(qps == "--qps");
  CHECK(model.find("llama-3.1-8b") != std::string::npos);
  CHECK(proposed.find("p4d.24xlarge") != std::string::npos);
  CHECK(kind == "gpus");
  for (const auto& f : {script, probe, out_file}) std::remove(f.c_str());
}
