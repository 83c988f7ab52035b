// `aiadvise catalog import skypilot`: the CSV reader, the conversion (real SkyPilot samples and odd
// rows of our own), the round trip through `catalog validate` and `recommend`, and atomic writes.

#include <catch2/catch.hpp>

#include <sys/stat.h>
#include <unistd.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <sstream>

#include "aiadvise/catalog/loader.hpp"
#include "aiadvise/catalog/skypilot.hpp"
#include "aiadvise/cli/app.hpp"
#include "aiadvise/cli/exit_codes.hpp"
#include "aiadvise/util/atomic_file.hpp"
#include "aiadvise/util/diagnostics.hpp"
#include "support/helpers.hpp"

namespace fs = std::filesystem;
namespace sky = aiadvise::catalog::skypilot;
using aiadvise::cli::run_captured;
using nlohmann::json;

namespace {

const std::string k_fixtures = std::string(AIADVISE_SOURCE_DIR) + "/tests/fixtures/skypilot/";
const std::string k_samples = std::string(AIADVISE_SHARED_DIR) + "/corpora/skypilot-sample/";

std::string read_file(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream s;
  s << in.rdbuf();
  return s.str();
}

void write_file(const std::string& path, const std::string& text) {
  std::ofstream out(path, std::ios::binary);
  out << text;
}

/// A fresh directory, removed at the end of the test.
struct TempDir {
  fs::path path;
  TempDir() {
    std::string templ = (fs::temp_directory_path() / "aiadvise-import-XXXXXX").string();
    REQUIRE(::mkdtemp(templ.data()) != nullptr);
    path = templ;
  }
  ~TempDir() {
    std::error_code ec;
    fs::permissions(path, fs::perms::owner_all, fs::perm_options::add, ec);
    fs::remove_all(path, ec);
  }
  std::string file(const std::string& name) const { return (path / name).string(); }
  std::size_t entries() const {
    std::size_t n = 0;
    for ([[maybe_unused]] const auto& e : fs::directory_iterator(path)) ++n;
    return n;
  }
};

sky::ImportResult import_file(const std::string& path, const std::string& cloud, const std::string& region = "") {
  sky::ImportOptions o;
  o.cloud = cloud;
  o.region = region;
  o.as_of = "2026-12-01";
  o.file = path;
  o.source_name = fs::path(path).filename().string();
  return sky::import_vms_csv(read_file(path), o, aiadvise::test::default_catalog());
}

const json* entry(const sky::ImportResult& r, const std::string& id) {
  for (const auto& e : r.catalog.at("instances")) {
    if (e.at("id") == id) return &e;
  }
  return nullptr;
}

/// The result merged over the default catalog must load without a diagnostic.
void require_merges(const sky::ImportResult& r) {
  auto sources = aiadvise::catalog::embedded_sources();
  sources.push_back({"imported.json", r.catalog.dump(2)});
  const auto errors = aiadvise::test::load_errors(sources);
  INFO(aiadvise::test::describe(errors));
  REQUIRE(errors.empty());
}

bool sample_present(const std::string& name) {
  if (fs::exists(k_samples + name)) return true;
  WARN("SkyPilot sample " << k_samples + name << " is absent (set up /work/shared/corpora/skypilot-sample); skipped");
  return false;
}

bool contains(const std::vector<std::string>& v, const std::string& s) { return std::find(v.begin(), v.end(), s) != v.end(); }

}  // namespace

TEST_CASE("import: CSV reader handles quotes, doubled quotes, CRLF and line breaks in fields", "[import]") {
  const auto rows = sky::parse_csv("a,b,c\r\n\"x,1\",\"say \"\"hi\"\"\",\r\n\"two\nlines\",,z\nlast,row,\"\"", "t.csv");
  REQUIRE(rows.size() == 4);
  CHECK(rows[0].fields.size() == 3);
  CHECK(rows[1].fields[0].text == "x,1");
  CHECK(rows[1].fields[1].text == "say \"hi\"");
  CHECK(rows[1].fields[2].text.empty());
  CHECK(rows[2].line == 3);
  CHECK(rows[2].fields[0].text == "two\nlines");
  CHECK(rows[2].fields[2].text == "z");
  CHECK(rows[2].fields[2].line == 4);
  CHECK(rows[2].fields[2].column == 9);
  CHECK(rows[3].line == 5);
  CHECK(rows[3].fields[2].text.empty());
  CHECK(sky::parse_csv("", "t.csv").empty());
  CHECK(sky::parse_csv("a\n\n\nb", "t.csv").size() == 2);

  try {
    sky::parse_csv("a,b\n1,\"open", "t.csv");
    FAIL("expected an error");
  } catch (const aiadvise::util::InputError& e) {
    CHECK(e.diagnostics().front().line == 2);
    CHECK(e.diagnostics().front().column == 3);
  }
  CHECK_THROWS_AS(sky::parse_csv("a,b\n\"x\"y,2\n", "t.csv"), aiadvise::util::InputError);
}

TEST_CASE("import: ids and accelerator names follow the catalog conventions", "[import]") {
  CHECK(sky::instance_id("aws", "p4d.24xlarge") == "aws-p4d-24xlarge");
  CHECK(sky::instance_id("gcp", "a2-highgpu-1g") == "gcp-a2-highgpu-1g");
  CHECK(sky::instance_id("azure", "Standard_NC24ads_A100_v4") == "azure-standard-nc24ads-a100-v4");
  CHECK(sky::reference_region("azure") == "eastus");
  CHECK(sky::accelerator_candidates("aws", "A100-80GB") == std::vector<std::string>{"nvidia-a100-80gb"});
  CHECK(sky::accelerator_candidates("aws", "Inferentia2") == std::vector<std::string>{"aws-inferentia2"});
  CHECK(sky::accelerator_candidates("gcp", "tpu-v5litepod-8") == std::vector<std::string>{"google-tpu-v5e"});
  CHECK(sky::accelerator_candidates("azure", "H100").size() == 2);
  CHECK(sky::accelerator_candidates("aws", "Gaudi").empty());
  // Every mapped id exists in the default catalog.
  for (const char* name : {"A100", "A100-80GB", "H100", "H200", "L4", "T4", "A10G", "A10", "V100", "V100-32GB", "L40S",
                           "Inferentia", "Inferentia2", "Trainium", "Trainium2", "tpu-v5litepod-1", "tpu-v5p-8", "tpu-v4-8"}) {
    for (const auto& id : sky::accelerator_candidates("aws", name)) {
      INFO(name);
      CHECK(aiadvise::test::default_catalog().hardware_by_id(id) != nullptr);
    }
  }
}

TEST_CASE("import: the real AWS sample, us-east-1 and us-west-2", "[import]") {
  if (!sample_present("aws-vms.csv")) return;
  const auto r = import_file(k_samples + "aws-vms.csv", "aws");
  CHECK(r.region == "us-east-1");
  CHECK(r.rows_read == 373);
  CHECK(r.new_ids.empty());
  CHECK(contains(r.overridden_ids, "aws-g5-xlarge"));
  const json* g5 = entry(r, "aws-g5-xlarge");
  REQUIRE(g5);
  CHECK(g5->at("price_usd_per_hour") == 1.006);
  CHECK(g5->at("spot_price_usd_per_hour") == 0.3948);  // the minimum over the zones
  CHECK(g5->at("region") == "us-east-1");
  CHECK(g5->at("price_source") == "SkyPilot vms.csv: aws-vms.csv");
  CHECK(g5->at("price_as_of") == "2026-12-01");
  CHECK(g5->at("notes").get<std::string>().find("SkyPilot import: price = minimum non-empty Price over 5 row(s)") !=
        std::string::npos);
  // p4de: duplicate rows per zone, most SpotPrice empty; the minimum of the non-empty ones.
  const json* p4de = entry(r, "aws-p4de-24xlarge");
  REQUIRE(p4de);
  CHECK(p4de->at("spot_price_usd_per_hour") == 4.6629);
  // p5e: Price empty everywhere -> unknown (null erases the default's value when merged).
  const json* p5e = entry(r, "aws-p5e-48xlarge");
  if (p5e) CHECK(p5e->at("price_usd_per_hour").is_null());
  require_merges(r);

  const auto west = import_file(k_samples + "aws-vms.csv", "aws", "us-west-2");
  CHECK(west.region == "us-west-2");
  REQUIRE(entry(west, "aws-g5-xlarge"));
  CHECK(entry(west, "aws-g5-xlarge")->at("region") == "us-west-2");
  require_merges(west);
}

TEST_CASE("import: the real GCP sample combines VM and GPU rows per zone", "[import]") {
  if (!sample_present("gcp-vms.csv")) return;
  const auto r = import_file(k_samples + "gcp-vms.csv", "gcp");
  CHECK(r.region == "us-central1");
  const json* a2 = entry(r, "gcp-a2-highgpu-1g");
  REQUIRE(a2);
  CHECK(a2->at("price_usd_per_hour").get<double>() == Approx(3.67339).epsilon(1e-12));
  CHECK(a2->at("price_parts").at("vm_usd_per_hour") == 0.73948);
  CHECK(a2->at("price_parts").at("accelerators_usd_per_hour") == 2.93391);
  CHECK(a2->at("spot_price_usd_per_hour").get<double>() == Approx(0.29576 + 1.1472));
  const json* t4 = entry(r, "gcp-n1-standard-8-t4x1");
  REQUIRE(t4);
  CHECK(t4->at("price_usd_per_hour").get<double>() == Approx(0.73));
  const json* tpu = entry(r, "gcp-tpu-v5litepod-8");
  REQUIRE(tpu);
  CHECK(tpu->at("price_usd_per_hour") == 9.6);
  // Unknown TPUs are reported, never guessed.
  bool v6e = false;
  for (const auto& w : r.warnings) v6e = v6e || w.find("'tpu-v6e-1'") != std::string::npos;
  CHECK(v6e);
  CHECK_FALSE(entry(r, "gcp-tpu-v6e-1"));
  // The stray us-central2 row is not in this region.
  CHECK_FALSE(entry(r, "gcp-n1-highmem-8"));
  require_merges(r);
}

TEST_CASE("import: odd rows: shuffled columns, CRLF, quoted fields, empty prices, float counts, unknown accelerator",
          "[import]") {
  const auto r = import_file(k_fixtures + "aws-odd-rows.csv", "aws");
  CHECK(r.rows_read == 9);
  CHECK(r.rows_in_region == 7);
  const json* g5 = entry(r, "aws-g5-xlarge");
  REQUIRE(g5);
  CHECK(g5->at("price_usd_per_hour") == 0.9);
  CHECK(g5->at("spot_price_usd_per_hour") == 0.35);
  const json* p5e = entry(r, "aws-p5e-48xlarge");
  REQUIRE(p5e);
  CHECK(p5e->at("price_usd_per_hour").is_null());
  CHECK(p5e->at("spot_price_usd_per_hour") == 12.5);
  const json* g6 = entry(r, "aws-g6-xlarge");  // both prices empty in us-east-1
  REQUIRE(g6);
  CHECK(g6->at("price_usd_per_hour").is_null());
  CHECK(g6->at("spot_price_usd_per_hour").is_null());
  // A new instance type becomes a full entry; an empty spot price is absent.
  const json* x9z = entry(r, "aws-x9z-4xlarge");
  REQUIRE(x9z);
  CHECK(contains(r.new_ids, "aws-x9z-4xlarge"));
  CHECK(x9z->at("cloud") == "aws");
  CHECK(x9z->at("name") == "x9z.4xlarge");
  CHECK(x9z->at("family") == "x9z");
  CHECK(x9z->at("vcpus") == 16.0);
  CHECK(x9z->at("memory_gib") == 64.0);
  CHECK(x9z->at("price_usd_per_hour") == 1.25);
  CHECK_FALSE(x9z->contains("spot_price_usd_per_hour"));
  CHECK_FALSE(x9z->contains("accelerator"));
  CHECK(x9z->at("source") == "SkyPilot vms.csv: aws-odd-rows.csv");
  // Unknown accelerator: skipped and reported with its rows.
  CHECK_FALSE(entry(r, "aws-dl1-24xlarge"));
  REQUIRE(r.warnings.size() >= 1);
  bool reported = false;
  for (const auto& w : r.warnings) {
    reported = reported || (w.find("'Gaudi'") != std::string::npos && w.find("aws-odd-rows.csv:6") != std::string::npos &&
                            w.find("aws-odd-rows.csv:7") != std::string::npos);
  }
  CHECK(reported);
  require_merges(r);

  const auto west = import_file(k_fixtures + "aws-odd-rows.csv", "aws", "us-west-2");
  REQUIRE(entry(west, "aws-g6-xlarge"));
  CHECK(entry(west, "aws-g6-xlarge")->at("price_usd_per_hour") == 0.5);
  CHECK(entry(west, "aws-g6-xlarge")->at("spot_price_usd_per_hour") == 0.2);
}

TEST_CASE("import: GCP odd rows: zones without a GPU row, a new GPU machine, unknown GPU, TPU", "[import]") {
  const auto r = import_file(k_fixtures + "gcp-odd-rows.csv", "gcp");
  const json* a2 = entry(r, "gcp-a2-highgpu-2g");  // only zone b has both a VM and a GPU price
  REQUIRE(a2);
  CHECK(a2->at("price_usd_per_hour").get<double>() == Approx(6.4));
  CHECK(a2->at("price_parts").at("vm_usd_per_hour") == 1.4);
  CHECK(a2->at("price_parts").at("accelerators_usd_per_hour") == 5.0);
  CHECK(a2->at("spot_price_usd_per_hour").get<double>() == Approx(2.5));
  CHECK_FALSE(entry(r, "gcp-a2-highgpu-4g"));  // no A100 x4 row: not priced
  bool skipped_4g = false;
  for (const auto& s : r.skipped) skipped_4g = skipped_4g || s.what == "a2-highgpu-4g";
  CHECK(skipped_4g);
  const json* a3g = entry(r, "gcp-a2-highgpu-3g");  // new
  REQUIRE(a3g);
  CHECK(a3g->at("accelerator") == "nvidia-a100-40gb");
  CHECK(a3g->at("accelerator_count") == 3);
  CHECK(a3g->at("price_usd_per_hour").get<double>() == Approx(9.7));
  bool p100 = false;
  for (const auto& w : r.warnings) p100 = p100 || w.find("'P100'") != std::string::npos;
  CHECK(p100);
  const json* tpu = entry(r, "gcp-tpu-v5litepod-4");
  REQUIRE(tpu);
  CHECK(tpu->at("price_usd_per_hour") == 4.9);
  CHECK(tpu->at("spot_price_usd_per_hour").is_null());
  require_merges(r);
}

TEST_CASE("import: bad input names FILE:LINE:COL and the column, exit 2", "[import]") {
  TempDir dir;
  const std::string out = dir.file("out.json");
  {
    const auto res = run_captured({"catalog", "import", "skypilot", k_fixtures + "missing-column.csv", "--cloud", "aws", "-o", out});
    CHECK(res.code == aiadvise::cli::k_exit_invalid);
    CHECK(res.out.empty());
    CHECK(res.err.find("missing-column.csv:1:1") != std::string::npos);
    CHECK(res.err.find("missing required column 'Price'") != std::string::npos);
  }
  {
    const auto res = run_captured({"catalog", "import", "skypilot", k_fixtures + "bad-number.csv", "--cloud", "aws", "-o", out});
    CHECK(res.code == aiadvise::cli::k_exit_invalid);
    CHECK(res.err.find("bad-number.csv:3:14") != std::string::npos);
    CHECK(res.err.find("column vCPUs") != std::string::npos);
  }
  {
    const auto res = run_captured({"catalog", "import", "skypilot", k_fixtures + "fractional-count.csv", "--cloud", "aws", "-o", out});
    CHECK(res.code == aiadvise::cli::k_exit_invalid);
    CHECK(res.err.find("fractional-count.csv:2:16") != std::string::npos);
    CHECK(res.err.find("AcceleratorCount") != std::string::npos);
  }
  {
    const auto res = run_captured({"catalog", "import", "skypilot", dir.file("nope.csv"), "--cloud", "aws", "-o", out});
    CHECK(res.code == aiadvise::cli::k_exit_invalid);
    CHECK(res.err.find("no such file") != std::string::npos);
  }
  CHECK(run_captured({"catalog", "import", "skypilot", k_fixtures + "aws-odd-rows.csv", "--cloud", "ibm", "-o", out}).code ==
        aiadvise::cli::k_exit_invalid);
  CHECK(run_captured({"catalog", "import", "skypilot", k_fixtures + "aws-odd-rows.csv", "--cloud", "aws", "--as-of", "soon",
                      "-o", out}).code == aiadvise::cli::k_exit_invalid);
  CHECK_FALSE(fs::exists(out));
  CHECK(dir.entries() == 0);
}

TEST_CASE("import: the output passes catalog validate, and recommend uses the imported price", "[import]") {
  TempDir dir;
  const std::string out = dir.file("user-catalog.json");
  const auto res = run_captured({"catalog", "import", "skypilot", k_fixtures + "aws-odd-rows.csv", "--cloud", "aws",
                                 "--region", "us-west-2", "--as-of", "2026-12-01", "-o", out, "--format", "json"});
  INFO(res.err);
  REQUIRE(res.code == 0);
  const json summary = json::parse(res.out);
  CHECK(summary.at("rows_read") == 9);
  CHECK(summary.at("region") == "us-west-2");
  CHECK(summary.at("instances_written") == 1);
  CHECK(summary.at("overridden") == 1);
  CHECK(summary.at("new") == 0);
  REQUIRE(fs::exists(out));
  CHECK(res.out.find("\"instances\"") == std::string::npos);  // the catalog goes only to -o

  const auto validate = run_captured({"--catalog", out, "catalog", "validate"});
  INFO(validate.err);
  CHECK(validate.code == 0);
  const auto show = run_captured({"--catalog", out, "catalog", "show", "aws-g6-xlarge", "--format", "json"});
  REQUIRE(show.code == 0);
  CHECK(json::parse(show.out).at("entry").at("price_usd_per_hour") == 0.5);

  const auto rec = run_captured({"--catalog", out, "recommend", "--model", "llama-3.1-8b", "--phase", "inference", "--mode",
                                 "realtime", "--qps", "1", "--cloud", "aws", "--region", "us-west-2", "--format", "json",
                                 "--top", "50"});
  INFO(rec.err);
  REQUIRE(rec.code == 0);
  const json report = json::parse(rec.out);
  bool found = false;
  std::vector<json> options{report.at("recommendation")};
  for (const auto& a : report.at("alternatives")) options.push_back(a);
  for (const auto& o : options) {
    if (o.value("instance_id", "") == "aws-g6-xlarge") {
      CHECK(o.at("region") == "us-west-2");
      found = found || (o.at("management") == "self-managed" && o.at("price_usd_per_hour") == 0.5);
    }
  }
  CHECK(found);

  // The table summary says the same in words.
  const auto table = run_captured({"catalog", "import", "skypilot", k_fixtures + "aws-odd-rows.csv", "--cloud", "aws", "-o", out, "--format", "table"});
  REQUIRE(table.code == 0);
  CHECK(table.out.find("read 9 rows (7 in us-east-1)") != std::string::npos);
  CHECK(table.out.find("Skipped") != std::string::npos);
  CHECK(table.err.find("aiadvise: warning: unknown SkyPilot accelerator 'Gaudi'") != std::string::npos);
}

TEST_CASE("import: atomic write replaces the file, or leaves it byte-identical with no temp file", "[import]") {
  using aiadvise::util::write_file_atomic;
  namespace hook = aiadvise::util::testing;
  TempDir dir;
  const std::string target = dir.file("catalog.json");
  const std::string old_bytes = "{\"instances\": []}\n old bytes \x01\x02";
  write_file(target, old_bytes);

  write_file_atomic(target, "new");
  CHECK(read_file(target) == "new");
  CHECK(dir.entries() == 1);
  write_file(target, old_bytes);

  const std::string big(1 << 20, 'x');
  for (const char* stage : {"write", "fsync", "verify", "rename"}) {
    INFO(stage);
    hook::write_fault = [stage](std::string_view s) { return s == stage; };
    CHECK_THROWS_AS(write_file_atomic(target, big), aiadvise::util::WriteError);
    hook::write_fault = nullptr;
    CHECK(read_file(target) == old_bytes);
    CHECK(dir.entries() == 1);  // no temporary file left behind
  }

  // Through the command: exit 4, old file intact.
  hook::write_fault = [](std::string_view s) { return s == "write"; };
  const auto res = run_captured({"catalog", "import", "skypilot", k_fixtures + "aws-odd-rows.csv", "--cloud", "aws", "-o", target});
  hook::write_fault = nullptr;
  CHECK(res.code == aiadvise::cli::k_exit_io);
  CHECK(res.out.empty());
  CHECK(res.err.find("cannot write") != std::string::npos);
  CHECK(read_file(target) == old_bytes);
  CHECK(dir.entries() == 1);

  // A directory that does not exist, and a target that is a directory.
  CHECK_THROWS_AS(write_file_atomic(dir.file("missing/x.json"), "x"), aiadvise::util::WriteError);
  fs::create_directory(dir.file("sub"));
  CHECK_THROWS_AS(write_file_atomic(dir.file("sub"), "x"), aiadvise::util::WriteError);
  CHECK(fs::is_directory(dir.file("sub")));
}

TEST_CASE("import: atomic write into an unwritable directory fails cleanly", "[import]") {
  // /proc refuses new files even to root.
  if (fs::is_directory("/proc/self")) {
    CHECK_THROWS_AS(aiadvise::util::write_file_atomic("/proc/aiadvise-import-test.json", "x"), aiadvise::util::WriteError);
    const auto res = run_captured({"catalog", "import", "skypilot", k_fixtures + "aws-odd-rows.csv", "--cloud", "aws", "-o",
                                   "/proc/aiadvise-import-test.json"});
    CHECK(res.code == aiadvise::cli::k_exit_io);
    CHECK(res.err.find("cannot create a temporary file") != std::string::npos);
  }
  if (::geteuid() == 0) {
    WARN("running as root: directory permissions do not stop writes; unwritable-directory check skipped");
    return;
  }
  TempDir dir;
  const std::string target = dir.file("catalog.json");
  write_file(target, "old");
  fs::permissions(dir.path, fs::perms::owner_read | fs::perms::owner_exec);
  CHECK_THROWS_AS(aiadvise::util::write_file_atomic(target, "new"), aiadvise::util::WriteError);
  const auto res = run_captured({"catalog", "import", "skypilot", k_fixtures + "aws-odd-rows.csv", "--cloud", "aws", "-o", target});
  CHECK(res.code == aiadvise::cli::k_exit_io);
  fs::permissions(dir.path, fs::perms::owner_all);
  CHECK(read_file(target) == "old");
  CHECK(dir.entries() == 1);
}
