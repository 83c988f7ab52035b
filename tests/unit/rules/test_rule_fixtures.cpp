// Every rule in the default catalog has a pair of workloads that exercise it, and a page of docs.
//
// tests/fixtures/rules/<id>/fires.json: `aiadvise recommend --workload FILE --format json --explain`
// lists the rule in rules_fired with candidates > 0.
// tests/fixtures/rules/<id>/quiet.json: the rule is absent from rules_fired (or fired for 0 candidates).
// docs/rules/<id>.md: explains the rule and names its id.
// A fixture directory for an id the catalog lacks is stale and fails the test.

#include <catch2/catch.hpp>

#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <set>
#include <sstream>
#include <string>

#include "aiadvise/cli/app.hpp"
#include "support/helpers.hpp"

namespace fs = std::filesystem;
using aiadvise::cli::run_captured;

namespace {

const fs::path k_fixtures = fs::path(AIADVISE_SOURCE_DIR) / "tests" / "fixtures" / "rules";
const fs::path k_docs = fs::path(AIADVISE_SOURCE_DIR) / "docs" / "rules";

std::vector<std::string> catalog_rule_ids() {
  std::vector<std::string> ids;
  for (const auto& r : aiadvise::test::default_catalog().rules) ids.push_back(r.at("id").get<std::string>());
  return ids;
}

std::string read_text(const fs::path& p) {
  std::ifstream in(p, std::ios::binary);
  std::ostringstream s;
  s << in.rdbuf();
  return s.str();
}

// How many candidates the rule fired for (0 when absent), after running the workload file.
struct Outcome {
  bool ran = false;
  std::string error;
  long candidates = 0;
};

Outcome run_fixture(const std::string& id, const fs::path& file) {
  Outcome o;
  const auto r = run_captured({"recommend", "--workload", file.string(), "--format", "json", "--explain"});
  if (r.code != 0) {
    o.error = "exit code " + std::to_string(r.code) + ": " + r.err;
    return o;
  }
  nlohmann::json doc;
  try {
    doc = nlohmann::json::parse(r.out);
  } catch (const std::exception& e) {
    o.error = std::string("stdout is not JSON: ") + e.what();
    return o;
  }
  if (!doc.contains("rules_fired") || !doc["rules_fired"].is_array()) {
    o.error = "the output has no rules_fired array (was --explain honoured?)";
    return o;
  }
  o.ran = true;
  for (const auto& f : doc["rules_fired"]) {
    if (f.value("id", "") == id) o.candidates += f.value("candidates", 0L);
  }
  return o;
}

}  // namespace

TEST_CASE("rules: the default catalog has rules to exercise", "[rules]") {
  CHECK(catalog_rule_ids().size() >= 1);
}

TEST_CASE("rules: every rule fires for its fires.json and stays quiet for its quiet.json", "[rules]") {
  for (const auto& id : catalog_rule_ids()) {
    const fs::path dir = k_fixtures / id;
    for (const char* name : {"fires", "quiet"}) {
      const fs::path file = dir / (std::string(name) + ".json");
      const bool fires = std::string(name) == "fires";
      INFO("rule " << id << ", fixture " << file.string());
      if (!fs::exists(file)) {
        FAIL_CHECK("rule " << id << " has no " << name << ".json fixture: add a workload under tests/fixtures/rules/" << id
                           << "/ that makes the rule " << (fires ? "fire" : "stay quiet")
                           << " (see docs/rules/README.md), or explain why it cannot be exercised");
        continue;
      }
      const Outcome o = run_fixture(id, file);
      INFO(o.error);
      CHECK(o.ran);
      if (!o.ran) continue;
      if (fires) {
        INFO("expected rule " << id << " in rules_fired with candidates > 0");
        CHECK(o.candidates > 0);
      } else {
        INFO("expected rule " << id << " absent from rules_fired (or fired for 0 candidates); it fired for "
                              << o.candidates);
        CHECK(o.candidates == 0);
      }
    }
  }
}

TEST_CASE("rules: every rule has a page in docs/rules that names it", "[rules]") {
  for (const auto& id : catalog_rule_ids()) {
    const fs::path page = k_docs / (id + ".md");
    INFO("rule " << id << ": " << page.string());
    CHECK(fs::exists(page));
    if (!fs::exists(page)) continue;
    CHECK(read_text(page).find(id) != std::string::npos);
  }
  CHECK(fs::exists(k_docs / "README.md"));
}

TEST_CASE("rules: no fixture directory for a rule the catalog lacks", "[rules]") {
  REQUIRE(fs::is_directory(k_fixtures));
  const auto ids = catalog_rule_ids();
  const std::set<std::string> known(ids.begin(), ids.end());
  for (const auto& entry : fs::directory_iterator(k_fixtures)) {
    const std::string name = entry.path().filename().string();
    INFO("stale fixture directory tests/fixtures/rules/" << name << ": no rule with this id in data/catalog/rules.json");
    CHECK(known.count(name) == 1);
  }
}
