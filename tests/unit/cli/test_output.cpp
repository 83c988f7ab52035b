// Output conventions: JSON when stdout is not a terminal, for every command; -o/--output/--format
// in any case; --output-file; help; terminal width; monthly costs.

#include <catch2/catch.hpp>

#include <chrono>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <regex>
#include <sstream>

#include "aiadvise/cli/app.hpp"
#include "aiadvise/cli/exit_codes.hpp"
#include "aiadvise/util/table.hpp"

using aiadvise::cli::run_captured;
using aiadvise::cli::Terminal;
namespace fs = std::filesystem;

namespace {

Terminal tty(std::size_t columns) {
  Terminal t;
  t.is_tty = true;
  t.columns = columns;
  t.color_allowed = true;
  return t;
}

bool is_json(const std::string& text) { return nlohmann::json::accept(text); }

// Every command that prints a result, with the arguments it needs.
const std::vector<std::vector<std::string>>& every_command() {
  static const std::vector<std::vector<std::string>> commands{
      {"recommend", "--model", "llama-3.1-8b", "--qps", "2"},
      {"estimate", "--model", "llama-3.1-8b", "--instance", "g5.xlarge"},
      {"check", "--model", "llama-3.1-8b", "--qps", "2", "--proposed", "g6e.xlarge"},
      {"catalog", "list", "gpus"},
      {"catalog", "show", "llama-3.1-8b"},
      {"catalog", "validate"},
      {"rules", "list"},
      {"rules", "fields"},
      {"config", "show", "--no-config"},
  };
  return commands;
}

std::string slurp(const fs::path& path) {
  std::ifstream f(path, std::ios::binary);
  std::stringstream s;
  s << f.rdbuf();
  return s.str();
}

struct TempDir {
  fs::path path = fs::temp_directory_path() /
                  ("aiadvise-out-" + std::to_string(std::chrono::steady_clock::now().time_since_epoch().count()));
  TempDir() { fs::create_directories(path); }
  ~TempDir() {
    std::error_code ec;
    fs::remove_all(path, ec);
  }
};

}  // namespace

TEST_CASE("cli: every command prints JSON when stdout is not a terminal, a table on one", "[cli][output]") {
  for (auto args : every_command()) {
    if (args[0] == "config") {  // --no-config is a global option
      args = {"--no-config", "config", "show"};
    }
    INFO(args[0] << " " << args[1]);
    const auto piped = run_captured(args);
    CHECK(piped.code <= 1);
    CHECK(is_json(piped.out));
    const auto terminal = run_captured(args, tty(120));
    CHECK(terminal.code == piped.code);
    CHECK_FALSE(is_json(terminal.out));
    CHECK_FALSE(terminal.out.empty());
  }
}

TEST_CASE("cli: -o, --output and --format pick the format, in any case", "[cli][output]") {
  for (const char* flag : {"-o", "--output", "--format"}) {
    for (const char* value : {"json", "JSON", "Json"}) {
      INFO(flag << " " << value);
      const auto r = run_captured({"rules", "list", flag, value}, tty(80));
      CHECK(r.code == 0);
      CHECK(is_json(r.out));
    }
  }
  const auto table = run_captured({"catalog", "list", "gpus", "-o", "TABLE"});
  CHECK(table.code == 0);
  CHECK_FALSE(is_json(table.out));
  const auto md = run_captured({"recommend", "--model", "llama-3.1-8b", "--qps", "2", "-o", "Markdown"});
  CHECK(md.out.rfind("## aiadvise recommendation", 0) == 0);
  const auto bad = run_captured({"rules", "list", "-o", "yaml"});
  CHECK(bad.code == aiadvise::cli::k_exit_invalid);
  CHECK(bad.out.empty());
}

TEST_CASE("cli: --output-file writes the result atomically, in the format its name says", "[cli][output]") {
  TempDir dir;
  const fs::path json = dir.path / "report.json";
  auto r = run_captured({"--output-file", json.string(), "recommend", "--model", "llama-3.1-8b", "--qps", "2"}, tty(80));
  CHECK(r.code == 0);
  CHECK(r.out.empty());
  CHECK(nlohmann::json::parse(slurp(json)).at("schema_version") == 1);

  const fs::path md = dir.path / "comment.md";
  r = run_captured({"check", "--model", "llama-3.1-8b", "--qps", "2", "--proposed", "g6e.xlarge", "--output-file", md.string()});
  CHECK(r.code <= 1);
  CHECK(slurp(md).rfind("## aiadvise check", 0) == 0);

  const fs::path html = dir.path / "report.html";
  r = run_captured({"recommend", "--model", "llama-3.1-8b", "--qps", "2", "--output-file", html.string()});
  CHECK(slurp(html).rfind("<!DOCTYPE html>", 0) == 0);

  // An explicit format wins over the name.
  const fs::path txt = dir.path / "rules.md";
  r = run_captured({"rules", "list", "-o", "json", "--output-file", txt.string()});
  CHECK(is_json(slurp(txt)));

  // Nowhere to write: exit 4, nothing on stdout; bad input: exit 2, no file.
  r = run_captured({"rules", "list", "--output-file", (dir.path / "missing" / "x.json").string()});
  CHECK(r.code == aiadvise::cli::k_exit_io);
  CHECK(r.out.empty());
  CHECK(r.err.find("aiadvise: error:") != std::string::npos);
  const fs::path never = dir.path / "never.json";
  r = run_captured({"recommend", "--model", "no-such-model", "--output-file", never.string()});
  CHECK(r.code == aiadvise::cli::k_exit_invalid);
  CHECK_FALSE(fs::exists(never));
}

TEST_CASE("cli: --no-color and a non-terminal print no escape codes, a terminal gets bold", "[cli][output]") {
  const std::vector<std::string> args{"recommend", "--model", "llama-3.1-8b", "--qps", "2"};
  CHECK(run_captured(args, tty(120)).out.find("\x1b[") != std::string::npos);
  auto no_color = args;
  no_color.insert(no_color.begin(), "--no-color");
  CHECK(run_captured(no_color, tty(120)).out.find("\x1b[") == std::string::npos);
  auto table = args;
  table.insert(table.end(), {"-o", "table"});
  CHECK(run_captured(table).out.find("\x1b[") == std::string::npos);
}

TEST_CASE("cli: help: aiadvise alone, aiadvise help COMMAND, and each command's own examples", "[cli][help]") {
  const auto bare = run_captured({});
  CHECK(bare.code == 0);
  CHECK(bare.out.find("Usage: aiadvise COMMAND") != std::string::npos);
  CHECK(bare.out.find("recommend") != std::string::npos);
  CHECK(bare.out.find("aiadvise help recommend") != std::string::npos);
  CHECK(bare.err.empty());

  // NOTE: CLI11 lists an option's "Excludes:" in pointer order, which differs between runs.
  auto same_help = [](const std::vector<std::string>& a, const std::vector<std::string>& b) {
    const std::regex excludes(" Excludes:[^\n]*");
    return std::regex_replace(run_captured(a).out, excludes, "") == std::regex_replace(run_captured(b).out, excludes, "");
  };
  CHECK(same_help({"help"}, {"--help"}));
  CHECK(same_help({"help", "recommend"}, {"recommend", "--help"}));
  CHECK(same_help({"help", "catalog", "list"}, {"catalog", "list", "--help"}));
  const auto unknown = run_captured({"help", "recomend"});
  CHECK(unknown.code == aiadvise::cli::k_exit_invalid);
  CHECK(unknown.err.find("did you mean 'recommend'?") != std::string::npos);

  // The top-level examples stay at the top level.
  const std::string top_only = "aiadvise recommend --model resnet-50 --phase training";
  CHECK(run_captured({"--help"}).out.find(top_only) != std::string::npos);
  for (const auto& args : std::vector<std::vector<std::string>>{{"catalog", "--help"},
                                                                {"catalog", "list", "--help"},
                                                                {"catalog", "show", "--help"},
                                                                {"catalog", "validate", "--help"},
                                                                {"rules", "--help"},
                                                                {"rules", "list", "--help"},
                                                                {"rules", "fields", "--help"},
                                                                {"config", "--help"},
                                                                {"config", "show", "--help"},
                                                                {"estimate", "--help"},
                                                                {"check", "--help"},
                                                                {"help", "--help"}}) {
    INFO(args[0] << " " << args[1]);
    const auto r = run_captured(args);
    CHECK(r.code == 0);
    CHECK(r.out.find(top_only) == std::string::npos);
    CHECK(r.out.find("Examples:") != std::string::npos);
    CHECK(r.out.find("aiadvise " + args[0]) != std::string::npos);
  }
}

TEST_CASE("cli: did-you-mean compares whole option names", "[cli]") {
  const auto r = run_captured({"recommend", "--modle", "llama-3.1-8b"});
  CHECK(r.code == aiadvise::cli::k_exit_invalid);
  CHECK(r.err.find("unknown option '--modle' (did you mean '--model'?)") != std::string::npos);
}

TEST_CASE("cli: the default table fits 80 and 120 columns and -o wide shows every column", "[cli][output][width]") {
  const std::vector<std::vector<std::string>> workloads{
      {"recommend", "--model", "llama-3.1-8b", "--qps", "5", "--tpot-ms", "50"},
      {"recommend", "--model", "meta-llama/Llama-3.1-8B-Instruct", "--qps", "20", "--cloud", "azure"},
      {"recommend", "--model", "resnet-50", "--phase", "training", "--dataset-samples", "1.28M", "--epochs", "90", "--deadline-hours", "24"},
      {"recommend", "--model", "xgboost", "--phase", "inference", "--qps", "200", "--ops-maturity", "low", "--traffic", "spiky"},
      {"recommend", "--model", "llama-3.1-70b", "--phase", "fine-tuning", "--method", "qlora", "--explain"},
      {"recommend", "--model", "llama-3.1-405b", "--qps", "1", "--latency-ms", "1"},
      {"recommend", "--model", "llama-3.1-8b", "--qps", "5", "--chart"},
      {"estimate", "--model", "llama-3.1-8b", "--instance", "g5.xlarge", "--qps", "2"},
      {"check", "--model", "llama-3.1-8b", "--qps", "2", "--proposed", "g6e.xlarge"},
  };
  for (std::size_t width : {80u, 120u}) {
    for (const auto& args : workloads) {
      INFO(width << ": " << args[0] << " " << args[2]);
      auto with_no_color = args;
      with_no_color.insert(with_no_color.begin(), "--no-color");
      const auto r = run_captured(with_no_color, tty(width));
      REQUIRE(r.code <= 1);
      CHECK(aiadvise::util::max_line_width(r.out) <= width);
    }
  }
  const std::vector<std::string> serve{"--no-color", "recommend", "--model", "llama-3.1-8b", "--qps", "5"};
  const auto narrow = run_captured(serve, tty(80)).out;
  auto wide_args = serve;
  wide_args.insert(wide_args.end(), {"-o", "wide"});
  const auto wide = run_captured(wide_args, tty(80)).out;
  for (const char* column : {"region", "accelerators", "TTFT", "TPOT", "$/1M tok", "GiB/device"}) {
    CHECK(wide.find(column) != std::string::npos);
    CHECK(narrow.find(std::string("  ") + column + "  ") == std::string::npos);
  }
}

TEST_CASE("cli: no scientific notation in table, Markdown or HTML", "[cli][output]") {
  const std::vector<std::vector<std::string>> workloads{
      {"recommend", "--model", "llama-3.1-8b", "--qps", "5", "--tpot-ms", "50"},
      {"recommend", "--model", "llama-3.1-405b", "--phase", "training", "--dataset-tokens", "15T", "--deadline-hours", "2000"},
      {"recommend", "--model", "resnet-50", "--phase", "training", "--dataset-samples", "1.28M", "--epochs", "90"},
  };
  // A number in exponent form, not an id that reads like one (the TPU slice "v6e-1").
  const std::regex exponent("(^|[^A-Za-z0-9.])[0-9]+(\\.[0-9]+)?e[+-][0-9]");
  for (const auto& args : workloads) {
    for (const char* format : {"table", "wide", "markdown", "html"}) {
      auto a = args;
      a.insert(a.end(), {"-o", format});
      const auto r = run_captured(a);
      INFO(args[2] << " " << format);
      REQUIRE(r.code == 0);
      std::string text = r.out;
      if (std::string(format) == "html") text = text.substr(0, text.find("<svg"));  // SVG coordinates are not for reading
      CHECK_FALSE(std::regex_search(text, exponent));
    }
  }
}

TEST_CASE("cli: serving is priced per hour and per month (730 h), a training run per run", "[cli][cost]") {
  const auto serve = nlohmann::json::parse(run_captured({"recommend", "--model", "llama-3.1-8b", "--qps", "5"}).out);
  CHECK(serve.at("hours_per_month") == 730);
  const auto& pick = serve.at("recommendation");
  CHECK(pick.at("cost_usd_per_month").get<double>() == Approx(pick.at("price_usd_per_hour").get<double>() * 730).epsilon(1e-5));
  CHECK(pick.contains("cost_usd_per_1m_tokens"));
  CHECK_FALSE(pick.contains("cost_usd"));
  for (const auto& a : serve.at("alternatives")) CHECK(a.contains("cost_usd_per_month"));

  const auto train = nlohmann::json::parse(
      run_captured({"recommend", "--model", "resnet-50", "--phase", "training", "--dataset-samples", "1.28M", "--epochs", "90"}).out);
  const auto& job = train.at("recommendation");
  CHECK(job.contains("cost_usd"));
  CHECK_FALSE(job.contains("cost_usd_per_month"));
  CHECK_FALSE(job.contains("cost_usd_per_1k_requests"));
  CHECK_FALSE(job.contains("cost_usd_per_1m_tokens"));

  const auto table = run_captured({"--no-color", "recommend", "--model", "llama-3.1-8b", "--qps", "5"}, tty(120)).out;
  CHECK(table.find("/month (730 h)") != std::string::npos);
  CHECK(table.find("$/month") != std::string::npos);
  const auto job_table = run_captured({"--no-color", "recommend", "--model", "resnet-50", "--phase", "training"}, tty(120)).out;
  CHECK(job_table.find("for the run") != std::string::npos);
  CHECK(job_table.find("per 1k requests") == std::string::npos);
  CHECK(job_table.find("/month") == std::string::npos);

  const auto estimate = nlohmann::json::parse(
      run_captured({"estimate", "--model", "llama-3.1-8b", "--instance", "g6e.xlarge", "--qps", "2"}).out);
  CHECK(estimate.at("hours_per_month") == 730);
  CHECK(estimate.at("instance").at("cost_usd_per_month").get<double>() ==
        Approx(estimate.at("instance").at("price_usd_per_hour").get<double>() * 730).epsilon(1e-5));
}

TEST_CASE("cli: an LLM request reads as TTFT + tokens x TPOT", "[cli][output]") {
  const auto r = run_captured({"--no-color", "recommend", "--model", "llama-3.1-8b", "--qps", "5", "--output-tokens", "300"}, tty(200));
  CHECK(r.out.find("a request takes TTFT ") != std::string::npos);
  CHECK(r.out.find(" + 300 tokens x ") != std::string::npos);
  CHECK(r.out.find(" TPOT = ") != std::string::npos);
}
