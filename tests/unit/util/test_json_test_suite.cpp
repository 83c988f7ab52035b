// The JSONTestSuite sweep (nst/JSONTestSuite test_parsing, read from ../shared/corpora): every n_
// file is rejected as a catalog, as a workload file and as a line of a JSON Lines stream; every y_
// file is valid JSON and is rejected for its shape, never as a syntax error; no i_ file crashes.

#include <catch2/catch.hpp>

#include <algorithm>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <sstream>

#include "aiadvise/catalog/loader.hpp"
#include "aiadvise/cli/app.hpp"
#include "aiadvise/cli/exit_codes.hpp"
#include "aiadvise/workload/workload.hpp"
#include "support/helpers.hpp"

namespace fs = std::filesystem;
using aiadvise::util::Diagnostic;

namespace {

const fs::path k_suite = fs::path(AIADVISE_SHARED_DIR) / "corpora" / "JSONTestSuite" / "test_parsing";

struct Case {
  std::string name;
  std::string bytes;
};

std::vector<Case> cases(char kind) {
  std::vector<Case> out;
  for (const auto& entry : fs::directory_iterator(k_suite)) {
    const std::string name = entry.path().filename().string();
    if (name.size() < 2 || name[0] != kind || name[1] != '_') continue;
    std::ifstream in(entry.path(), std::ios::binary);
    std::ostringstream bytes;
    bytes << in.rdbuf();
    out.push_back(Case{name, bytes.str()});
  }
  std::sort(out.begin(), out.end(), [](const Case& a, const Case& b) { return a.name < b.name; });
  return out;
}

// As a catalog: the diagnostics, or none when it loads.
std::vector<Diagnostic> as_catalog(const Case& c) { return aiadvise::test::load_errors(c.bytes); }

// As a --workload file: the diagnostics, or none when it normalises.
std::vector<Diagnostic> as_workload(const Case& c) {
  std::vector<Diagnostic> diagnostics;
  const auto doc = aiadvise::util::JsonDocument::parse(c.name, c.bytes, {}, diagnostics);
  if (!doc.ok()) return diagnostics;
  try {
    aiadvise::workload::normalise(&doc, {}, aiadvise::test::default_catalog());
  } catch (const aiadvise::util::InputError& e) {
    return e.diagnostics();
  }
  return {};
}

bool syntax_error(const std::vector<Diagnostic>& d) {
  return std::any_of(d.begin(), d.end(), [](const Diagnostic& x) {
    return x.message.rfind("invalid JSON", 0) == 0 || x.message.rfind("NUL byte", 0) == 0 || x.message.rfind("empty input", 0) == 0 ||
           x.message.rfind("nesting deeper than the cap", 0) == 0 ||
           x.message.find("UTF-16") != std::string::npos;
  });
}

// Runs `recommend --batch` over the files as consecutive lines; returns the output lines by the
// stream line number they answer.
std::map<std::size_t, nlohmann::json> as_lines(const std::vector<Case>& batch, int& code) {
  // One file per kind of case: ctest runs the three sweeps in parallel processes.
  const std::string path = "aiadvise-test-json-suite-" + batch.front().name.substr(0, 1) + ".jsonl";
  {
    std::ofstream out(path, std::ios::binary);
    for (const auto& c : batch) out << c.bytes << '\n';
  }
  const auto r = aiadvise::cli::run_captured({"recommend", "--batch", path});
  std::remove(path.c_str());
  code = r.code;
  std::map<std::size_t, nlohmann::json> by_line;
  std::istringstream in(r.out);
  std::string line;
  while (std::getline(in, line)) {
    auto j = nlohmann::json::parse(line);
    if (j.contains("line")) by_line[j["line"].get<std::size_t>()] = j;
  }
  return by_line;
}

}  // namespace

TEST_CASE("json suite: every n_ file is rejected as a catalog, a workload and a JSON Lines line", "[json][suite]") {
  if (!fs::exists(k_suite)) {
    WARN("JSONTestSuite not found at " << k_suite << ": sweep skipped (the corpus lives in ../shared/corpora)");
    return;
  }
  const auto n = cases('n');
  REQUIRE(n.size() == 188);
  for (const auto& c : n) {
    INFO(c.name);
    const auto catalog = as_catalog(c);
    CHECK(syntax_error(catalog));
    const auto workload = as_workload(c);
    CHECK(syntax_error(workload));
  }
  // One stream holding every n_ file, each where its own line (or lines) starts.
  int code = 0;
  const auto by_line = as_lines(n, code);
  CHECK(code == aiadvise::cli::k_exit_invalid);
  std::size_t line = 1;
  for (const auto& c : n) {
    INFO(c.name << " at line " << line);
    const std::size_t spans = static_cast<std::size_t>(std::count(c.bytes.begin(), c.bytes.end(), '\n')) + 1;
    if (spans == 1 && c.bytes.find_first_not_of(" \t\r") != std::string::npos) {
      REQUIRE(by_line.count(line));
      CHECK(by_line.at(line).contains("error"));
    } else {
      bool any_error = false;
      for (std::size_t k = line; k < line + spans; ++k) any_error = any_error || (by_line.count(k) && by_line.at(k).contains("error"));
      const bool blank = c.bytes.find_first_not_of(" \t\r\n") == std::string::npos;
      CHECK((any_error || blank));
    }
    line += spans;
  }
}

TEST_CASE("json suite: every y_ file is valid JSON, rejected for its shape and never as a syntax error", "[json][suite]") {
  if (!fs::exists(k_suite)) {
    WARN("JSONTestSuite not found at " << k_suite << ": sweep skipped");
    return;
  }
  const auto y = cases('y');
  REQUIRE(y.size() == 95);
  std::vector<Case> single_line;
  for (const auto& c : y) {
    INFO(c.name);
    const auto catalog = as_catalog(c);
    CHECK_FALSE(catalog.empty());
    CHECK_FALSE(syntax_error(catalog));
    const auto workload = as_workload(c);
    CHECK_FALSE(workload.empty());
    CHECK_FALSE(syntax_error(workload));
    if (c.bytes.find('\n') == std::string::npos) single_line.push_back(c);
  }
  int code = 0;
  const auto by_line = as_lines(single_line, code);
  for (std::size_t k = 0; k < single_line.size(); ++k) {
    INFO(single_line[k].name);
    REQUIRE(by_line.count(k + 1));
    const auto& error = by_line.at(k + 1).at("error");
    for (const auto& d : error) CHECK(d.at("message").get<std::string>().rfind("invalid JSON", 0) != 0);
  }
}

TEST_CASE("json suite: no i_ file crashes any reader", "[json][suite]") {
  if (!fs::exists(k_suite)) {
    WARN("JSONTestSuite not found at " << k_suite << ": sweep skipped");
    return;
  }
  const auto i = cases('i');
  REQUIRE(i.size() == 35);
  for (const auto& c : i) {
    INFO(c.name);
    CHECK_FALSE(as_catalog(c).empty());  // accepted as JSON or not, no i_ file is a catalog
    CHECK_FALSE(as_workload(c).empty());
  }
  int code = 0;
  as_lines(i, code);
  CHECK(code == aiadvise::cli::k_exit_invalid);
}
