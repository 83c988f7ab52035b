// render::append_json writes what nlohmann's dump(-1, ' ', false, replace) writes, and
// append_json_indented what dump(indent, ' ', false, replace) writes, byte for byte, for any
// document: output must not change with the writer.

#include <catch2/catch.hpp>

#include <cstdint>
#include <cstring>
#include <limits>
#include <random>
#include <string>

#include "aiadvise/render/json.hpp"

using aiadvise::util::Json;

namespace {

struct Random {
  std::mt19937_64 gen{2026};
  std::uint64_t bits() { return gen(); }
  int below(int n) { return static_cast<int>(gen() % static_cast<std::uint64_t>(n)); }

  std::string text() {
    static const std::vector<std::string> pieces{"", "a", "cost", " ", "\"", "\\", "\n", "\t", "\x01", "\x1f", "\x7f", "é", "≥",
                                                 "😀", "\xff", "\xc3", "\xe2\x82", "\xed\xa0\x80", "/", "gpu@ec2", "1e5"};
    std::string s;
    for (int k = below(6); k > 0; --k) s += pieces[static_cast<std::size_t>(below(static_cast<int>(pieces.size())))];
    return s;
  }

  double number() {
    switch (below(6)) {
      case 0: {
        const std::uint64_t b = bits();
        double d;
        std::memcpy(&d, &b, sizeof d);  // any bit pattern: subnormals, NaN, infinities
        return d;
      }
      case 1: return static_cast<double>(below(2000) - 1000) / 8;
      case 2: return std::stod("1e" + std::to_string(below(600) - 300));
      case 3: return below(2) ? 0.0 : -0.0;
      case 4: return static_cast<double>(bits() % 1000000) * 1e-6;
      default: return static_cast<double>(bits()) / 3;
    }
  }

  Json value(int depth) {
    switch (depth > 0 ? below(10) : below(7)) {
      case 0: return nullptr;
      case 1: return below(2) == 0;
      case 2: return static_cast<std::int64_t>(bits());
      case 3: return bits();
      case 4: return number();
      case 5: return text();
      case 6: return below(3) == 0 ? Json(std::numeric_limits<std::int64_t>::min()) : Json(std::numeric_limits<std::uint64_t>::max());
      case 7: {
        Json o = Json::object();
        for (int k = below(5); k > 0; --k) o[text()] = value(depth - 1);
        return o;
      }
      case 8: {
        Json a = Json::array();
        for (int k = below(5); k > 0; --k) a.push_back(value(depth - 1));
        return a;
      }
      default: return Json::binary({1, 2, 3}, 7);
    }
  }
};

std::string written(const Json& j) {
  std::string out;
  aiadvise::render::append_json(out, j);
  return out;
}

}  // namespace

TEST_CASE("render: a document on one line is written as nlohmann writes it", "[render]") {
  Random random;
  for (int k = 0; k < 20000; ++k) {
    const Json j = random.value(4);
    const std::string want = j.dump(-1, ' ', false, Json::error_handler_t::replace);
    INFO(want);
    REQUIRE(written(j) == want);
  }
  CHECK(written(Json::object()) == "{}");
  CHECK(written(Json::array()) == "[]");
  CHECK(written(Json(1.0)) == "1.0");
  CHECK(written(Json(-0.0)) == "-0.0");
}

TEST_CASE("render: an indented document is written as nlohmann's dump(indent) writes it", "[render]") {
  Random random;
  for (int k = 0; k < 20000; ++k) {
    const Json j = random.value(4);
    const int indent = k % 3 == 0 ? 4 : 2;
    const std::string want = j.dump(indent, ' ', false, Json::error_handler_t::replace);
    INFO(want);
    std::string got;
    aiadvise::render::append_json_indented(got, j, indent);
    REQUIRE(got == want);
  }
  const Json nested = Json::parse(R"({"a": [], "b": {}, "c": [1, {"d": [true, null]}], "e": "x"})");
  CHECK(aiadvise::render::json_text(nested) == nested.dump(2) + "\n");
  CHECK(aiadvise::render::json_text(Json::array()) == "[]\n");
}
