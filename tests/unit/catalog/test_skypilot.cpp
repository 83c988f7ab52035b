// `aiadvise catalog import skypilot`: the CSV reader, the conversion (real SkyPilot samples and odd
// rows of our own), the round trip through `catalog validate` and `recommend`, and atomic writes.

#include <catch2/catch.hpp>

#include <sys/stat.h>
#include <unistd.h>

#include <cstdlib>
#include <filesystem>
#include <map>
#include <optional>
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

/// The entry's offer for a region as an object (the compact [region, price, spot, zones] of a new
/// entry is spelled out), or nothing.
std::optional<json> offer(const sky::ImportResult& r, const std::string& id, const std::string& region) {
  const json* e = entry(r, id);
  if (!e || !e->contains("offers")) return std::nullopt;
  for (const auto& o : e->at("offers")) {
    if (o.is_object() && o.at("region") == region) return o;
    if (o.is_array() && o.at(0) == region) {
      json x = {{"region", region}};
      if (!o.at(1).is_null()) x["price_usd_per_hour"] = o.at(1);
      if (!o.at(2).is_null()) x["spot_price_usd_per_hour"] = o.at(2);
      if (!o.at(3).is_null()) x["zones"] = o.at(3);
      return x;
    }
  }
  return std::nullopt;
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
  CHECK(sky::accelerator_candidates("aws", "B200") == std::vector<std::string>{"nvidia-b200"});
  CHECK(sky::accelerator_candidates("azure", "MI300X") == std::vector<std::string>{"amd-mi300x"});
  CHECK(sky::accelerator_candidates("gcp", "tpu-v6e-8") == std::vector<std::string>{"google-tpu-v6e"});
  CHECK(sky::cloud_of_region_name("us-east-1") == "aws");
  CHECK(sky::cloud_of_region_name("europe-west10") == "gcp");
  CHECK(sky::cloud_of_region_name("germanywestcentral") == "azure");
  CHECK_FALSE(sky::cloud_of_region_name("Mars 1"));
  // Every mapped id exists in the default catalog.
  for (const char* name : {"A100", "A100-80GB", "H100", "H200", "L4", "T4", "A10G", "A10", "V100", "V100-32GB", "L40S", "B200",
                           "GB200", "MI300X", "Inferentia", "Inferentia2", "Trainium", "Trainium2", "tpu-v5litepod-1", "tpu-v5p-8",
                           "tpu-v4-8", "tpu-v6e-8"}) {
    for (const auto& id : sky::accelerator_candidates("aws", name)) {
      INFO(name);
      CHECK(aiadvise::test::default_catalog().hardware_by_id(id) != nullptr);
    }
  }
}

TEST_CASE("import: the real AWS sample, us-east-1 and us-west-2", "[import]") {
  if (!sample_present("aws-vms.csv")) return;
  const auto r = import_file(k_samples + "aws-vms.csv", "aws");
  CHECK(r.regions == std::vector<std::string>{"us-east-1"});
  CHECK(r.rows_read == 373);
  CHECK(r.rows_bad == 0);
  CHECK(contains(r.overridden_ids, "aws-g5-xlarge"));
  const auto g5 = offer(r, "aws-g5-xlarge", "us-east-1");
  REQUIRE(g5);
  CHECK(g5->at("price_usd_per_hour") == 1.006);
  CHECK(g5->at("spot_price_usd_per_hour") == 0.3948);  // the minimum over the zones
  CHECK(g5->at("source") == "SkyPilot vms.csv: aws-vms.csv");
  CHECK(g5->at("as_of") == "2026-12-01");
  CHECK(g5->at("zones").get<int>() >= 1);
  CHECK(entry(r, "aws-g5-xlarge")->at("notes").get<std::string>().find("SkyPilot import: price = minimum non-empty Price") !=
        std::string::npos);
  // p4de: duplicate rows per zone, most SpotPrice empty; the minimum of the non-empty ones.
  const auto p4de = offer(r, "aws-p4de-24xlarge", "us-east-1");
  REQUIRE(p4de);
  CHECK(p4de->at("spot_price_usd_per_hour") == 4.6629);
  // p5e: Price empty everywhere -> unknown (null erases a value when merged).
  if (const auto p5e = offer(r, "aws-p5e-48xlarge", "us-east-1")) CHECK(p5e->at("price_usd_per_hour").is_null());
  require_merges(r);

  const auto west = import_file(k_samples + "aws-vms.csv", "aws", "us-west-2");
  CHECK(west.regions == std::vector<std::string>{"us-west-2"});
  REQUIRE(offer(west, "aws-g5-xlarge", "us-west-2"));
  CHECK_FALSE(offer(west, "aws-g5-xlarge", "us-east-1"));
  require_merges(west);

  // Every region at once: one entry per type, an offer per region.
  const auto all = import_file(k_samples + "aws-vms.csv", "aws", "all");
  CHECK(all.regions.size() > 2);
  CHECK(offer(all, "aws-g5-xlarge", "us-east-1"));
  CHECK(offer(all, "aws-g5-xlarge", "us-west-2"));
  CHECK(all.offers_written > all.catalog.at("instances").size());
  require_merges(all);
}

TEST_CASE("import: the real GCP sample combines VM and GPU rows per zone", "[import]") {
  if (!sample_present("gcp-vms.csv")) return;
  const auto r = import_file(k_samples + "gcp-vms.csv", "gcp");
  CHECK(r.regions == std::vector<std::string>{"us-central1"});
  const auto a2 = offer(r, "gcp-a2-highgpu-1g", "us-central1");
  REQUIRE(a2);
  CHECK(a2->at("price_usd_per_hour").get<double>() == Approx(3.67339).epsilon(1e-12));
  CHECK(entry(r, "gcp-a2-highgpu-1g")->at("price_parts").at("vm_usd_per_hour") == 0.73948);
  CHECK(entry(r, "gcp-a2-highgpu-1g")->at("price_parts").at("accelerators_usd_per_hour") == 2.93391);
  CHECK(a2->at("spot_price_usd_per_hour").get<double>() == Approx(0.29576 + 1.1472));
  const auto t4 = offer(r, "gcp-n1-standard-8-t4x1", "us-central1");
  REQUIRE(t4);
  CHECK(t4->at("price_usd_per_hour").get<double>() == Approx(0.73));
  const auto tpu = offer(r, "gcp-tpu-v5litepod-8", "us-central1");
  REQUIRE(tpu);
  CHECK(tpu->at("price_usd_per_hour") == 9.6);
  // v6e slices are in the catalog now: priced, never guessed.
  if (const auto v6e = offer(r, "gcp-tpu-v6e-1", "us-central1")) CHECK(v6e->at("price_usd_per_hour").is_number());
  // The stray us-central2 row is not in this region.
  CHECK_FALSE(entry(r, "gcp-n1-highmem-8"));
  require_merges(r);
}

TEST_CASE("import: odd rows: shuffled columns, CRLF, quoted fields, empty prices, float counts, unknown accelerator",
          "[import]") {
  const auto r = import_file(k_fixtures + "aws-odd-rows.csv", "aws");
  CHECK(r.rows_read == 9);
  CHECK(r.rows_in_region == 7);
  const auto g5 = offer(r, "aws-g5-xlarge", "us-east-1");
  REQUIRE(g5);
  CHECK(g5->at("price_usd_per_hour") == 0.9);
  CHECK(g5->at("spot_price_usd_per_hour") == 0.35);
  CHECK(g5->at("zones") == 2);
  const auto p5e = offer(r, "aws-p5e-48xlarge", "us-east-1");
  REQUIRE(p5e);
  CHECK(p5e->at("price_usd_per_hour").is_null());
  CHECK(p5e->at("spot_price_usd_per_hour") == 12.5);
  const auto g6 = offer(r, "aws-g6-xlarge", "us-east-1");  // both prices empty in us-east-1
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
  CHECK(x9z->at("region") == "us-east-1");
  CHECK(offer(r, "aws-x9z-4xlarge", "us-east-1")->at("price_usd_per_hour") == 1.25);
  CHECK_FALSE(offer(r, "aws-x9z-4xlarge", "us-east-1")->contains("spot_price_usd_per_hour"));
  CHECK_FALSE(x9z->contains("accelerator"));
  CHECK(x9z->at("source") == "SkyPilot vms.csv: aws-odd-rows.csv");
  // Unknown accelerator: skipped and reported with its rows and their count.
  CHECK_FALSE(entry(r, "aws-dl1-24xlarge"));
  bool reported = false;
  for (const auto& w : r.warnings) {
    reported = reported || (w.find("'Gaudi'") != std::string::npos && w.find("2 row(s) skipped") != std::string::npos &&
                            w.find("aws-odd-rows.csv:6") != std::string::npos && w.find("aws-odd-rows.csv:7") != std::string::npos);
  }
  CHECK(reported);
  require_merges(r);

  const auto west = import_file(k_fixtures + "aws-odd-rows.csv", "aws", "us-west-2");
  REQUIRE(offer(west, "aws-g6-xlarge", "us-west-2"));
  CHECK(offer(west, "aws-g6-xlarge", "us-west-2")->at("price_usd_per_hour") == 0.5);
  CHECK(offer(west, "aws-g6-xlarge", "us-west-2")->at("spot_price_usd_per_hour") == 0.2);
  // Two regions listed: both, one offer each.
  const auto both = import_file(k_fixtures + "aws-odd-rows.csv", "aws", "us-east-1,us-west-2");
  CHECK(both.regions == std::vector<std::string>{"us-east-1", "us-west-2"});
  CHECK(offer(both, "aws-g6-xlarge", "us-east-1"));
  CHECK(offer(both, "aws-g6-xlarge", "us-west-2"));
}

TEST_CASE("import: GCP odd rows: zones without a GPU row, a new GPU machine, unknown GPU, TPU", "[import]") {
  const auto r = import_file(k_fixtures + "gcp-odd-rows.csv", "gcp");
  const auto a2 = offer(r, "gcp-a2-highgpu-2g", "us-central1");  // only zone b has both a VM and a GPU price
  REQUIRE(a2);
  CHECK(a2->at("price_usd_per_hour").get<double>() == Approx(6.4));
  CHECK(entry(r, "gcp-a2-highgpu-2g")->at("price_parts").at("vm_usd_per_hour") == 1.4);
  CHECK(entry(r, "gcp-a2-highgpu-2g")->at("price_parts").at("accelerators_usd_per_hour") == 5.0);
  CHECK(a2->at("spot_price_usd_per_hour").get<double>() == Approx(2.5));
  CHECK_FALSE(entry(r, "gcp-a2-highgpu-4g"));  // no A100 x4 row: not priced
  bool skipped_4g = false;
  for (const auto& s : r.skipped) skipped_4g = skipped_4g || s.what == "a2-highgpu-4g";
  CHECK(skipped_4g);
  const json* a3g = entry(r, "gcp-a2-highgpu-3g");  // new
  REQUIRE(a3g);
  CHECK(a3g->at("accelerator") == "nvidia-a100-40gb");
  CHECK(a3g->at("accelerator_count") == 3);
  CHECK(offer(r, "gcp-a2-highgpu-3g", "us-central1")->at("price_usd_per_hour").get<double>() == Approx(9.7));
  bool p100 = false;
  for (const auto& w : r.warnings) p100 = p100 || w.find("'P100'") != std::string::npos;
  CHECK(p100);
  const auto tpu = offer(r, "gcp-tpu-v5litepod-4", "us-central1");
  REQUIRE(tpu);
  CHECK(tpu->at("price_usd_per_hour") == 4.9);
  CHECK(tpu->at("spot_price_usd_per_hour").is_null());
  require_merges(r);
}

TEST_CASE("import: TPU host VMs give new slices their host, never become CPU instances; A4 is priced by its GPU row",
          "[import]") {
  const auto r = import_file(k_fixtures + "gcp-tpu-host.csv", "gcp", "all");
  CHECK_FALSE(entry(r, "gcp-n2d-192-112-v5lite-tpu"));
  bool host_skipped = false;
  for (const auto& s : r.skipped) host_skipped = host_skipped || (s.what == "n2d-192-112-v5lite-tpu" && s.reason.find("TPU host") != std::string::npos);
  CHECK(host_skipped);
  const json* pod = entry(r, "gcp-tpu-v5litepod-512");  // a new slice: 128 hosts of 4 chips
  REQUIRE(pod);
  CHECK(pod->at("accelerator") == "google-tpu-v5e");
  CHECK(pod->at("accelerator_count") == 512);
  CHECK(pod->at("vcpus") == 112.0 * 128);
  CHECK(pod->at("memory_gib") == 192.0 * 128);
  CHECK(offer(r, "gcp-tpu-v5litepod-512", "us-central1")->at("price_usd_per_hour") == 614.4);
  // An existing slice gets an offer per region.
  CHECK(offer(r, "gcp-tpu-v5litepod-8", "europe-west4")->at("price_usd_per_hour") == 12.48);
  // A4: a VM row of 0.0 plus the B200 row: the GPU row is the whole price.
  const auto a4 = offer(r, "gcp-a4-highgpu-8g", "us-central1");
  REQUIRE(a4);
  CHECK(a4->at("price_usd_per_hour") == 90.216);
  CHECK(a4->at("spot_price_usd_per_hour") == 34.2368);
  require_merges(r);
}

TEST_CASE("import: a new TPU slice whose hosts add up past the catalog's limits is skipped, not written", "[import]") {
  // Found by the skypilot fuzz target: 128 hosts of 11,120 vCPUs made a slice of 1,423,360 vCPUs,
  // which the import wrote and the catalog then refused to load.
  const auto r = import_file(k_fixtures + "gcp-tpu-host-huge.csv", "gcp", "all");
  CHECK_FALSE(entry(r, "gcp-tpu-v5litepod-512"));
  bool named = false;
  for (const auto& s : r.skipped) {
    named = named || (s.what == "tpu-v5litepod-512" && s.reason.find("exceed the catalog's limits") != std::string::npos);
  }
  CHECK(named);
  CHECK(offer(r, "gcp-tpu-v5litepod-8", "us-central1"));  // the rest of the file is imported
  require_merges(r);
}

TEST_CASE("import: fractional GPU counts are a share of one GPU; a bad row is skipped and counted", "[import]") {
  const auto r = import_file(k_fixtures + "azure-fractional.csv", "azure", "all");
  CHECK(r.rows_read == 9);
  CHECK(r.rows_bad == 1);  // AcceleratorCount 1.5 is neither whole nor a fraction of one GPU
  // Azure's Generation column "V1,V2" unquoted: the extra field belongs to the last, unused column.
  REQUIRE(offer(r, "azure-standard-d2s-v5", "eastus"));
  CHECK(offer(r, "azure-standard-d2s-v5", "eastus")->at("price_usd_per_hour") == 0.096);
  bool overflow = false;
  for (const auto& w : r.warnings) overflow = overflow || w.find("1 row(s) have more fields than the header") != std::string::npos;
  CHECK(overflow);
  REQUIRE(r.bad.size() == 1);
  CHECK(r.bad[0].line == 9);
  CHECK(r.bad[0].message.find("AcceleratorCount") != std::string::npos);
  const auto nv6 = offer(r, "azure-standard-nv6ads-a10-v5", "westeurope");
  REQUIRE(nv6);
  CHECK(nv6->at("price_usd_per_hour") == 0.59);
  CHECK(offer(r, "azure-standard-nv6ads-a10-v5", "eastus"));
  // A new fractional size would carry its share; the catalog's own entries keep their specification.
  const auto& c = aiadvise::test::default_catalog();
  REQUIRE(c.instance("Standard_NV6ads_A10_v5"));
  CHECK(c.instance("Standard_NV6ads_A10_v5")->accelerator_share == Approx(0.167));
  // Unknown accelerators are named with their row count.
  bool mi25 = false;
  for (const auto& w : r.warnings) mi25 = mi25 || (w.find("'MI25'") != std::string::npos && w.find("2 row(s)") != std::string::npos);
  CHECK(mi25);
  require_merges(r);

  // A new fractional size: written as accelerator_count 1 with the share, and it loads.
  std::string text = read_file(k_fixtures + "azure-fractional.csv");
  text += "Standard_NV3ads_A10_v9,A10,0.25,3,27,,0.2,0.05,eastus,V2\n";
  sky::ImportOptions o;
  o.cloud = "azure";
  o.region = "all";
  o.as_of = "2026-12-01";
  o.file = "frac.csv";
  o.source_name = "frac.csv";
  const auto more = sky::import_vms_csv(text, o, aiadvise::test::default_catalog());
  const json* nv3 = entry(more, "azure-standard-nv3ads-a10-v9");
  REQUIRE(nv3);
  CHECK(nv3->at("accelerator_count") == 1);
  CHECK(nv3->at("accelerator_share") == 0.25);
  require_merges(more);

  // --strict: the bad row fails the import, naming it.
  o.strict = true;
  try {
    sky::import_vms_csv(text, o, aiadvise::test::default_catalog());
    FAIL("expected an error");
  } catch (const aiadvise::util::InputError& e) {
    CHECK(e.diagnostics().front().line == 9);
  }
}

TEST_CASE("import: a file of another cloud is refused; another cloud's row is a bad row", "[import]") {
  TempDir dir;
  const std::string out = dir.file("out.json");
  const auto res = run_captured({"catalog", "import", "skypilot", k_fixtures + "gcp-odd-rows.csv", "--cloud", "azure", "-o", out});
  CHECK(res.code == aiadvise::cli::k_exit_invalid);
  CHECK(res.out.empty());
  CHECK(res.err.find("looks like SkyPilot's gcp catalog, not azure") != std::string::npos);
  CHECK_FALSE(fs::exists(out));
  const auto aws = run_captured({"catalog", "import", "skypilot", k_fixtures + "azure-fractional.csv", "--cloud", "aws", "-o", out});
  CHECK(aws.code == aiadvise::cli::k_exit_invalid);
  CHECK(aws.err.find("looks like SkyPilot's azure catalog, not aws") != std::string::npos);
  CHECK_FALSE(fs::exists(out));
}

TEST_CASE("import: hostile rows are skipped and named by CSV line: huge counts, invalid UTF-8, subnormal prices",
          "[import]") {
  const auto r = import_file(k_fixtures + "hostile.csv", "aws", "all");
  CHECK(r.rows_read == 6);
  CHECK(r.rows_bad == 5);
  std::map<std::size_t, std::string> bad;
  for (const auto& d : r.bad) bad[d.line] = d.message;
  CHECK(bad[3].find("AcceleratorCount") != std::string::npos);  // 1e10: no cast of an out-of-range double
  CHECK(bad[4].find("AvailabilityZone") != std::string::npos);  // a zone with byte 0xFF
  CHECK(bad[5].find("outside 1e-06 to 100000") != std::string::npos);  // a price of 1e-320
  CHECK(bad[6].find("is a gcp region, not aws") != std::string::npos);
  CHECK(bad[7].find("expected 10 fields") != std::string::npos);
  // What is written loads, and every string of it is valid JSON text.
  REQUIRE(entry(r, "aws-m5-xlarge"));
  CHECK_NOTHROW(json::parse(r.catalog.dump()));
  require_merges(r);

  // Through the command: exit 0 with the good row, each bad row a warning naming FILE:LINE:COL.
  TempDir dir;
  const std::string out = dir.file("out.json");
  const auto res = run_captured({"catalog", "import", "skypilot", k_fixtures + "hostile.csv", "--cloud", "aws", "--region", "all", "-o", out});
  INFO(res.err);
  CHECK(res.code == 0);
  CHECK(res.err.find("hostile.csv:3:") != std::string::npos);
  CHECK(res.err.find("(row skipped)") != std::string::npos);
  CHECK(res.err.find("\xff") == std::string::npos);  // escaped, not echoed
  CHECK(run_captured({"--catalog", out, "recommend", "--model", "resnet-50", "--qps", "5", "--format", "json"}).code == 0);
  // --strict: nothing written, exit 2.
  const std::string strict_out = dir.file("strict.json");
  const auto strict = run_captured({"catalog", "import", "skypilot", k_fixtures + "hostile.csv", "--cloud", "aws", "--region", "all",
                                    "--strict", "-o", strict_out});
  CHECK(strict.code == aiadvise::cli::k_exit_invalid);
  CHECK_FALSE(fs::exists(strict_out));
}

TEST_CASE("import: a header of millions of commas gives one bounded diagnostic", "[import]") {
  std::string text(10 << 20, ',');
  text += "\nm5.xlarge\n";
  sky::ImportOptions o;
  o.cloud = "aws";
  o.file = "commas.csv";
  o.source_name = "commas.csv";
  o.as_of = "2026-12-01";
  try {
    sky::import_vms_csv(text, o, aiadvise::test::default_catalog());
    FAIL("expected an error");
  } catch (const aiadvise::util::InputError& e) {
    std::size_t bytes = 0;
    for (const auto& d : e.diagnostics()) bytes += d.message.size();
    CHECK(e.diagnostics().size() == 1);
    CHECK(bytes < 1000);
    CHECK(e.diagnostics().front().message.find("10485761 fields") != std::string::npos);
  }
  // A header that lacks columns lists at most 20 of its names.
  std::string many = "InstanceType";
  for (int k = 0; k < 200; ++k) many += ",c" + std::to_string(k);
  try {
    sky::import_vms_csv(many + "\n", o, aiadvise::test::default_catalog());
    FAIL("expected an error");
  } catch (const aiadvise::util::InputError& e) {
    std::size_t bytes = 0;
    for (const auto& d : e.diagnostics()) bytes += d.message.size();
    CHECK(bytes < 8 * 1000);
    CHECK(e.diagnostics().front().message.find("and 181 more") != std::string::npos);
  }
}

TEST_CASE("import: regional imports coexist: two files of two regions merge by region", "[import]") {
  TempDir dir;
  const std::string east = dir.file("east.json"), west = dir.file("west.json");
  REQUIRE(run_captured({"catalog", "import", "skypilot", k_fixtures + "aws-odd-rows.csv", "--cloud", "aws", "--region", "us-east-1",
                        "--as-of", "2026-12-01", "-o", east}).code == 0);
  REQUIRE(run_captured({"catalog", "import", "skypilot", k_fixtures + "aws-odd-rows.csv", "--cloud", "aws", "--region", "us-west-2",
                        "--as-of", "2026-12-01", "-o", west}).code == 0);
  aiadvise::catalog::LoadOptions o;
  o.paths = {east, west};
  const auto c = aiadvise::catalog::load_catalog(o);
  const auto* g5 = c.instance("aws-g5-xlarge");
  REQUIRE(g5);
  REQUIRE(g5->offer_in("us-east-1"));
  CHECK(g5->offer_in("us-east-1")->price_usd_per_hour == 0.9);
  const auto* g6 = c.instance("aws-g6-xlarge");
  REQUIRE(g6);
  REQUIRE(g6->offer_in("us-west-2"));
  CHECK(g6->offer_in("us-west-2")->price_usd_per_hour == 0.5);
  // The west file did not erase the east offer, nor the default catalog's other regions.
  CHECK(g6->offer_in("us-east-1"));
  CHECK(g6->offers.size() >= 2);
  // recommend sees both regions.
  const auto rec = run_captured({"--catalog", east, "--catalog", west, "recommend", "--model", "llama-3.1-8b", "--qps", "1", "--cloud",
                                 "aws", "--region", "us-west-2", "--format", "json", "--top", "50"});
  INFO(rec.err);
  REQUIRE(rec.code == 0);
  const json report = json::parse(rec.out);
  std::vector<json> options{report.at("recommendation")};
  for (const auto& a : report.at("alternatives")) options.push_back(a);
  for (const auto& opt : options) CHECK(opt.at("region") == "us-west-2");
}

TEST_CASE("import: bad input names FILE:LINE:COL and the column", "[import]") {
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
    // A bad row is skipped and counted; the good one is imported.
    const auto res = run_captured({"catalog", "import", "skypilot", k_fixtures + "bad-number.csv", "--cloud", "aws", "-o", out});
    CHECK(res.code == 0);
    CHECK(res.err.find("bad-number.csv:3:14") != std::string::npos);
    CHECK(res.err.find("column vCPUs") != std::string::npos);
    fs::remove(out);
    const auto strict = run_captured({"catalog", "import", "skypilot", k_fixtures + "bad-number.csv", "--cloud", "aws", "--strict", "-o", out});
    CHECK(strict.code == aiadvise::cli::k_exit_invalid);
    CHECK(strict.err.find("bad-number.csv:3:14") != std::string::npos);
    CHECK_FALSE(fs::exists(out));
  }
  {
    // The file's only row is bad: nothing to write, exit 2, the row named.
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
  CHECK(run_captured({"catalog", "import", "skypilot", k_fixtures + "aws-odd-rows.csv", "--cloud", "aws", "--region", "US East",
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
  CHECK(summary.at("regions") == json::array({"us-west-2"}));
  CHECK(summary.at("instances_written") == 1);
  CHECK(summary.at("offers_written") == 1);
  CHECK(summary.at("overridden") == 1);
  CHECK(summary.at("new") == 0);
  REQUIRE(fs::exists(out));
  CHECK(res.out.find("\"instances\"") == std::string::npos);  // the catalog goes only to -o

  const auto validate = run_captured({"--catalog", out, "catalog", "validate"});
  INFO(validate.err);
  CHECK(validate.code == 0);
  const auto list = run_captured({"--catalog", out, "catalog", "list", "instances", "--region", "us-west-2", "--accelerator", "l4",
                                  "--format", "json"});
  REQUIRE(list.code == 0);
  const json rows = json::parse(list.out);
  bool listed = false;
  for (const auto& row : rows.at("instances")) {
    if (row.at("id") == "aws-g6-xlarge") listed = row.at("price_usd_per_hour") == 0.5 && row.at("region") == "us-west-2";
  }
  CHECK(listed);

  const auto rec = run_captured({"--catalog", out, "recommend", "--model", "llama-3.1-8b", "--phase", "inference", "--mode",
                                 "realtime", "--qps", "1", "--min-replicas", "1", "--cloud", "aws", "--region", "us-west-2",
                                 "--format", "json", "--top", "50"});
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
  CHECK(table.out.find("read 9 rows (7 in that region, 0 bad and skipped)") != std::string::npos);
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

TEST_CASE("skypilot: the rendered catalog is the catalog, one offer per line, whatever its text holds", "[import]") {
  const json catalog = json::parse(R"({"instances": [
    {"id": "gcp-x", "price_source": "\u0001offers0\u0001", "offers": [["us-central1", 1.5], ["europe-west4", 2.0, 0.5, 3]]},
    {"id": "gcp-y", "offers": []}]})");
  const std::string text = sky::render_catalog(catalog);
  CHECK(json::parse(text) == catalog);
  const json plain = json::parse(R"({"instances": [{"id": "gcp-x", "offers": [["us-central1", 1.5], ["europe-west4", 2.0, 0.5, 3]]}]})");
  const std::string lines = sky::render_catalog(plain);
  CHECK(json::parse(lines) == plain);
  CHECK(lines.find("\n        [\"europe-west4\",2.0,0.5,3]") != std::string::npos);
}
