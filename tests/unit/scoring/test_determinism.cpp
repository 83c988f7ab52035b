// Determinism: the same inputs give byte-identical output, whatever the order of the catalog files
// or of the keys inside them.

#include <catch2/catch.hpp>

#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>

#include "aiadvise/catalog/embedded.hpp"
#include "aiadvise/cli/app.hpp"

namespace fs = std::filesystem;

TEST_CASE("determinism: catalog file order and key order do not change a report", "[determinism]") {
  const fs::path dir = fs::path("aiadvise-test-permuted-catalog");
  fs::remove_all(dir);
  fs::create_directories(dir);
  // Files renamed so that they load in the reverse order, and re-serialised so that every object's
  // keys come out sorted instead of as written.
  const auto files = aiadvise::catalog::embedded_catalog_files();
  for (std::size_t i = 0; i < files.size(); ++i) {
    const std::string name = std::string(1, static_cast<char>('z' - i)) + "-" + fs::path(std::string(files[i].name)).filename().string();
    std::ofstream(dir / name) << nlohmann::json::parse(files[i].text).dump(1);
  }
  for (const auto& args : std::vector<std::vector<std::string>>{
           {"--model", "llama-3.1-8b", "--qps", "2", "--explain"},
           {"--model", "resnet-50", "--phase", "training", "--dataset-samples", "1.28M", "--epochs", "90", "--deadline-hours", "24"},
           {"--model", "xgboost", "--qps", "50", "--ops-maturity", "low"}}) {
    std::vector<std::string> plain{"recommend"};
    plain.insert(plain.end(), args.begin(), args.end());
    plain.insert(plain.end(), {"--format", "json"});
    std::vector<std::string> permuted{"--no-default-catalog", "--catalog", dir.string()};
    permuted.insert(permuted.end(), plain.begin(), plain.end());
    const auto a = aiadvise::cli::run_captured(plain);
    const auto b = aiadvise::cli::run_captured(permuted);
    INFO(b.err);
    REQUIRE(a.code == 0);
    REQUIRE(b.code == 0);
    CHECK(a.out == b.out);
  }
  fs::remove_all(dir);
}
