// The command line in-process: exit codes, where output goes, and nothing on stdout on error.

#include <catch2/catch.hpp>

#include <set>

#include <cstdio>
#include <fstream>
#include <nlohmann/json.hpp>

#include "aiadvise/cli/app.hpp"
#include "aiadvise/cli/exit_codes.hpp"

using aiadvise::cli::run_captured;
namespace exit_code = aiadvise::cli;

TEST_CASE("cli: --version prints the version and the catalog date", "[cli]") {
  const auto r = run_captured({"--version"});
  CHECK(r.code == exit_code::k_exit_ok);
  CHECK(r.out.rfind("aiadvise 0.1.0 (catalog 20", 0) == 0);
}

TEST_CASE("cli: --help lists subcommands and examples on stdout", "[cli]") {
  const auto r = run_captured({"--help"});
  CHECK(r.code == exit_code::k_exit_ok);
  CHECK(r.out.find("catalog") != std::string::npos);
  CHECK(r.out.find("Examples:") != std::string::npos);
  CHECK(r.err.empty());
}

TEST_CASE("cli: usage errors exit 2 with nothing on stdout", "[cli]") {
  for (const auto& args : std::vector<std::vector<std::string>>{
           {"frobnicate"}, {"catalog", "list", "gpuz"}, {"catalog", "list", "instances", "--cloud", "ibm"},
           {"catalog", "list", "instances", "--vcpus", "many"}, {"--max-depth", "0", "catalog", "validate"}}) {
    const auto r = run_captured(args);
    INFO(r.err);
    CHECK(r.code == exit_code::k_exit_invalid);
    CHECK(r.out.empty());
    CHECK(r.err.rfind("aiadvise: error: ", 0) == 0);
  }
}

TEST_CASE("cli: catalog list instances --format json lists 120+ priced, sourced instances", "[cli][catalog]") {
  const auto r = run_captured({"catalog", "list", "instances", "--format", "json"});
  REQUIRE(r.code == 0);
  const auto doc = nlohmann::json::parse(r.out);
  const auto& items = doc.at("instances");
  CHECK(items.size() >= 120);
  // One row per instance and region, each naming its cloud, instance, region and prices.
  std::size_t complete = 0;
  std::set<std::string> ids;
  for (const auto& i : items) {
    REQUIRE(i.contains("cloud"));
    REQUIRE(i.contains("instance"));
    REQUIRE(i.contains("region"));
    REQUIRE(i.contains("spot_price_usd_per_hour"));
    complete += i.at("price_usd_per_hour").is_number() && !i.at("price_source").get<std::string>().empty() &&
                i.at("price_as_of").get<std::string>().size() == 10;
    ids.insert(i.at("id").get<std::string>());
  }
  CHECK(complete >= 120);
  CHECK(items.size() > ids.size());  // several regions per instance
}

TEST_CASE("cli: catalog list filters like an instance selector", "[cli][catalog]") {
  const auto r = run_captured({"catalog", "list", "instances", "--cloud", "aws", "--accelerator", "gpu",
                               "--min-accelerator-memory", "70", "--format", "json"});
  REQUIRE(r.code == 0);
  const auto items = nlohmann::json::parse(r.out).at("instances");
  REQUIRE_FALSE(items.empty());
  for (const auto& i : items) {
    CHECK(i.at("cloud") == "aws");
    const std::string acc = i.at("accelerator").get<std::string>();
    CHECK((acc.find("a100-80gb") != std::string::npos || acc.find("h100") != std::string::npos ||
           acc.find("h200") != std::string::npos || acc.find("b200") != std::string::npos));
  }
  const auto cheap = run_captured({"catalog", "list", "instances", "--max-price", "0.2", "--vcpus", "2-4", "--format", "json"});
  const auto cheap_doc = nlohmann::json::parse(cheap.out);
  for (const auto& i : cheap_doc.at("instances")) {
    CHECK(i.at("price_usd_per_hour").get<double>() <= 0.2);
    CHECK(i.at("vcpus").get<double>() <= 4);
  }
}

TEST_CASE("cli: catalog show finds an instance by its cloud name and shows origins", "[cli][catalog]") {
  const auto r = run_captured({"catalog", "show", "p4d.24xlarge", "--origin", "--format", "json"});
  REQUIRE(r.code == 0);
  const auto doc = nlohmann::json::parse(r.out);
  CHECK(doc.at("entry").at("id") == "aws-p4d-24xlarge");
  CHECK(doc.at("origin").at("fields").at("offers") == "data/catalog/instances-aws.json");
  const auto missing = run_captured({"catalog", "show", "llama-2-7"});
  CHECK(missing.code == exit_code::k_exit_invalid);
  CHECK(missing.out.empty());
  CHECK(missing.err.find("did you mean 'llama-2-7b'?") != std::string::npos);
}

TEST_CASE("cli: catalog validate reports a bad user catalog with file, line and column", "[cli][catalog]") {
  const std::string path = "test_cli_bad_catalog.json";
  {
    std::ofstream f(path);
    f << "{\"instances\": [\n  {\"id\": \"aws-p4d-24xlarge\", \"price_usd_per_hour\": \"1,20\"}\n]}\n";
  }
  const auto r = run_captured({"catalog", "validate", path});
  std::remove(path.c_str());
  CHECK(r.code == exit_code::k_exit_invalid);
  CHECK(r.out.empty());
  CHECK(r.err == "aiadvise: error: test_cli_bad_catalog.json:2:52: /instances/0/price_usd_per_hour: "
                 "expected a number from 1e-06 to 1000000, got \"1,20\"\n");
}

TEST_CASE("cli: a user catalog override is used and shown with its origin", "[cli][catalog]") {
  const std::string path = "test_cli_override.json";
  {
    std::ofstream f(path);
    f << R"({"instances": [{"id": "aws-p4d-24xlarge", "price_usd_per_hour": 19.5, "price_source": "contract", "price_as_of": "2026-10-01"}]})";
  }
  const auto r = run_captured({"--catalog", path, "catalog", "show", "aws-p4d-24xlarge", "--origin", "--format", "json"});
  std::remove(path.c_str());
  REQUIRE(r.code == 0);
  const auto doc = nlohmann::json::parse(r.out);
  CHECK(doc.at("entry").at("price_usd_per_hour") == 19.5);
  CHECK(doc.at("origin").at("fields").at("price_usd_per_hour") == path);
}

TEST_CASE("cli: missing and directory paths are input errors naming the path", "[cli]") {
  const auto missing = run_captured({"--catalog", "no/such/file.json", "catalog", "validate"});
  CHECK(missing.code == exit_code::k_exit_invalid);
  CHECK(missing.err == "aiadvise: error: no/such/file.json: cannot read: no such file\n");
}
