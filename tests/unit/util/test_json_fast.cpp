// The fast JSON path (util::parse_plain_json) against nlohmann_json's parser: whatever the fast
// path accepts, nlohmann_json accepts with the identical value (types included: unsigned, signed
// and floating numbers are told apart), and it accepts nothing nlohmann_json rejects. Inputs: every
// file of JSONTestSuite's test_parsing, the embedded catalog's files, and generated documents.

#include <catch2/catch.hpp>

#include <nlohmann/json.hpp>

#include <cmath>
#include <filesystem>
#include <functional>
#include <fstream>
#include <random>
#include <sstream>
#include <string>

#include "aiadvise/util/json_document.hpp"
#include "aiadvise/util/json_fast.hpp"

namespace fs = std::filesystem;
using aiadvise::util::Json;
using aiadvise::util::parse_plain_json;

namespace {

constexpr std::size_t k_unlimited = std::size_t(-1);

std::string read(const fs::path& p) {
  std::ifstream in(p, std::ios::binary);
  std::ostringstream s;
  s << in.rdbuf();
  return s.str();
}

// Equal values of equal types, all the way down (nlohmann's == counts 1u and 1 equal).
bool same(const Json& a, const Json& b) {
  if (a.type() != b.type()) return false;
  if (a.is_number_float()) {
    const double x = a.get<double>(), y = b.get<double>();
    return x == y && std::signbit(x) == std::signbit(y);
  }
  if (a.is_object()) {
    if (a.size() != b.size()) return false;
    for (auto i = a.begin(), j = b.begin(); i != a.end(); ++i, ++j) {
      if (i.key() != j.key() || !same(*i, *j)) return false;
    }
    return true;
  }
  if (a.is_array()) {
    if (a.size() != b.size()) return false;
    for (std::size_t k = 0; k < a.size(); ++k) {
      if (!same(a[k], b[k])) return false;
    }
    return true;
  }
  return a == b;
}

// Returns whether the fast path accepted `text`; fails the test if it disagrees with nlohmann_json.
bool agrees(const std::string& name, const std::string& text) {
  INFO(name);
  const auto fast = parse_plain_json(text, 64, k_unlimited);
  if (!fast) return false;
  Json slow;
  REQUIRE_NOTHROW(slow = Json::parse(text));
  CHECK(same(fast->value, slow));
  return true;
}

std::size_t count_values(const Json& j) {
  std::size_t n = 1;
  if (j.is_structured()) {
    for (const auto& x : j) n += count_values(x);
  }
  return n;
}

}  // namespace

TEST_CASE("fast JSON: JSONTestSuite files agree with nlohmann_json", "[json][fast]") {
  const fs::path suite = fs::path(AIADVISE_SHARED_DIR) / "corpora" / "JSONTestSuite" / "test_parsing";
  REQUIRE(fs::is_directory(suite));
  std::size_t accepted = 0, files = 0;
  for (const auto& entry : fs::directory_iterator(suite)) {
    const std::string name = entry.path().filename().string();
    const std::string text = read(entry.path());
    ++files;
    const bool ok = agrees(name, text);
    accepted += ok;
    if (name.rfind("n_", 0) == 0) CHECK_FALSE(ok);
  }
  CHECK(files > 300);
  CHECK(accepted > 50);  // the plain y_ files: the fast path is used, not declined throughout
}

TEST_CASE("fast JSON: the embedded catalog's files are read by the fast path, identically", "[json][fast]") {
  std::size_t files = 0;
  for (const auto& entry : fs::directory_iterator(fs::path(AIADVISE_SOURCE_DIR) / "data" / "catalog")) {
    if (entry.path().extension() != ".json") continue;
    ++files;
    CHECK(agrees(entry.path().filename().string(), read(entry.path())));
  }
  CHECK(files >= 6);
}

TEST_CASE("fast JSON: numbers keep nlohmann_json's types and values", "[json][fast]") {
  for (const char* text : {"0", "-0", "7", "-7", "18446744073709551615", "-9223372036854775808", "0.0", "-0.0", "1e2",
                           "1E+2", "2.5e-3", "1.7976931348623157e308", "2.2250738585072014e-308", "0.1", "123456789.123456789",
                           "[1,-1,1.5,-1.5e1]"}) {
    CHECK(agrees(text, text));
  }
  // Beyond 64 bits, overflowing doubles and subnormals are left to nlohmann_json (which stores the
  // first as a double, rejects the second, and keeps the third).
  for (const char* text : {"18446744073709551616", "-9223372036854775809", "1e400", "-1e400", "4.9e-324", "1e-400"}) {
    INFO(text);
    CHECK_FALSE(parse_plain_json(text, 64, k_unlimited));
  }
}

TEST_CASE("fast JSON: declines what needs a diagnosis or a careful decoder", "[json][fast]") {
  for (const char* text : {R"({"a":1,"a":2})", R"("\u00e9")", "\"caf\xC3\xA9\"", "[1,]", "{\"a\" 1}", "01", "[1] x", "",
                           "tru", "\"a\tb\"", "[-]", "1.", ".5", "1e", "nul"}) {
    INFO(text);
    CHECK_FALSE(parse_plain_json(text, 64, k_unlimited));
  }
  CHECK(parse_plain_json("[[[]]]", 3, k_unlimited));
  CHECK_FALSE(parse_plain_json("[[[[]]]]", 3, k_unlimited));
  const auto counted = parse_plain_json(R"({"a":[1,2,{"b":null}],"c":"d"})", 64, k_unlimited);
  REQUIRE(counted);
  CHECK(counted->values == count_values(counted->value));
  CHECK(parse_plain_json("[1,2,3]", 64, 4));
  CHECK_FALSE(parse_plain_json("[1,2,3]", 64, 3));
}

TEST_CASE("fast JSON: generated documents agree with nlohmann_json", "[json][fast]") {
  std::mt19937_64 rng(20261206);
  std::uniform_int_distribution<int> pick(0, 9);
  std::uniform_real_distribution<double> real(-1e6, 1e6);
  const std::string alphabet = "abc xyz_-/\"\\\n\t09";
  auto random_string = [&] {
    std::string s;
    for (int k = pick(rng); k > 0; --k) s += alphabet[rng() % alphabet.size()];
    return s;
  };
  std::function<Json(int)> make = [&](int depth) -> Json {
    switch (depth > 4 ? pick(rng) % 6 : pick(rng)) {
      case 0: return nullptr;
      case 1: return pick(rng) % 2 == 0;
      case 2: return static_cast<std::int64_t>(rng()) >> pick(rng);
      case 3: return real(rng) * std::pow(10.0, pick(rng) * 30 - 150);
      case 4: return rng() >> pick(rng);
      case 5: return random_string();
      case 6:
      case 7: {
        Json a = Json::array();
        for (int k = pick(rng); k > 0; --k) a.push_back(make(depth + 1));
        return a;
      }
      default: {
        Json o = Json::object();
        for (int k = pick(rng); k > 0; --k) o[random_string()] = make(depth + 1);
        return o;
      }
    }
  };
  std::size_t accepted = 0;
  for (int k = 0; k < 3000; ++k) {
    const Json doc = make(0);
    const std::string text = doc.dump(k % 2 ? 2 : -1);
    accepted += agrees(text, text);
  }
  CHECK(accepted > 2500);  // declined only for subnormal doubles among them
}
