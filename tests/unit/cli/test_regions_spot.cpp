// --region and --spot as a user meets them: every command prices the same way, every answer
// names its region, an unknown region is an error, and a spot pick says what it requires.

#include <catch2/catch.hpp>

#include <filesystem>
#include <nlohmann/json.hpp>

#include "aiadvise/cli/app.hpp"
#include "aiadvise/cli/exit_codes.hpp"

using aiadvise::cli::run_captured;
using nlohmann::json;
namespace exit_code = aiadvise::cli;

namespace {

json run_json(std::vector<std::string> args, int expected = 0) {
  args.push_back("--format");
  args.push_back("json");
  const auto r = run_captured(args);
  INFO(r.err);
  REQUIRE(r.code == expected);
  return json::parse(r.out);
}

std::vector<json> options_of(const json& report) {
  std::vector<json> out;
  if (!report.at("recommendation").is_null()) out.push_back(report.at("recommendation"));
  for (const auto& a : report.at("alternatives")) out.push_back(a);
  return out;
}

bool mentions(const json& reasons, const std::string& text) {
  for (const auto& r : reasons) {
    if (r.get<std::string>().find(text) != std::string::npos) return true;
  }
  return false;
}

}  // namespace

TEST_CASE("spot: recommend prices spot, cheaper than on demand, and says what serving on spot requires", "[cli][spot]") {
  const std::vector<std::string> w{"recommend", "--model", "llama-3.1-8b", "--qps", "5", "--cloud", "gcp", "--top", "20"};
  const json on_demand = run_json(w);
  auto spot_args = w;
  spot_args.push_back("--spot");
  const json spot = run_json(spot_args);
  const json& pick = spot.at("recommendation");
  REQUIRE_FALSE(pick.is_null());
  CHECK(pick.at("price_kind") == "spot");
  CHECK(pick.at("price_usd_per_hour").get<double>() < on_demand.at("recommendation").at("price_usd_per_hour").get<double>());
  CHECK(mentions(spot.at("deployment").at("reasons"), "spot: spot capacity can be reclaimed at any time with 30 seconds' notice"));
  CHECK(mentions(spot.at("deployment").at("reasons"), "at least 2 replicas"));
  // Managed options stay on demand, and say so in their price kind.
  for (const auto& o : options_of(spot)) {
    if (o.at("management") == "managed" && o.contains("price_kind")) CHECK(o.at("price_kind") == "on-demand");
  }
  for (const auto& o : options_of(on_demand)) {
    if (o.contains("price_kind")) CHECK(o.at("price_kind") == "on-demand");
  }
}

TEST_CASE("spot: a training pick on spot says it must checkpoint", "[cli][spot]") {
  const json r = run_json({"recommend", "--model", "resnet-50", "--phase", "training", "--dataset-samples", "1.28M", "--epochs", "10",
                           "--cloud", "aws", "--spot", "--ops-maturity", "high"});
  const json& pick = r.at("recommendation");
  REQUIRE_FALSE(pick.is_null());
  if (pick.at("price_kind") == "spot") {
    CHECK(mentions(r.at("deployment").at("reasons"), "2 minutes' notice"));
    CHECK(mentions(r.at("deployment").at("reasons"), "checkpoint"));
  } else {
    CHECK(mentions(r.at("deployment").at("reasons"), "spot was asked for, but the pick is priced on demand"));
  }
}

TEST_CASE("spot: estimate and check price spot like recommend does", "[cli][spot]") {
  const json od = run_json({"estimate", "--model", "llama-3.1-8b", "--instance", "g2-standard-8", "--qps", "2"});
  const json sp = run_json({"estimate", "--model", "llama-3.1-8b", "--instance", "g2-standard-8", "--qps", "2", "--spot"});
  CHECK(od.at("instance").at("price_kind") == "on-demand");
  CHECK(sp.at("instance").at("price_kind") == "spot");
  CHECK(sp.at("instance").at("price_usd_per_hour").get<double>() < od.at("instance").at("price_usd_per_hour").get<double>());
  CHECK(sp.at("instance").at("region") == "us-central1");

  const auto check_od = run_captured({"check", "--model", "llama-3.1-8b", "--qps", "2", "--proposed", "g2-standard-8", "--format", "json"});
  const auto check_sp =
      run_captured({"check", "--model", "llama-3.1-8b", "--qps", "2", "--proposed", "g2-standard-8", "--spot", "--format", "json"});
  INFO(check_od.err << check_sp.err);
  const json a = json::parse(check_od.out), b = json::parse(check_sp.out);
  const json& ea = a.at("workloads").at(0).at("estimate");
  const json& eb = b.at("workloads").at(0).at("estimate");
  CHECK(ea.at("price_kind") == "on-demand");
  CHECK(eb.at("price_kind") == "spot");
  CHECK(eb.at("price_usd_per_hour").get<double>() == Approx(sp.at("instance").at("price_usd_per_hour").get<double>()));
}

TEST_CASE("region: --region restricts and is honoured; every option names its region", "[cli][region]") {
  const json r = run_json({"recommend", "--model", "llama-3.1-70b", "--qps", "1", "--region", "eu-west-2", "--cloud", "aws", "--top", "10"});
  const auto options = options_of(r);
  REQUIRE_FALSE(options.empty());
  for (const auto& o : options) CHECK(o.at("region") == "eu-west-2");
  // One region per cloud in one list.
  const json two = run_json({"recommend", "--model", "llama-3.1-70b", "--qps", "1", "--region", "eu-west-2,europe-west4", "--cloud",
                             "aws,gcp", "--top", "20"});
  for (const auto& o : options_of(two)) {
    CHECK((o.at("region") == "eu-west-2" || o.at("region") == "europe-west4"));
  }
  CHECK(r.at("workload").at("region") == "eu-west-2");
}

TEST_CASE("region: an unknown region is exit 2 with a did-you-mean; a region a cloud does not sell in says so", "[cli][region]") {
  const auto bad = run_captured({"recommend", "--model", "llama-3.1-8b", "--region", "mars-1"});
  CHECK(bad.code == exit_code::k_exit_invalid);
  CHECK(bad.out.empty());
  CHECK(bad.err.find("unknown region 'mars-1'") != std::string::npos);
  const auto typo = run_captured({"recommend", "--model", "llama-3.1-8b", "--region", "us-east-l"});
  CHECK(typo.code == exit_code::k_exit_invalid);
  CHECK(typo.err.find("did you mean 'us-east-1'") != std::string::npos);
  const auto est = run_captured({"estimate", "--model", "llama-3.1-8b", "--instance", "g5.xlarge", "--region", "mars-1"});
  CHECK(est.code == exit_code::k_exit_invalid);

  // GCP sells nothing in an AWS region: left out, said, and no pick from it.
  const json r = run_json({"recommend", "--model", "llama-3.1-8b", "--qps", "1", "--cloud", "gcp", "--region", "us-east-1"});
  CHECK(r.at("recommendation").is_null());
  bool said = false;
  for (const auto& w : r.at("warnings")) {
    said = said || w.get<std::string>().find("no gcp instance in the catalog is offered in us-east-1") != std::string::npos;
  }
  CHECK(said);
}

TEST_CASE("region: --region any picks each instance's cheapest region, and names it", "[cli][region]") {
  const json home = run_json({"estimate", "--model", "llama-3.1-8b", "--instance", "a3-highgpu-1g", "--qps", "1"});
  const json any = run_json({"estimate", "--model", "llama-3.1-8b", "--instance", "a3-highgpu-1g", "--qps", "1", "--region", "any"});
  CHECK(home.at("instance").at("region") == "us-central1");
  CHECK(any.at("instance").at("price_usd_per_hour").get<double>() <= home.at("instance").at("price_usd_per_hour").get<double>());
  const json r = run_json({"recommend", "--model", "llama-3.1-8b", "--qps", "5", "--region", "any", "--top", "5"});
  for (const auto& o : options_of(r)) CHECK(o.contains("region"));
}

TEST_CASE("catalog diff: default against an import, in table and JSON", "[cli][catalog]") {
  const json same = run_json({"catalog", "diff", "default", "default"});
  CHECK(same.at("summary").at("price_changes") == 0);
  CHECK(same.at("summary").at("instances_added") == 0);
  const std::string fixture = std::string(AIADVISE_SOURCE_DIR) + "/tests/fixtures/skypilot/aws-odd-rows.csv";
  const std::string out = (std::filesystem::temp_directory_path() / "aiadvise-diff-test.json").string();
  REQUIRE(run_captured({"catalog", "import", "skypilot", fixture, "--cloud", "aws", "--region", "all", "-o", out}).code == 0);
  const json d = run_json({"catalog", "diff", "default", out});
  CHECK(d.at("summary").at("instances_added").get<int>() >= 1);  // x9z.4xlarge
  CHECK(d.at("summary").at("offers_added").get<int>() >= 1);      // g6.xlarge in us-west-2
  bool g5 = false;
  for (const auto& c : d.at("price_changes")) g5 = g5 || (c.at("id") == "aws-g5-xlarge" && c.at("region") == "us-east-1");
  CHECK(g5);
  const auto table = run_captured({"catalog", "diff", "default", out, "-o", "table"});
  CHECK(table.code == 0);
  CHECK(table.out.find("Price changes (USD per hour):") != std::string::npos);
  CHECK(table.out.find("New instances:") != std::string::npos);
  std::filesystem::remove(out);
  const auto missing = run_captured({"catalog", "diff", "default", "/nonexistent/file.json"});
  CHECK(missing.code == exit_code::k_exit_invalid);
}

TEST_CASE("managed: a low-ops team on GCP or Azure gets a priced managed answer, and per-token APIs are compared", "[cli][managed]") {
  SECTION("GCP: Vertex AI online prediction, priced as Compute Engine times its markup") {
    const json r = run_json({"recommend", "--model", "llama-3.1-8b", "--qps", "5", "--tpot-ms", "50", "--cloud", "gcp", "--ops-maturity", "low"});
    const json& pick = r.at("recommendation");
    REQUIRE_FALSE(pick.is_null());
    CHECK(pick.at("management") == "managed");
    CHECK(pick.at("service") == "vertex-ai-prediction");
    CHECK(pick.at("price_usd_per_hour").get<double>() > 0);
    CHECK(mentions(pick.at("notes"), "x 1.15 (Vertex AI online prediction"));
  }
  SECTION("Azure: Azure ML managed online endpoint") {
    const json r = run_json({"recommend", "--model", "llama-3.1-8b", "--qps", "5", "--tpot-ms", "50", "--cloud", "azure", "--ops-maturity", "low"});
    CHECK(r.at("recommendation").at("management") == "managed");
  }
  SECTION("per-token prices on Vertex AI and Azure AI Foundry, sourced and dated") {
    for (const auto& [cloud, service] : {std::pair{"gcp", "vertex-ai-model-api"}, std::pair{"azure", "azure-ai-foundry-models"}}) {
      const json r = run_json({"recommend", "--model", "llama-3.1-405b", "--qps", "0.2", "--cloud", cloud, "--ops-maturity", "low"});
      bool found = false;
      for (const auto& a : r.at("api_vs_self_host")) {
        if (a.at("service") != service) continue;
        found = true;
        CHECK(a.at("input_usd_per_1m_tokens").get<double>() > 0);
        CHECK_FALSE(a.at("source").get<std::string>().empty());
        CHECK_FALSE(a.at("as_of").get<std::string>().empty());
      }
      CHECK(found);
    }
  }
}
