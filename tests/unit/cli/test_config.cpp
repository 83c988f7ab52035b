// Configuration: user config < project aiadvise.json "config" < environment < flag, strict config
// files, the workload defaults reaching normalisation, and `config show`.

#include <catch2/catch.hpp>

#include <stdlib.h>
#include <unistd.h>

#include <atomic>
#include <filesystem>
#include <fstream>
#include <map>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <tuple>

#include "aiadvise/cli/app.hpp"
#include "aiadvise/cli/exit_codes.hpp"

namespace fs = std::filesystem;
using aiadvise::cli::run_captured;
using nlohmann::json;

namespace {

const std::vector<std::string> k_env_vars{"AIADVISE_CONFIG", "XDG_CONFIG_HOME", "AIADVISE_CLOUD", "AIADVISE_REGION",
                                          "AIADVISE_SPOT", "AIADVISE_CATALOG", "AIADVISE_MAX_COST_RATIO",
                                          "AIADVISE_MIN_COST_DIFFERENCE", "AIADVISE_FAIL_ON"};

// NOTE: the test binary must never read the developer's own config: every test here and in the other
// files runs with XDG_CONFIG_HOME pointing at a directory that does not exist and no AIADVISE_CONFIG.
[[maybe_unused]] const bool k_hermetic = [] {
  ::setenv("XDG_CONFIG_HOME", (fs::temp_directory_path() / "aiadvise-tests-no-config").c_str(), 1);
  ::unsetenv("AIADVISE_CONFIG");
  return true;
}();

/// Sets variables for one test and restores every configuration variable afterwards.
class EnvGuard {
 public:
  EnvGuard() {
    for (const auto& name : k_env_vars) {
      const char* v = std::getenv(name.c_str());
      m_saved[name] = v ? std::optional<std::string>(v) : std::nullopt;
      if (name != "XDG_CONFIG_HOME") ::unsetenv(name.c_str());
    }
  }
  ~EnvGuard() {
    for (const auto& [name, value] : m_saved) {
      if (value) ::setenv(name.c_str(), value->c_str(), 1);
      else ::unsetenv(name.c_str());
    }
  }
  void set(const std::string& name, const std::string& value) { ::setenv(name.c_str(), value.c_str(), 1); }
  void unset(const std::string& name) { ::unsetenv(name.c_str()); }

 private:
  std::map<std::string, std::optional<std::string>> m_saved;
};

/// A fresh directory, made the current directory for the test's lifetime (the project file is
/// ./aiadvise.json), with XDG_CONFIG_HOME inside it.
class TempDir {
 public:
  TempDir() : m_old(fs::current_path()) {
    static std::atomic<int> counter{0};
    m_path = fs::temp_directory_path() / ("aiadvise-config-test-" + std::to_string(::getpid()) + "-" + std::to_string(counter++));
    fs::remove_all(m_path);
    fs::create_directories(m_path / "project");
    fs::create_directories(m_path / "xdg" / "aiadvise");
    fs::current_path(m_path / "project");
    m_env.set("XDG_CONFIG_HOME", (m_path / "xdg").string());
  }
  ~TempDir() {
    std::error_code ec;
    fs::current_path(m_old, ec);
    fs::remove_all(m_path, ec);
  }
  fs::path user_config() const { return m_path / "xdg" / "aiadvise" / "config.json"; }
  fs::path project_config() const { return m_path / "project" / "aiadvise.json"; }
  const fs::path& path() const { return m_path; }
  EnvGuard& env() { return m_env; }

  static void write(const fs::path& file, const std::string& text) {
    std::ofstream out(file, std::ios::binary);
    out << text;
  }

 private:
  EnvGuard m_env;
  fs::path m_old;
  fs::path m_path;
};

json show(const std::vector<std::string>& extra = {}) {
  std::vector<std::string> args{"config", "show", "--format", "json"};
  args.insert(args.end(), extra.begin(), extra.end());
  const auto r = run_captured(args);
  INFO(r.err);
  REQUIRE(r.code == 0);
  return json::parse(r.out);
}

json setting(const json& doc, const std::string& name) {
  for (const auto& s : doc.at("settings")) {
    if (s.at("name") == name) return s;
  }
  FAIL("no setting " << name);
  return {};
}

// A cheap workload command whose JSON output echoes the normalised workload.
json recommend_workload(const std::vector<std::string>& extra = {}) {
  std::vector<std::string> args{"recommend", "--model", "llama-3.1-8b", "--qps", "1", "--top", "1", "--format", "json"};
  args.insert(args.end(), extra.begin(), extra.end());
  const auto r = run_captured(args);
  INFO(r.err);
  REQUIRE(r.code == 0);
  return json::parse(r.out).at("workload");
}

const char* k_user = R"({
  "$schema": "https://aiadvise.dev/schema/config.schema.json",
  "cloud": ["aws"],
  "region": "us-east-1",
  "spot": true,
  "catalog": ["user-prices.json"],
  "check": {"max_cost_ratio": 2, "min_cost_difference_usd": 1, "fail_on": "warn"}
})";

const char* k_project = R"({
  "name": "p",
  "workloads": [{"name": "anything", "not": "read here"}],
  "terraform": {"resources": {}},
  "config": {
    "cloud": ["gcp"],
    "region": "europe-west4",
    "spot": false,
    "catalog": ["project-prices.json"],
    "check": {"max_cost_ratio": 3, "min_cost_difference_usd": 2, "fail_on": "fail"}
  }
})";

}  // namespace

TEST_CASE("config: with no files, variables or flags every setting is its default", "[cli][config]") {
  TempDir dir;
  const json doc = show();
  for (const auto& s : doc.at("settings")) {
    INFO(s.dump());
    CHECK(s.at("source") == "default");
  }
  CHECK(setting(doc, "cloud").at("value") == json({"aws", "gcp", "azure"}));
  CHECK(setting(doc, "region").at("value").is_null());
  CHECK(setting(doc, "spot").at("value") == false);
  CHECK(setting(doc, "catalog").at("value") == json::array());
  CHECK(setting(doc, "check.max_cost_ratio").at("value") == 1.5);
  CHECK(setting(doc, "check.min_cost_difference_usd").at("value") == 0.5);
  CHECK(setting(doc, "check.fail_on").at("value") == "fail");
  REQUIRE(doc.at("files").size() == 2);
  CHECK(doc.at("files")[0].at("found") == false);
  CHECK(doc.at("files")[1].at("path") == "aiadvise.json");
}

TEST_CASE("config: precedence is user file < project file < environment < flag, for every setting", "[cli][config]") {
  TempDir dir;
  TempDir::write(dir.user_config(), k_user);

  // The user file alone.
  json doc = show();
  const std::string user = dir.user_config().string();
  CHECK(setting(doc, "cloud").at("value") == json({"aws"}));
  CHECK(setting(doc, "region").at("value") == "us-east-1");
  CHECK(setting(doc, "spot").at("value") == true);
  CHECK(setting(doc, "check.max_cost_ratio").at("value") == 2);
  CHECK(setting(doc, "check.min_cost_difference_usd").at("value") == 1);
  CHECK(setting(doc, "check.fail_on").at("value") == "warn");
  for (const char* name : {"cloud", "region", "spot", "check.max_cost_ratio", "check.min_cost_difference_usd", "check.fail_on"}) {
    INFO(name);
    CHECK(setting(doc, name).at("source") == "user config");
    CHECK(setting(doc, name).at("origin") == user);
  }
  // Relative catalog paths are relative to the file that names them.
  CHECK(setting(doc, "catalog").at("value") == json({(dir.path() / "xdg" / "aiadvise" / "user-prices.json").string()}));

  // The project's "config" beats the user file; its workloads and terraform are not read here.
  TempDir::write(dir.project_config(), k_project);
  doc = show();
  CHECK(setting(doc, "cloud").at("value") == json({"gcp"}));
  CHECK(setting(doc, "region").at("value") == "europe-west4");
  CHECK(setting(doc, "spot").at("value") == false);
  CHECK(setting(doc, "check.max_cost_ratio").at("value") == 3);
  CHECK(setting(doc, "check.min_cost_difference_usd").at("value") == 2);
  CHECK(setting(doc, "check.fail_on").at("value") == "fail");
  for (const char* name : {"cloud", "region", "spot", "check.max_cost_ratio", "check.min_cost_difference_usd", "check.fail_on"}) {
    INFO(name);
    CHECK(setting(doc, name).at("source") == "project config");
    CHECK(setting(doc, name).at("origin") == "aiadvise.json");
  }
  CHECK(setting(doc, "catalog").at("value").size() == 2);  // paths accumulate

  // The environment beats both files.
  dir.env().set("AIADVISE_CLOUD", "azure,aws");
  dir.env().set("AIADVISE_REGION", "eastus");
  dir.env().set("AIADVISE_SPOT", "yes");
  dir.env().set("AIADVISE_CATALOG", "a.json:b.json");
  dir.env().set("AIADVISE_MAX_COST_RATIO", "4.5");
  dir.env().set("AIADVISE_MIN_COST_DIFFERENCE", "0");
  dir.env().set("AIADVISE_FAIL_ON", "warn");
  doc = show();
  CHECK(setting(doc, "cloud").at("value") == json({"azure", "aws"}));
  CHECK(setting(doc, "region").at("value") == "eastus");
  CHECK(setting(doc, "spot").at("value") == true);
  CHECK(setting(doc, "check.max_cost_ratio").at("value") == 4.5);
  CHECK(setting(doc, "check.min_cost_difference_usd").at("value") == 0);
  CHECK(setting(doc, "check.fail_on").at("value") == "warn");
  CHECK(setting(doc, "cloud").at("origin") == "AIADVISE_CLOUD");
  CHECK(setting(doc, "check.fail_on").at("origin") == "AIADVISE_FAIL_ON");
  for (const char* name : {"cloud", "region", "spot", "check.max_cost_ratio", "check.min_cost_difference_usd", "check.fail_on"}) {
    INFO(name);
    CHECK(setting(doc, name).at("source") == "environment");
  }
  CHECK(setting(doc, "catalog").at("value").size() == 4);
  CHECK(setting(doc, "catalog").at("value")[2] == "a.json");

  // Flags beat everything.
  doc = show({"--cloud", "gcp", "--region", "us-central1", "--max-cost-ratio", "1.2", "--min-cost-difference", "5",
              "--fail-on", "fail", "--spot"});
  CHECK(setting(doc, "cloud").at("value") == json({"gcp"}));
  CHECK(setting(doc, "region").at("value") == "us-central1");
  CHECK(setting(doc, "check.max_cost_ratio").at("value") == 1.2);
  CHECK(setting(doc, "check.min_cost_difference_usd").at("value") == 5);
  CHECK(setting(doc, "check.fail_on").at("value") == "fail");
  CHECK(setting(doc, "cloud").at("origin") == "--cloud");
  for (const char* name : {"cloud", "region", "spot", "check.max_cost_ratio", "check.min_cost_difference_usd", "check.fail_on"}) {
    INFO(name);
    CHECK(setting(doc, name).at("source") == "flag");
  }
  // AIADVISE_SPOT=no turns spot off again over a file that turned it on.
  dir.env().set("AIADVISE_SPOT", "no");
  CHECK(setting(show(), "spot").at("value") == false);

  // --no-config drops both files but keeps the environment.
  doc = show({"--no-config"});
  CHECK(doc.at("files").empty());
  CHECK(setting(doc, "region").at("value") == "eastus");
}

TEST_CASE("config: global --config FILE and $AIADVISE_CONFIG replace the user file, and must exist", "[cli][config]") {
  TempDir dir;
  TempDir::write(dir.user_config(), R"({"region": "from-xdg"})");
  TempDir::write(dir.path() / "other.json", R"({"region": "from-other"})");
  CHECK(setting(show(), "region").at("value") == "from-xdg");
  dir.env().set("AIADVISE_CONFIG", (dir.path() / "other.json").string());
  CHECK(setting(show(), "region").at("value") == "from-other");
  dir.env().unset("AIADVISE_CONFIG");
  json doc;
  {
    const auto r = run_captured({"--config", (dir.path() / "other.json").string(), "config", "show", "--format", "json"});
    REQUIRE(r.code == 0);
    doc = json::parse(r.out);
  }
  CHECK(setting(doc, "region").at("origin") == (dir.path() / "other.json").string());
  const auto missing = run_captured({"--config", "no-such-config.json", "config", "show"});
  CHECK(missing.code == aiadvise::cli::k_exit_invalid);
  CHECK(missing.out.empty());
  CHECK(missing.err.find("no-such-config.json: config file not found") != std::string::npos);
}

TEST_CASE("config: bad config files exit 2 with FILE:LINE:COL and a did-you-mean", "[cli][config]") {
  TempDir dir;
  struct Case {
    const char* text;
    const char* expected;
  };
  const std::string user = dir.user_config().string();
  for (const Case& c : std::vector<Case>{
           {"{\n  \"regoin\": \"us-east-1\"\n}", ":2:13: /regoin: unknown field 'regoin' (did you mean 'region'?)"},
           {"{\n  \"cloud\": [\"aws\", \"ibm\"]\n}", ":2:20: /cloud/1: unknown value \"ibm\""},
           {"{\n  \"cloud\": []\n}", ":2:12: /cloud: expected at least one cloud"},
           {"{\"spot\": \"yes\"}", ":1:10: /spot:"},
           {"{\"check\": {\"max_cost_ratio\": 0.5}}", "/check/max_cost_ratio: expected a number from 1 to 1000"},
           {"{\"check\": {\"fail_on\": \"warning\"}}", "/check/fail_on:"},
           {"{\"check\": {\"max_cost_raito\": 2}}", "/check/max_cost_raito: unknown field"},
           {"{\"catalog\": \"prices.json\"}", "/catalog:"},
           {"[1, 2]", "expected a settings object"},
           {"{\"region\": \"x\",}", ":1:"},
       }) {
    INFO(c.text);
    TempDir::write(dir.user_config(), c.text);
    for (const auto& args : std::vector<std::vector<std::string>>{
             {"config", "show"}, {"recommend", "--model", "llama-3.1-8b", "--qps", "1", "--format", "json"}}) {
      const auto r = run_captured(args);
      INFO(r.err);
      CHECK(r.code == aiadvise::cli::k_exit_invalid);
      CHECK(r.out.empty());
      CHECK(r.err.rfind("aiadvise: error: " + user, 0) == 0);
      CHECK(r.err.find(c.expected) != std::string::npos);
    }
  }
  TempDir::write(dir.user_config(), "{\n  \"regoin\": \"us-east-1\"\n}");
  CHECK(run_captured({"config", "show"}).err.find("(did you mean 'region'?)") != std::string::npos);

  // The project file: only its "config" object is checked here.
  fs::remove(dir.user_config());
  TempDir::write(dir.project_config(), "{\"workloads\": [], \"frobnicate\": 1,\n \"config\": {\"spto\": true}}");
  const auto r = run_captured({"config", "show"});
  CHECK(r.code == aiadvise::cli::k_exit_invalid);
  CHECK(r.err.find("aiadvise.json:2:21: /config/spto: unknown field 'spto'") != std::string::npos);
  CHECK(r.err.find("did you mean 'spot'") != std::string::npos);
  CHECK(r.err.find("frobnicate") == std::string::npos);
  // A project file with no "config" is fine.
  TempDir::write(dir.project_config(), R"({"workloads": []})");
  CHECK(run_captured({"config", "show"}).code == 0);
}

TEST_CASE("config: bad environment values exit 2 naming the variable", "[cli][config]") {
  TempDir dir;
  for (const auto& [name, value, expected] : std::vector<std::tuple<std::string, std::string, std::string>>{
           {"AIADVISE_CLOUD", "aws,ibm", "AIADVISE_CLOUD: unknown cloud 'ibm'"},
           {"AIADVISE_SPOT", "maybe", "AIADVISE_SPOT: expected true or false"},
           {"AIADVISE_MAX_COST_RATIO", "0.9", "AIADVISE_MAX_COST_RATIO: expected a number from 1 to 1000"},
           {"AIADVISE_MAX_COST_RATIO", "lots", "AIADVISE_MAX_COST_RATIO: expected a number"},
           {"AIADVISE_MIN_COST_DIFFERENCE", "-1", "AIADVISE_MIN_COST_DIFFERENCE: expected a number of at least 0"},
           {"AIADVISE_FAIL_ON", "wran", "AIADVISE_FAIL_ON: expected fail or warn, got 'wran' (did you mean 'warn'?)"},
       }) {
    INFO(name << "=" << value);
    EnvGuard guard;
    guard.set(name, value);
    const auto r = run_captured({"config", "show"});
    CHECK(r.code == aiadvise::cli::k_exit_invalid);
    CHECK(r.out.empty());
    CHECK(r.err.find("aiadvise: error: " + expected) != std::string::npos);
  }
}

TEST_CASE("config: workload defaults apply only where the workload does not say", "[cli][config]") {
  TempDir dir;
  // No config: every cloud, no region, no spot.
  json w = recommend_workload();
  CHECK(w.at("cloud") == json({"aws", "gcp", "azure"}));
  CHECK_FALSE(w.contains("region"));
  CHECK_FALSE(w.value("spot", false));

  TempDir::write(dir.user_config(), R"({"cloud": ["aws"], "region": "us-east-1", "spot": true})");
  w = recommend_workload();
  CHECK(w.at("cloud") == json({"aws"}));
  CHECK(w.at("region") == "us-east-1");
  CHECK(w.at("spot") == true);
  const std::string assumed = w.at("assumed").dump();
  CHECK(assumed.find("cloud: aws (from file " + dir.user_config().string() + ")") != std::string::npos);

  // The project file beats the user file; the environment beats both.
  TempDir::write(dir.project_config(), R"({"config": {"cloud": ["gcp"]}})");
  CHECK(recommend_workload().at("cloud") == json({"gcp"}));
  dir.env().set("AIADVISE_CLOUD", "azure");
  CHECK(recommend_workload().at("cloud") == json({"azure"}));

  // The workload file beats the configuration, and its flags beat the file.
  TempDir::write(dir.path() / "w.json", R"({"model": "llama-3.1-8b", "qps": 1, "cloud": ["aws", "gcp"], "spot": false})");
  const std::string file = (dir.path() / "w.json").string();
  const auto r = run_captured({"recommend", "--workload", file, "--top", "1", "--format", "json"});
  REQUIRE(r.code == 0);
  w = json::parse(r.out).at("workload");
  CHECK(w.at("cloud") == json({"aws", "gcp"}));
  CHECK_FALSE(w.value("spot", false));
  CHECK(w.at("region") == "us-east-1");  // not in the file: from the user config
  w = recommend_workload({"--cloud", "gcp", "--region", "europe-west4"});
  CHECK(w.at("cloud") == json({"gcp"}));
  CHECK(w.at("region") == "europe-west4");

  // estimate goes through the same reader.
  const auto e = run_captured({"estimate", "--model", "llama-3.1-8b", "--instance", "g5.xlarge", "--format", "json"});
  INFO(e.err);
  CHECK(e.code == 0);
}

TEST_CASE("config: config show prints every setting, its value and its source", "[cli][config]") {
  TempDir dir;
  TempDir::write(dir.user_config(), R"({"region": "us-east-1"})");
  dir.env().set("AIADVISE_FAIL_ON", "warn");
  const auto r = run_captured({"config", "show", "--max-cost-ratio", "2", "-o", "table"});
  INFO(r.out << r.err);
  REQUIRE(r.code == 0);
  CHECK(r.err.empty());
  for (const char* name : {"SETTING", "VALUE", "SOURCE", "cloud", "region", "spot", "catalog", "check.max_cost_ratio",
                           "check.min_cost_difference_usd", "check.fail_on"}) {
    CHECK(r.out.find(name) != std::string::npos);
  }
  CHECK(r.out.find("file " + dir.user_config().string()) != std::string::npos);
  CHECK(r.out.find("env AIADVISE_FAIL_ON") != std::string::npos);
  CHECK(r.out.find("flag --max-cost-ratio") != std::string::npos);
  CHECK(r.out.find("aws, gcp, azure (all)") != std::string::npos);
  CHECK(r.out.find("(read)") != std::string::npos);
  CHECK(r.out.find("(not found)") != std::string::npos);

  CHECK(run_captured({"config"}).code == aiadvise::cli::k_exit_invalid);
  CHECK(run_captured({"config", "show", "--format", "yaml"}).code == aiadvise::cli::k_exit_invalid);
  CHECK(run_captured({"config", "show", "--cloud", "ibm"}).code == aiadvise::cli::k_exit_invalid);
}

TEST_CASE("config: a broken config file does not break `completion`", "[cli][config]") {
  TempDir dir;
  TempDir::write(dir.user_config(), "{ not json");
  const auto r = run_captured({"completion", "bash"});
  CHECK(r.code == 0);
  CHECK(r.out.find("config") != std::string::npos);
}

TEST_CASE("config: catalog paths from a config file are loaded", "[cli][config]") {
  TempDir dir;
  TempDir::write(dir.user_config(), R"({"catalog": ["missing-prices.json"]})");
  const auto r = run_captured({"catalog", "list", "gpus"});
  CHECK(r.code == aiadvise::cli::k_exit_invalid);
  CHECK(r.err.find("missing-prices.json") != std::string::npos);
}
