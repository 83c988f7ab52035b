// --batch: JSON Lines in, one JSON result per line out, in order; bad lines become error objects
// and the run goes on; exit 2 when any line was bad.

#include <catch2/catch.hpp>

#include <cstdio>
#include <fstream>
#include <nlohmann/json.hpp>
#include <sstream>

#include "aiadvise/cli/app.hpp"
#include "aiadvise/cli/exit_codes.hpp"
#include "support/helpers.hpp"

using aiadvise::cli::run_captured;
using nlohmann::json;

namespace {

using TempFile = aiadvise::test::ScratchFile;

std::vector<json> lines_of(const std::string& out) {
  std::vector<json> lines;
  std::istringstream in(out);
  std::string line;
  while (std::getline(in, line)) lines.push_back(json::parse(line));
  return lines;
}

}  // namespace

TEST_CASE("batch: one report per line, in order, CRLF and a last line without newline accepted", "[batch]") {
  const TempFile f("ok.jsonl", "{\"model\":\"llama-3.1-8b\",\"qps\":2}\r\n\n{\"model\":\"xgboost\",\"qps\":50}\n{\"model\":\"resnet-50\",\"qps\":5}");
  const auto r = run_captured({"recommend", "--batch", f.path});
  INFO(r.err);
  CHECK(r.code == aiadvise::cli::k_exit_ok);
  const auto lines = lines_of(r.out);
  REQUIRE(lines.size() == 3);
  CHECK(lines[0].at("workload").at("model") == "llama-3.1-8b");
  CHECK(lines[1].at("workload").at("model") == "xgboost");
  CHECK(lines[2].at("workload").at("model") == "resnet-50");
  for (const auto& l : lines) CHECK(l.at("verdict") == "ok");
}

TEST_CASE("batch: a bad line yields an error object with its line number and the run goes on", "[batch]") {
  const TempFile f("bad.jsonl", "{\"model\":\"llama-3.1-8b\"}\n{\"model\":\"nope\"}\n[1,2\n{\"model\":\"bert-base\",\"qps\":\"12\"}\n{\"model\":\"xgboost\"}\n");
  const auto r = run_captured({"recommend", "--batch", f.path});
  CHECK(r.code == aiadvise::cli::k_exit_invalid);
  const auto lines = lines_of(r.out);
  REQUIRE(lines.size() == 5);
  CHECK(lines[0].contains("verdict"));
  CHECK(lines[1].at("line") == 2);
  CHECK(lines[1].at("error").at(0).at("pointer") == "/model");
  CHECK(lines[2].at("line") == 3);
  CHECK(lines[2].at("error").at(0).at("message").get<std::string>().find("invalid JSON") == 0);
  CHECK(lines[3].at("error").at(0).at("message").get<std::string>().find("expected a number from 1e-06 to 10000000, got \"12\"") != std::string::npos);
  CHECK(lines[4].contains("verdict"));
  // Each bad line is also reported on stderr with the stream's line number.
  CHECK(r.err.find(f.path + ":2:") != std::string::npos);
  CHECK(r.err.find(f.path + ":3:") != std::string::npos);
}

TEST_CASE("batch: a stream truncated at every byte offset never crashes and answers every complete line", "[batch]") {
  const std::string stream = "{\"model\":\"xgboost\",\"qps\":5}\n{\"model\":\"mobilenet-v2\",\"qps\":1}\n";
  for (std::size_t cut = 0; cut <= stream.size(); cut += 3) {
    const TempFile f("cut.jsonl", stream.substr(0, cut));
    const auto r = run_captured({"recommend", "--batch", f.path});
    INFO("cut at " << cut << "\n" << r.err);
    CHECK((r.code == aiadvise::cli::k_exit_ok || r.code == aiadvise::cli::k_exit_invalid));
    const auto lines = lines_of(r.out);
    const std::size_t complete = cut >= stream.find('\n') + 1 ? (cut == stream.size() ? 2 : 1) : 0;
    CHECK(lines.size() >= complete);
  }
}

TEST_CASE("batch: lines longer than the cap are reported without being held in memory", "[batch]") {
  const TempFile f("long.jsonl", "{\"model\":\"xgboost\",\"qps\":5,\"region\":\"" + std::string(5000, 'x') + "\"}\n{\"model\":\"xgboost\"}\n");
  const auto r = run_captured({"--max-line-bytes", "1000", "recommend", "--batch", f.path});
  CHECK(r.code == aiadvise::cli::k_exit_invalid);
  const auto lines = lines_of(r.out);
  REQUIRE(lines.size() == 2);
  CHECK(lines[0].at("error").at(0).at("message").get<std::string>().find("longer than the cap of 1000 bytes") != std::string::npos);
  CHECK(lines[1].contains("verdict"));
}

TEST_CASE("batch: check --batch gives one verdict per line and exit 1 on a failing choice", "[batch][check]") {
  const TempFile f("check.jsonl",
                   "{\"name\":\"big\",\"workload\":{\"model\":\"llama-2-70b\",\"precision\":\"fp16\"},\"proposed\":{\"instance\":\"g5.xlarge\"}}\n"
                   "{\"workload\":{\"model\":\"xgboost\",\"qps\":50},\"proposed\":{\"instance\":\"c7i.large\"}}\n");
  const auto r = run_captured({"check", "--batch", f.path});
  CHECK(r.code == aiadvise::cli::k_exit_findings);
  const auto lines = lines_of(r.out);
  REQUIRE(lines.size() == 2);
  CHECK(lines[0].at("name") == "big");
  CHECK(lines[0].at("verdict") == "fail");
  CHECK(lines[1].at("name") == "line 2");
  CHECK(lines[1].at("line") == 2);
  const TempFile missing("check-missing.jsonl", "{\"workload\":{\"model\":\"xgboost\"}}\n");
  const auto bad = run_captured({"check", "--batch", missing.path});
  CHECK(bad.code == aiadvise::cli::k_exit_invalid);
  CHECK(lines_of(bad.out).at(0).at("error").at(0).at("message").get<std::string>().find("proposed") != std::string::npos);
}

// A batch line gives its own workload and proposed choice, and every result is a JSON line: a flag
// that would have chosen them, or another output format, is refused (exit 2, nothing written)
// rather than ignored. A check run in CI with --terraform-plan and --batch must not pass a plan it
// never read.
TEST_CASE("batch: flags a batch would ignore are refused, not ignored", "[batch][check]") {
  const TempFile f("check-flags.jsonl",
                   "{\"workload\":{\"model\":\"xgboost\",\"qps\":50},\"proposed\":{\"instance\":\"c7i.large\"}}\n");
  const std::vector<std::pair<std::vector<std::string>, std::string>> refused{
      {{"--terraform-plan", "plan.json"}, "--terraform-plan would be ignored"},
      {{"--proposed", "g5.xlarge"}, "--proposed would be ignored"},
      {{"--baseline", "old.json"}, "--baseline would be ignored"},
      {{"--model", "llama-3.1-8b", "--qps", "5"}, "--model, --qps would be ignored (drop them"},
      {{"--format", "sarif"}, "--format sarif would be ignored"},
      {{"-o", "table"}, "--format table would be ignored"},
  };
  for (const auto& [flags, message] : refused) {
    std::vector<std::string> args{"check", "--batch", f.path};
    args.insert(args.end(), flags.begin(), flags.end());
    const auto r = run_captured(args);
    INFO(r.err);
    CHECK(r.code == aiadvise::cli::k_exit_invalid);
    CHECK(r.out.empty());
    CHECK(r.err.find(message) != std::string::npos);
  }
  // What a batch does read is still accepted: JSON output asked for by name, and the thresholds.
  CHECK(run_captured({"check", "--batch", f.path, "--format", "json", "--max-cost-ratio", "1000"}).code != aiadvise::cli::k_exit_invalid);
  const auto table = run_captured({"recommend", "--batch", f.path, "--format", "table"});
  CHECK(table.code == aiadvise::cli::k_exit_invalid);
  CHECK(table.out.empty());
  CHECK(table.err.find("--format table would be ignored") != std::string::npos);
}

TEST_CASE("batch: a missing file or a directory is an input error", "[batch]") {
  const auto r = run_captured({"recommend", "--batch", "no-such-file.jsonl"});
  CHECK(r.code == aiadvise::cli::k_exit_invalid);
  CHECK(r.out.empty());
  CHECK(r.err == "aiadvise: error: no-such-file.jsonl: cannot read: no such file\n");
  const auto dir = run_captured({"recommend", "--batch", "."});
  CHECK(dir.code == aiadvise::cli::k_exit_invalid);
}

// --jobs: lines are answered by several threads in groups and written in input order, so the output,
// the diagnostics and the exit code are those of one thread, byte for byte: over a stream long
// enough for many groups, with repeated workloads (each thread keeps its own texts), bad, blank and
// too long lines.
TEST_CASE("batch: any number of threads gives the output of one", "[batch][jobs]") {
  std::string recommend_lines, check_lines;
  const char* models[] = {"llama-3.1-8b", "xgboost", "resnet-50", "bert-base", "mistral-7b"};
  for (int i = 0; i < 120; ++i) {
    const std::string model = models[i % 5];
    const int qps = 1 + (i * 7) % 13;  // repeats: a cache hit on some thread, a miss on another
    if (i % 17 == 3) {
      recommend_lines += "{\"model\":\"nope\"}\n";
      check_lines += "{\"workload\":{\"model\":\"xgboost\"}}\n";  // no proposed choice
    } else if (i % 23 == 5) {
      recommend_lines += "   \n";
      check_lines += "\n";
    } else if (i % 29 == 7) {
      recommend_lines += "{\"model\":\"xgboost\",\"region\":\"" + std::string(1200, 'x') + "\"}\n";
      check_lines += "[1,\n";
    } else {
      recommend_lines += "{\"model\":\"" + model + "\",\"qps\":" + std::to_string(qps) + "}\n";
      check_lines += "{\"workload\":{\"model\":\"" + model + "\",\"qps\":" + std::to_string(qps) + "},\"proposed\":{\"instance\":\"" +
                     (i % 2 ? "g5.xlarge" : "c7i.large") + "\"}}\n";
    }
  }
  const TempFile rf("jobs-recommend.jsonl", recommend_lines);
  const TempFile cf("jobs-check.jsonl", check_lines);
  for (const std::string command : {"recommend", "check"}) {
    const std::string& path = command == "recommend" ? rf.path : cf.path;
    const auto one = run_captured({"--max-line-bytes", "1000", command, "--batch", path, "--jobs", "1"});
    CHECK(one.code == aiadvise::cli::k_exit_invalid);
    REQUIRE(lines_of(one.out).size() > 100);
    for (const char* jobs : {"2", "3", "7", "0"}) {
      const auto many = run_captured({"--max-line-bytes", "1000", command, "--batch", path, "--jobs", jobs});
      INFO(command << " --jobs " << jobs);
      CHECK(many.code == one.code);
      CHECK(many.out == one.out);
      CHECK(many.err == one.err);
    }
  }
}

TEST_CASE("batch: --jobs needs --batch and a number from 0 to 256", "[batch][jobs]") {
  const auto alone = run_captured({"recommend", "--model", "xgboost", "--jobs", "2"});
  CHECK(alone.code == aiadvise::cli::k_exit_invalid);
  CHECK(alone.out.empty());
  CHECK(alone.err.find("--batch") != std::string::npos);
  const TempFile f("jobs-range.jsonl", "{\"model\":\"xgboost\"}\n");
  const auto big = run_captured({"recommend", "--batch", f.path, "--jobs", "1000"});
  CHECK(big.code == aiadvise::cli::k_exit_invalid);
  CHECK(big.out.empty());
}

// Each line is let go before the next, so lines do not draw from the run's input budget
// (--max-input-bytes, all inputs together): a stream of any length is answered, line after line,
// and a line is held to its own cap of one value per 8 bytes of --max-line-bytes. (Before, the
// 26th line of this stream, and with the default budget about the 600,000th line of a fleet, was
// refused with "more JSON values than this run may hold".)
TEST_CASE("batch: a long stream is not refused by the run's input budget; a line has its own cap", "[batch]") {
  std::string text;
  for (int i = 0; i < 60; ++i) text += "{\"model\":\"xgboost\",\"qps\":5,\"cloud\":[\"aws\"]}\n";
  const TempFile f("budget.jsonl", text);
  for (const char* jobs : {"1", "2"}) {
    const auto r = run_captured({"--max-input-bytes", "1000", "recommend", "--batch", f.path, "--jobs", jobs});
    INFO(r.err);
    CHECK(r.code == aiadvise::cli::k_exit_ok);
    const auto lines = lines_of(r.out);
    REQUIRE(lines.size() == 60);
    CHECK(lines.back().contains("verdict"));
  }
  std::string many = "{\"model\":\"xgboost\",\"priorities\":[";
  for (int i = 0; i < 150; ++i) many += i ? ",1" : "1";
  many += "]}\n{\"model\":\"xgboost\"}\n";
  const TempFile g("values.jsonl", many);
  const auto r = run_captured({"--max-line-bytes", "1000", "recommend", "--batch", g.path});
  CHECK(r.code == aiadvise::cli::k_exit_invalid);
  const auto lines = lines_of(r.out);
  REQUIRE(lines.size() == 2);
  CHECK(lines[0].at("error").at(0).at("message") ==
        "more JSON values than one line may hold (125, one per 8 bytes of --max-line-bytes; raise it with --max-line-bytes)");
  CHECK(lines[1].contains("verdict"));
}
